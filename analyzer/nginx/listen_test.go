package nginx

import (
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

func TestListenOf(t *testing.T) {
	cases := []struct {
		src                  string
		ok                   bool
		host, port, hostText string
		portNum              int
		check                func(Listen) bool
	}{
		{src: "listen 8080;", ok: true, port: "8080", portNum: 8080},
		{src: "listen 127.0.0.1;", ok: true, host: "127.0.0.1", hostText: "127.0.0.1", portNum: 80},
		{src: "listen *:443 ssl default;", ok: true, port: "443", portNum: 443,
			check: func(l Listen) bool { return l.SSL && l.DefaultServer && l.Param("default_server").Value == "default" }},
		{src: "listen [::]:443 quic reuseport ipv6only=off;", ok: true, host: "::", hostText: "[::]", port: "443", portNum: 443,
			check: func(l Listen) bool { return l.IPv6 && l.QUIC && l.ReusePort && l.IPv6Only == "off" }},
		{src: "listen [::1];", ok: true, host: "::1", hostText: "[::1]", portNum: 80, check: func(l Listen) bool { return l.IPv6 }},
		{src: "listen localhost:8000 http2 proxy_protocol backlog=511;", ok: true, host: "localhost", hostText: "localhost", port: "8000", portNum: 8000,
			check: func(l Listen) bool { return l.HTTP2 && l.ProxyProtocol && l.Param("backlog").Value == "backlog=511" }},
		{src: "listen 443 ssl default_server backlog=1 default backlog=2;", ok: true, port: "443", portNum: 443,
			check: func(l Listen) bool {
				return l.Param("default_server").Span().Start.Col == 16 && l.Param("backlog").Value == "backlog=1" &&
					l.Param("ssl").Value == "ssl" && l.Param("http2") == nil && l.Param("443") == nil
			}},
		{src: "listen unix:/run/app.sock;", ok: true, check: func(l Listen) bool { return l.Unix && l.Path == "/run/app.sock" }},
		{src: `listen "10.0.0.1:53" udp;`, ok: true, host: "10.0.0.1", hostText: "10.0.0.1", port: "53", portNum: 53,
			check: func(l Listen) bool { return l.UDP }},
		{src: "listen [::1;", ok: false},
		{src: "listen 10.0.0.1:http;", ok: false},
		{src: "listen 70000;", ok: false},
		{src: "listen unix:;", ok: false},
	}
	for _, c := range cases {
		cfg := Parse(source.NewFile("x.conf", "/x.conf", 0, []byte(c.src)))
		d := cfg.Directives[0]
		l, ok := ListenOf(d)
		if ok != c.ok {
			t.Errorf("%s: ok %v, want %v", c.src, ok, c.ok)
			continue
		}
		if !ok {
			continue
		}
		src := c.src
		if l.Host != c.host || l.PortText != c.port || l.Port != c.portNum {
			t.Errorf("%s: host %q port %q (%d)", src, l.Host, l.PortText, l.Port)
		}
		if got := text(src, l.HostSpan()); c.hostText != "" && got != c.hostText {
			t.Errorf("%s: host span covers %q, want %q", src, got, c.hostText)
		}
		if got := text(src, l.PortSpan()); c.port != "" && got != c.port {
			t.Errorf("%s: port span covers %q, want %q", src, got, c.port)
		}
		if c.check != nil && !c.check(l) {
			t.Errorf("%s: parameters %+v", src, l)
		}
	}
}

func text(src string, s source.Span) string {
	if s.IsZero() {
		return ""
	}
	return src[s.Start.Offset:s.End.Offset]
}

func TestLocationOf(t *testing.T) {
	cases := []struct{ src, mod, pattern string }{
		{"location / {}", "", "/"},
		{"location = /x {}", "=", "/x"},
		{"location ~* \\.php$ {}", "~*", "\\.php$"},
		{"location ^~ /static/ {}", "^~", "/static/"},
		{"location ~^/api {}", "~", "^/api"},
		{"location =/ {}", "=", "/"},
		{"location @fallback {}", "@", "fallback"},
	}
	for _, c := range cases {
		cfg := Parse(source.NewFile("x.conf", "/x.conf", 0, []byte(c.src)))
		l, ok := LocationOf(cfg.Directives[0])
		if !ok || l.Modifier != c.mod || l.Pattern != c.pattern || l.Regex != (c.mod == "~" || c.mod == "~*") {
			t.Errorf("%s: %v %q %q regex=%v", c.src, ok, l.Modifier, l.Pattern, l.Regex)
		}
	}
}

// TestListenSocket checks the socket key the listen rules group servers
// by: the address nginx binds, written one way whatever the spelling.
func TestListenSocket(t *testing.T) {
	for src, want := range map[string]string{
		"listen 8080;":                   "0.0.0.0:8080",
		"listen *:443 ssl;":              "0.0.0.0:443",
		"listen 127.0.0.1;":              "127.0.0.1:80",
		"listen [::]:443 quic;":          "[::]:443 (quic)",
		"listen [::ffff:10.0.0.1]:8443;": "10.0.0.1:8443",
		"listen [2001:DB8::1]:80;":       "[2001:db8::1]:80",
		"listen unix:/run/app.sock;":     "unix:/run/app.sock",
		"listen localhost:8000;":         "", // a name: no single socket
	} {
		l, ok := ListenOf(Parse(source.NewFile("x.conf", "/x.conf", 0, []byte(src))).Directives[0])
		if !ok {
			t.Fatalf("%s: not read", src)
		}
		got, ok := l.Socket()
		if ok != (want != "") || got != want {
			t.Errorf("%s: socket %q, %v; want %q", src, got, ok, want)
		}
	}
}
