package nginx

import (
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

func TestParseAddress(t *testing.T) {
	for _, tc := range []struct {
		arg                  string // as written in `x ARG;`
		ok, unix, variable   bool
		scheme, host, hostIn string // hostIn: the source text under HostSpan
		addrIn               string // under AddrSpan; hostIn when empty
		port                 int
		hasPort              bool
	}{
		{arg: "localhost:3000", ok: true, host: "localhost", hostIn: "localhost", addrIn: "localhost:3000", port: 3000, hasPort: true},
		{arg: "LocalHost.", ok: true, host: "LocalHost.", hostIn: "LocalHost.", port: 80},
		{arg: "http://localhost:8080/api/", ok: true, scheme: "http", host: "localhost", hostIn: "localhost", addrIn: "localhost:8080", port: 8080, hasPort: true},
		{arg: "HTTPS://example.com", ok: true, scheme: "https", host: "example.com", hostIn: "example.com", port: 443},
		{arg: `"http://localhost:81"`, ok: true, scheme: "http", host: "localhost", hostIn: "localhost", addrIn: "localhost:81", port: 81, hasPort: true},
		{arg: "[::1]:3000", ok: true, host: "::1", hostIn: "[::1]", addrIn: "[::1]:3000", port: 3000, hasPort: true},
		{arg: "grpcs://[fe80::1]", ok: true, scheme: "grpcs", host: "fe80::1", hostIn: "[fe80::1]", port: 443},
		{arg: "http://localhost:3000/$uri", ok: true, variable: true, scheme: "http", host: "localhost", hostIn: "localhost", addrIn: "localhost:3000", port: 3000, hasPort: true},
		{arg: "$scheme://localhost", ok: true, variable: true, scheme: "$scheme", host: "localhost", hostIn: "localhost", port: 80},
		{arg: "unix:/run/app.sock", ok: true, unix: true},
		{arg: "http://unix:/tmp/app.sock:/", ok: true, unix: true, scheme: "http"},
		{arg: "[::1:3000", ok: false},
	} {
		cfg := Parse(source.NewFile("a.conf", "/a.conf", source.KindNginx, []byte("x "+tc.arg+";\n")))
		arg := cfg.Directives[0].Args[0]
		a, ok := ParseAddress(arg)
		if ok != tc.ok || a.Unix != tc.unix || a.Variable != tc.variable || a.Scheme != tc.scheme || a.Host != tc.host ||
			a.Port != tc.port || a.HasPort != tc.hasPort {
			t.Errorf("%s: got ok=%v %+v", tc.arg, ok, a)
			continue
		}
		if got := cfg.File.Text(a.HostSpan()); ok && !tc.unix && got != tc.hostIn {
			t.Errorf("%s: HostSpan covers %q, want %q", tc.arg, got, tc.hostIn)
		}
		if tc.addrIn == "" {
			tc.addrIn = tc.hostIn
		}
		if got := cfg.File.Text(a.AddrSpan()); ok && !tc.unix && got != tc.addrIn {
			t.Errorf("%s: AddrSpan covers %q, want %q", tc.arg, got, tc.addrIn)
		}
		if got := cfg.File.Text(a.PortSpan()); ok && !tc.unix && got != a.PortText {
			t.Errorf("%s: PortSpan covers %q, want %q", tc.arg, got, a.PortText)
		}
		if got := cfg.File.Text(a.SchemeSpan()); ok && !strings.EqualFold(got, a.Scheme) {
			t.Errorf("%s: SchemeSpan covers %q, want %q", tc.arg, got, a.Scheme)
		}
		// The text form reads the same address, without a span.
		b, okText := ParseAddressText(arg.Value)
		if okText != ok || b.Host != a.Host || b.Port != a.Port || b.Scheme != a.Scheme || !b.HostSpan().IsZero() {
			t.Errorf("%s: ParseAddressText = %v %+v", tc.arg, okText, b)
		}
	}
}

func TestInnerContextAndHasFlag(t *testing.T) {
	cfg := Parse(source.NewFile("a.conf", "/a.conf", source.KindNginx, []byte(
		"user nginx;\nhttp { upstream u { server 10.0.0.1:80 down; server down:80; } }\n")))
	var servers []*Directive
	Walk(cfg, func(d *Directive) bool {
		if d.Name == "server" {
			servers = append(servers, d)
		}
		return true
	})
	if len(servers) != 2 || cfg.Directives[0].InnerContext() != "" || servers[0].InnerContext() != "upstream" {
		t.Fatalf("servers %d, contexts %q %q", len(servers), cfg.Directives[0].InnerContext(), servers[0].InnerContext())
	}
	// Only arguments after the address are flags: a host named "down" is not.
	if !servers[0].HasFlag("down") || servers[1].HasFlag("down") || servers[0].HasFlag("backup") {
		t.Errorf("HasFlag: %v %v %v", servers[0].HasFlag("down"), servers[1].HasFlag("down"), servers[0].HasFlag("backup"))
	}
}

func TestURIStart(t *testing.T) {
	for v, want := range map[string]string{
		"http://127.0.0.1:8080":        "",
		"http://127.0.0.1:8080/":       "/",
		"http://backend/v1/":           "/v1/",
		"https://h?x=1":                "?x=1",
		"http://[::1]:8080/a":          "/a",
		"http://[::1]":                 "",
		"http://unix:/tmp/app.sock":    "",
		"http://unix:/tmp/app.sock:":   "",
		"http://unix:/tmp/app.sock:/x": "/x",
		"127.0.0.1:8080/x":             "",
	} {
		got := ""
		if i := URIStart(v); i >= 0 {
			got = v[i:]
		}
		if got != want {
			t.Errorf("URIStart(%q) gives %q, want %q", v, got, want)
		}
	}
}

// The scheme's span covers the scheme as written, whose lower case may
// be longer: a scheme that is not UTF-8 lowers to replacement characters
// (two bytes became six, and the span ran past the argument: a panic in
// every rule that reads passes, found by FuzzRules).
func TestSchemeSpanAsWritten(t *testing.T) {
	for _, arg := range []string{"\xec\xec://", "\xecHTTP://a:1", "HTTPS://b", "İ://c"} {
		src := "proxy_pass " + arg + ";\n"
		c := Parse(source.NewFile("x.conf", "/x.conf", source.KindNginx, []byte(src)))
		a, ok := ParseAddress(c.Directives[0].Args[0])
		if !ok {
			t.Fatalf("%q: not read", arg)
		}
		want, _, _ := strings.Cut(arg, "://")
		if got := src[a.SchemeSpan().Start.Offset:a.SchemeSpan().End.Offset]; got != want {
			t.Errorf("%q: scheme span covers %q, want %q", arg, got, want)
		}
	}
}
