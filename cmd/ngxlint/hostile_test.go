package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer/report"
)

// countWriter counts what the CLI prints, without keeping it.
type countWriter struct{ n, lines int64 }

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	w.lines += int64(strings.Count(string(p), "\n"))
	return len(p), nil
}

// peakHeap runs fn and returns the highest live heap seen while it ran,
// above the heap before it, sampled from runtime metrics every 2 ms.
func peakHeap(fn func()) uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	// The metric counts objects not yet swept too: a frequent collector
	// keeps that garbage small, so the peak is close to the live heap the
	// bound is about, and does not swing with the machine's load.
	defer debug.SetGCPercent(debug.SetGCPercent(25))
	runtime.GC()
	base := read()
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			if v := read(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	<-done
	if v := read(); v > peak.Load() {
		peak.Store(v)
	}
	return peak.Load() - min(base, peak.Load())
}

// TestOutputIsBoundedPerFinding: findings on a long line used to print
// the whole line under each one (a 10 MB line of "}" printed 2.1 GB and
// peaked at 4.9 GB; a valid 69 KB one-line file with 3,000 findings
// printed 312 MB). An excerpt is now a window of the line, so the text
// report grows with the number of findings, not with their product with
// the line length, and the run's live heap stays within a documented
// multiple of the input (docs/architecture.md, "Limits").
func TestOutputIsBoundedPerFinding(t *testing.T) {
	if raceEnabled {
		t.Skip("heap measurements mean nothing under the race detector")
	}
	dir := t.TempDir()
	var servers []string
	for i := range 3000 {
		servers = append(servers, "server localhost:"+itoa(1000+i)+";")
	}
	files := map[string]string{
		"close.conf": strings.Repeat("}", 10<<20),
		"many.conf":  "http { upstream u { " + strings.Join(servers, " ") + " } }",
	}
	// 10 MB of the smallest directives: the tree, not the output, is
	// what grows (2.2 GB before the node budget, nginx.MaxNodes).
	for name, unit := range map[string]string{"semis.conf": "a;\n", "args.conf": "a b c d;\n", "nested.conf": "a{b{c;}}\n"} {
		files[name] = strings.Repeat(unit, (10<<20)/len(unit))
	}
	// A settings file at its own limit (analyzer.MaxSettingsSize).
	var yml strings.Builder
	for i := 0; yml.Len() < 1<<20-32; i++ {
		yml.WriteString("k" + itoa(i) + ": [a, b]\n")
	}
	files["elasticsearch.yml"] = yml.String()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		var out, errw countWriter
		var code int
		peak := peakHeap(func() { code = run([]string{"ngxlint", "lint", path}, strings.NewReader(""), &out, &errw) })
		findings := out.lines / 3 // a header, the excerpt and its caret line
		t.Logf("%s (%d bytes): exit %d, %d bytes of output for about %d findings, peak live heap %d bytes (%.1fx)",
			name, len(text), code, out.n, findings, peak, float64(peak)/float64(len(text)))
		if !strings.HasPrefix(name, "close") && !strings.HasPrefix(name, "many") {
			if code == 2 {
				t.Fatalf("%s: refused (exit 2)", name)
			}
			if peak > uint64(maxHeapPerInputByte*len(text))+heapAllowance {
				t.Errorf("%s: peak live heap %d bytes for %d bytes of input", name, peak, len(text))
			}
			continue
		}
		if code != 1 || findings < 100 {
			t.Fatalf("%s: exit %d, %d findings", name, code, findings)
		}
		if per := out.n / findings; per > 800 {
			t.Errorf("%s: %d bytes of output per finding", name, per)
		}
		if peak > uint64(maxHeapPerInputByte*len(text))+heapAllowance {
			t.Errorf("%s: peak live heap %d bytes for %d bytes of input", name, peak, len(text))
		}
	}
}

// TestLostLinesBounded: a server with many add_header (or
// proxy_set_header) lines and as many locations that set their own made
// every location's finding list every lost line as a related location,
// and found them by a quadratic scan: 2,000 of each printed 900 MB of JSON,
// and 10,000 of each ran for minutes and peaked at 22 GB. A finding now
// lists the first 20 and its message counts the rest.
func TestLostLinesBounded(t *testing.T) {
	const n = 1000
	for _, directive := range []string{"add_header", "proxy_set_header"} {
		var b strings.Builder
		b.WriteString("events {}\nhttp {\n  server {\n    listen 80;\n")
		for i := range n {
			b.WriteString("    " + directive + " X-Outer" + itoa(i) + " v;\n")
		}
		for i := range n {
			b.WriteString("    location /l" + itoa(i) + " { " + directive + " X-Inner v; proxy_pass http://127.0.0.1:8080; }\n")
		}
		b.WriteString("  }\n}\n")
		path := filepath.Join(t.TempDir(), "nginx.conf")
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		var out, errw bytes.Buffer
		var code int
		peak := peakHeap(func() {
			code = run([]string{"ngxlint", "lint", "--format", "json", path}, strings.NewReader(""), &out, &errw)
		})
		var rep report.JSONReport
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatalf("%s: exit %d, %v: %s", directive, code, err, errw.String())
		}
		lossy := 0
		for _, f := range rep.Findings {
			if !strings.Contains(f.Message, directive+" here stops nginx") {
				continue
			}
			lossy++
			if len(f.Related) > 20 || !strings.Contains(f.Message, "and "+itoa(n-6)+" more") {
				t.Fatalf("%s: %d related locations, message %.200q", directive, len(f.Related), f.Message)
			}
		}
		if lossy != n {
			t.Errorf("%s: %d findings about lost lines, want one per location (%d)", directive, lossy, n)
		}
		t.Logf("%s: %d bytes of input, %d bytes of JSON, peak live heap %d bytes", directive, b.Len(), out.Len(), peak)
		if !raceEnabled && peak > uint64(maxHeapPerInputByte*b.Len())+heapAllowance {
			t.Errorf("%s: peak live heap %d bytes for %d bytes of input", directive, peak, b.Len())
		}
	}
}

// maxHeapPerInputByte is the documented bound on the live heap of a run
// per byte of input, plus heapAllowance (docs/architecture.md, "Limits").
// The worst case is a file whose every line is a finding: 10 MB of "a;"
// holds 500,000 unknown directives, each a finding kept until the report.
const (
	maxHeapPerInputByte = 100
	heapAllowance       = 128 << 20
)

// TestOutsideFilesNotQuoted: `include /path/secret.env;` used to quote the
// secret's first line twice (message and excerpt) in every format. A file
// reached only through an include that leaves the linted folders is now
// reported by path and line, never quoted, and an environment file is
// described, not echoed.
func TestOutsideFilesNotQuoted(t *testing.T) {
	root := t.TempDir()
	outside := filepath.Join(root, "outside")
	conf := filepath.Join(root, "conf")
	for _, d := range []string{outside, conf} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{
		filepath.Join(outside, "secret.env"): "DB_PASSWORD=hunter2\nAPI_KEY=sk-live-123\n",
		filepath.Join(outside, "other.conf"): "upstream topsecret_up { server localhost:1; }\n",
		filepath.Join(conf, "inside.env"):    "export TOKEN=inside-token-42\n",
		filepath.Join(conf, "nginx.conf"): "events {}\nhttp {\n    include " + filepath.Join(outside, "secret.env") + ";\n" +
			"    include " + filepath.Join(outside, "other.conf") + ";\n    include inside.env;\n}\n",
	}
	for p, text := range files {
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, format := range []string{"text", "json", "sarif", "github", "checkstyle"} {
		code, out, errOut := ngx(t, "", "lint", "--format", format, filepath.Join(conf, "nginx.conf"))
		if code != 1 {
			t.Fatalf("%s: exit %d: %s", format, code, errOut)
		}
		for _, secret := range []string{"hunter2", "sk-live", "topsecret", "inside-token"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s: the report quotes %q:\n%s", format, secret, out)
			}
		}
		for _, want := range []string{"secret.env", "other.conf", "inside.env", "content not shown"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: no %q in the report:\n%s", format, want, out)
			}
		}
	}
}

// TestDebianSitesEnabled: on Debian every entry of sites-enabled is a link
// into sites-available; linting the folder used to exit 2 with "no nginx
// configuration found". Links to files count, once.
func TestDebianSitesEnabled(t *testing.T) {
	dir := t.TempDir()
	avail, enabled := filepath.Join(dir, "sites-available"), filepath.Join(dir, "sites-enabled")
	for _, d := range []string{avail, enabled} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(avail, "default"), []byte("server { location / { proxy_pass http://localhost:3000; } }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../sites-available/default", filepath.Join(enabled, "default")); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := ngx(t, "", "lint", enabled)
	if code != 1 || !strings.Contains(out, filepath.Join(enabled, "default")+":1:") {
		t.Errorf("sites-enabled: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = ngx(t, "", "lint", dir)
	if code != 1 || strings.Count(out, "upstream-localhost]") != 1 {
		t.Errorf("whole folder: exit %d, want the file once\n%s", code, out)
	}
}

// TestMaxNodesFlag: the node budget cuts the parse with a warning that
// names --max-nodes; the flag moves the cut, and 0 lints the file whole.
func TestMaxNodesFlag(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nginx.conf")
	src := "events {}\nhttp {\n" + strings.Repeat("    server_tokens off;\n", 40) + "    server_tokens on\n}\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	// events and http are a node each, a server_tokens line two: the 30th
	// server_tokens, on line 32, would be nodes 61 and 62.
	code, out, _ := ngx(t, "", "lint", "--max-nodes", "60", path)
	if code != 1 || !strings.Contains(out, ":32:5: warning: more than 60") || !strings.Contains(out, "--max-nodes raises it") || !strings.Contains(out, "[not-analysed]") {
		t.Errorf("--max-nodes 60: exit %d\n%s", code, out)
	}
	for _, n := range []string{"0", "1000"} {
		// Linted whole, the missing ';' on the last line is found.
		code, out, _ := ngx(t, "", "lint", "--max-nodes", n, path)
		if code != 1 || strings.Contains(out, "not analysed") || !strings.Contains(out, ":43:") {
			t.Errorf("--max-nodes %s: exit %d\n%s", n, code, out)
		}
	}
	if code, _, errOut := ngx(t, "", "lint", "--max-nodes", "-1", path); code != 2 || !strings.Contains(errOut, "--max-nodes") {
		t.Errorf("--max-nodes -1: exit %d, %q", code, errOut)
	}
}

// TestSizeFlags: a file over --max-file-size is refused before it is read,
// naming the flag that raises the limit.
func TestSizeFlags(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nginx.conf")
	if err := os.WriteFile(path, []byte("events {}\n"+strings.Repeat("# pad\n", 400)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := ngx(t, "", "lint", "--max-file-size", "1K", path)
	if code != 2 || !strings.Contains(errOut, "over the limit of 1 KiB per file") || !strings.Contains(errOut, "--max-file-size") {
		t.Errorf("exit %d, %q", code, errOut)
	}
	if code, _, _ := ngx(t, "", "lint", "--max-file-size", "4K", path); code != 0 {
		t.Errorf("within the limit: exit %d", code)
	}
	if code, _, errOut := ngx(t, "", "lint", "--max-total-size", "lots", path); code != 2 || !strings.Contains(errOut, "is not a size") {
		t.Errorf("bad size: exit %d, %q", code, errOut)
	}
}
