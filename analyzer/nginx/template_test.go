package nginx

import (
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// emergRE is nginx -t's error: "nginx: [emerg] MESSAGE in FILE:LINE".
var emergRE = regexp.MustCompile(`\[emerg\] (.*) in (\S+):(\d+)`)

// TestPlaceholderMessagesAgreeWithNginx checks, against the real nginx,
// that the error for an unrendered template placeholder starts with what
// nginx says, on the line nginx names.
func TestPlaceholderMessagesAgreeWithNginx(t *testing.T) {
	bin := sharedtest.Tool(t, "nginx")
	dir := t.TempDir()
	for _, body := range []string{
		"listen {LISTEN_PORT};",
		"listen {LISTEN_PORT} default_server;",
		"server_name {{ domain }};",
		"server_name {$NAME}.example.com;",
		"root /var/www/{VAR}/html;",
		"{{ extra_config }}",
		"{VAR};",
		"{% if ssl %}",
		"location /{{ path }}/ { return 200; }",
		"location /{P}/ { return 200; }",
		"location /{% p %}/ { return 200; }",
	} {
		src := "pid " + filepath.Join(dir, "nginx.pid") + ";\nerror_log " + filepath.Join(dir, "error.log") + ";\n" +
			"events {}\nhttp {\n    server {\n        " + body + "\n    }\n}\n"
		conf := filepath.Join(dir, "nginx.conf")
		if err := os.WriteFile(conf, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "-t", "-c", conf, "-e", filepath.Join(dir, "error.log")).CombinedOutput()
		m := emergRE.FindStringSubmatch(string(out))
		if err == nil || m == nil {
			t.Errorf("%s: nginx accepted it or said something else: %v\n%s", body, err, out)
			continue
		}
		line, _ := strconv.Atoi(m[3])
		c := parseString(src)
		if len(c.Diagnostics) == 0 {
			t.Errorf("%s: no diagnostic; nginx says %q at line %d", body, m[1], line)
			continue
		}
		d := c.Diagnostics[0]
		if int(d.Span.Start.Line) != line || !strings.HasPrefix(d.Message, m[1]+" (") || !strings.Contains(d.Message, "template placeholder") {
			t.Errorf("%s:\n  ours  %d: %s\n  nginx %d: %s", body, d.Span.Start.Line, d.Message, line, m[1])
		}
	}
}

// naivePlaceholderEnd is placeholders.end without the memory of failed
// searches: each closer is looked for from the '{' to the end of its line.
func naivePlaceholderEnd(src []byte, at int) int {
	if at+1 >= len(src) || src[at] != '{' {
		return 0
	}
	closeOnLine := func(from int, closer string) int {
		for i := from; i+len(closer) <= len(src) && src[i] != '\n'; i++ {
			if string(src[i:i+len(closer)]) == closer {
				return i + len(closer)
			}
		}
		return 0
	}
	switch src[at+1] {
	case '{':
		return closeOnLine(at+2, "}}")
	case '%':
		return closeOnLine(at+2, "%}")
	}
	return newPlaceholders(src).end(at) // {NAME}: no search to remember
}

// One placeholders answers as a search from each '{' does, asked in the
// parser's order (ascending) or any other, on random lines of braces,
// percent signs, words and line breaks.
func TestPlaceholdersAsSearchingEachTime(t *testing.T) {
	r := rand.New(rand.NewSource(9))
	found := 0
	for round := range 6000 {
		var b strings.Builder
		for range 1 + r.Intn(40) {
			b.WriteString([]string{"{", "{", "}", "%", "a", " ", "\n", "$"}[r.Intn(8)])
		}
		src := []byte(b.String())
		ph := newPlaceholders(src)
		order := r.Perm(len(src))
		if round%2 == 0 {
			slices.Sort(order)
		}
		for _, at := range order {
			want := naivePlaceholderEnd(src, at)
			if got := ph.end(at); got != want {
				t.Fatalf("%q at %d: %d, searching afresh gives %d", src, at, got, want)
			}
			if want > 0 {
				found++
			}
		}
	}
	if found < 1000 {
		t.Fatalf("only %d placeholders found", found)
	}
}

// A line of n '{' costs a reading of the line, not one per '{' (a line of
// 60,000 took a second to parse, read 1.8 billion times).
func TestPlaceholdersReadALineOnce(t *testing.T) {
	for _, line := range []string{strings.Repeat("{", 60_000), strings.Repeat("{%", 30_000), "x " + strings.Repeat("{ {", 20_000)} {
		ph := newPlaceholders([]byte(line))
		for at := range len(line) {
			if ph.end(at) != 0 {
				t.Fatalf("a placeholder at %d", at)
			}
		}
		if ph.read > 2*len(line) {
			t.Errorf("%.10q...: %d bytes compared for a line of %d", line, ph.read, len(line))
		}
	}
}
