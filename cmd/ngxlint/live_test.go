package main

import (
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer/live/livetest"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// Every test here dials loopback only.

type jsonFinding struct {
	Name      string `json:"name"`
	File      string `json:"file"`
	Severity  string `json:"severity"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
	Message   string `json:"message"`
	Fix       *struct {
		Safe  bool `json:"safe"`
		Edits []struct {
			NewText string `json:"newText"`
		} `json:"edits"`
	} `json:"fix"`
	Live *struct {
		Status   string `json:"status"`
		Summary  string `json:"summary"`
		Evidence []struct {
			Address string `json:"address"`
			Result  string `json:"result"`
		} `json:"evidence"`
	} `json:"live"`
}

func findings(t *testing.T, out string) []jsonFinding {
	t.Helper()
	var doc struct {
		Findings []jsonFinding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, out)
	}
	return doc.Findings
}

func named(fs []jsonFinding, name string) []jsonFinding {
	var out []jsonFinding
	for _, f := range fs {
		if f.Name == name {
			out = append(out, f)
		}
	}
	return out
}

// backend serves HTTP on 127.0.0.1 only and counts connections.
func backend(t *testing.T) (int, *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns atomic.Int64
	srv := &http.Server{
		Handler:           http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "backend\n") }),
		ReadHeaderTimeout: 5 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
		ConnState: func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				conns.Add(1)
			}
		},
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().(*net.TCPAddr).Port, &conns
}

func freeLoopbackPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func nginxConf(prefix string, listen, backendPort int) string {
	return `worker_processes 1;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path ` + prefix + `/client_body;
    proxy_temp_path ` + prefix + `/proxy;
    fastcgi_temp_path ` + prefix + `/fastcgi;
    uwsgi_temp_path ` + prefix + `/uwsgi;
    scgi_temp_path ` + prefix + `/scgi;
    upstream app {
        server localhost:` + strconv.Itoa(backendPort) + `;
    }
    server {
        listen 127.0.0.1:` + strconv.Itoa(listen) + `;
        location / { proxy_pass http://app; }
    }
}
`
}

// TestLiveAndErrorLogWithRealNginx is the end-to-end story: nginx
// proxies to localhost:P, the backend listens on 127.0.0.1 only, nginx's
// error log fills with refusals for [::1]:P, `lint --live` confirmed the
// problem before the first request, and `lint --error-log` points at the
// `server localhost:P;` line, on the same span as upstream-localhost.
func TestLiveAndErrorLogWithRealNginx(t *testing.T) {
	nginx := sharedtest.Tool(t, "nginx")
	if !livetest.BothFamilies(t) {
		return
	}
	port, _ := backend(t)
	p := strconv.Itoa(port)
	listen := freeLoopbackPort(t)
	prefix := t.TempDir()
	conf := filepath.Join(prefix, "nginx.conf")
	if err := os.WriteFile(conf, []byte(nginxConf(prefix, listen, port)), 0o644); err != nil {
		t.Fatal(err)
	}
	line, col := locate(t, conf, "localhost:"+p)

	// 1. Live mode, before nginx has served anything.
	code, out, errs := ngx(t, "", "lint", "--live", "--format", "json", conf)
	if code != 1 {
		t.Fatalf("lint --live: exit %d; stderr: %s", code, errs)
	}
	lh := named(findings(t, out), "upstream-localhost")
	if len(lh) != 1 || lh[0].Live == nil || lh[0].Live.Status != "confirmed" {
		t.Fatalf("lint --live did not confirm upstream-localhost:\n%s", out)
	}
	ev := map[string]string{}
	for _, e := range lh[0].Live.Evidence {
		ev[e.Address] = e.Result
	}
	if ev["127.0.0.1:"+p] != "http" || ev["[::1]:"+p] != "refused" {
		t.Fatalf("evidence %v", ev)
	}
	if lh[0].Fix == nil || !lh[0].Fix.Safe || lh[0].Fix.Edits[0].NewText != "127.0.0.1" {
		t.Errorf("fix %+v: want safe, to 127.0.0.1", lh[0].Fix)
	}

	// 2. Real nginx, in the foreground, one process, stopped at the end.
	errorLog := filepath.Join(prefix, "error.log")
	cmd := exec.Command(nginx, "-p", prefix+"/", "-c", conf, "-e", filepath.Join(prefix, "startup.log"),
		"-g", "pid "+prefix+"/nginx.pid; error_log "+errorLog+" warn; daemon off; master_process off;")
	var nginxOut strings.Builder
	cmd.Stdout, cmd.Stderr = &nginxOut, &nginxOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}
	t.Cleanup(stop)
	waitFor(t, "nginx to listen", func() bool {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(listen), 200*time.Millisecond)
		if err == nil {
			_ = c.Close()
		}
		select {
		case <-done:
			t.Fatalf("nginx exited: %s", nginxOut.String())
		default:
		}
		return err == nil
	})
	client := &http.Client{Timeout: 5 * time.Second}
	for i := 0; i < 6; i++ {
		resp, err := client.Get("http://127.0.0.1:" + strconv.Itoa(listen) + "/")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
	seed := `connect() failed (111: Connection refused) while connecting to upstream`
	waitFor(t, "the refusal in nginx's error log", func() bool {
		b, _ := os.ReadFile(errorLog)
		return strings.Contains(string(b), seed) && strings.Contains(string(b), `upstream: "http://[::1]:`+p+`/"`)
	})
	stop()
	if b, err := os.ReadFile(errorLog); err == nil {
		t.Logf("nginx's error log:\n%s", b)
	}

	// 3. The error log, mapped back to the configuration.
	code, out, errs = ngx(t, "", "lint", "--error-log", errorLog, "--format", "json", conf)
	if code != 1 {
		t.Fatalf("lint --error-log: exit %d; stderr: %s\n%s", code, errs, out)
	}
	el := named(findings(t, out), "upstream-error-log")
	var refused *jsonFinding
	for i, f := range el {
		if strings.Contains(f.Message, seed) {
			refused = &el[i]
		}
	}
	if refused == nil {
		t.Fatalf("no upstream-error-log finding for the refusals:\n%s", out)
	}
	if refused.Line != line || refused.Column != col || !strings.Contains(refused.Message, "[::1]:"+p) {
		t.Fatalf("finding at %d:%d (%s), want %d:%d naming [::1]:%s", refused.Line, refused.Column, refused.Message, line, col, p)
	}
	// One place, one span: both findings underline the host, localhost.
	lh = named(findings(t, out), "upstream-localhost")
	if len(lh) != 1 {
		t.Fatalf("want one upstream-localhost finding beside the error log's:\n%s", out)
	}
	span := func(f jsonFinding) [4]int { return [4]int{f.Line, f.Column, f.EndLine, f.EndColumn} }
	if want := [4]int{line, col, line, col + len("localhost")}; span(lh[0]) != want || span(*refused) != want {
		t.Fatalf("upstream-localhost at %v, upstream-error-log at %v; want both at %v (localhost)", span(lh[0]), span(*refused), want)
	}
	_, text, _ := ngx(t, "", "lint", "--error-log", errorLog, "--live", "--color", "never", conf)
	t.Logf("lint --live --error-log:\n%s", text)
}

// TestLiveRefutedIsInfo: where the hosts file maps localhost to 127.0.0.1
// only, nginx makes one peer of localhost:P, so the hazard does not happen
// on this host. The finding stays, refuted, with its evidence, at info: it
// no longer fails the default --fail-on warning, and every format says so.
func TestLiveRefutedIsInfo(t *testing.T) {
	if !livetest.IPv4Only(t) {
		return
	}
	port, _ := backend(t)
	p := strconv.Itoa(port)
	dir := t.TempDir()
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(nginxConf(dir, freeLoopbackPort(t), port)), 0o644); err != nil {
		t.Fatal(err)
	}
	line, col := locate(t, conf, "localhost:"+p)

	// Without --live the same file fails: the drop is live mode's doing.
	if code, out, _ := ngx(t, "", "lint", conf); code != 1 {
		t.Fatalf("lint without --live: exit %d, want 1:\n%s", code, out)
	}
	code, out, errs := ngx(t, "", "lint", "--live", "--format", "json", conf)
	if code != 0 {
		t.Fatalf("lint --live: exit %d, want 0 at the default --fail-on; stderr: %s\n%s", code, errs, out)
	}
	lh := named(findings(t, out), "upstream-localhost")
	if len(lh) != 1 || lh[0].Live == nil {
		t.Fatalf("want one upstream-localhost finding with live evidence:\n%s", out)
	}
	f := lh[0]
	if f.Severity != "info" || f.Live.Status != "refuted" || f.Line != line || f.Column != col {
		t.Fatalf("finding %+v at %d:%d; want info, refuted, at %d:%d", f, f.Line, f.Column, line, col)
	}
	if !strings.Contains(f.Live.Summary, "refuted on this host") || !strings.Contains(f.Live.Summary, "deployed elsewhere") {
		t.Errorf("summary %q does not say it is refuted on this host only", f.Live.Summary)
	}
	if len(f.Live.Evidence) != 1 || f.Live.Evidence[0].Address != "127.0.0.1:"+p || f.Live.Evidence[0].Result != "http" {
		t.Errorf("evidence %+v, want 127.0.0.1:%s http only", f.Live.Evidence, p)
	}
	// Still reported: a stricter threshold fails on it.
	if code, _, _ := ngx(t, "", "lint", "--live", "--fail-on", "info", conf); code != 1 {
		t.Errorf("--fail-on info: exit %d, want 1", code)
	}

	code, text, _ := ngx(t, "", "lint", "--live", "--color", "never", conf)
	want := ":" + strconv.Itoa(line) + ":" + strconv.Itoa(col) + ": info: upstream server localhost:" + p
	if code != 0 || !strings.Contains(text, want) || !strings.Contains(text, "live: refuted: ") ||
		!strings.Contains(text, "refuted on this host") {
		t.Errorf("text output (exit %d) lacks %q or the refutation:\n%s", code, want, text)
	}

	// SARIF: the result's level follows the severity; the evidence is in
	// the result's properties.
	code, sarifOut, _ := ngx(t, "", "lint", "--live", "--format", "sarif", conf)
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleID     string `json:"ruleId"`
				Level      string `json:"level"`
				Properties struct {
					Live struct {
						Status   string `json:"status"`
						Summary  string `json:"summary"`
						Evidence []struct {
							Address string `json:"address"`
						} `json:"evidence"`
					} `json:"live"`
				} `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(sarifOut), &doc); err != nil || len(doc.Runs) != 1 {
		t.Fatalf("SARIF (exit %d): %v\n%s", code, err, sarifOut)
	}
	found := false
	for _, r := range doc.Runs[0].Results {
		if r.RuleID != "NGX101" {
			continue
		}
		found = true
		if r.Level != "note" || r.Properties.Live.Status != "refuted" || len(r.Properties.Live.Evidence) != 1 ||
			!strings.Contains(r.Properties.Live.Summary, "refuted on this host") {
			t.Errorf("SARIF result: level %q, live %+v; want note and the refuted evidence", r.Level, r.Properties.Live)
		}
	}
	if !found || code != 0 {
		t.Errorf("SARIF: exit %d, NGX101 result found %v:\n%s", code, found, sarifOut)
	}

	// A severity override in .ngxlint.yml does not undo the refutation:
	// the policy runs before live mode.
	if err := os.WriteFile(filepath.Join(dir, ".ngxlint.yml"), []byte("severity:\n  upstream-localhost: error\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := ngx(t, "", "lint", "--color", "never", conf); code != 1 || !strings.Contains(out, ": error: upstream server localhost:"+p) {
		t.Fatalf("the override is not in force without --live (exit %d):\n%s", code, out)
	}
	if code, out, _ := ngx(t, "", "lint", "--live", "--color", "never", conf); code != 0 || !strings.Contains(out, want) {
		t.Errorf("with an override, --live: exit %d, want 0 and %q:\n%s", code, want, out)
	}
}

// waitFor polls cond for up to ten seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if cond() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// TestLiveIsOffByDefault: without --live nothing is dialled.
func TestLiveIsOffByDefault(t *testing.T) {
	port, conns := backend(t)
	conf := filepath.Join(t.TempDir(), "nginx.conf")
	src := "events {}\nhttp {\n    upstream app { server 127.0.0.1:" + strconv.Itoa(port) + "; }\n}\n"
	if err := os.WriteFile(conf, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := ngx(t, "", "lint", conf); code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	if n := conns.Load(); n != 0 {
		t.Fatalf("lint without --live made %d connections", n)
	}
	// With --live it does, and a listening peer is not reported.
	if code, out, errs := ngx(t, "", "lint", "--live", conf); code != 0 || conns.Load() == 0 {
		t.Fatalf("--live: exit %d, %d connections: %s %s", code, conns.Load(), out, errs)
	}
}

func TestLiveUnreachableTextAndSuppression(t *testing.T) {
	closed := freeLoopbackPort(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "nginx.conf")
	src := "events {}\nhttp {\n    upstream app {\n        server 127.0.0.1:" + strconv.Itoa(closed) + ";\n" +
		"        server 127.0.0.1:" + strconv.Itoa(closed) + " weight=2; # ngxlint:ignore upstream-unreachable -- spare\n    }\n}\n"
	if err := os.WriteFile(conf, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := ngx(t, "", "lint", "--live", "--color", "never", conf)
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	want := ":4:16: error: upstream server 127.0.0.1:" + strconv.Itoa(closed) + ": nothing accepts connections"
	if !strings.Contains(out, want) || !strings.Contains(out, "live: confirmed") ||
		!strings.Contains(out, "127.0.0.1:"+strconv.Itoa(closed)+" refused (") {
		t.Fatalf("text output lacks %q or the live lines:\n%s", want, out)
	}
	if strings.Contains(out, ":5:") {
		t.Errorf("the suppressed line was reported:\n%s", out)
	}
	// --disable silences the live-only rule like any other.
	if code, out, _ := ngx(t, "", "lint", "--live", "--disable", "upstream-unreachable", conf); code != 0 {
		t.Errorf("--disable upstream-unreachable: exit %d\n%s", code, out)
	}
}

func TestErrorLogFromStdin(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "nginx.conf")
	src := "events {}\nhttp {\n    server {\n        location / { proxy_pass http://127.0.0.1:3000; }\n    }\n}\n"
	if err := os.WriteFile(conf, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	logText := `2024/05/01 12:00:01 [error] 7#7: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.9, server: _, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:3000/", host: "example.org"
2024/05/01 12:00:02 [error] 7#7: *2 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.9, server: _, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:3999/", host: "example.org"
`
	code, out, errs := ngx(t, logText, "lint", "--error-log", "-", "--color", "never", conf)
	if code != 1 {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	// A refused IP literal is about the port: the finding spans host and port.
	line, col := locate(t, conf, "127.0.0.1:3000;")
	want := "nginx.conf:" + strconv.Itoa(line) + ":" + strconv.Itoa(col) + ": warning: nginx's error log (standard input) shows"
	if !strings.Contains(out, want) || !strings.Contains(out, " ^^^^^^^^^^^^^^\n") {
		t.Errorf("output:\n%s", out)
	}
	if !strings.Contains(errs, "127.0.0.1:3999 refused (1)") {
		t.Errorf("stderr does not note the unmatched line: %q", errs)
	}
}

func TestLiveFlagErrors(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "nginx.conf")
	if err := os.WriteFile(conf, []byte("events {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--live", "--live-timeout", "0s"},
		{"--live", "--live-concurrency", "0"},
		{"--live", "--live-concurrency", "100000"},
		{"--live", "--live-deadline", "-1s"},
		{"--error-log", filepath.Join(t.TempDir(), "missing.log")},
		{"--error-log", t.TempDir()},
	} {
		code, _, errs := ngx(t, "", append(append([]string{"lint"}, args...), conf)...)
		if code != 2 || !strings.HasPrefix(errs, "ngxlint: --") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message naming the flag", args, code, errs)
		}
	}
	code, _, errs := ngx(t, "", "lint", "--error-log", "-", "-")
	if code != 2 || !strings.Contains(errs, "standard input") {
		t.Errorf("--error-log - with path -: exit %d, %q", code, errs)
	}
}
