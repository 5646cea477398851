package live_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/live"
	"github.com/ngxlint/ngxlint/rules/connectivity"
)

func selfSigned(t *testing.T, name string) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// serveTLS answers TLS handshakes on loopback: with the certificate for
// the SNI name when named certs has it, else with def.
func serveTLS(t *testing.T, def tls.Certificate, named map[string]tls.Certificate) int {
	t.Helper()
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: func(h *tls.ClientHelloInfo) (*tls.Certificate, error) {
		if c, ok := named[h.ServerName]; ok {
			return &c, nil
		}
		return &def, nil
	}}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
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
			go func(c net.Conn) {
				_ = c.SetDeadline(time.Now().Add(2 * time.Second))
				_ = c.(*tls.Conn).Handshake()
				_ = c.Close()
			}(c)
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

// proxy-ssl-no-sni is confirmed when the backend's default certificate
// does not cover the name but its SNI one does, and refuted when the
// default one already covers it.
func TestSNIProbe(t *testing.T) {
	const host = "api.example.test"
	res := live.Static{host: {netip.MustParseAddr("127.0.0.1")}}
	for _, tc := range []struct {
		name   string
		def    string
		named  bool
		status string
		says   string
	}{
		{"vhosted", "default.example.test", true, "confirmed", "without SNI: a certificate for default.example.test, which does not cover the name"},
		{"one cert", host, false, "refuted", "already presents a certificate for " + host},
		{"neither", "other.example.test", false, "inconclusive", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			named := map[string]tls.Certificate{}
			if tc.named {
				named[host] = selfSigned(t, host)
			}
			port := serveTLS(t, selfSigned(t, tc.def), named)
			conf := "events {}\nhttp {\n    server {\n        listen 80;\n        location / { proxy_pass https://" + host + ":" +
				strconv.Itoa(port) + "; }\n    }\n}\n"
			ws := load(t, "nginx.conf", conf)
			fs, errs := analyzer.Run(ws, []*analyzer.Rule{connectivity.ProxySSLNoSNI}, nil)
			if len(errs) > 0 || len(fs) != 1 {
				t.Fatalf("static run: %v %v", fs, errs)
			}
			fs = live.Check(context.Background(), ws, fs, live.Options{Resolver: res, Timeout: 2 * time.Second})
			f := fs[0]
			if f.Live == nil || f.Live.Status != tc.status || !strings.Contains(f.Live.Summary, tc.says) {
				t.Fatalf("live: %+v", f.Live)
			}
			if tc.status == "refuted" && f.Severity != analyzer.Info {
				t.Errorf("a refuted finding stays at %s", f.Severity)
			}
		})
	}
}
