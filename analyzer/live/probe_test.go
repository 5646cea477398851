package live

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Every test here dials loopback only.

func prober(timeout time.Duration) *Prober {
	return &Prober{dial: (&net.Dialer{}).DialContext, timeout: timeout}
}

func addrOf(t *testing.T, s string) netip.AddrPort {
	t.Helper()
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		t.Fatal(err)
	}
	if !ap.Addr().IsLoopback() {
		t.Fatalf("%s is not a loopback address", s)
	}
	return ap
}

// closedPort returns a loopback port nothing listens on (it was bound a
// moment ago, then released).
func closedPort(t *testing.T) netip.AddrPort {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ap := addrOf(t, ln.Addr().String())
	_ = ln.Close()
	return ap
}

// rawServer accepts connections and hands each to fn.
func rawServer(t *testing.T, fn func(c net.Conn)) netip.AddrPort {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go fn(c)
		}
	}()
	return addrOf(t, ln.Addr().String())
}

// esBanner is the shape of Elasticsearch 8's answer to GET /.
const esBanner = `{
  "name" : "node-1",
  "cluster_name" : "logs",
  "cluster_uuid" : "kW6Yq3PXRsy1vZbM2vFq4w",
  "version" : {
    "number" : "8.13.4",
    "build_flavor" : "default",
    "build_type" : "deb",
    "build_hash" : "da95df118650b55a500dcc181889ac35c6d8da7c",
    "build_date" : "2024-05-06T22:04:45.107454559Z",
    "build_snapshot" : false,
    "lucene_version" : "9.10.0",
    "minimum_wire_compatibility_version" : "7.17.0",
    "minimum_index_compatibility_version" : "7.0.0"
  },
  "tagline" : "You Know, for Search"
}
`

const osBanner = `{
  "name" : "os-1",
  "cluster_name" : "opensearch",
  "version" : {
    "distribution" : "opensearch",
    "number" : "2.11.1",
    "build_type" : "tar",
    "lucene_version" : "9.7.0",
    "minimum_wire_compatibility_version" : "7.10.0",
    "minimum_index_compatibility_version" : "7.0.0"
  },
  "tagline" : "The OpenSearch Project: https://opensearch.org/"
}
`

func fakeES(banner string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" || r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		if strings.Contains(banner, "You Know, for Search") {
			w.Header().Set("X-elastic-product", "Elasticsearch") // ES 7.14 and later; OpenSearch sends none
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, banner)
	})
}

func httpServer(t *testing.T, h http.Handler) netip.AddrPort {
	s := httptest.NewUnstartedServer(h)
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.Start()
	t.Cleanup(s.Close)
	return addrOf(t, strings.TrimPrefix(s.URL, "http://"))
}

// tlsServer is an HTTPS server; its handshake errors (our clear-text GET)
// are expected and kept out of the test log.
func tlsServer(t *testing.T, h http.Handler) netip.AddrPort {
	s := httptest.NewUnstartedServer(h)
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.StartTLS()
	t.Cleanup(s.Close)
	return addrOf(t, strings.TrimPrefix(s.URL, "https://"))
}

func TestClassification(t *testing.T) {
	hello := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "hello\n") })
	securityOn := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("WWW-Authenticate", `Basic realm="security", charset="UTF-8"`)
		w.Header().Add("WWW-Authenticate", "ApiKey")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"error":{"root_cause":[{"type":"security_exception","reason":"missing authentication credentials for REST request [/]"}],"type":"security_exception","reason":"missing authentication credentials for REST request [/]"},"status":401}`)
	})
	// A raw TLS server that speaks no HTTP: plain text gets a TLS alert.
	certSrc := httptest.NewTLSServer(hello)
	cert := certSrc.TLS.Certificates
	certSrc.Close()
	rawTLS := rawServer(t, func(c net.Conn) {
		tc := tls.Server(c, &tls.Config{Certificates: cert})
		defer tc.Close()
		_ = tc.SetDeadline(time.Now().Add(2 * time.Second))
		if tc.Handshake() == nil {
			_, _ = io.Copy(io.Discard, tc)
		}
	})
	transport := rawServer(t, func(c net.Conn) {
		defer c.Close()
		buf := make([]byte, 6)
		if _, err := io.ReadFull(c, buf); err == nil {
			_, _ = io.WriteString(c, "This is not an HTTP port")
		}
	})
	silent := rawServer(t, func(c net.Conn) {
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(3 * time.Second))
		_, _ = io.Copy(io.Discard, c)
	})
	reset := rawServer(t, func(c net.Conn) {
		_ = c.(*net.TCPConn).SetLinger(0) // close sends RST
		buf := make([]byte, 1)
		_, _ = c.Read(buf)
		_ = c.Close()
	})
	banner := rawServer(t, func(c net.Conn) {
		defer c.Close()
		_, _ = io.WriteString(c, "SSH-2.0-OpenSSH_9.2\r\n")
	})

	cases := []struct {
		name   string
		ap     netip.AddrPort
		mode   Mode
		want   Result
		detail string
	}{
		{"refused", closedPort(t), Plain, Refused, ""},
		{"connect only", httpServer(t, hello), Connect, Open, ""},
		{"plain http", httpServer(t, hello), Plain, HTTP, "HTTP 200"},
		{"https from plain", tlsServer(t, hello), Plain, TLS, "TLS 1.3, HTTP 200"},
		{"https from secure", tlsServer(t, hello), Secure, TLS, "TLS 1.3, HTTP 200"},
		{"tls without http", rawTLS, Plain, TLS, "TLS 1.3"},
		{"elasticsearch", httpServer(t, fakeES(esBanner)), Plain, Elasticsearch, "Elasticsearch 8.13.4"},
		{"opensearch", httpServer(t, fakeES(osBanner)), Plain, Elasticsearch, "OpenSearch 2.11.1"},
		{"elasticsearch security on", httpServer(t, securityOn), Plain, Elasticsearch, "401"},
		{"elasticsearch over tls", tlsServer(t, fakeES(esBanner)), Plain, Elasticsearch, "Elasticsearch 8.13.4 over TLS"},
		{"plain http with secure mode", httpServer(t, fakeES(esBanner)), Secure, Elasticsearch, "Elasticsearch 8.13.4"},
		{"transport port", transport, Plain, NotHTTP, "transport"},
		{"silent", silent, Plain, Open, "said nothing"},
		{"reset", reset, Plain, Reset, ""},
		{"other protocol", banner, Plain, Open, "not in HTTP"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := prober(500*time.Millisecond).Probe(context.Background(), c.ap, c.mode, "localhost")
			if o.Result != c.want || !strings.Contains(o.Detail, c.detail) {
				t.Fatalf("%s: got %s (%s), want %s (%s)", c.ap, o.Result, o.Detail, c.want, c.detail)
			}
			if o.Addr != c.ap {
				t.Errorf("outcome address %s, want %s", o.Addr, c.ap)
			}
		})
	}
}

// fakeDial fails every dial with err, or hangs until the context ends when
// err is nil.
func fakeDial(err error) func(ctx context.Context, network, address string) (net.Conn, error) {
	return func(ctx context.Context, _, address string) (net.Conn, error) {
		if err != nil {
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &syscallError{err}}
		}
		<-ctx.Done()
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: ctx.Err()}
	}
}

type syscallError struct{ err error }

func (e *syscallError) Error() string { return "connect: " + e.err.Error() }
func (e *syscallError) Unwrap() error { return e.err }

func TestDialErrorClassification(t *testing.T) {
	ap := addrOf(t, "127.0.0.1:9")
	cases := []struct {
		err  error
		want Result
	}{
		{syscall.ECONNREFUSED, Refused},
		{syscall.EHOSTUNREACH, Unreachable},
		{syscall.ENETUNREACH, Unreachable},
		{syscall.EADDRNOTAVAIL, Unreachable},
		{syscall.ECONNRESET, Reset},
		{syscall.EACCES, Failed},
		{nil, Timeout}, // hangs until the per-dial timeout
	}
	for _, c := range cases {
		p := &Prober{dial: fakeDial(c.err), timeout: 50 * time.Millisecond}
		o := p.Probe(context.Background(), ap, Plain, "")
		if o.Result != c.want {
			t.Errorf("%v: got %s (%s), want %s", c.err, o.Result, o.Detail, c.want)
		}
	}
}

func TestDeadlinePassedIsNotDialled(t *testing.T) {
	dialled := false
	p := &Prober{
		dial: func(context.Context, string, string) (net.Conn, error) {
			dialled = true
			return nil, errors.New("must not dial")
		},
		timeout:  time.Second,
		deadline: time.Now().Add(-time.Millisecond),
	}
	o := p.Probe(context.Background(), addrOf(t, "127.0.0.1:9"), Plain, "")
	if o.Result != Skipped || dialled {
		t.Fatalf("got %s, dialled %v; want %s and no dial", o.Result, dialled, Skipped)
	}
}

func TestFingerprintNeedsEvidence(t *testing.T) {
	// A JSON API that is not Elasticsearch must stay plain HTTP.
	api := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprint(w, `{"name":"api","version":{"number":"1.2.3"},"tagline":"You know, for apps"}`)
	})
	o := prober(time.Second).Probe(context.Background(), httpServer(t, api), Plain, "localhost")
	if o.Result != HTTP {
		t.Fatalf("got %s (%s), want http", o.Result, o.Detail)
	}
	// A 401 for another realm is not Elasticsearch either.
	other := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("WWW-Authenticate", `Basic realm="admin"`)
		w.WriteHeader(http.StatusUnauthorized)
	})
	o = prober(time.Second).Probe(context.Background(), httpServer(t, other), Plain, "localhost")
	if o.Result != HTTP {
		t.Fatalf("got %s (%s), want http", o.Result, o.Detail)
	}
}
