package rules_test

import (
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/rules/connectivity"
	"github.com/ngxlint/ngxlint/rules/internal/ruletest"
	"github.com/ngxlint/ngxlint/rules/validity"
)

// The rules that name a token point at exactly it: the variable's name,
// the quantifier, the zone's name, the port, the option, the address.
func TestExactSpans(t *testing.T) {
	wrap := func(body string) string {
		return "events {}\nhttp {\n" + body + "}\n"
	}
	for _, tc := range []struct {
		name, conf, span, want string
		rule                   *analyzer.Rule
	}{
		{"named capture after a longer name", wrap("    server {\n        location ~ ^/(?<urix>a)/(?P<uri>.*)$ { return 200; }\n    }\n"),
			"uri", "defines $uri", validity.BuiltinVariableAssigned},
		{"set variable", wrap("    server {\n        location / { set $scheme https; }\n    }\n"),
			"scheme", "defines $scheme", validity.BuiltinVariableAssigned},
		{"zone name", wrap("    limit_req_zone $binary_remote_addr zone=one:1m rate=1r/s;\n    limit_conn_zone $binary_remote_addr zone=one:1m;\n"),
			"one", "already declared for a different use", validity.ZoneDeclaredTwice},
		{"port on an upstream", wrap("    upstream app { server 10.0.0.1:80; }\n    server {\n        location / { proxy_pass http://app:8080/x; }\n    }\n"),
			"8080", "may not have port 8080", connectivity.PassPortOnUpstream},
		{"host without a port", wrap("    server {\n        location / { fastcgi_pass php; }\n    }\n"),
			"php", "no port in upstream", connectivity.PassWithoutPort},
		{"second socket option", wrap("    server { listen 80 backlog=10; }\n    server { listen 80 reuseport; }\n"),
			"reuseport", "duplicate listen options", connectivity.DuplicateListenOptions},
		{"wildcard name", wrap("    server { listen 80; server_name a.*.example; }\n    server { listen 80; }\n"),
			"a.*.example", "invalid server name or wildcard", connectivity.ServerNameRefused},
		{"IPv6-only listen", wrap("    server { listen [::]:80; }\n"),
			"[::]:80", "IPv6-only", connectivity.ListenIPv6Only},
		{"loop to itself", wrap("    server {\n        listen 8080;\n        location / { proxy_pass http://127.0.0.1:8080; }\n    }\n"),
			"127.0.0.1:8080", "sends the request back", connectivity.ProxyToSelf},
		{"verify without CA", wrap("    server {\n        location / {\n            proxy_pass https://10.0.0.1;\n            proxy_ssl_verify on;\n        }\n    }\n"),
			"https://10.0.0.1", "without proxy_ssl_trusted_certificate", validity.TLSVerifyWithoutCA},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ruletest.ByVersion(t, ruletest.Load(t, tc.conf), tc.rule, tc.span, []ruletest.Version{{Version: "", Want: tc.want}})
		})
	}
}

// A named capture's span is at its own name, not at the first group
// whose name starts the same way.
func TestNamedCaptureSpanIsItsGroup(t *testing.T) {
	conf := "events {}\nhttp {\n    server {\n        location ~ ^/(?<urix>a)/(?P<uri>.*)$ { return 200; }\n    }\n}\n"
	ws := ruletest.Load(t, conf)
	rs := []*analyzer.Rule{validity.BuiltinVariableAssigned}
	fs, errs := analyzer.RunWith(ws, rs, rs, nil)
	if len(errs) > 0 || len(fs) != 1 {
		t.Fatalf("findings %v, errors %v", fs, errs)
	}
	if want := strings.Index(conf, "(?P<uri>") + len("(?P<"); fs[0].Span.Start.Offset != want {
		t.Errorf("span starts at byte %d, want %d (the name in (?P<uri>)", fs[0].Span.Start.Offset, want)
	}
}
