package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/rules"
	"github.com/ngxlint/ngxlint/rules/connectivity"
)

// A real editor end to end: headless Neovim with a minimal init.lua
// starts the built `ngxlint lsp` for a copy of the README's example,
// waits for the diagnostic on `server localhost:3000;`, applies the quick
// fix through textDocument/codeAction and writes the buffer; the file must
// then say 127.0.0.1.
func TestNeovimAppliesQuickFix(t *testing.T) {
	src, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	fixed := runNeovim(t, "testdata/nvim/e2e.lua", string(src))
	want := strings.Replace(string(src), "server localhost:3000;", "server 127.0.0.1:3000;", 1)
	if fixed != want {
		t.Fatalf("file after the fix:\n%s", fixed)
	}
}

// Neovim formats a range and then the whole document through the
// language server (testdata/nvim/fmt.lua); the written file is what
// `ngxlint fmt` makes of it.
func TestNeovimFormats(t *testing.T) {
	src := "http {\nserver {\nlisten 80;\n}\nupstream u {\n      server 127.0.0.1:3000;\n}\n}\n"
	formatted := runNeovim(t, "testdata/nvim/fmt.lua", src)
	_, want, _ := ngx(t, src, "fmt", "-")
	if formatted != want || !strings.Contains(want, "\n    server {\n        listen 80;") {
		t.Fatalf("file after formatting:\n%s\nwant:\n%s", formatted, want)
	}
}

// runNeovim builds ngxlint, writes src to site/nginx.conf and opens it in
// headless Neovim with testdata/nvim/init.lua (which starts `ngxlint lsp`)
// running the Lua script; the script writes "OK" to $NGXLINT_RESULT when
// its checks pass. It returns the file as the editor left it.
func runNeovim(t *testing.T, script, src string) string {
	t.Helper()
	nvim := sharedtest.Tool(t, "nvim")
	dir := t.TempDir()
	bin := filepath.Join(dir, "ngxlint")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	conf := filepath.Join(dir, "site", "nginx.conf")
	if err := os.MkdirAll(filepath.Dir(conf), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(conf, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	result := filepath.Join(dir, "result")
	init, _ := filepath.Abs("testdata/nvim/init.lua")
	lua, _ := filepath.Abs(script)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "-n", "-i", "NONE", "-u", init, "-c", "luafile "+lua, conf)
	cmd.Env = append(os.Environ(), "NGXLINT="+bin, "NGXLINT_RESULT="+result,
		"XDG_CONFIG_HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_STATE_HOME="+dir, "XDG_CACHE_HOME="+dir)
	out, err := cmd.CombinedOutput()
	got, _ := os.ReadFile(result)
	if err != nil || string(got) != "OK" {
		t.Fatalf("nvim: %v\nresult: %s\noutput: %s", err, got, out)
	}
	after, err := os.ReadFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	return string(after)
}

// The lsp command is registered and speaks the protocol on stdio.
func TestLSPCommandAnswersInitialize(t *testing.T) {
	body := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`
	shutdown := `{"jsonrpc":"2.0","id":2,"method":"shutdown"}`
	exit := `{"jsonrpc":"2.0","method":"exit"}`
	in := frameMsg(body) + frameMsg(shutdown) + frameMsg(exit)
	code, out, errs := ngx(t, in, "lsp", "--stdio")
	if code != 0 {
		t.Fatalf("exit %d after shutdown+exit; stderr: %s", code, errs)
	}
	if !strings.Contains(out, `"serverInfo":{"name":"ngxlint"`) || !strings.Contains(out, `"id":2,"result":null`) {
		t.Fatalf("output: %s", out)
	}
	// Without shutdown, the protocol asks for exit status 1.
	if code, _, _ := ngx(t, frameMsg(body)+frameMsg(exit), "lsp"); code != 1 {
		t.Fatalf("exit %d without shutdown, want 1", code)
	}
}

func frameMsg(body string) string {
	return "Content-Length: " + itoa(len(body)) + "\r\n\r\n" + body
}

// The editor's live mode adds upstream-unreachable findings only when that
// rule is among the rules the editor and .ngxlint.yml select. Port 1 on
// loopback refuses at once.
func TestLSPLiveHonoursRuleSelection(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{"nginx.conf": "events {}\nhttp { upstream u { server 127.0.0.1:1; } }\n"})
	ws, err := analyzer.Load([]string{filepath.Join(dir, "nginx.conf")}, analyzer.LoadOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	count := func(selected []*analyzer.Rule) int {
		fs, err := lspLive(context.Background(), ws, nil, selected)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, f := range fs {
			if f.Rule == connectivity.UpstreamUnreachable {
				n++
			}
		}
		return n
	}
	if n := count(rules.All()); n != 1 {
		t.Errorf("rule selected: %d upstream-unreachable findings, want 1", n)
	}
	if n := count([]*analyzer.Rule{connectivity.UpstreamLocalhost}); n != 0 {
		t.Errorf("rule not selected: %d upstream-unreachable findings, want 0", n)
	}
}

// The editor's live mode runs the same probes as lint --live: here the
// bind test of listen-dual-stack-conflict, which needs no network.
func TestLSPLiveRunsProbes(t *testing.T) {
	conf := "events {}\nhttp {\n    server { listen [::]:80 ipv6only=off; }\n    server { listen 80; }\n}\n"
	dir := sharedtest.Tree(t, map[string]string{"nginx.conf": conf})
	ws, err := analyzer.Load([]string{filepath.Join(dir, "nginx.conf")}, analyzer.LoadOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	fs, errs := analyzer.Run(ws, []*analyzer.Rule{connectivity.ListenDualStackConflict}, nil)
	if len(errs) > 0 || len(fs) != 1 {
		t.Fatalf("static run: %+v %v", fs, errs)
	}
	fs, err = lspLive(context.Background(), ws, fs, []*analyzer.Rule{connectivity.ListenDualStackConflict})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Live == nil || fs[0].Live.Status == "" || !strings.Contains(fs[0].Live.Summary, "[::]:") {
		t.Fatalf("no bind-test evidence in the editor's live mode: %+v", fs)
	}
}
