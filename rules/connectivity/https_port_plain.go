package connectivity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var HTTPSPortPlain = registry.Add(&analyzer.Rule{
	ID:        "NGX125",
	Name:      "https-port-plain",
	Severity:  analyzer.Error,
	Summary:   "a server with its own ssl_certificate listens on port 443 without ssl, so nginx answers plain HTTP where clients speak TLS",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity},
	Precision: analyzer.PrecisionHigh,
	Fix:       analyzer.FixUnsafe,
	Run:       runHTTPSPortPlain,
	Doc: `## What it does
Finds an http server that sets ` + "`ssl_certificate`" + ` itself (or in a file it includes) and listens on
port 443 without the ` + "`ssl`" + ` parameter, where no other server's listen of the same address turns
TLS on either (nginx enables TLS for an address when any of its listens has ` + "`ssl`" + `). The deprecated
` + "`ssl on;`" + ` counts as TLS, and a ` + "`quic`" + ` listen is another socket. The finding is at the listen.
A file linted without its main file is left alone: another server there may turn TLS on for the
address.

## Why is this bad?
nginx starts, and speaks plain HTTP on port 443. Every HTTPS client fails the handshake: curl
reports ` + "`wrong version number`" + `, Firefox ` + "`SSL_ERROR_RX_RECORD_TOO_LONG`" + `, Chrome
` + "`ERR_SSL_PROTOCOL_ERROR`" + `, while nginx logs at most an info-level line about the request line it
could not read. The certificate lines suggest TLS is configured, which makes it hard to spot.

## Example
` + "```nginx" + `
server {
    listen 443;
    server_name www.example.com;
    ssl_certificate     /etc/ssl/www.example.com.crt;
    ssl_certificate_key /etc/ssl/www.example.com.key;
}
` + "```" + `

## Use instead
` + "```nginx" + `
server {
    listen 443 ssl;
    server_name www.example.com;
    ssl_certificate     /etc/ssl/www.example.com.crt;
    ssl_certificate_key /etc/ssl/www.example.com.key;
}
` + "```" + `
The fix adds ` + "`ssl`" + ` to the listen. It is unsafe: it changes the protocol of the port, for every
server on it.
`,
})

func runHTTPSPortPlain(p *analyzer.Pass) {
	for _, list := range analyzer.ResultOf(p.Workspace, listensByScope) {
		tls := map[string]bool{} // addresses some listen turns TLS on for
		for _, b := range list {
			if b.vs.Module == "http" && b.l.SSL {
				tls[b.key] = true
			}
		}
		reported := map[*nginx.Directive]bool{}
		for _, b := range list {
			if b.vs.Module != "http" || b.l.Port != 443 || b.l.Unix || b.l.QUIC || tls[b.key] || reported[b.l.Directive] {
				continue
			}
			if b.site.Root == nil || b.site.Root.Implied != nil {
				continue // a fragment: another server of the main file may turn TLS on there
			}
			cert := ownCertificate(b.vs)
			if cert == nil || anySSLOn(p, list, b.key) {
				continue
			}
			reported[b.l.Directive] = true
			f := analyzer.Finding{
				Span: b.l.Addr.Span(),
				Message: fmt.Sprintf("this server sets ssl_certificate but listens on %s without ssl: nginx speaks plain "+
					"HTTP there, and HTTPS clients fail the handshake (curl: wrong version number; browsers: "+
					"SSL_ERROR_RX_RECORD_TOO_LONG); write listen %s ssl", b.key, b.l.Directive.Args[0].Value),
				Related: []source.Related{{Span: cert.NameSpan(), Message: "the certificate no handshake uses"}},
			}
			last := b.l.Directive.Args[len(b.l.Directive.Args)-1]
			f.Fix = &analyzer.Fix{Title: "Add ssl to the listen", Edits: []analyzer.Edit{{
				Span: source.Span{File: last.Span().File, Start: last.Span().End, End: last.Span().End}, NewText: " ssl"}}}
			p.Report(f)
		}
	}
}

// ownCertificate is an ssl_certificate the server block itself holds (in
// its own lines or a file it includes), not one it inherits.
func ownCertificate(vs *nginx.VirtualServer) *nginx.Directive {
	var cert *nginx.Directive
	nginx.AtLevel(vs.Directive.Block, func(d *nginx.Directive) bool {
		if d.Name == "ssl_certificate" && len(d.Args) == 1 {
			cert = d
			return false
		}
		return true
	})
	return cert
}

// anySSLOn reports a server listening on key with the deprecated ssl on
// in effect (its own or the http block's), which turns TLS on for its
// listens; asked for the rare candidate only.
func anySSLOn(p *analyzer.Pass, list []boundListen, key string) bool {
	inh := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	for _, b := range list {
		if b.key != key || b.vs.Module != "http" {
			continue
		}
		eff := inh.Resolve(b.vs.Directive, b.site, "ssl", p.Settings.Nginx()).Effective
		if n := len(eff); n > 0 && len(eff[n-1].Args) == 1 && strings.EqualFold(eff[n-1].Args[0].Value, "on") {
			return true
		}
	}
	return false
}
