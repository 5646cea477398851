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
	"github.com/ngxlint/ngxlint/rules/elastic"
)

// Every test here dials loopback only: a fake node answers GET / as
// Elasticsearch 8 does, over HTTP or HTTPS, and a fake transport port
// answers as a node's transport layer does.

// nodeBanner is the shape of Elasticsearch 8's answer to GET /.
const nodeBanner = `{"name":"n1","cluster_name":"logs","cluster_uuid":"x","version":{"number":"8.15.0","build_flavor":"default"},"tagline":"You Know, for Search"}`

func nodeHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-elastic-product", "Elasticsearch")
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, nodeBanner)
	})
}

// fakeNode serves h on 127.0.0.1 (TLS when secure) and returns the port.
func fakeNode(t *testing.T, h http.Handler, secure bool) int {
	t.Helper()
	s := httptest.NewUnstartedServer(h)
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	if secure {
		s.StartTLS()
	} else {
		s.Start()
	}
	t.Cleanup(s.Close)
	return s.Listener.Addr().(*net.TCPAddr).Port
}

func nodeLint(t *testing.T, yml string, opt live.Options) []analyzer.Finding {
	t.Helper()
	ws := load(t, "elasticsearch.yml", yml)
	opt.NodeUnreachable = elastic.ESNodeUnreachable
	if opt.Timeout == 0 {
		opt.Timeout = 500 * time.Millisecond
	}
	return byRule(live.Check(context.Background(), ws, nil, opt), "es-node-unreachable")
}

func settings(httpPort, transportPort int, more string) string {
	return "network.host: 127.0.0.1\nhttp.port: " + strconv.Itoa(httpPort) + "\ntransport.port: " + strconv.Itoa(transportPort) + "\n" + more
}

func TestNodeAnswersAsTheFileSays(t *testing.T) {
	hp, tp := fakeNode(t, nodeHandler(), false), fakeTransport(t)
	if fs := nodeLint(t, settings(hp, tp, ""), live.Options{}); len(fs) != 0 {
		t.Errorf("plain node, plain file: %+v", fs)
	}
	hs := fakeNode(t, nodeHandler(), true)
	if fs := nodeLint(t, settings(hs, tp, "xpack.security.http.ssl.enabled: true\n"), live.Options{}); len(fs) != 0 {
		t.Errorf("TLS node, TLS file: %+v", fs)
	}
}

func TestNothingListens(t *testing.T) {
	ports := closedPorts(t, 2)
	fs := nodeLint(t, settings(ports[0], ports[1], ""), live.Options{})
	if len(fs) != 1 || fs[0].Severity != analyzer.Error || !strings.Contains(fs[0].Message, "nothing listens on port "+strconv.Itoa(ports[0])) ||
		!strings.Contains(fs[0].Message, "connection refused") || fs[0].Span.Start.Line != 2 || fs[0].Live.Status != "confirmed" {
		t.Fatalf("findings %+v", fs)
	}
	// The transport port answers: the node runs, HTTP is elsewhere.
	tp := fakeTransport(t)
	fs = nodeLint(t, settings(ports[0], tp, ""), live.Options{})
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "transport port "+strconv.Itoa(tp)+" answers") {
		t.Fatalf("findings %+v", fs)
	}
	ev := evidenceOf(fs[0])
	if ev["127.0.0.1:"+strconv.Itoa(tp)] != "not-http" || ev["127.0.0.1:"+strconv.Itoa(ports[0])] != "refused" {
		t.Errorf("evidence %v", ev)
	}
}

func TestDroppedOnTheWay(t *testing.T) {
	// 127.0.0.3 plays an address a firewall drops: its dials hang until
	// the per-dial timeout. Nothing leaves loopback.
	real := &net.Dialer{}
	dial := func(ctx context.Context, network, address string) (net.Conn, error) {
		if strings.HasPrefix(address, "127.0.0.3:") {
			<-ctx.Done()
			return nil, &net.OpError{Op: "dial", Net: network, Err: ctx.Err()}
		}
		return real.DialContext(ctx, network, address)
	}
	fs := nodeLint(t, "network.host: 127.0.0.3\nhttp.port: 9250\n", live.Options{Dial: dial, Timeout: 100 * time.Millisecond})
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "dropped on the way (timeout, not refused)") || fs[0].Span.Start.Line != 1 {
		t.Fatalf("findings %+v", fs)
	}
	if evidenceOf(fs[0])["127.0.0.3:9250"] != "timeout" {
		t.Errorf("evidence %v", evidenceOf(fs[0]))
	}
}

func TestWrongThingAnswers(t *testing.T) {
	tp := fakeTransport(t)
	// http.port names a transport port.
	fs := nodeLint(t, settings(tp, closedPorts(t, 1)[0], ""), live.Options{})
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "This is not an HTTP port") {
		t.Fatalf("transport on the HTTP port: %+v", fs)
	}
	// Another web server holds the port.
	other := fakeNode(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "hello\n") }), false)
	fs = nodeLint(t, settings(other, tp, ""), live.Options{})
	if len(fs) != 1 || fs[0].Severity != analyzer.Warning || !strings.Contains(fs[0].Message, "another service holds the port") {
		t.Fatalf("another service: %+v", fs)
	}
}

func TestSchemeDiffers(t *testing.T) {
	tp := fakeTransport(t)
	hs := fakeNode(t, nodeHandler(), true)
	// HTTPS served, the file says nothing: info, at the first line.
	fs := nodeLint(t, settings(hs, tp, ""), live.Options{})
	if len(fs) != 1 || fs[0].Severity != analyzer.Info || !strings.Contains(fs[0].Message, "serves HTTPS") || fs[0].Span.Start.Line != 1 {
		t.Fatalf("HTTPS, file silent: %+v", fs)
	}
	// HTTPS served, the file turns it off: warning at that value.
	fs = nodeLint(t, settings(hs, tp, "xpack.security.http.ssl.enabled: false\n"), live.Options{})
	if len(fs) != 1 || fs[0].Severity != analyzer.Warning || fs[0].Span.Start.Line != 4 {
		t.Fatalf("HTTPS, file off: %+v", fs)
	}
	// Plain served, the file turns TLS on: a restart pending.
	hp := fakeNode(t, nodeHandler(), false)
	fs = nodeLint(t, settings(hp, tp, "xpack.security.http.ssl:\n  enabled: true\n"), live.Options{})
	if len(fs) != 1 || fs[0].Severity != analyzer.Warning || !strings.Contains(fs[0].Message, "restart pending") || fs[0].Span.Start.Line != 5 {
		t.Fatalf("plain, file on: %+v", fs)
	}
}

// A client's configuration (Rails-style environment sections) names no
// node of its own: nothing is dialled for it.
func TestClientConfigNotProbed(t *testing.T) {
	yml := "default: &default\n  url: http://localhost:9200\ndevelopment:\n  <<: *default\nproduction:\n  url: http://es.internal:9200\n"
	if fs := nodeLint(t, yml, live.Options{}); len(fs) != 0 {
		t.Errorf("client configuration probed: %+v", fs)
	}
}

// A node answers GET / in more than one way, and each is the node the file
// describes: a 7.x node before the X-elastic-product header (the tagline
// only), a node with security on (401 with its realm, over TLS), and an
// OpenSearch node (its own tagline and distribution). No finding for any.
func TestNodeAnswersAsItsProductDoes(t *testing.T) {
	tp := fakeTransport(t)
	banner := func(body string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json; charset=UTF-8")
			_, _ = io.WriteString(w, body)
		})
	}
	es7 := fakeNode(t, banner(`{"name":"n1","cluster_name":"logs","cluster_uuid":"x","version":{"number":"7.10.2","build_flavor":"default"},"tagline":"You Know, for Search"}`), false)
	if fs := nodeLint(t, settings(es7, tp, ""), live.Options{}); len(fs) != 0 {
		t.Errorf("7.x banner: %+v", fs)
	}
	locked := fakeNode(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("WWW-Authenticate", `Basic realm="security" charset="UTF-8"`)
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"error":{"type":"security_exception","reason":"missing authentication credentials for REST request [/]"},"status":401}`)
	}), true)
	if fs := nodeLint(t, settings(locked, tp, "xpack.security.enabled: true\nxpack.security.http.ssl.enabled: true\n"), live.Options{}); len(fs) != 0 {
		t.Errorf("401 of the security realm over TLS: %+v", fs)
	}
	openSearch := fakeNode(t, banner(`{"name":"os1","cluster_name":"logs","cluster_uuid":"x","version":{"distribution":"opensearch","number":"2.11.0"},"tagline":"The OpenSearch Project: https://opensearch.org/"}`), false)
	ws := load(t, "opensearch.yml", settings(openSearch, tp, "plugins.security.disabled: true\n"))
	fs := byRule(live.Check(context.Background(), ws, nil, live.Options{NodeUnreachable: elastic.ESNodeUnreachable, Timeout: 500 * time.Millisecond}), "es-node-unreachable")
	if len(fs) != 0 {
		t.Errorf("OpenSearch banner: %+v", fs)
	}
}
