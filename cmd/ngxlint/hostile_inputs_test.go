//go:build linux

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hostileCase is one input built to break a linter: it must end in time
// with the exit code and the positioned message given, and never panic.
type hostileCase struct {
	name string
	// build writes the input under dir and returns the path to lint.
	build func(t *testing.T, dir string) string
	code  int
	// want matches the text output (stdout and stderr together); its
	// positions are file:line:col, worked out where the input is built.
	want string
}

// hostileLimit is how long one case may take. The race detector slows the
// large cases (10 MB, 200,000 map entries) several times over.
func hostileLimit() time.Duration {
	if raceEnabled {
		return 60 * time.Second
	}
	return 10 * time.Second
}

// TestHostileInputs runs every input of the hostile list through
// the CLI and wants, for each, a clear positioned message (or the report
// that proves the whole input was read) within the limit. Each case's time
// is logged (go test -v).
func TestHostileInputs(t *testing.T) {
	write := func(t *testing.T, path, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// including writes dir/nginx.conf, whose http block includes target
	// (column 16 of line 2), and returns its path.
	including := func(t *testing.T, dir, target string) string {
		p := filepath.Join(dir, "nginx.conf")
		write(t, p, "events {}\nhttp { include "+target+"; }\n")
		return p
	}
	// The 10 MB line: padding directives, then a misspelled one whose
	// column is the line's length so far.
	pad := "add_header X-Pad \"" + strings.Repeat("a", 1000) + "\"; "
	long := "events {} http { " + strings.Repeat(pad, 10<<20/len(pad))
	cases := []hostileCase{
		{
			name: "nesting 100,000 deep",
			build: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "nginx.conf")
				write(t, p, strings.Repeat("http {", 100_000)+strings.Repeat("}", 100_000)+"\n")
				return p
			},
			code: 1,
			// the first brace past the limit: 1000 levels of six bytes in
			want: fmt.Sprintf(`nginx\.conf:1:%d: warning: blocks are nested more than 1000 deep; the contents of "http" are not analysed \[not-analysed\]`, 1000*6+6),
		},
		{
			name: "a 10 MB single line",
			build: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "nginx.conf")
				write(t, p, long+"proxy_passs http://x; }\n")
				return p
			},
			code: 1,
			want: fmt.Sprintf(`nginx\.conf:1:%d: error: unknown directive "proxy_passs"`, len(long)+1),
		},
		{
			name: "NUL bytes",
			build: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "nginx.conf")
				write(t, p, "events {}\nhttp {\n    server { server_name a\x00b; }\n}\n")
				return p
			},
			code: 1,
			want: `nginx\.conf:3:27: error: unexpected NUL byte`,
		},
		{
			name: "invalid UTF-8",
			build: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "nginx.conf")
				write(t, p, "events {}\nhttp {\n    server { server_nam\xff\xfe x.example; }\n}\n")
				return p
			},
			code: 1,
			want: `nginx\.conf:3:14: error: unknown directive "server_nam`,
		},
		{
			name: "an include cycle",
			build: func(t *testing.T, dir string) string {
				write(t, filepath.Join(dir, "a.conf"), "include b.conf;\n")
				write(t, filepath.Join(dir, "b.conf"), "include a.conf;\n")
				return including(t, dir, "a.conf")
			},
			code: 1,
			want: `b\.conf:1:9: error: include cycle: \S*a\.conf is already being included`,
		},
		{
			name: "an include glob matching 10,000 files",
			build: func(t *testing.T, dir string) string {
				for i := range 10_000 {
					write(t, filepath.Join(dir, "conf.d", fmt.Sprintf("h%05d.conf", i)),
						fmt.Sprintf("server { listen 80; server_name h%d.example; }\n", i))
				}
				return including(t, dir, "conf.d/*.conf")
			},
			code: 0,
			// every file read: the report counts all their servers
			want: `h00000\.conf:1:17: info: 10000 servers listen on 0\.0\.0\.0:80`,
		},
		{
			name: "a symlink loop",
			build: func(t *testing.T, dir string) string {
				if err := os.Symlink("loop.conf", filepath.Join(dir, "loop.conf")); err != nil {
					t.Skip(err)
				}
				return including(t, dir, "loop.conf")
			},
			code: 1,
			want: `nginx\.conf:2:16: error: cannot include \S*loop\.conf: too many levels of symbolic links`,
		},
		{
			name: "a FIFO as include target",
			build: func(t *testing.T, dir string) string {
				if err := syscall.Mkfifo(filepath.Join(dir, "fifo.conf"), 0o600); err != nil {
					t.Skip(err)
				}
				return including(t, dir, "fifo.conf")
			},
			code: 1,
			want: `nginx\.conf:2:16: error: cannot include \S*fifo\.conf: is a FIFO, not a regular file`,
		},
		{
			name: "/dev/zero as include target",
			build: func(t *testing.T, dir string) string {
				return including(t, dir, "/dev/zero")
			},
			code: 1,
			want: `nginx\.conf:2:16: error: cannot include /dev/zero: is a device, not a regular file`,
		},
		{
			name: "a directory as include target",
			build: func(t *testing.T, dir string) string {
				if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
					t.Fatal(err)
				}
				return including(t, dir, "sub")
			},
			code: 1,
			want: `nginx\.conf:2:16: error: cannot include \S*sub: is a directory, not a regular file`,
		},
		{
			name: "a YAML alias bomb",
			build: func(t *testing.T, dir string) string {
				var b strings.Builder
				b.WriteString("a: &a [x, x, x, x, x, x, x, x, x]\n")
				prev := "a"
				for _, n := range "bcdefghi" {
					fmt.Fprintf(&b, "%c: &%c [%s]\n", n, n, strings.TrimSuffix(strings.Repeat("*"+prev+", ", 9), ", "))
					prev = string(n)
				}
				b.WriteString("cluster.name: *i\n")
				p := filepath.Join(dir, "elasticsearch.yml")
				write(t, p, b.String())
				return p
			},
			code: 1,
			// read, not expanded: the aliases are reported where written
			want: `elasticsearch\.yml:10:15: info: YAML alias ` + "`\\*i`",
		},
		{
			name: "a 1 GB file",
			build: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "nginx.conf")
				f, err := os.Create(p)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if err := f.Truncate(1 << 30); err != nil { // sparse: no disk used
					t.Skip(err)
				}
				return p
			},
			code: 2,
			want: `nginx\.conf: over the size limit: the file is 1 GiB, over the limit of 16 MiB per file`,
		},
		{
			name: "200,000 map entries",
			build: func(t *testing.T, dir string) string {
				var b strings.Builder
				b.WriteString("events {}\nhttp {\n    map $host $site {\n        default 0;\n")
				for i := range 200_000 {
					fmt.Fprintf(&b, "        h%d.example %d;\n", i, i)
				}
				b.WriteString("        h0.example dup;\n    }\n    server { listen 80; return 200 $site; }\n}\n")
				p := filepath.Join(dir, "nginx.conf")
				write(t, p, b.String())
				return p
			},
			code: 1,
			// the last entry repeats the first: found, at its line
			want: fmt.Sprintf(`nginx\.conf:%d:9: error: map key "h0\.example" is already given at line 5`, 4+200_000+1),
		},
		{
			name: "a regex built to be slow",
			build: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "nginx.conf")
				write(t, p, "events {}\nhttp {\n    server {\n        location ~ ^(a|aa)+(b+)+$ { return 200; }\n    }\n}\n")
				return p
			},
			code: 1,
			want: `nginx\.conf:4:21: warning: the loop \(a\|aa\)\+`,
		},
		{
			// the variables model walked such lines in every order: ten
			// took over a minute
			name: "a variable set from itself 10,000 times",
			build: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "nginx.conf")
				write(t, p, "events {}\nhttp {\n    server_tokens off;\n    server {\n        listen 80;\n        location / {\n"+
					strings.Repeat("            set $v \"a$v\";\n", 10_000)+"            return 200 $v;\n        }\n    }\n}\n")
				return p
			},
			code: 0,
			want: `nginx\.conf:1:1: info: no worker_processes`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := tc.build(t, dir)
			type result struct {
				code     int
				out, err string
			}
			done := make(chan result, 1)
			start := time.Now()
			go func() {
				code, out, errOut := ngx(t, "", "lint", "--color", "never", path)
				done <- result{code, out, errOut}
			}()
			var r result
			select {
			case r = <-done:
			case <-time.After(hostileLimit()):
				t.Fatalf("still running after %v", hostileLimit())
			}
			t.Logf("%v", time.Since(start).Round(time.Millisecond))
			text := r.out + r.err
			if r.code != tc.code {
				t.Errorf("exit %d, want %d\n%.2000s", r.code, tc.code, text)
			}
			if !regexp.MustCompile(tc.want).MatchString(text) {
				t.Errorf("no line matches %q in:\n%.3000s", tc.want, text)
			}
			if strings.Contains(text, "panic") || strings.Contains(text, "goroutine ") {
				t.Errorf("a panic:\n%.3000s", text)
			}
		})
	}
}

// TestHostileInvalidUTF8StaysValidJSON: bytes that are not UTF-8 in a
// configuration must not break the machine formats.
func TestHostileInvalidUTF8StaysValidJSON(t *testing.T) {
	p := filepath.Join(t.TempDir(), "nginx.conf")
	if err := os.WriteFile(p, []byte("events {}\nhttp {\n    server { server_nam\xff\xfe x.ex\xc3ample; }\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"json", "sarif"} {
		code, out, errOut := ngx(t, "", "lint", "--format", format, p)
		if code != 1 || !json.Valid([]byte(out)) {
			t.Errorf("--format %s: exit %d, valid JSON %v\n%.1000s%s", format, code, json.Valid([]byte(out)), out, errOut)
		}
	}
}

// TestHostileUnreadableInclude: an include the linting user may not read
// is an error at the include, naming the cause (run as nobody when the
// tests run as root, who may read anything).
func TestHostileUnreadableInclude(t *testing.T) {
	if !asUnprivileged(t) {
		return
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "secret.conf"), []byte("server { listen 80; }\n"), 0o000); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(p, []byte("events {}\nhttp { include secret.conf; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := ngx(t, "", "lint", "--color", "never", p)
	if want := regexp.MustCompile(`nginx\.conf:2:16: error: cannot include \S*secret\.conf: permission denied`); code != 1 || !want.MatchString(out+errOut) {
		t.Errorf("exit %d, want 1 and %q:\n%s%s", code, want, out, errOut)
	}
}
