package security

import (
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// lintOne runs one rule of the family on a one-file configuration.
func lintOne(t *testing.T, rule *analyzer.Rule, conf string) []analyzer.Finding {
	t.Helper()
	dir := sharedtest.Tree(t, map[string]string{"nginx.conf": conf})
	ws, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	fs, errs := analyzer.RunWith(ws, []*analyzer.Rule{rule}, All(), nil)
	for _, e := range errs {
		t.Error(e)
	}
	return fs
}

// The findings point at the offending text itself: the variable inside
// the argument, the dot inside the pattern, the character where a regex
// stops parsing. Columns are 1-based; the end is exclusive.
func TestExactSpans(t *testing.T) {
	wrap := func(loc string) string {
		return "events {}\nhttp {\n    server {\n        listen 80;\n" + loc + "    }\n}\n"
	}
	cases := []struct {
		name          string
		rule          *analyzer.Rule
		conf          string
		line, col, to int32
	}{
		{"ssrf variable", SSRF, wrap("        location / { proxy_pass http://$arg_host/x; }\n"), 5, 40, 49},
		{"splitting variable", HTTPSplitting, wrap("        location / { return 301 https://a.test$uri; }\n"), 5, 47, 51},
		{"origin dot", OriginRegex, wrap("        if ($http_origin ~ ^https://www.example\\.com$) { set $a 1; }\n"), 5, 40, 41},
		{"unparsed map key", RegexUnparsed, "events {}\nhttp {\n    map $uri $m {\n        \"~^/a/(?z)\" 1;\n    }\n}\n", 4, 17, 18},
		{"redos loop", RegexReDoS, wrap("        location ~ ^/x(a+)+$ { return 404; }\n"), 5, 23, 28},
		{"alias prefix", AliasTraversal, wrap("        location /static { alias /srv/static/; }\n"), 5, 18, 25},
		{"host spoofing variable", HostSpoofing, wrap("        location / { proxy_set_header Host $http_host; proxy_pass http://a; }\n"), 5, 44, 54},
		{"missing capture", CaptureMissing, wrap("        location ~ ^/a$ { return 301 /b/$1; }\n"), 5, 41, 43},
		{"weak curve in the list", SSLECDHCurve, wrap("        ssl_ecdh_curve X25519:secp192r1;\n"), 5, 31, 40},
		{"public resolver host, not its port", ResolverExternal, wrap("        resolver 127.0.0.1 1.1.1.1:53;\n"), 5, 28, 35},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := lintOne(t, c.rule, c.conf)
			if len(fs) != 1 {
				t.Fatalf("want one finding, got %d: %v", len(fs), fs)
			}
			sp := fs[0].Span
			if sp.Start.Line != c.line || sp.Start.Col != c.col || sp.End.Col != c.to {
				t.Errorf("span %d:%d-%d, want %d:%d-%d (%s)", sp.Start.Line, sp.Start.Col, sp.End.Col,
					c.line, c.col, c.to, fs[0].Message)
			}
		})
	}
}
