package live_test

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/live"
	"github.com/ngxlint/ngxlint/rules/connectivity"
)

// servePlain answers every request in clear text with status and body.
func servePlain(t *testing.T, status int, body string) int {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(s.Close)
	return s.Listener.Addr().(*net.TCPAddr).Port
}

// serveHTTPS answers requests over TLS (and plain requests with Go's 400).
func serveHTTPS(t *testing.T) int {
	t.Helper()
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") }))
	s.Config.ErrorLog = log.New(io.Discard, "", 0) // the probe's plain request is expected to fail the handshake
	s.StartTLS()
	t.Cleanup(s.Close)
	return s.Listener.Addr().(*net.TCPAddr).Port
}

// redirect dials the loopback port real instead of the conventional port
// the configuration names, so that the rule (which only fires on 443,
// 8080, 9300, ...) can be tested on free ports.
func redirect(real int) func(ctx context.Context, network, address string) (net.Conn, error) {
	return func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, "127.0.0.1:"+strconv.Itoa(real))
	}
}

// scheme-port-mismatch is confirmed when the port speaks the other
// protocol, refuted when it speaks the scheme's, inconclusive when
// nothing answers.
func TestSchemePortProbe(t *testing.T) {
	plain := servePlain(t, http.StatusOK, "hello")
	nginxTLS := servePlain(t, http.StatusBadRequest, "<html><center>The plain HTTP request was sent to HTTPS port</center></html>")
	secure := serveHTTPS(t)
	transport := fakeTransport(t)
	closed := closedPorts(t, 1)[0]
	for _, tc := range []struct {
		name, pass string
		port       int
		status     string
		says       string
	}{
		{"http to tls", "proxy_pass http://127.0.0.1:443;", secure, "confirmed", "speaks TLS"},
		{"http to nginx tls", "proxy_pass http://127.0.0.1:8443;", nginxTLS, "confirmed", "speaks TLS"},
		{"http to plain on 443", "proxy_pass http://127.0.0.1:443;", plain, "refuted", "speaks plain HTTP, as nginx's http://"},
		{"https to plain", "proxy_pass https://127.0.0.1:8080;", plain, "confirmed", "speaks plain HTTP"},
		{"https to tls on 80", "proxy_pass https://127.0.0.1:80;", secure, "refuted", "speaks TLS, as nginx's https://"},
		{"http to transport", "proxy_pass http://127.0.0.1:9300;", transport, "confirmed", "transport protocol"},
		{"http to http on 9300", "proxy_pass http://127.0.0.1:9300;", plain, "refuted", "speaks plain HTTP"},
		{"nothing answers", "proxy_pass http://127.0.0.1:443;", closed, "inconclusive", "nothing answers at 127.0.0.1 port 443"},
		{"upstream server", "proxy_pass http://es;", transport, "confirmed", "127.0.0.1 port 9301 speaks Elasticsearch's"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conf := "events {}\nhttp {\n    upstream es { server 127.0.0.1:9301; }\n    server {\n        listen 127.0.0.1:8000;\n" +
				"        location / { " + tc.pass + " }\n    }\n}\n"
			ws := load(t, "nginx.conf", conf)
			fs, errs := analyzer.Run(ws, []*analyzer.Rule{connectivity.SchemePortMismatch}, nil)
			if len(errs) > 0 || len(fs) != 1 {
				t.Fatalf("static run: %v %v", fs, errs)
			}
			fs = live.Check(context.Background(), ws, fs, live.Options{Dial: redirect(tc.port), Timeout: 2 * time.Second})
			f := fs[0]
			if f.Live == nil || f.Live.Status != tc.status || !strings.Contains(f.Live.Summary, tc.says) {
				t.Fatalf("live: %+v", f.Live)
			}
		})
	}
}
