package validity_test

import (
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/rules/internal/ruletest"
	"github.com/ngxlint/ngxlint/rules/validity"
)

// A keyword added in a later release is invalid for an older configured
// version (nginx 1.22 -t: invalid value "2").
func TestInvalidArgumentValueByVersion(t *testing.T) {
	ws := ruletest.Load(t, "events {}\nhttp {\n    proxy_http_version 2;\n}\n")
	ruletest.ByVersion(t, ws, validity.InvalidArgumentValue, "2", []ruletest.Version{
		{Version: "1.22.1", Want: `proxy_http_version 2 needs nginx 1.29.4 or later and the configuration is for nginx 1.22.1`},
		{Version: "1.29.4", Want: ""},
		{Version: "", Want: ""},
	})
}

// Words added after their directive, checked against the version.
func TestInvalidArgumentValueWordsByVersion(t *testing.T) {
	rule := []*analyzer.Rule{validity.InvalidArgumentValue}
	for _, tc := range []struct{ line, version, want string }{
		{"ssl_protocols TLSv1.2 TLSv1.3;", "1.12.2", "ssl_protocols TLSv1.3 needs nginx 1.13.0 or later"},
		{"ssl_protocols TLSv1.2 TLSv1.3;", "1.13.0", ""},
		{"proxy_next_upstream error http_429;", "1.10.3", "proxy_next_upstream http_429 needs nginx 1.11.13 or later"},
		{"proxy_next_upstream error http_429;", "1.22.1", ""},
		{"server_tokens build;", "1.10.3", "server_tokens build needs nginx 1.11.10 or later"},
	} {
		ws := ruletest.Load(t, "events {}\nhttp {\n    "+tc.line+"\n}\n")
		fs, errs := analyzer.RunWith(ws, rule, rule, &analyzer.Settings{NginxVersion: tc.version})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		switch {
		case tc.want == "" && len(fs) != 0:
			t.Errorf("%s on %s: unexpected %s", tc.line, tc.version, fs[0].Message)
		case tc.want != "" && (len(fs) != 1 || !strings.Contains(fs[0].Message, tc.want)):
			t.Errorf("%s on %s: got %v, want %q", tc.line, tc.version, fs, tc.want)
		}
	}
}
