package errorlog_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/errorlog"
	"github.com/ngxlint/ngxlint/analyzer/live"
	"github.com/ngxlint/ngxlint/rules"
	"github.com/ngxlint/ngxlint/rules/connectivity"
)

func TestParseLineKinds(t *testing.T) {
	const tail = `, client: 127.0.0.1, server: _, request: "GET / HTTP/1.1", upstream: "http://[::1]:3000/", host: "localhost:8080"`
	cases := []struct {
		line     string
		kind     errorlog.Kind
		upstream string
	}{
		{`2024/05/01 12:00:01 [error] 4242#4242: *1 connect() failed (111: Connection refused) while connecting to upstream` + tail, errorlog.Refused, "http://[::1]:3000/"},
		{`2024/05/01 12:00:01 [error] 4242#4242: *1 connect() failed (110: Connection timed out) while connecting to upstream` + tail, errorlog.TimedOut, "http://[::1]:3000/"},
		{`2024/05/01 12:00:01 [error] 4242#4242: *1 upstream timed out (110: Connection timed out) while connecting to upstream` + tail, errorlog.TimedOut, "http://[::1]:3000/"},
		{`2024/05/01 12:00:01 [error] 4242#4242: *1 upstream timed out (110: Connection timed out) while reading response header from upstream` + tail, errorlog.ReadTimedOut, "http://[::1]:3000/"},
		{`2024/05/01 12:00:01 [error] 4242#4242: *1 connect() failed (113: No route to host) while connecting to upstream` + tail, errorlog.NoRoute, "http://[::1]:3000/"},
		{`2024/05/01 12:00:01 [crit] 4242#4242: *1 connect() to [2001:db8::1]:80 failed (101: Network is unreachable) while connecting to upstream, client: 10.0.0.1, server: a, request: "GET / HTTP/1.1", upstream: "http://[2001:db8::1]:80/", host: "a"`, errorlog.NetUnreachable, "http://[2001:db8::1]:80/"},
		{`2024/05/01 12:00:01 [warn] 4242#4242: *1 upstream server temporarily disabled while connecting to upstream` + tail, errorlog.Disabled, "http://[::1]:3000/"},
		{`2024/05/01 12:00:01 [error] 4242#4242: *9 no live upstreams while connecting to upstream, client: 127.0.0.1, server: _, request: "GET / HTTP/1.1", upstream: "http://app/", host: "localhost:8080"`, errorlog.NoLive, "http://app/"},
		{`2024/05/01 12:00:01 [error] 4242#4242: *1 upstream prematurely closed connection while reading response header from upstream` + tail, errorlog.Closed, "http://[::1]:3000/"},
		{`2024/05/01 12:00:01 [error] 4242#4242: *1 recv() failed (104: Connection reset by peer) while reading response header from upstream` + tail, errorlog.Reset, "http://[::1]:3000/"},
		{`2024/05/01 12:00:01 [crit] 4242#4242: *1 SSL_do_handshake() failed (SSL: error:0A00010B:SSL routines::wrong version number) while SSL handshaking to upstream` + tail, errorlog.SSLHandshake, "http://[::1]:3000/"},
		{`2024/05/01 12:00:01 [emerg] 4242#4242: host not found in upstream "backend.invalid:3000" in /etc/nginx/conf.d/app.conf:3`, errorlog.HostNotFound, ""},
	}
	for _, c := range cases {
		e, ok := errorlog.ParseLine(c.line)
		if !ok || e.Kind != c.kind || e.Upstream != c.upstream || e.Time != "2024/05/01 12:00:01" {
			t.Errorf("%s\n  got ok=%v %+v", c.line, ok, e)
		}
		if strings.Contains(e.Message, "client:") {
			t.Errorf("message keeps the request details: %q", e.Message)
		}
	}
	e, _ := errorlog.ParseLine(cases[len(cases)-1].line)
	if e.Name != "backend.invalid:3000" || e.File != "/etc/nginx/conf.d/app.conf" || e.At != 3 {
		t.Errorf("host not found: %+v", e)
	}
	for _, line := range []string{
		`2024/05/01 12:00:01 [notice] 1#1: start worker processes`,
		`2024/05/01 12:00:01 [error] 4242#4242: *1 open() "/srv/www/favicon.ico" failed (2: No such file or directory), client: 127.0.0.1, server: _, request: "GET /favicon.ico HTTP/1.1"`,
		`connect() failed (111: Connection refused) while connecting to upstream`, // no header: not nginx's format
		``,
	} {
		if e, ok := errorlog.ParseLine(line); ok {
			t.Errorf("%q recognised as %+v", line, e)
		}
	}
}

const conf = `events {}
http {
    upstream app {
        server localhost:3000;
        server 127.0.0.1:3001 backup;
    }
    upstream api {
        server api.internal:8000;
    }
    server {
        listen 8080;
        location / { proxy_pass http://app; }
        location /api/ { proxy_pass http://api; }
        location /php { fastcgi_pass 127.0.0.1:9000; }
        location /gone { proxy_pass http://backend.invalid:3000; }
    }
}
`

const logText = `2024/05/01 12:00:00 [notice] 4242#4242: start worker processes
2024/05/01 12:00:01 [error] 4243#4243: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: _, request: "GET / HTTP/1.1", upstream: "http://[::1]:3000/", host: "localhost:8080"
2024/05/01 12:00:01 [warn] 4243#4243: *1 upstream server temporarily disabled while connecting to upstream, client: 127.0.0.1, server: _, request: "GET / HTTP/1.1", upstream: "http://[::1]:3000/", host: "localhost:8080"
2024/05/01 12:00:05 [error] 4243#4243: *3 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: _, request: "GET /x HTTP/1.1", upstream: "http://[::1]:3000/x", host: "localhost:8080"
2024/05/01 12:00:09 [error] 4243#4243: *5 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: _, request: "GET / HTTP/1.1", upstream: "http://[::1]:3000/", host: "localhost:8080"
2024/05/01 12:00:10 [error] 4243#4243: *7 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: _, request: "GET /php HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "localhost:8080"
2024/05/01 12:00:11 [error] 4243#4243: *8 connect() failed (113: No route to host) while connecting to upstream, client: 127.0.0.1, server: _, request: "GET /api/ HTTP/1.1", upstream: "http://10.1.2.3:8000/api/", host: "localhost:8080"
2024/05/01 12:00:12 [error] 4243#4243: *9 no live upstreams while connecting to upstream, client: 127.0.0.1, server: _, request: "GET / HTTP/1.1", upstream: "http://app/", host: "localhost:8080"
2024/05/01 12:00:13 [error] 4243#4243: *10 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: _, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:4444/", host: "localhost:8080"
2024/05/01 12:00:14 [emerg] 4250#4250: host not found in upstream "backend.invalid:3000" in /etc/nginx/nginx.conf:15
`

func TestMapToDirectives(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	ws, err := analyzer.Load([]string{path}, analyzer.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// api.internal is what the resolver says; no DNS leaves the test.
	res := live.Static{"api.internal": {mustAddr("10.1.2.3")}}
	m := errorlog.NewMapper(context.Background(), ws, errorlog.Options{Rule: connectivity.UpstreamErrorLog, Resolver: res})
	if err := m.Read("error.log", strings.NewReader(logText)); err != nil {
		t.Fatal(err)
	}
	got := map[string]analyzer.Finding{}
	for _, f := range m.Findings() {
		got[lineKind(f)] = f
	}
	want := map[string]string{
		// line 4, server localhost:3000: three refusals of [::1]:3000.
		"4 refused":  `"connect\(\) failed \(111: Connection refused\) while connecting to upstream" for \[::1\]:3000, 3 times, from 2024/05/01 12:00:01 to 2024/05/01 12:00:09; server localhost:3000 produces that address`,
		"4 disabled": `"upstream server temporarily disabled while connecting to upstream" for \[::1\]:3000, once, at 2024/05/01 12:00:01`,
		"3 no-live":  `"no live upstreams while connecting to upstream" once, at 2024/05/01 12:00:12; upstream app produces that group`,
		"8 no-route": `for 10\.1\.2\.3:8000, once`,
		"14 refused": `fastcgi_pass 127\.0\.0\.1:9000`,
		"15 host":    `host not found in upstream "backend\.invalid:3000"" once, at 2024/05/01 12:00:14`,
	}
	for key, re := range want {
		f, ok := got[key]
		if !ok {
			t.Errorf("no finding %s; got %v", key, keys(got))
			continue
		}
		if !matches(re, f.Message) {
			t.Errorf("%s: message %q does not match %q", key, f.Message, re)
		}
	}
	if len(got) != len(want) {
		t.Errorf("findings %v, want %d", keys(got), len(want))
	}
	if f := got["15 host"]; f.Severity != analyzer.Error {
		t.Errorf("host not found: severity %v, want error", f.Severity)
	}
	// The host when the failure is about what a name gives, the host and
	// port when it is about what serves at the port.
	for key, under := range map[string]string{
		"4 refused":  "localhost",
		"4 disabled": "localhost",
		"3 no-live":  "app",
		"8 no-route": "api.internal",
		"14 refused": "127.0.0.1:9000",
		"15 host":    "backend.invalid",
	} {
		f := got[key]
		if file := ws.File(f.Span.File); file == nil || file.Text(f.Span) != under {
			t.Errorf("%s: span %v, want it on %q", key, f.Span, under)
		}
	}
	// One place, one span: the refusals point where upstream-localhost does.
	static, _ := analyzer.Run(ws, []*analyzer.Rule{connectivity.UpstreamLocalhost}, rules.All())
	if len(static) != 1 || static[0].Span != got["4 refused"].Span {
		t.Errorf("upstream-localhost at %+v, upstream-error-log at %v: want the same span", static, got["4 refused"].Span)
	}
	if m.Unmatched["127.0.0.1:4444 refused"] != 1 {
		t.Errorf("unmatched = %v", m.Unmatched)
	}
}

func lineKind(f analyzer.Finding) string {
	k := "host"
	for _, w := range []string{"refused", "disabled", "no live", "No route"} {
		if strings.Contains(f.Message, w) {
			k = map[string]string{"refused": "refused", "disabled": "disabled", "no live": "no-live", "No route": "no-route"}[w]
			break
		}
	}
	return itoa(int(f.Span.Start.Line)) + " " + k
}

// A failure about what serves at the port points at the host and port,
// even for a name.
func TestPortFailureSpansTheAddress(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	ws, err := analyzer.Load([]string{path}, analyzer.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := errorlog.NewMapper(context.Background(), ws, errorlog.Options{Rule: connectivity.UpstreamErrorLog, Resolver: live.Static{}})
	line := `2024/05/01 12:00:01 [error] 4242#4242: *1 upstream prematurely closed connection while reading response header from upstream, client: 127.0.0.1, server: _, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:3000/", host: "localhost:8080"`
	if err := m.Read("error.log", strings.NewReader(line+"\n")); err != nil {
		t.Fatal(err)
	}
	fs := m.Findings()
	if len(fs) != 1 || ws.File(fs[0].Span.File).Text(fs[0].Span) != "localhost:3000" {
		t.Fatalf("findings %+v, want one on localhost:3000", fs)
	}
}
