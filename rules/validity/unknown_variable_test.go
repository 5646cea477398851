package validity_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/rules/validity"
)

// load writes conf as nginx.conf in a temporary folder and loads it.
func load(t *testing.T, conf string) *analyzer.Workspace {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	ws, err := analyzer.Load([]string{filepath.Join(dir, "nginx.conf")}, analyzer.LoadOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// A built-in variable exists from the release that added it: older
// configured versions are told which release has it.
func TestUnknownVariableByVersion(t *testing.T) {
	ws := load(t, "events {}\nhttp {\n    server {\n        add_header X-Request-Id $request_id;\n    }\n}\n")
	rule := []*analyzer.Rule{validity.UnknownVariable}
	for _, tc := range []struct{ version, want string }{
		{"1.10.3", `$request_id needs nginx 1.11.0 or later (module ngx_http_core_module) and the configuration is for nginx 1.10.3`},
		{"1.11.0", ""},
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
		case tc.want != "" && ws.File("nginx.conf").Text(fs[0].Span) != "$request_id":
			t.Errorf("%q: span covers %q", tc.version, ws.File("nginx.conf").Text(fs[0].Span))
		}
	}
}

// A build with declared third-party modules may define variables the
// table lacks: an unknown one is info, not an error.
func TestUnknownVariableThirdPartyBuild(t *testing.T) {
	ws := load(t, "events {}\nhttp {\n    server {\n        add_header X-Country $ip2location_country_short;\n    }\n}\n")
	rule := []*analyzer.Rule{validity.UnknownVariable}
	for _, tc := range []struct {
		directives []string
		want       analyzer.Severity
	}{{nil, analyzer.Error}, {[]string{"ip2location_database"}, analyzer.Info}} {
		fs, errs := analyzer.RunWith(ws, rule, rule, &analyzer.Settings{Directives: tc.directives})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if len(fs) != 1 || fs[0].Severity != tc.want {
			t.Errorf("directives %v: got %v, want one finding at %s", tc.directives, fs, tc.want)
		}
	}
}
