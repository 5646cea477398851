package connectivity_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/rules/connectivity"
)

// The resolve parameter depends on the configured nginx version: an older
// one refuses it outright, a newer or unknown one checks zone and resolver.
func TestUpstreamResolveByVersion(t *testing.T) {
	dir := t.TempDir()
	conf := "events {}\nhttp {\n    resolver 10.0.0.2;\n    upstream app {\n        zone app 64k;\n        server app.internal resolve;\n    }\n" +
		"    server { location / { proxy_pass http://app; } }\n}\n"
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	ws, err := analyzer.Load([]string{path}, analyzer.LoadOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	rule := []*analyzer.Rule{connectivity.UpstreamResolve}
	for _, tc := range []struct {
		version string
		want    string
	}{
		{"1.26.2", `targets 1.26.2: nginx refuses to start with "invalid parameter \"resolve\""`},
		{"1.27.2", "targets 1.27.2"},
		{"1.27.3", ""},
		{"1.29.0", ""},
		{"", ""},
	} {
		fs, errs := analyzer.RunWith(ws, rule, rule, &analyzer.Settings{NginxVersion: tc.version})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		switch {
		case tc.want == "" && len(fs) != 0:
			t.Errorf("%q: unexpected %s", tc.version, fs[0].Message)
		case tc.want != "" && (len(fs) != 1 || !strings.Contains(fs[0].Message, tc.want)):
			t.Errorf("%q: got %v, want one finding containing %q", tc.version, fs, tc.want)
		case tc.want != "" && ws.File("nginx.conf").Text(fs[0].Span) != "resolve":
			t.Errorf("%q: span covers %q", tc.version, ws.File("nginx.conf").Text(fs[0].Span))
		}
	}
}
