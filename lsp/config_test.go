package lsp

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// openWithProjectConfig opens the bundled example in a workspace whose
// .ngxlint.yml holds yml, and returns the first diagnostics and the client.
func openWithProjectConfig(t *testing.T, yml string, init any) (*client, published) {
	t.Helper()
	text := readExample(t)
	dir := sharedtest.Tree(t, map[string]string{"nginx.conf": text, ".ngxlint.yml": yml})
	u := pathToURI(filepath.Join(dir, "nginx.conf"))
	c := newClient(t, Options{}, nil)
	c.initialize(dir, init)
	from := 0
	c.open(u, "nginx", text)
	return c, c.diags(&from, u, 1)
}

// The editor honours the project's .ngxlint.yml as `ngxlint lint` does.
func TestProjectConfigSelectsRulesAndSeverities(t *testing.T) {
	_, p := openWithProjectConfig(t, "disable: [upstream-localhost]\n", nil)
	if got := byCode(p.Diagnostics, "upstream-localhost"); len(got) != 0 {
		t.Errorf("disabled in .ngxlint.yml, still published: %+v", got)
	}
	_, p = openWithProjectConfig(t, "severity:\n  upstream-localhost: error\n", nil)
	if got := byCode(p.Diagnostics, "upstream-localhost"); len(got) != 1 || got[0].Severity != 1 {
		t.Errorf("severity override: %+v", got)
	}
	// The editor's own choice goes on top of the file, as flags do.
	_, p = openWithProjectConfig(t, "disable: [upstream-localhost]\n", map[string]any{"enable": []string{"upstream-localhost"}})
	if got := byCode(p.Diagnostics, "upstream-localhost"); len(got) != 1 {
		t.Errorf("initializationOptions enable over the file's disable: %+v", got)
	}
	_, p = openWithProjectConfig(t, "ignore:\n  - nginx.conf\n", nil)
	if len(p.Diagnostics) != 0 {
		t.Errorf("ignored path, still published: %+v", p.Diagnostics)
	}
}

// A .ngxlint.yml that does not parse is reported at its line and column,
// and the defaults apply meanwhile.
func TestBrokenProjectConfigIsReported(t *testing.T) {
	c, p := openWithProjectConfig(t, "disable: [no-such-rule]\n", nil)
	if got := byCode(p.Diagnostics, "upstream-localhost"); len(got) != 1 {
		t.Errorf("defaults not applied: %+v", p.Diagnostics)
	}
	from := 0
	n := c.waitNote(&from, func(n note) bool {
		return n.method == "window/logMessage" && strings.Contains(string(n.params), "no-such-rule")
	})
	if !strings.Contains(string(n.params), ".ngxlint.yml:1:") {
		t.Errorf("log message without file:line:col: %s", n.params)
	}
}

// A finding live mode refuted stays at information in the editor, even
// when .ngxlint.yml raises the rule's severity: live mode decides it, after
// the policy (analyzer.Pipeline).
func TestRefutedLiveFindingStaysInformation(t *testing.T) {
	live := func(_ context.Context, _ *analyzer.Workspace, fs []analyzer.Finding, _ []*analyzer.Rule) ([]analyzer.Finding, error) {
		for i := range fs {
			fs[i].Severity = analyzer.Info
			fs[i].Live = &analyzer.Live{Status: "refuted", Summary: "one address here"}
		}
		return fs, nil
	}
	text := readExample(t)
	dir := sharedtest.Tree(t, map[string]string{"nginx.conf": text, ".ngxlint.yml": "severity:\n  upstream-localhost: error\n"})
	u := pathToURI(filepath.Join(dir, "nginx.conf"))
	for _, on := range []bool{false, true} {
		c := newClient(t, Options{Live: live}, nil)
		c.initialize(dir, map[string]any{"live": on})
		from := 0
		c.open(u, "nginx", text)
		got := byCode(c.diags(&from, u, 1).Diagnostics, "upstream-localhost")
		want := 1 // error, from .ngxlint.yml
		if on {
			want = 3 // information
		}
		if len(got) != 1 || int(got[0].Severity) != want {
			t.Errorf("live %v: %+v, want severity %d", on, got, want)
		}
	}
}

// nginx.root in .ngxlint.yml decides where the editor resolves absolute
// includes, as --root does for `ngxlint lint`.
func TestProjectConfigRoot(t *testing.T) {
	const text = "events {}\nhttp {\n    include /etc/nginx/conf.d/app.conf;\n}\n"
	for _, tt := range []struct {
		root string
		want int // include-not-found diagnostics
	}{
		{"image", 0}, // image/etc/nginx/conf.d/app.conf is there
		{"empty", 1}, // nothing under empty/: a warning
	} {
		dir := sharedtest.Tree(t, map[string]string{
			"nginx.conf":                      text,
			".ngxlint.yml":                    "nginx:\n  root: " + tt.root + "\n",
			"image/etc/nginx/conf.d/app.conf": "server { listen 8080; }\n",
			"empty/.keep":                     "",
		})
		u := pathToURI(filepath.Join(dir, "nginx.conf"))
		c := newClient(t, Options{}, nil)
		c.initialize(dir, nil)
		from := 0
		c.open(u, "nginx", text)
		p := c.diags(&from, u, 1)
		got := byCode(p.Diagnostics, "include-not-found")
		if len(got) != tt.want {
			t.Errorf("root %s: include-not-found %+v, want %d", tt.root, got, tt.want)
		}
		if tt.want == 1 && (len(got) != 1 || got[0].Severity != 2 || !strings.Contains(got[0].Message, "under the root")) {
			t.Errorf("root %s: want a warning naming the root, got %+v", tt.root, got)
		}
	}
}
