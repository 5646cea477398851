package connectivity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var SSLCertificateMissing = registry.Add(&analyzer.Rule{
	ID:        "NGX119",
	Name:      "ssl-certificate-missing",
	Severity:  analyzer.Error,
	Summary:   "an address nginx serves TLS on has a default server (or a stream server) without ssl_certificate, so nginx refuses to start",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagValidity},
	Precision: analyzer.PrecisionHigh,
	Fix:       analyzer.FixNone,
	Run:       runSSLCertificateMissing,
	Doc: `## What it does
Groups the ` + "`listen`" + ` directives of the http servers of one configuration by the address and
port they bind, as ` + "`duplicate-default-server`" + ` does. An address takes TLS when any of its
listens has ` + "`ssl`" + `. For each such address it finds the default server (the one with
` + "`default_server`" + `, else the first nginx reads) and checks that an ` + "`ssl_certificate`" + ` is in
effect there, its own or the ` + "`http`" + ` block's. A default server with
` + "`ssl_reject_handshake on`" + ` needs none, but then every other server of the address needs one (or
` + "`ssl_reject_handshake on`" + ` too). The finding is at the server that lacks the certificate, with
the ` + "`ssl`" + ` parameter as a related location.

In a ` + "`stream`" + ` block, where no two servers share an address, each server with a ` + "`listen ... ssl`" + `
(TCP) needs a certificate in effect, its own or the ` + "`stream`" + ` block's.

A server whose certificate could come from where ngxlint cannot look (an include that loaded
nothing, a file linted without the main file around it) is left alone, and so are ` + "`quic`" + `
listens.

## Why is this bad?
nginx needs a certificate for the handshake of every TLS connection it accepts on the address, and
the default server's is the one it falls back to. Without one, ` + "`nginx -t`" + ` fails with
` + "`no \"ssl_certificate\" is defined for the \"listen ... ssl\" directive`" + ` and nginx does not start or
reload: every client of every site on the host gets connection refused (on a reload, the old
configuration keeps running and the change never ships). It often happens when a certificate
is moved into a snippet that one server stops including, or when a catch-all server gets
` + "`listen 443 ssl default_server`" + ` to answer unknown names.

## Example
` + "```nginx" + `
server {
    listen 443 ssl default_server;   # the catch-all for unknown names
    return 444;
}
server {
    listen 443 ssl;
    server_name www.example.com;
    ssl_certificate     /etc/ssl/www.example.com.crt;
    ssl_certificate_key /etc/ssl/www.example.com.key;
}
` + "```" + `

## Use instead
Refuse the handshake in the catch-all (nginx 1.19.4 and later), or give it a certificate:
` + "```nginx" + `
server {
    listen 443 ssl default_server;
    ssl_reject_handshake on;
}
server {
    listen 443 ssl;
    server_name www.example.com;
    ssl_certificate     /etc/ssl/www.example.com.crt;
    ssl_certificate_key /etc/ssl/www.example.com.key;
}
` + "```" + `
`,
})

func runSSLCertificateMissing(p *analyzer.Pass) {
	inh := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	v := p.Settings.Nginx()
	// tls says what a server has in effect at one site: a certificate, or
	// ssl_reject_handshake on; blind when ngxlint cannot see all of it.
	type tls struct{ cert, reject, blind bool }
	state := func(b boundListen) tls {
		if b.site.Root == nil || b.site.Root.Implied != nil {
			return tls{blind: true} // the http block around it is not read
		}
		certs := inh.Resolve(b.vs.Directive, b.site, "ssl_certificate", v)
		reject := inh.Resolve(b.vs.Directive, b.site, "ssl_reject_handshake", v)
		on := false
		if n := len(reject.Effective); n > 0 {
			last := reject.Effective[n-1]
			on = len(last.Args) == 1 && strings.EqualFold(last.Args[0].Value, "on")
		}
		return tls{cert: len(certs.Effective) > 0, reject: on, blind: certs.Unresolved || reject.Unresolved}
	}
	reported := map[*nginx.Directive]bool{}
	report := func(b boundListen, ssl *nginx.Listen, what, fix string) {
		if reported[b.vs.Directive] {
			return
		}
		reported[b.vs.Directive] = true
		if b.l.SSL {
			ssl = b.l // its own listen, when that one has ssl
		}
		rel := []source.Related{{Span: ssl.Param("ssl").Span(), Message: "the listen that turns on TLS for " + b.key}}
		block := b.vs.Module // http or stream
		p.Report(analyzer.Finding{Span: b.vs.Directive.NameSpan(), Related: rel, Message: fmt.Sprintf(
			"this server %s, and has no ssl_certificate in effect (its own or the %s block's): nginx refuses to "+
				"start (no \"ssl_certificate\" is defined for the \"listen ... ssl\" directive); add ssl_certificate and "+
				"ssl_certificate_key here or in the %s block%s", what, block, block, fix)})
	}
	for _, list := range analyzer.ResultOf(p.Workspace, listensByScope) {
		bySocket := map[string][]int32{} // indices into list: a listen is some 100 bytes
		var sockets []string
		for i, b := range list {
			if b.vs.Module == "stream" && b.l.SSL && !b.l.UDP {
				// A stream server has an address to itself (nginx refuses
				// two on one): each that takes TLS needs a certificate.
				if st := state(b); !st.blind && !st.cert && !st.reject {
					report(b, b.l, "takes TLS on "+b.key, "")
				}
				continue
			}
			if b.vs.Module != "http" || b.l.QUIC || b.l.UDP {
				continue
			}
			if _, ok := bySocket[b.key]; !ok {
				sockets = append(sockets, b.key)
			}
			bySocket[b.key] = append(bySocket[b.key], int32(i))
		}
		for _, sock := range sockets {
			binds := bySocket[sock]
			var ssl *nginx.Listen
			def := list[binds[0]] // in nginx's reading order
			hasDefault := false
			for _, i := range binds {
				b := list[i]
				if b.l.SSL && ssl == nil {
					ssl = b.l
				}
				if b.l.DefaultServer && !hasDefault {
					def, hasDefault = b, true
				}
			}
			if ssl == nil {
				continue
			}
			st := state(def)
			switch {
			case st.blind:
			case !st.cert && !st.reject:
				report(def, ssl, "is the default server of "+sock+", where nginx serves TLS",
					", or, if it only turns away unknown names, ssl_reject_handshake on")
			case !st.cert:
				// The default server refuses handshakes: every other server of
				// the address needs its own certificate or refusal.
				for _, i := range binds {
					b := list[i]
					if b.vs == def.vs {
						continue
					}
					if o := state(b); !o.blind && !o.cert && !o.reject {
						report(b, ssl, "listens on "+sock+", whose default server refuses TLS handshakes "+
							"(ssl_reject_handshake on)", "")
					}
				}
			}
		}
	}
}
