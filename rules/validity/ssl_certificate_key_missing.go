package validity

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var SSLCertificateKeyMissing = registry.Add(&analyzer.Rule{
	ID:         "NGX329",
	Name:       "ssl-certificate-key-missing",
	Severity:   analyzer.Error,
	Summary:    "a server has more ssl_certificate lines in effect than ssl_certificate_key lines (or a TLS pass a proxy_ssl_certificate without its key): nginx refuses to start",
	Tags:       []analyzer.Tag{analyzer.TagValidity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"server", "proxy_pass", "grpc_pass", "uwsgi_pass"},
	Visit:      visitCertificateKeys,
	Doc: `## What it does
For each ` + "`server`" + ` block of ` + "`http`" + ` and ` + "`stream`" + `, counts the ` + "`ssl_certificate`" + ` and
` + "`ssl_certificate_key`" + ` lines in effect, as nginx merges them: a server's own lines of one
directive replace the ` + "`http`" + ` (or ` + "`stream`" + `) block's lines of that directive, each directive on
its own. With certificates in effect and fewer keys, it reports the certificate left without one.
The same holds for the certificate nginx presents to a backend: a location whose ` + "`proxy_pass`" + ` is
` + "`https://`" + ` (` + "`grpc_pass grpcs://`" + `, ` + "`uwsgi_pass suwsgi://`" + `, or a target in variables) with
` + "`proxy_ssl_certificate`" + ` (` + "`grpc_`" + `, ` + "`uwsgi_`" + `) in effect needs the matching ` + "`..._ssl_certificate_key`" + `.
A server or location whose keys could come from where ngxlint cannot look (an include that loaded
nothing, a file linted without the main file around it) is not reported.

## Why is this bad?
nginx refuses to start: ` + "`no \"ssl_certificate_key\" is defined for certificate \"...\"`" + `. It happens when
a certificate is added for a second key type (RSA beside ECDSA) without its key, or when the key
line is left in a snippet that the server no longer includes.

## Example
` + "```nginx" + `
server {
    listen 443 ssl;
    ssl_certificate     /etc/ssl/example.rsa.crt;
    ssl_certificate_key /etc/ssl/example.rsa.key;
    ssl_certificate     /etc/ssl/example.ecdsa.crt;
}
` + "```" + `

## Use instead
` + "```nginx" + `
server {
    listen 443 ssl;
    ssl_certificate     /etc/ssl/example.rsa.crt;
    ssl_certificate_key /etc/ssl/example.rsa.key;
    ssl_certificate     /etc/ssl/example.ecdsa.crt;
    ssl_certificate_key /etc/ssl/example.ecdsa.key;
}
` + "```" + `
`,
})

func visitCertificateKeys(p *analyzer.Pass, d *nginx.Directive) {
	if d.Name != "server" {
		visitPassCertificateKey(p, d)
		return
	}
	fam := d.Module()
	if !d.HasBlock || fam != "http" && fam != "stream" {
		return
	}
	certs, keys, blind := certLines(d.Block)
	if blind {
		return
	}
	for _, s := range sitesOf(d) {
		if s.Root == nil {
			return
		}
		outer := d.EnclosingIn(s, fam)
		c, k := certs, keys
		switch {
		case outer != nil:
			if analyzer.ResultOf(p.Workspace, blindOuterLevels)[outer] {
				return
			}
			// The lines in effect, the server's own or else the http or
			// stream block's, from the inheritance model: that level lists
			// every included host, and the model reads it once.
			inh := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
			c = oneArg(inh.Resolve(d, s, "ssl_certificate", p.Settings.Nginx()).Effective)
			k = oneArg(inh.Resolve(d, s, "ssl_certificate_key", p.Settings.Nginx()).Effective)
		case s.Root.Implied != nil:
			return // the http block around this file is not read: it may hold keys
		}
		if len(c) == 0 || len(k) >= len(c) {
			continue
		}
		last := c[len(c)-1]
		where := "this server"
		if len(certs) == 0 {
			where = fmt.Sprintf("this server (from the %s block)", fam)
		}
		span, related := last.Args[0].Span(), []source.Related{{Span: d.NameSpan(), Message: "the server"}}
		if len(certs) == 0 { // at the server that lacks the key, once per server
			span, related = d.NameSpan(), []source.Related{{Span: last.Args[0].Span(), Message: "the certificate it inherits"}}
		}
		f := analyzer.Finding{Span: span, Message: fmt.Sprintf("%s has %d ssl_certificate line(s) in effect and %d "+
			"ssl_certificate_key line(s): nginx refuses to start (no \"ssl_certificate_key\" is defined for certificate %q); "+
			"add the key of %s next to it", where, len(c), len(k), last.Args[0].Value, last.Args[0].Value),
			Related: related}
		p.Report(f)
		return
	}
}

// certLines are the ssl_certificate and ssl_certificate_key lines of a
// level (includes followed); blind when an include there loaded nothing.
func certLines(level []*nginx.Directive) (certs, keys []*nginx.Directive, blind bool) {
	nginx.AtLevel(level, func(e *nginx.Directive) bool {
		switch {
		case e.Name == "ssl_certificate" && len(e.Args) == 1:
			certs = append(certs, e)
		case e.Name == "ssl_certificate_key" && len(e.Args) == 1:
			keys = append(keys, e)
		}
		return true
	})
	return certs, keys, blindLevel(level)
}

// blindOuterLevels are the http and stream blocks with an include that
// loaded nothing (see blindLevel), worked out once per run: every server
// asks about its block, and a single-file configuration's http block
// holds every server.
var blindOuterLevels = &analyzer.Model[map[*nginx.Directive]bool]{
	Name: "validity/blind-outer-levels",
	Compute: func(ws *analyzer.Workspace) map[*nginx.Directive]bool {
		out := map[*nginx.Directive]bool{}
		for _, c := range ws.Nginx {
			for _, d := range c.Directives {
				if (d.Name == "http" || d.Name == "stream") && d.HasBlock && blindLevel(d.Block) {
					out[d] = true
				}
			}
		}
		return out
	},
}

// blindLevel reports an include at the level that loaded nothing.
func blindLevel(level []*nginx.Directive) bool { return slices.ContainsFunc(level, blindInclude) }

// oneArg keeps the lines with one argument, as certLines does.
func oneArg(lines []*nginx.Directive) []*nginx.Directive {
	return slices.DeleteFunc(lines, func(d *nginx.Directive) bool { return len(d.Args) != 1 })
}

// visitPassCertificateKey: a TLS pass whose client certificate for the
// backend (proxy_ssl_certificate, grpc_, uwsgi_) has no key in effect.
func visitPassCertificateKey(p *analyzer.Pass, d *nginx.Directive) {
	if d.Module() != "http" || !tlsPass(d) {
		return
	}
	prefix := strings.TrimSuffix(d.Name, "_pass")
	inh := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	for _, s := range sitesOf(d) {
		if s.Root == nil || s.Root.Implied != nil {
			return // the http block around it is not read
		}
		cr := inh.Resolve(d, s, prefix+"_ssl_certificate", p.Settings.Nginx())
		kr := inh.Resolve(d, s, prefix+"_ssl_certificate_key", p.Settings.Nginx())
		if cr.Unresolved || kr.Unresolved || len(cr.Effective) == 0 || len(kr.Effective) > 0 {
			continue
		}
		cert := cr.Effective[len(cr.Effective)-1]
		if len(cert.Args) != 1 || cert.Args[0].Value == "" {
			continue
		}
		f := analyzer.Finding{Span: cert.Args[0].Span(), Message: fmt.Sprintf("%s %s presents %s to the backend "+
			"without %s_ssl_certificate_key in effect: nginx refuses to start (no \"%s_ssl_certificate_key\" is defined "+
			"for certificate %q); add the key of %s next to it", d.Name, d.Args[0].Value, cert.Args[0].Value, prefix,
			prefix, cert.Args[0].Value, cert.Args[0].Value),
			Related: []source.Related{{Span: d.Args[0].Span(), Message: "the TLS pass it applies to"}}}
		if cert.Parent != d.Parent { // inherited: at each pass that lacks the key
			f.Span, f.Related = d.Args[0].Span(), []source.Related{{Span: cert.Args[0].Span(), Message: "the certificate it inherits"}}
		}
		p.Report(f)
		return
	}
}
