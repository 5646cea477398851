// Package ruletest holds what the rule families' Go tests share: loading
// a one-file configuration, and running a rule against several
// configured nginx versions.
package ruletest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
)

// Load writes conf as nginx.conf in a fresh folder and loads it.
func Load(t testing.TB, conf string) *analyzer.Workspace {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	ws, err := analyzer.Load([]string{path}, analyzer.LoadOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// Version is one configured nginx version and what rule must say for it:
// one finding whose message contains Want, or none when Want is "".
type Version struct {
	Version, Want string
}

// ByVersion runs rule on ws (loaded by Load) once per case, and wants
// each finding's span to cover exactly spanText in nginx.conf.
func ByVersion(t *testing.T, ws *analyzer.Workspace, rule *analyzer.Rule, spanText string, cases []Version) {
	t.Helper()
	rules := []*analyzer.Rule{rule}
	for _, tc := range cases {
		fs, errs := analyzer.RunWith(ws, rules, rules, &analyzer.Settings{NginxVersion: tc.Version})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		switch {
		case tc.Want == "" && len(fs) != 0:
			t.Errorf("%q: unexpected %s", tc.Version, fs[0].Message)
		case tc.Want != "" && (len(fs) != 1 || !strings.Contains(fs[0].Message, tc.Want)):
			t.Errorf("%q: got %v, want one finding containing %q", tc.Version, fs, tc.Want)
		case tc.Want != "" && ws.File("nginx.conf").Text(fs[0].Span) != spanText:
			t.Errorf("%q: span covers %q, want %q", tc.Version, ws.File("nginx.conf").Text(fs[0].Span), spanText)
		}
	}
}
