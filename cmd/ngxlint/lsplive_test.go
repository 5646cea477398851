package main

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/live"
	"github.com/ngxlint/ngxlint/lsp"
	"github.com/ngxlint/ngxlint/rules"
	esrules "github.com/ngxlint/ngxlint/rules/elastic"
	"github.com/sourcegraph/jsonrpc2"
)

// freePort returns a loopback port nothing listens on (it was free a
// moment ago: refused at once when dialled).
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	return port
}

// editorDiagnostics opens path in a language server started with the
// CLI's live mode (lspLive) and the given initializationOptions, and
// returns the codes of the diagnostics published for it: the first ones
// when want is "" (the server publishes once a lint, live stage
// included), else once one with want arrives, or the last ones published
// when none does in time.
func editorDiagnostics(t *testing.T, path, text string, opts map[string]any, want string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a, b := net.Pipe()
	done := make(chan int, 1)
	go func() { done <- lsp.Serve(context.Background(), a, lsp.Options{Live: lspLive, Debounce: -1}) }()
	published := make(chan []string, 16)
	uri := "file://" + path
	conn := jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(b, jsonrpc2.VSCodeObjectCodec{}),
		jsonrpc2.HandlerWithError(func(_ context.Context, _ *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
			if req.Method != "textDocument/publishDiagnostics" || req.Params == nil {
				return nil, nil
			}
			var p struct {
				URI         string `json:"uri"`
				Diagnostics []struct {
					Code string `json:"code"`
				} `json:"diagnostics"`
			}
			if json.Unmarshal(*req.Params, &p) == nil && p.URI == uri {
				var codes []string
				for _, d := range p.Diagnostics {
					codes = append(codes, d.Code)
				}
				published <- codes
			}
			return nil, nil
		}), jsonrpc2.SetLogger(log.New(io.Discard, "", 0)))
	defer func() {
		_ = conn.Close()
		<-done
	}()
	params := map[string]any{"processId": 1, "capabilities": map[string]any{}, "rootUri": "file://" + filepath.Dir(path), "initializationOptions": opts}
	if err := conn.Call(ctx, "initialize", params, nil); err != nil {
		t.Fatal(err)
	}
	_ = conn.Notify(ctx, "initialized", map[string]any{})
	_ = conn.Notify(ctx, "textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
	var last []string
	wait := time.After(10 * time.Second)
	for {
		select {
		case codes := <-published:
			last = codes
			if want == "" {
				return codes
			}
			for _, c := range codes {
				if c == want {
					return codes
				}
			}
		case <-wait:
			return last
		}
	}
}

// The editor's live mode runs the node probe of lint --live: a settings
// file whose HTTP port nothing listens on gets es-node-unreachable over
// the protocol, and not when the editor disables the rule.
func TestLSPLiveProbesTheNode(t *testing.T) {
	dir := t.TempDir()
	yml := filepath.Join(dir, "elasticsearch.yml")
	text := "network.host: 127.0.0.1\nhttp.port: " + strconv.Itoa(freePort(t)) + "\ntransport.port: " + strconv.Itoa(freePort(t)) + "\n"
	if err := os.WriteFile(yml, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	has := func(codes []string) bool {
		for _, c := range codes {
			if c == "es-node-unreachable" {
				return true
			}
		}
		return false
	}
	if codes := editorDiagnostics(t, yml, text, map[string]any{"live": true}, "es-node-unreachable"); !has(codes) {
		t.Fatalf("live on: diagnostics %v", codes)
	}
	off := map[string]any{"live": true, "disable": []string{"es-node-unreachable"}}
	if codes := editorDiagnostics(t, yml, text, off, ""); has(codes) {
		t.Fatalf("rule disabled: diagnostics %v", codes)
	}
	if codes := editorDiagnostics(t, yml, text, map[string]any{}, ""); has(codes) {
		t.Fatalf("live off: diagnostics %v", codes)
	}
}

// The editor's live mode reports under the same rules as lint --live,
// es-host-limits included: with this host's vm.max_map_count (injected)
// too low for a node in production mode, the finding arrives; with the
// rule not selected, it does not.
func TestLSPLiveHostLimits(t *testing.T) {
	dir := t.TempDir()
	yml := filepath.Join(dir, "elasticsearch.yml")
	if err := os.WriteFile(yml, []byte("network.host: 0.0.0.0\ndiscovery.seed_hosts: [10.0.0.5]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ws, err := analyzer.Load([]string{yml}, analyzer.LoadOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	count := func(selected []*analyzer.Rule) int {
		opt := lspLiveOptions(selected)
		opt.NodeUnreachable = nil // no dialling here: only the host's limits
		opt.MaxMapCount = func() (int, error) { return 65530, nil }
		opt.Proc = fstest.MapFS{}
		n := 0
		for _, f := range live.Check(context.Background(), ws, nil, opt) {
			if f.Rule == esrules.ESHostLimits {
				n++
			}
		}
		return n
	}
	if n := count(rules.All()); n != 1 {
		t.Errorf("selected: %d es-host-limits findings, want 1", n)
	}
	if n := count([]*analyzer.Rule{esrules.ESNodeUnreachable}); n != 0 {
		t.Errorf("not selected: %d es-host-limits findings", n)
	}
	if opt := lspLiveOptions(rules.All()); opt.NodeUnreachable != esrules.ESNodeUnreachable || opt.HostLimits != esrules.ESHostLimits {
		t.Errorf("editor options name %v and %v", opt.NodeUnreachable, opt.HostLimits)
	}
}
