package security

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

func lint(t *testing.T, files map[string]string, settings *analyzer.Settings) []analyzer.Finding {
	t.Helper()
	dir := sharedtest.Tree(t, files)
	ws, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	fs, errs := analyzer.RunWith(ws, []*analyzer.Rule{AddHeaderDropped}, All(), settings)
	for _, e := range errs {
		t.Error(e)
	}
	return fs
}

func related(f analyzer.Finding) string {
	var parts []string
	for _, r := range f.Related {
		parts = append(parts, fmt.Sprintf("%s:%d %s", r.Span.File, r.Span.Start.Line, r.Message))
	}
	return strings.Join(parts, "; ")
}

// The must-show case of issue 9: a snippet included from a server with
// add_header and from one without is checked at both sites and reported
// once, at the snippet, with the lost line and the including site beside
// it; the site that loses nothing is not named.
func TestSnippetReportedOnceWithItsSites(t *testing.T) {
	fs := lint(t, map[string]string{
		"nginx.conf": `events {}
http {
    server {
        add_header X-Frame-Options DENY;
        location / { include cors.conf; }
    }
    server {
        add_header Referrer-Policy no-referrer;
        location / { include cors.conf; }
    }
    server {
        location / { include cors.conf; }
    }
}
`,
		"cors.conf": "add_header Access-Control-Allow-Origin *;\n",
	}, nil)
	if len(fs) != 1 {
		t.Fatalf("%d findings, want 1: %v", len(fs), fs)
	}
	f := fs[0]
	if f.Span.File != "cors.conf" || f.Span.Start.Line != 1 || f.Severity != analyzer.Warning {
		t.Errorf("finding at %s (%s)", f.Span, f.Severity)
	}
	if !strings.Contains(f.Message, "X-Frame-Options (nginx.conf:4) and Referrer-Policy (nginx.conf:8)") ||
		!strings.HasSuffix(f.Message, "(when included at nginx.conf:5 and nginx.conf:9)") {
		t.Errorf("message %q", f.Message)
	}
	want := "nginx.conf:4 X-Frame-Options set here is not sent at the inner level; " +
		"nginx.conf:8 Referrer-Policy set here is not sent at the inner level; " +
		"nginx.conf:5 included here; nginx.conf:9 included here"
	if got := related(f); got != want {
		t.Errorf("related:\n%s\nwant:\n%s", got, want)
	}
}

// add_header_inherit merge keeps the outer lines from 1.29.3 on; for an
// older nginx the directive does not exist and the lines are lost.
func TestInheritSwitchFollowsTheVersion(t *testing.T) {
	files := map[string]string{"nginx.conf": `events {}
http {
    add_header Strict-Transport-Security "max-age=1";
    server {
        add_header_inherit merge;
        add_header Cache-Control no-store;
    }
}
`}
	for _, tc := range []struct {
		version string
		want    int
	}{{"1.29.3", 0}, {"", 0}, {"1.29.2", 1}, {"1.24.0", 1}} {
		fs := lint(t, files, &analyzer.Settings{NginxVersion: tc.version})
		if len(fs) != tc.want {
			t.Errorf("nginx %q: %d findings, want %d", tc.version, len(fs), tc.want)
			continue
		}
		// The finding says why the switch did not help.
		if tc.want > 0 && !strings.HasSuffix(fs[0].Message, "(add_header_inherit at nginx.conf:5 needs nginx 1.29.3 or later; the configuration is for "+tc.version+")") {
			t.Errorf("nginx %q: message %q", tc.version, fs[0].Message)
		}
	}
}

// Only the configured security headers make a warning.
func TestSecurityHeadersOption(t *testing.T) {
	files := map[string]string{"nginx.conf": `events {}
http {
    add_header X-Robots-Tag none;
    server {
        add_header Cache-Control no-store;
    }
}
`}
	for _, tc := range []struct {
		option any
		want   analyzer.Severity
	}{{nil, analyzer.Info}, {[]string{"x-robots-tag"}, analyzer.Warning}} {
		s := &analyzer.Settings{}
		if tc.option != nil {
			s.Options = map[string]map[string]any{AddHeaderDropped.Name: {"security-headers": tc.option}}
		}
		fs := lint(t, files, s)
		if len(fs) != 1 || fs[0].Severity != tc.want {
			t.Errorf("option %v: findings %v, want one at %s", tc.option, fs, tc.want)
		}
	}
}

// A long loss names six headers and counts the rest; the related
// locations still list every line.
func TestLongLossIsCounted(t *testing.T) {
	var b strings.Builder
	b.WriteString("events {}\nhttp {\n")
	for i := range 9 {
		fmt.Fprintf(&b, "    add_header X-H%d 1;\n", i)
	}
	b.WriteString("    server {\n        add_header Cache-Control no-store;\n    }\n}\n")
	fs := lint(t, map[string]string{"nginx.conf": b.String()}, nil)
	if len(fs) != 1 {
		t.Fatalf("%d findings", len(fs))
	}
	if !strings.Contains(fs[0].Message, "X-H0 (line 3), X-H1 (line 4), X-H2 (line 5), X-H3 (line 6), X-H4 (line 7), X-H5 (line 8) and 3 more from") {
		t.Errorf("message %q", fs[0].Message)
	}
	if len(fs[0].Related) != 9 {
		t.Errorf("%d related locations, want 9", len(fs[0].Related))
	}
}
