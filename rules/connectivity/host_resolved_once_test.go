package connectivity_test

import (
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/rules/connectivity"
	"github.com/ngxlint/ngxlint/rules/internal/ruletest"
)

// The advice follows the configured release: the upstream resolve
// parameter exists from 1.27.3 on; before, only a variable re-resolves.
func TestHostResolvedOnceAdvice(t *testing.T) {
	conf := "events {}\nhttp {\n    upstream app {\n        server app.internal:8080;\n    }\n" +
		"    server { location / { proxy_pass http://app; } }\n}\n"
	ws := ruletest.Load(t, conf)
	rule := []*analyzer.Rule{connectivity.HostResolvedOnce}
	for _, tc := range []struct{ version, want, not string }{
		{"1.26.3", "the upstream resolve parameter needs nginx 1.27.3", "add the resolve parameter"},
		{"1.27.3", "add the resolve parameter", "needs nginx 1.27.3"},
		{"", "add the resolve parameter", "needs nginx 1.27.3"},
	} {
		fs, errs := analyzer.RunWith(ws, rule, rule, &analyzer.Settings{NginxVersion: tc.version})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if len(fs) != 1 {
			t.Fatalf("%q: got %d findings", tc.version, len(fs))
		}
		if m := fs[0].Message; !strings.Contains(m, tc.want) || strings.Contains(m, tc.not) {
			t.Errorf("%q: %s", tc.version, m)
		}
		if got := ws.File("nginx.conf").Text(fs[0].Span); got != "app.internal" {
			t.Errorf("%q: span covers %q", tc.version, got)
		}
	}
}
