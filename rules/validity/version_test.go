package validity_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/rules/validity"
)

// lint runs the validity rules on src with nginx version, and returns
// "line: rule: message" per finding.
func lint(t *testing.T, version, src string) []string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "nginx.conf")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ws, err := analyzer.Load([]string{p}, analyzer.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fs, errs := analyzer.RunWith(ws, validity.All(), validity.All(), &analyzer.Settings{NginxVersion: version})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var out []string
	for _, f := range fs {
		out = append(out, f.Span.String()[len(p)+1:]+" "+f.Severity.String()+" "+f.Rule.Name+": "+f.Message)
	}
	return out
}

func expect(t *testing.T, got []string, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d findings, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i, w := range want {
		if !strings.Contains(got[i], w) {
			t.Errorf("finding %d: %q does not contain %q", i, got[i], w)
		}
	}
}

const versioned = `events {}
http {
    upstream u { server 127.0.0.1:1; keepalive 8 local; }
    server {
        listen 443 ssl http2;
        ssl on;
        http2 on;
        http2_push_preload on;
    }
}
`

func TestVersionedOn1_22(t *testing.T) {
	expect(t, lint(t, "1.22.1", versioned),
		"3:38 error invalid-argument-count: invalid number of arguments in \"keepalive\": 2 given, it takes exactly 1",
		"6:9 warning deprecated-directive: the \"ssl\" directive is deprecated since nginx 1.15.0",
		"7:9 error unknown-directive: directive \"http2\" was added in nginx 1.25.1: nginx 1.22.1 does not have it")
}

func TestVersionedOnLatest(t *testing.T) {
	expect(t, lint(t, "1.30", versioned),
		"5:24 warning deprecated-directive: \"listen ... http2\" is deprecated since nginx 1.25.1",
		"6:9 error deprecated-directive: the \"ssl\" directive was removed in nginx 1.25.1",
		"8:9 warning deprecated-directive: \"http2_push_preload\" is obsolete since nginx 1.25.1")
}

func TestDeclaredThirdPartyDirective(t *testing.T) {
	src := "events {}\nhttp {\n    vhost_traffic_status_zone;\n    made_up_thing on;\n}\n"
	ws := lint(t, "1.22.1", src)
	expect(t, ws, "3:5 info unknown-directive", "4:5 error unknown-directive: unknown directive \"made_up_thing\"")
	p := filepath.Join(t.TempDir(), "nginx.conf")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := analyzer.Load([]string{p}, analyzer.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fs, _ := analyzer.RunWith(w, validity.All(), validity.All(), &analyzer.Settings{Directives: []string{"vhost_traffic_status_zone", "made_up_thing"}})
	if len(fs) != 0 {
		t.Errorf("declared directives still reported: %v", fs[0].Message)
	}
}

// A file that an absolute include found on this machine, while the
// configuration was named relative to the linted tree, is the host's, not
// the repository's: it is not judged.
func TestHostFileNotJudged(t *testing.T) {
	host := filepath.Join(t.TempDir(), "modules.conf")
	if err := os.WriteFile(host, []byte("load_module modules/x.so;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	main := filepath.Join(t.TempDir(), "nginx.conf")
	src := "events {}\nhttp {\n    include " + host + ";\n}\n"
	if err := os.WriteFile(main, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cwd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(cwd, main)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		want int
	}{{main, 1}, {rel, 0}} {
		ws, err := analyzer.Load([]string{c.path}, analyzer.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		fs, _ := analyzer.RunWith(ws, []*analyzer.Rule{validity.DirectiveNotAllowedHere}, validity.All(), nil)
		if len(fs) != c.want {
			t.Errorf("lint %s: %d findings, want %d: %v", c.path, len(fs), c.want, fs)
		}
	}
}
