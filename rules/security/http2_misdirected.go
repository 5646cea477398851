package security

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var HTTP2Misdirected = registry.Add(&analyzer.Rule{
	ID:        "NGX442",
	Name:      "http2-misdirected-request",
	Severity:  analyzer.Info,
	Summary:   "a server that verifies client certificates shares an HTTP/2 TLS socket with another server, so reused connections get 421",
	Tags:      []analyzer.Tag{analyzer.TagSecurity},
	Precision: analyzer.PrecisionMedium,
	Fix:       analyzer.FixNone,
	Aliases:   []string{"http2_misdirected_request"},
	Run:       runHTTP2Misdirected,
	Doc: `## What it does
Groups the http servers of a main configuration by socket (address and port) and reports a server
with ` + "`ssl_verify_client`" + ` ` + "`on`" + `, ` + "`optional`" + ` or ` + "`optional_no_ca`" + ` (its own or inherited
from http) that shares a TLS socket with another named server, when both speak HTTP/2 (the
` + "`http2`" + ` listen parameter on the socket, or ` + "`http2 on`" + ` in each server). A server with
` + "`ssl_reject_handshake on`" + ` and one without a real name (none, ` + "`\"\"`" + ` or ` + "`_`" + `) do not
count: no client connects to them by name. Fragments linted without their main file are left alone.

It is an info finding, because ngxlint cannot tell whether the certificates cover each other's
names: it does not read certificate files. The message says so, and says when both servers name the
same ` + "`ssl_certificate`" + ` (then one certificate is sent for both names).

Not reported: one verifying server with several names (a client that reuses the connection made
for one of them for another gets 421 too), and ` + "`quic`" + ` listens, where nginx applies the same check
to HTTP/3 requests.

## Why is this bad?
When the ` + "`Host`" + ` of a request differs from the name the client sent in TLS SNI, nginx picks
the server by ` + "`Host`" + `; if that server verifies client certificates, nginx answers 421
Misdirected Request instead, since the handshake was made for another server and its certificate
check did not run. HTTP/2 makes this routine: a browser reuses an open connection for any other
name the server's certificate covers on the same address. Requests to the verifying site then fail
with 421 until the client retries on a new connection; browsers do that, many API clients and
proxies do not.

gixy-ng's ` + "`http2_misdirected_request`" + ` looks at the other side of the same behaviour (a TLS
default server with ` + "`ssl_reject_handshake on`" + ` and HTTP/2 that does not itself return 421); its
name is accepted here so that migrated suppressions keep working.

## Example
` + "```nginx" + `
server {
    listen 443 ssl http2;
    server_name www.example.com;
    ssl_certificate /etc/ssl/wildcard.example.com.pem;
    ssl_certificate_key /etc/ssl/wildcard.example.com.key;
}
server {
    listen 443 ssl http2;
    server_name admin.example.com;
    ssl_certificate /etc/ssl/wildcard.example.com.pem;
    ssl_certificate_key /etc/ssl/wildcard.example.com.key;
    ssl_client_certificate /etc/ssl/clients-ca.pem;
    ssl_verify_client on;
}
` + "```" + `

## Use instead
Give the server that verifies client certificates its own address or port, or keep its names out
of the certificates of the other servers on its socket, so that clients do not reuse another site's
connection for it:
` + "```nginx" + `
server {
    listen 10.0.0.2:443 ssl http2;
    server_name admin.example.com;
    ssl_certificate /etc/ssl/admin.example.com.pem;
    ssl_certificate_key /etc/ssl/admin.example.com.key;
    ssl_client_certificate /etc/ssl/clients-ca.pem;
    ssl_verify_client on;
}
` + "```" + `
There is no fix: where the site should listen is a decision about the deployment.
`,
})

// h2Server is an http server's view for this rule.
type h2Server struct {
	d       *nginx.Directive
	verify  *nginx.Directive // effective ssl_verify_client when it verifies
	h2      bool             // http2 on at the server level
	named   bool             // has a name a client can connect to
	rejects bool             // ssl_reject_handshake on
	cert    string           // first effective ssl_certificate, "" when none
}

type h2Socket struct {
	tls, h2 bool
	servers []*h2Server
}

func runHTTP2Misdirected(p *analyzer.Pass) {
	if !p.Workspace.AnyNamed("ssl_verify_client", nil) {
		return // no server verifies client certificates: nothing to group
	}
	ix := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	v := p.Settings.Nginx()
	type key struct {
		scope *nginx.Config
		sock  string
	}
	socks := map[key]*h2Socket{}
	var order []key
	for _, vs := range analyzer.ResultOf(p.Workspace, analyzer.Servers) {
		if vs.Module != "http" || vs.Directive.Config == nil {
			continue
		}
		scope := soleScope(vs.Directive)
		if scope == nil {
			continue
		}
		site := vs.Directive.Config.Sites()[0]
		last := func(name string) *nginx.Directive {
			r := ix.Resolve(vs.Directive, site, name, v)
			if len(r.Effective) == 0 {
				return nil
			}
			return r.Effective[len(r.Effective)-1]
		}
		srv := &h2Server{d: vs.Directive}
		if x := last("ssl_verify_client"); x != nil && len(x.Args) > 0 && !strings.EqualFold(x.Args[0].Value, "off") {
			srv.verify = x
		}
		srv.h2 = isOn(last("http2"))
		srv.rejects = isOn(last("ssl_reject_handshake"))
		if x := last("ssl_certificate"); x != nil && len(x.Args) > 0 {
			srv.cert = x.Args[0].Value
		}
		for _, n := range vs.Names {
			if n.Value != "" && n.Value != "_" {
				srv.named = true
			}
		}
		seen := map[string]bool{}
		for i := range vs.Listens {
			l := &vs.Listens[i]
			sock, ok := l.Socket()
			if !ok || l.Unix {
				continue
			}
			k := key{scope, sock}
			s := socks[k]
			if s == nil {
				s = &h2Socket{}
				socks[k] = s
				order = append(order, k)
			}
			// ssl and http2 on a listen apply to the whole socket.
			s.tls = s.tls || l.SSL
			s.h2 = s.h2 || l.HTTP2
			if !seen[sock] {
				seen[sock] = true
				s.servers = append(s.servers, srv)
			}
		}
	}
	reported := map[*h2Server]bool{}
	for _, k := range order {
		s := socks[k]
		if !s.tls {
			continue
		}
		for _, srv := range s.servers {
			if srv.verify == nil || reported[srv] || !s.h2 && !srv.h2 {
				continue
			}
			other := otherH2Server(s, srv)
			if other == nil {
				continue
			}
			reported[srv] = true
			cover := "when that server's certificate also covers this server's names (ngxlint cannot tell)"
			if srv.cert != "" && srv.cert == other.cert {
				cover = "as both send the certificate " + srv.cert
			}
			span := srv.d.NameSpan()
			if srv.verify.Parent == srv.d {
				span = srv.verify.Args[0].Span()
			}
			p.Report(analyzer.Finding{Span: span,
				Related: []source.Related{{Span: other.d.NameSpan(), Message: "also serves HTTP/2 over TLS on " + k.sock}},
				Message: fmt.Sprintf("this server verifies client certificates (ssl_verify_client %s) and shares %s "+
					"with another HTTP/2 server; %s, browsers reuse that server's connection for this one and nginx "+
					"answers 421 Misdirected Request; give this server its own address or port, or "+
					"keep its names out of the other servers' certificates", srv.verify.Args[0].Value, k.sock, cover)})
		}
	}
}

// otherH2Server is the first server on s, other than srv, that a client
// can reach by name over HTTP/2.
func otherH2Server(s *h2Socket, srv *h2Server) *h2Server {
	for _, o := range s.servers {
		if o != srv && o.named && !o.rejects && (s.h2 || o.h2) {
			return o
		}
	}
	return nil
}

func isOn(d *nginx.Directive) bool {
	return d != nil && len(d.Args) > 0 && strings.EqualFold(d.Args[0].Value, "on")
}

// soleScope is the main configuration d belongs to when every inclusion
// site leads to the same one; nil for fragments.
func soleScope(d *nginx.Directive) *nginx.Config {
	var scope *nginx.Config
	for _, s := range d.Config.Sites() {
		sc := nginx.ScopeOf(s)
		if sc == nil || scope != nil && sc != scope {
			return nil
		}
		scope = sc
	}
	return scope
}
