package security

import (
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var SSLStaplingWithoutResolver = registry.Add(&analyzer.Rule{
	ID:         "NGX434",
	Name:       "ssl-stapling-without-resolver",
	Severity:   analyzer.Warning,
	Summary:    "ssl_stapling is on but no resolver can find the OCSP responder, so nothing is stapled",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"ssl_stapling_without_resolver"},
	Directives: []string{"ssl_stapling"},
	Visit:      visitStaplingResolver,
	Doc: `## What it does
Reports ` + "`ssl_stapling on`" + ` in a server where no ` + "`resolver`" + ` is in force (written in the server
or inherited from http) and no ` + "`ssl_stapling_file`" + ` or ` + "`ssl_stapling_responder`" + ` with an IP
address makes one unnecessary.

## Why is this bad?
To staple an OCSP response nginx must reach the responder named in the certificate, by host
name, at run time; without a resolver it cannot, logs "no resolver defined to resolve ... while
requesting certificate status", and serves the certificate without a stapled response. Clients
then ask the CA themselves (slower, and a privacy leak), and ` + "`Must-Staple`" + ` certificates fail.

## Example
` + "```nginx" + `
server {
    listen 443 ssl;
    ssl_certificate     /etc/ssl/example.com.crt;
    ssl_certificate_key /etc/ssl/example.com.key;
    ssl_stapling on;
    ssl_stapling_verify on;
}
` + "```" + `

## Use instead
` + "```nginx" + `
server {
    listen 443 ssl;
    ssl_certificate     /etc/ssl/example.com.crt;
    ssl_certificate_key /etc/ssl/example.com.key;
    ssl_stapling on;
    ssl_stapling_verify on;
    resolver 127.0.0.53 valid=300s;
}
` + "```" + `
`,
})

var SSLStaplingLetsEncrypt = registry.Add(&analyzer.Rule{
	ID:         "NGX435",
	Name:       "ssl-stapling-letsencrypt",
	Severity:   analyzer.Info,
	Summary:    "ssl_stapling with a Let's Encrypt certificate: Let's Encrypt no longer runs OCSP, so nothing is stapled",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"ssl_stapling_letsencrypt"},
	Directives: []string{"ssl_stapling"},
	Visit:      visitStaplingLetsEncrypt,
	Doc: `## What it does
Reports ` + "`ssl_stapling on`" + ` in a server whose ` + "`ssl_certificate`" + ` lies under a Let's Encrypt
folder (` + "`/etc/letsencrypt/`" + `, or a path naming ` + "`letsencrypt`" + `).

## Why is this bad?
Let's Encrypt ended its OCSP service in 2025; its certificates no longer name an OCSP responder.
nginx then logs "\"ssl_stapling\" ignored, no OCSP responder URL in the certificate" at every start
and staples nothing, so the directives only add noise to the log (and ` + "`ssl_stapling_verify`" + `
gives a false sense of checking).

## Example
` + "```nginx" + `
server {
    listen 443 ssl;
    ssl_certificate /etc/letsencrypt/live/example.com/fullchain.pem;
    ssl_certificate_key /etc/letsencrypt/live/example.com/privkey.pem;
    ssl_stapling on;
}
` + "```" + `

## Use instead
Drop ` + "`ssl_stapling`" + ` and ` + "`ssl_stapling_verify`" + ` for these certificates; revocation is
published through CRLs now.
`,
})

func visitStaplingResolver(p *analyzer.Pass, d *nginx.Directive) {
	if !flagOn(d) {
		return
	}
	ix := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	v := p.Settings.Nginx()
	for _, s := range d.Config.Sites() {
		srv := d.EnclosingIn(s, "server")
		if srv == nil || srv.EnclosingIn(s, "http") == nil {
			return // the server or http level is out of sight
		}
		if r := ix.Resolve(srv, s, "resolver", v); r.Unresolved || len(r.Effective) > 0 {
			continue
		}
		if eff := ix.Resolve(srv, s, "ssl_stapling_file", v).Effective; len(eff) > 0 {
			continue
		}
		if eff := ix.Resolve(srv, s, "ssl_stapling_responder", v).Effective; len(eff) > 0 && literalIPURL(eff[len(eff)-1]) {
			continue
		}
		p.Report(analyzer.Finding{Span: d.Args[0].Span(), Related: append(s.Related(), relatedSpan(srv)),
			Message: "ssl_stapling is on but no resolver is in force here, so nginx cannot look up the certificate's " +
				"OCSP responder (\"no resolver defined to resolve\") and staples nothing; add a resolver to this server or to http"})
		return
	}
}

func visitStaplingLetsEncrypt(p *analyzer.Pass, d *nginx.Directive) {
	if !flagOn(d) {
		return
	}
	ix := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	v := p.Settings.Nginx()
	for _, s := range d.Config.Sites() {
		srv := d.EnclosingIn(s, "server")
		if srv == nil {
			return
		}
		for _, c := range ix.Resolve(srv, s, "ssl_certificate", v).Effective {
			if len(c.Args) > 0 && strings.Contains(strings.ToLower(c.Args[0].Value), "letsencrypt") {
				p.Report(analyzer.Finding{Span: d.Args[0].Span(),
					Related: []source.Related{{Span: c.Args[0].Span(), Message: "a Let's Encrypt certificate"}},
					Message: "this server's certificate comes from Let's Encrypt, which ended its OCSP service in 2025: " +
						"nginx finds no responder in the certificate, logs a warning at every start and staples nothing; " +
						"remove ssl_stapling (and ssl_stapling_verify)"})
				return
			}
		}
	}
}

func flagOn(d *nginx.Directive) bool {
	return len(d.Args) == 1 && d.Args[0].Value == "on"
}

// literalIPURL reports an ssl_stapling_responder URL whose host is an IP
// literal: nginx needs no resolver for it.
func literalIPURL(d *nginx.Directive) bool {
	if len(d.Args) == 0 {
		return false
	}
	a, ok := nginx.ParseAddress(d.Args[0])
	return ok && a.IP != nil
}
