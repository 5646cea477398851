package connectivity_test

import (
	"testing"

	"github.com/ngxlint/ngxlint/rules/connectivity"
	"github.com/ngxlint/ngxlint/rules/internal/ruletest"
)

// The resolve parameter depends on the configured nginx version: an older
// one refuses it outright, a newer or unknown one checks zone and resolver.
func TestUpstreamResolveByVersion(t *testing.T) {
	conf := "events {}\nhttp {\n    resolver 10.0.0.2;\n    upstream app {\n        zone app 64k;\n        server app.internal resolve;\n    }\n" +
		"    server { location / { proxy_pass http://app; } }\n}\n"
	ws := ruletest.Load(t, conf)
	ruletest.ByVersion(t, ws, connectivity.UpstreamResolve, "resolve", []ruletest.Version{
		{Version: "1.26.2", Want: `targets 1.26.2: nginx refuses to start with "invalid parameter \"resolve\""`},
		{Version: "1.27.2", Want: "targets 1.27.2"},
		{Version: "1.27.3", Want: ""},
		{Version: "1.29.0", Want: ""},
		{Version: "", Want: ""},
	})
}
