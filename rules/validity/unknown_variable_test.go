package validity_test

import (
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/rules/internal/ruletest"
	"github.com/ngxlint/ngxlint/rules/validity"
)

// A built-in variable exists from the release that added it: older
// configured versions are told which release has it.
func TestUnknownVariableByVersion(t *testing.T) {
	ws := ruletest.Load(t, "events {}\nhttp {\n    server {\n        add_header X-Request-Id $request_id;\n    }\n}\n")
	ruletest.ByVersion(t, ws, validity.UnknownVariable, "$request_id", []ruletest.Version{
		{Version: "1.10.3", Want: `$request_id needs nginx 1.11.0 or later (module ngx_http_core_module) and the configuration is for nginx 1.10.3`},
		{Version: "1.11.0", Want: ""},
		{Version: "", Want: ""},
	})
}

// A build with declared third-party modules may define variables the
// table lacks: an unknown one is info, not an error.
func TestUnknownVariableThirdPartyBuild(t *testing.T) {
	ws := ruletest.Load(t, "events {}\nhttp {\n    server {\n        add_header X-Country $ip2location_country_short;\n    }\n}\n")
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
