package live

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"syscall"
	"time"
)

// Result classifies what one address did when dialled. The values are
// part of the JSON contract (evidence[].result).
type Result string

const (
	Open          Result = "open"          // accepted; no protocol recognised
	Refused       Result = "refused"       // nothing listens (ECONNREFUSED)
	Timeout       Result = "timeout"       // no answer within --live-timeout
	Unreachable   Result = "unreachable"   // no route, network down, address not available
	Reset         Result = "reset"         // accepted, then reset the connection
	TLS           Result = "tls"           // a TLS handshake completed
	HTTP          Result = "http"          // answered plain HTTP
	Elasticsearch Result = "elasticsearch" // Elasticsearch or OpenSearch HTTP (see Detail)
	NotHTTP       Result = "not-http"      // "This is not an HTTP port": an Elasticsearch transport port
	Failed        Result = "error"         // any other dial error (see Detail)
	Skipped       Result = "deadline"      // not dialled: --live-deadline passed first
)

// Accepted reports whether something listened at the address.
func (r Result) Accepted() bool {
	switch r {
	case Open, Reset, TLS, HTTP, Elasticsearch, NotHTTP:
		return true
	}
	return false
}

// Failure reports whether nginx's connect() to the address would fail.
func (r Result) Failure() bool {
	return r == Refused || r == Timeout || r == Unreachable
}

// Mode says how far a probe goes once connected.
type Mode int

const (
	// Connect only opens and closes a TCP connection: for peers whose
	// protocol we do not speak (FastCGI, uwsgi, memcached, stream).
	Connect Mode = iota
	// Plain sends `GET /` in clear text, and tries TLS when the answer
	// looks like a TLS server's.
	Plain
	// Secure starts with a TLS handshake, then sends `GET /` inside it.
	Secure
	// SNICheck makes two TLS handshakes, without and with the host name
	// as SNI, and says whether each certificate covers the name.
	SNICheck
)

// Outcome is the result of probing one address.
type Outcome struct {
	Addr   netip.AddrPort
	Result Result
	// Detail says more for people: "Elasticsearch 8.13.0", "HTTP 200", an
	// error text. Not part of the stable contract.
	Detail  string
	Elapsed time.Duration
	// SNI is set by SNICheck once a connection was accepted.
	SNI *SNIAnswer
}

// SNIAnswer is what a TLS server presented without and with SNI.
type SNIAnswer struct {
	// Bare is the handshake without SNI: Handshake false when the server
	// refused it; Covers when the certificate is valid for the name.
	Bare, Named Handshake
}

// Handshake is one TLS handshake's result.
type Handshake struct {
	OK     bool
	Covers bool
	// Subject names the certificate: its first DNS name, else its common
	// name; or the error when the handshake failed.
	Subject string
}

// Address is the evidence form of the address: 127.0.0.1:3000, [::1]:3000.
func (o Outcome) Address() string { return o.Addr.String() }

// Prober dials addresses within bounds. The zero value is not usable;
// fill it from Options with newProber.
type Prober struct {
	dial     func(ctx context.Context, network, address string) (net.Conn, error)
	timeout  time.Duration
	deadline time.Time // the whole run's; zero means none
}

// maxRead bounds what a probe reads from a peer.
const maxRead = 64 << 10

// Probe dials ap and classifies the answer. It never takes longer than a
// few multiples of the per-dial timeout (one for the TCP connect, one per
// exchange, at most two connections), and never past the run's deadline.
func (p *Prober) Probe(ctx context.Context, ap netip.AddrPort, mode Mode, host string) Outcome {
	start := time.Now()
	o := p.probe(ctx, ap, mode, host)
	o.Addr = ap
	o.Elapsed = time.Since(start)
	return o
}

func (p *Prober) probe(ctx context.Context, ap netip.AddrPort, mode Mode, host string) Outcome {
	if ctx.Err() != nil || (!p.deadline.IsZero() && !time.Now().Before(p.deadline)) {
		return Outcome{Result: Skipped, Detail: "the live-mode deadline passed before this address was dialled"}
	}
	conn, err := p.connect(ctx, ap)
	if err != nil {
		return dialFailure(ctx, err)
	}
	if mode == Connect {
		_ = conn.Close()
		return Outcome{Result: Open}
	}
	if mode == SNICheck {
		return p.sniCheck(ctx, conn, ap, host)
	}
	if mode == Secure {
		if o, ok := p.secure(ctx, conn, host); ok {
			return o
		}
		// Not TLS after all: try clear text on a new connection.
		if conn, err = p.connect(ctx, ap); err != nil {
			return dialFailure(ctx, err)
		}
	}
	o, tryTLS := p.plain(conn, host)
	if !tryTLS || mode == Secure {
		return o
	}
	conn, err = p.connect(ctx, ap)
	if err != nil {
		return o // the first answer stands
	}
	if t, ok := p.secure(ctx, conn, host); ok {
		return t
	}
	return o
}

// connect opens a TCP connection within the per-dial timeout.
func (p *Prober) connect(ctx context.Context, ap netip.AddrPort) (net.Conn, error) {
	ctx, cancel := context.WithDeadline(ctx, p.until())
	defer cancel()
	return p.dial(ctx, "tcp", ap.String())
}

// until is the end of the next step: the per-dial timeout from now, or the
// run's deadline if that comes first.
func (p *Prober) until() time.Time {
	t := time.Now().Add(p.timeout)
	if !p.deadline.IsZero() && p.deadline.Before(t) {
		t = p.deadline
	}
	return t
}

// plain sends GET / in clear text and classifies the reply. tryTLS is true
// when the reply suggests a TLS server (an alert record, a close without a
// word, or Go's "HTTP request to an HTTPS server").
func (p *Prober) plain(conn net.Conn, host string) (o Outcome, tryTLS bool) {
	defer func() { _ = conn.Close() }()
	_ = conn.SetDeadline(p.until())
	if _, err := io.WriteString(conn, request(host)); err != nil {
		return readFailure(err, nil)
	}
	br := bufio.NewReaderSize(conn, 4096)
	head, err := br.Peek(5)
	if len(head) < 5 || !bytes.Equal(head, []byte("HTTP/")) {
		// Not HTTP: read what there is (bounded) and look at it.
		rest, rerr := io.ReadAll(io.LimitReader(br, maxRead))
		if err == nil || len(rest) > 0 {
			err = rerr
		}
		return classifyRaw(rest, err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return Outcome{Result: Open, Detail: "answered with a malformed HTTP response"}, false
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxRead))
	_ = resp.Body.Close()
	// Go's servers and nginx's say in a 400 that the port expects TLS.
	if resp.StatusCode == http.StatusBadRequest && (bytes.Contains(body, []byte("HTTP request to an HTTPS server")) ||
		bytes.Contains(body, []byte("plain HTTP request was sent to HTTPS port"))) {
		return Outcome{Result: HTTP, Detail: tlsServerDetail}, true
	}
	if fp, ok := fingerprint(resp, body); ok {
		return Outcome{Result: Elasticsearch, Detail: fp}, false
	}
	return Outcome{Result: HTTP, Detail: "HTTP " + resp.Status}, false
}

// secure completes a TLS handshake on conn and, inside it, sends GET / to
// tell an Elasticsearch node from any other TLS server. The certificate is
// not verified: this identifies what listens, it trusts nothing and sends
// no credentials.
func (p *Prober) secure(ctx context.Context, conn net.Conn, host string) (Outcome, bool) {
	defer func() { _ = conn.Close() }()
	_ = conn.SetDeadline(p.until())
	cfg := &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS10} // identification only, see above
	if _, err := netip.ParseAddr(host); err != nil && host != "" {
		cfg.ServerName = host
	}
	tc := tls.Client(conn, cfg)
	hctx, cancel := context.WithDeadline(ctx, p.until())
	defer cancel()
	if err := tc.HandshakeContext(hctx); err != nil {
		return Outcome{}, false
	}
	o := Outcome{Result: TLS, Detail: tlsVersion(tc.ConnectionState().Version)}
	_ = tc.SetDeadline(p.until())
	if _, err := io.WriteString(tc, request(host)); err != nil {
		return o, true
	}
	resp, err := http.ReadResponse(bufio.NewReader(tc), nil)
	if err != nil {
		return o, true
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxRead))
	_ = resp.Body.Close()
	if fp, ok := fingerprint(resp, body); ok {
		return Outcome{Result: Elasticsearch, Detail: fp + " over TLS"}, true
	}
	o.Detail += ", HTTP " + resp.Status
	return o, true
}

// sniCheck handshakes on conn without SNI, then on a new connection with
// host as SNI. Certificates are read, not verified: it only asks which
// name each covers.
func (p *Prober) sniCheck(ctx context.Context, conn net.Conn, ap netip.AddrPort, host string) Outcome {
	bare := p.handshake(ctx, conn, "", host)
	o := Outcome{Result: TLS, SNI: &SNIAnswer{Bare: bare}}
	conn2, err := p.connect(ctx, ap)
	if err != nil {
		o.SNI.Named = Handshake{Subject: errText(err)}
	} else {
		o.SNI.Named = p.handshake(ctx, conn2, host, host)
	}
	if !bare.OK && !o.SNI.Named.OK {
		o.Result, o.Detail = Failed, "no TLS handshake: "+bare.Subject
		return o
	}
	o.Detail = fmt.Sprintf("without SNI: %s; with SNI %s: %s", bare.describe(), host, o.SNI.Named.describe())
	return o
}

func (p *Prober) handshake(ctx context.Context, conn net.Conn, sni, host string) Handshake {
	defer func() { _ = conn.Close() }()
	_ = conn.SetDeadline(p.until())
	cfg := &tls.Config{InsecureSkipVerify: true, ServerName: sni, MinVersion: tls.VersionTLS10} // identification only
	tc := tls.Client(conn, cfg)
	hctx, cancel := context.WithDeadline(ctx, p.until())
	defer cancel()
	if err := tc.HandshakeContext(hctx); err != nil {
		return Handshake{Subject: errText(err)}
	}
	certs := tc.ConnectionState().PeerCertificates
	if len(certs) == 0 {
		return Handshake{OK: true, Subject: "no certificate"}
	}
	leaf := certs[0]
	h := Handshake{OK: true, Covers: leaf.VerifyHostname(host) == nil, Subject: leaf.Subject.CommonName}
	if len(leaf.DNSNames) > 0 {
		h.Subject = leaf.DNSNames[0]
	}
	return h
}

func (h Handshake) describe() string {
	switch {
	case !h.OK:
		return "handshake refused (" + h.Subject + ")"
	case h.Covers:
		return "a certificate for " + h.Subject + ", which covers the name"
	}
	return "a certificate for " + h.Subject + ", which does not cover the name"
}

func request(host string) string {
	if host == "" {
		host = "localhost"
	}
	if a, err := netip.ParseAddr(host); err == nil && a.Is6() {
		host = "[" + host + "]"
	}
	return "GET / HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: ngxlint-live\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
}

// classifyRaw reads a reply that is not HTTP.
func classifyRaw(b []byte, err error) (Outcome, bool) {
	switch {
	case bytes.Contains(b, []byte("This is not an HTTP port")):
		return Outcome{Result: NotHTTP, Detail: "an Elasticsearch transport port"}, false
	case len(b) >= 3 && (b[0] == 0x15 || b[0] == 0x16) && b[1] == 0x03:
		return Outcome{Result: Open, Detail: "answered with a TLS record"}, true
	case len(b) > 0:
		return Outcome{Result: Open, Detail: "answered, not in HTTP"}, false
	}
	return readFailure(err, b)
}

// tlsServerDetail marks an HTTP answer that says the port expects TLS;
// the Result stays HTTP when the TLS retry then fails.
const tlsServerDetail = "HTTP 400: a TLS server"

// readFailure classifies a connection that said nothing.
func readFailure(err error, _ []byte) (Outcome, bool) {
	switch {
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return Outcome{Result: Reset, Detail: "reset the connection after accepting it"}, true
	case isTimeout(err):
		return Outcome{Result: Open, Detail: "accepted, said nothing"}, false
	}
	return Outcome{Result: Open, Detail: "accepted, closed without a reply"}, true
}

// dialFailure classifies a failed connect.
func dialFailure(ctx context.Context, err error) Outcome {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return Outcome{Result: Refused}
	case errors.Is(err, syscall.ECONNRESET):
		return Outcome{Result: Reset, Detail: "reset during connect"}
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH),
		errors.Is(err, syscall.EADDRNOTAVAIL), errors.Is(err, syscall.EHOSTDOWN), errors.Is(err, syscall.ENETDOWN):
		return Outcome{Result: Unreachable, Detail: errText(err)}
	case isTimeout(err):
		if ctx.Err() != nil {
			return Outcome{Result: Skipped, Detail: "the live-mode deadline passed during the dial"}
		}
		return Outcome{Result: Timeout}
	}
	return Outcome{Result: Failed, Detail: errText(err)}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		errors.As(err, &ne) && ne.Timeout()
}

// errText is the innermost error's text: "no route to host".
func errText(err error) string {
	var se syscall.Errno
	if errors.As(err, &se) {
		return se.Error()
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err.Error()
	}
	return err.Error()
}

func tlsVersion(v uint16) string {
	switch v {
	case tls.VersionTLS13:
		return "TLS 1.3"
	case tls.VersionTLS12:
		return "TLS 1.2"
	}
	return fmt.Sprintf("TLS (0x%04x)", v)
}

// fingerprint recognises Elasticsearch and OpenSearch from their answer to
// GET /: the root banner's tagline, the X-elastic-product header, or the
// security realm's 401.
func fingerprint(resp *http.Response, body []byte) (string, bool) {
	var banner struct {
		Tagline string `json:"tagline"`
		Version struct {
			Number       string `json:"number"`
			Distribution string `json:"distribution"`
		} `json:"version"`
	}
	_ = json.Unmarshal(body, &banner)
	switch {
	case strings.HasPrefix(banner.Tagline, "The OpenSearch Project") || banner.Version.Distribution == "opensearch":
		return join("OpenSearch", banner.Version.Number), true
	case banner.Tagline == "You Know, for Search" || strings.EqualFold(resp.Header.Get("X-elastic-product"), "Elasticsearch"):
		return join("Elasticsearch", banner.Version.Number), true
	case resp.StatusCode == http.StatusUnauthorized && realm(resp.Header.Values("WWW-Authenticate"), `realm="security"`):
		return "Elasticsearch (security on: 401 without credentials)", true
	case resp.StatusCode == http.StatusUnauthorized && realm(resp.Header.Values("WWW-Authenticate"), `realm="OpenSearch Security"`):
		return "OpenSearch (security on: 401 without credentials)", true
	}
	return "", false
}

// realm reports whether a WWW-Authenticate challenge names the realm.
func realm(vals []string, want string) bool {
	for _, v := range vals {
		if strings.Contains(v, want) {
			return true
		}
	}
	return false
}

func join(name, version string) string {
	if version == "" {
		return name
	}
	return name + " " + version
}
