package connectivity_test

import (
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/rules/connectivity"
	"github.com/ngxlint/ngxlint/rules/internal/ruletest"
)

// Before nginx 1.29.7 the proxy defaults to HTTP/1.0 and Connection: close,
// so a location that sets neither never reuses the pool; from 1.29.7 on it
// does.
func TestKeepaliveUnusedByVersion(t *testing.T) {
	conf := "events {}\nhttp {\n    upstream app {\n        server 10.0.0.1:8080;\n        keepalive 16;\n    }\n" +
		"    server {\n        location / { proxy_pass http://app; }\n" +
		"        location /v/ {\n            proxy_http_version 1.1;\n            proxy_pass http://app;\n        }\n    }\n}\n"
	ws := ruletest.Load(t, conf)
	rule := []*analyzer.Rule{connectivity.KeepaliveUnused}
	for _, tc := range []struct {
		version string
		want    []string // messages, in order
	}{
		{"1.22.1", []string{"speaks HTTP/1.0 to it (proxy_http_version is not set", "sends \"Connection: close\" (no proxy_set_header"}},
		{"1.29.6", []string{"nginx 1.29.6 defaults to 1.0", "nginx 1.29.6 sends close by default"}},
		{"1.29.7", nil},
		{"", nil},
	} {
		fs, errs := analyzer.RunWith(ws, rule, rule, &analyzer.Settings{NginxVersion: tc.version})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if len(fs) != len(tc.want) {
			t.Errorf("%q: got %d findings, want %d: %v", tc.version, len(fs), len(tc.want), fs)
			continue
		}
		for i, f := range fs {
			if !strings.Contains(f.Message, tc.want[i]) {
				t.Errorf("%q: finding %d: %s, want %q", tc.version, i, f.Message, tc.want[i])
			}
			if got := ws.File("nginx.conf").Text(f.Span); got != "location" {
				t.Errorf("%q: span covers %q, want the location's name", tc.version, got)
			}
		}
	}
}
