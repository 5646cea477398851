package lsp

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/internal/benchgen"
)

// bigConfig generates a realistic configuration of about n lines: many
// server blocks with locations, upstreams, and one localhost finding.
func bigConfig(n int) string {
	var b strings.Builder
	b.WriteString("worker_processes auto;\nevents {\n    worker_connections 1024;\n}\nhttp {\n")
	b.WriteString("    upstream app {\n        server localhost:3000;\n        keepalive 16;\n    }\n")
	for i := 0; strings.Count(b.String(), "\n") < n-2; i++ {
		fmt.Fprintf(&b, `    upstream backend%d {
        server 127.0.0.1:%d;
    }
    server {
        listen 80;
        server_name site%d.example.com;
        location / {
            proxy_pass http://backend%d;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }
        location /static/ {
            root /srv/site%d;
            expires 7d;
        }
    }
`, i, 3000+i%1000, i, i, i)
	}
	b.WriteString("}\n")
	return b.String()
}

// BenchmarkDidChangeToDiagnostics measures the time from a one-character
// didChange of a 5,000-line configuration to its publishDiagnostics, with
// the debounce off (the debounce, DefaultDebounce, comes on top in an
// editor and is reported as the debounce-ms metric).
func BenchmarkDidChangeToDiagnostics(b *testing.B) {
	text := bigConfig(5000)
	if lines := strings.Count(text, "\n"); lines < 5000 {
		b.Fatalf("only %d lines", lines)
	}
	dir := sharedtest.Tree(b, map[string]string{"nginx.conf": text})
	benchEdits(b, dir, filepath.Join(dir, "nginx.conf"), text)
	b.ReportMetric(float64(DefaultDebounce.Milliseconds()), "debounce-ms")
}

// benchEdits opens the file at path (text) in a server rooted at dir,
// wants its one upstream-localhost diagnostic, then toggles one digit of
// the first "3000;" b.N times, each time until the diagnostics arrive,
// and reports ms/edit.
func benchEdits(b *testing.B, dir, path, text string) {
	u := pathToURI(path)
	c := newClient(b, Options{Debounce: -1}, nil)
	c.initialize(dir, nil)
	from := 0
	c.open(u, "nginx", text)
	if p := c.diags(&from, u, 1); len(byCode(p.Diagnostics, "upstream-localhost")) != 1 {
		b.Fatalf("want the one localhost finding in the open file, got %d diagnostics", len(p.Diagnostics))
	}
	at := find(b, text, "3000;")
	at.End.Character = at.Start.Character + 1
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		digit := "4"
		if i%2 == 1 {
			digit = "3"
		}
		c.changeRange(u, i+2, at, digit)
		c.diags(&from, u, i+2)
	}
	b.StopTimer()
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/edit")
	c.mu.Lock()
	c.notes = nil // do not keep b.N publications around
	c.mu.Unlock()
}

// BenchmarkDidChangeInTree300 is the editor case: a 5,000-line
// file of server blocks, included by the 300-virtual-host tree's
// nginx.conf (conf.d/*.conf), open in the editor; one character changes.
// It reports the time from didChange to publishDiagnostics (debounce off).
func BenchmarkDidChangeInTree300(b *testing.B) {
	dir := b.TempDir()
	if _, _, err := benchgen.WriteTree(dir, 300, benchgen.Options{}); err != nil {
		b.Fatal(err)
	}
	whole := bigConfig(5000)
	// the body of bigConfig's http block: upstreams and servers
	body := whole[strings.Index(whole, "http {\n")+len("http {\n") : strings.LastIndex(whole, "}")]
	path := filepath.Join(dir, "conf.d", "zz-big.conf")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		b.Fatal(err)
	}
	// The tree was written long before the editor opened it, as trees
	// are: files changed in the last seconds are read again on every lint
	// (nginx.ParseCache trusts a file's time only when it is older).
	old := time.Now().Add(-time.Hour)
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			err = os.Chtimes(p, old, old)
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	benchEdits(b, dir, path, body)
}
