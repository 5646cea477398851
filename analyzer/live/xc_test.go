package live_test

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/live"
	"github.com/ngxlint/ngxlint/rules"
	"github.com/ngxlint/ngxlint/rules/crosscheck"
)

// pair writes an nginx.conf proxying to 127.0.0.1:target and a node's
// elasticsearch.yml, linked through Settings.Links, and runs rule with
// live mode.
func pair(t *testing.T, target int, yml string, rule *analyzer.Rule) []analyzer.Finding {
	t.Helper()
	dir := t.TempDir()
	conf := filepath.Join(dir, "nginx.conf")
	es := filepath.Join(dir, "elasticsearch.yml")
	src := "events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        location / { proxy_pass http://127.0.0.1:" +
		strconv.Itoa(target) + "; }\n    }\n}\n"
	if err := os.WriteFile(conf, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(es, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	ws, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fs, errs := analyzer.RunWith(ws, []*analyzer.Rule{rule}, rules.All(), &analyzer.Settings{Links: []analyzer.Link{{Nginx: conf, Elasticsearch: es}}})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return live.Check(context.Background(), ws, fs, live.Options{})
}

// fakeTransport answers as a node's transport port does to HTTP.
func fakeTransport(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				buf := make([]byte, 512)
				_, _ = c.Read(buf)
				_, _ = io.WriteString(c, "This is not an HTTP port")
				_ = c.Close()
			}()
		}
	}()
	t.Cleanup(func() { _ = ln.Close() })
	return ln.Addr().(*net.TCPAddr).Port
}

func TestXCPortMismatchProbe(t *testing.T) {
	node := strconv.Itoa(fakeES(t, "127.0.0.1:0"))
	closed := closedPorts(t, 1)[0]
	fs := pair(t, closed, "network.host: 127.0.0.1\nhttp.port: "+node+"\n", crosscheck.XCPortMismatch)
	if len(fs) != 1 || fs[0].Live == nil || fs[0].Live.Status != "confirmed" || evidenceOf(fs[0])["127.0.0.1:"+strconv.Itoa(closed)] != "refused" {
		t.Fatalf("findings %+v live %+v", fs, fs[0].Live)
	}
	// Something answers at nginx's port after all: refuted.
	other := fakeES(t, "127.0.0.1:0")
	fs = pair(t, other, "network.host: 127.0.0.1\nhttp.port: "+node+"\n", crosscheck.XCPortMismatch)
	if len(fs) != 1 || fs[0].Live == nil || fs[0].Live.Status != "refuted" {
		t.Fatalf("findings %+v", fs)
	}
}

func TestXCTransportPortProbe(t *testing.T) {
	tp := fakeTransport(t)
	fs := pair(t, tp, "network.host: 127.0.0.1\ntransport.port: "+strconv.Itoa(tp)+"\n", crosscheck.XCTransportPort)
	if len(fs) != 1 || fs[0].Live == nil || fs[0].Live.Status != "confirmed" || !strings.Contains(fs[0].Live.Summary, "not an HTTP port") {
		t.Fatalf("findings %+v", fs)
	}
}

func TestXCSchemeMismatchProbe(t *testing.T) {
	// https:// to a node the file says serves plain HTTP, and it does.
	port := fakeES(t, "127.0.0.1:0")
	dir := t.TempDir()
	conf := filepath.Join(dir, "nginx.conf")
	es := filepath.Join(dir, "elasticsearch.yml")
	_ = os.WriteFile(conf, []byte("events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        location / { proxy_pass https://127.0.0.1:"+
		strconv.Itoa(port)+"; }\n    }\n}\n"), 0o644)
	_ = os.WriteFile(es, []byte("xpack.security.enabled: false\nhttp.port: "+strconv.Itoa(port)+"\n"), 0o644)
	ws, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fs, _ := analyzer.Run(ws, []*analyzer.Rule{crosscheck.XCSchemeMismatch}, rules.All())
	fs = live.Check(context.Background(), ws, fs, live.Options{})
	if len(fs) != 1 || fs[0].Live == nil || fs[0].Live.Status != "confirmed" || !strings.Contains(fs[0].Live.Summary, "plain HTTP") {
		t.Fatalf("findings %+v live %+v", fs, fs[0].Live)
	}
}

// es-host-limits reads vm.max_map_count (injected here) for a node in
// production mode only, and not when mmap is off.
func TestHostLimits(t *testing.T) {
	rule := &analyzer.Rule{Name: "es-host-limits", Severity: analyzer.Error}
	low := func() (int, error) { return 65530, nil }
	for _, c := range []struct {
		yml  string
		read func() (int, error)
		want int
	}{
		{"network.host: 0.0.0.0\ndiscovery.seed_hosts: [10.0.0.5]\n", low, 1},
		{"network.host: 0.0.0.0\ndiscovery.seed_hosts: [10.0.0.5]\n", func() (int, error) { return 262144, nil }, 0},
		{"network.host: 0.0.0.0\ndiscovery.type: single-node\n", low, 0},
		{"network.host: 127.0.0.1\n", low, 0},
		{"network.host: 0.0.0.0\nnode.store.allow_mmap: false\n", low, 0},
	} {
		ws := load(t, "elasticsearch.yml", c.yml)
		fs := live.Check(context.Background(), ws, nil, live.Options{HostLimits: rule, MaxMapCount: c.read, Proc: fstest.MapFS{}})
		if len(fs) != c.want {
			t.Errorf("%q: %d findings, want %d: %+v", c.yml, len(fs), c.want, fs)
			continue
		}
		if c.want == 1 && (fs[0].Span.Start.Line != 1 || !strings.Contains(fs[0].Message, "vm.max_map_count is 65530")) {
			t.Errorf("%q: %+v", c.yml, fs[0])
		}
	}
}

// A firewall that drops packets shows as a timeout, not a refusal: the
// evidence tells the two apart (the "firewall" row of the README's table).
func TestXCDroppedIsTimeout(t *testing.T) {
	node := strconv.Itoa(fakeES(t, "127.0.0.1:0"))
	target := closedPorts(t, 1)[0]
	dir := t.TempDir()
	conf := filepath.Join(dir, "nginx.conf")
	es := filepath.Join(dir, "elasticsearch.yml")
	_ = os.WriteFile(conf, []byte("events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        location / { proxy_pass http://127.0.0.1:"+
		strconv.Itoa(target)+"; }\n    }\n}\n"), 0o644)
	_ = os.WriteFile(es, []byte("network.host: 127.0.0.1\nhttp.port: "+node+"\n"), 0o644)
	ws, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fs, _ := analyzer.RunWith(ws, []*analyzer.Rule{crosscheck.XCPortMismatch}, rules.All(), &analyzer.Settings{Links: []analyzer.Link{{Nginx: conf, Elasticsearch: es}}})
	drop := func(ctx context.Context, _, _ string) (net.Conn, error) { <-ctx.Done(); return nil, ctx.Err() }
	fs = live.Check(context.Background(), ws, fs, live.Options{Dial: drop, Timeout: 100 * time.Millisecond})
	if len(fs) != 1 || fs[0].Live == nil || evidenceOf(fs[0])["127.0.0.1:"+strconv.Itoa(target)] != "timeout" || fs[0].Live.Status != "confirmed" {
		t.Fatalf("findings %+v live %+v", fs, fs[0].Live)
	}
}
