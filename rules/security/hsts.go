package security

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ngxlint/ngxlint/internal/lazyre"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

var HSTS = registry.Add(&analyzer.Rule{
	ID:         "NGX436",
	Name:       "hsts",
	Severity:   analyzer.Warning,
	Summary:    "an HTTPS server sends no Strict-Transport-Security header, or one with a max-age under six months",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"hsts_header"},
	Directives: []string{"server"},
	Visit:      visitHSTS,
	Doc: `## What it does
For each http ` + "`server`" + ` that listens with ` + "`ssl`" + ` (or ` + "`quic`" + `), reads the ` + "`add_header`" + `
lines in force at the server level (written there, included, or inherited from http) and
` + "`more_set_headers`" + `:

- a ` + "`Strict-Transport-Security`" + ` header with a ` + "`max-age`" + ` below 15768000 seconds (six months)
  is reported at the value, as a warning;
- no such header at all is reported at the server, at info level, and only for servers that
  pass nothing to a backend: an application behind ` + "`proxy_pass`" + ` or ` + "`fastcgi_pass`" + ` may send the
  header itself, which ngxlint cannot see.

## Why is this bad?
Without HSTS a browser that types the bare name, or follows an ` + "`http://`" + ` link, makes its first
request in clear text, where an attacker on the network can answer instead of the server
(SSL stripping). A short ` + "`max-age`" + ` lets the protection lapse between visits.

## Example
` + "```nginx" + `
server {
    listen 443 ssl;
    ssl_certificate     /etc/ssl/example.com.crt;
    ssl_certificate_key /etc/ssl/example.com.key;
    add_header Strict-Transport-Security "max-age=3600";
}
` + "```" + `

## Use instead
` + "```nginx" + `
server {
    listen 443 ssl;
    ssl_certificate     /etc/ssl/example.com.crt;
    ssl_certificate_key /etc/ssl/example.com.key;
    add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;
}
` + "```" + `
`,
})

const hstsMinAge = 15768000

var maxAgeRE = lazyre.New(`(?i)max-age\s*=\s*"?(\d+)`)

func visitHSTS(p *analyzer.Pass, d *nginx.Directive) {
	if !d.HasBlock || d.InnerContext() == "upstream" || d.Module() != "http" || !servesTLS(d) {
		return
	}
	ix := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	v := p.Settings.Nginx()
	for _, s := range d.Config.Sites() {
		r := ix.Resolve(d, s, "add_header", v)
		if r.Unresolved {
			return
		}
		var hsts *nginx.Directive
		for _, h := range r.Effective {
			if h.Name == "add_header" && len(h.Args) >= 2 && strings.EqualFold(h.Args[0].Value, "Strict-Transport-Security") {
				hsts = h
			}
		}
		if hsts == nil && (moreSetsHSTS(d) || passesToBackend(d) || d.Config.Incomplete()) {
			return
		}
		if hsts == nil {
			p.Report(analyzer.Finding{Span: d.NameSpan(), Severity: analyzer.Info, Related: s.Related(),
				Message: "this HTTPS server sends no Strict-Transport-Security header, so a browser's first request by " +
					"name or through an http:// link goes out in clear text and can be intercepted; add " +
					"`add_header Strict-Transport-Security \"max-age=31536000\" always;`"})
			return
		}
		val := hsts.Args[1]
		if m := maxAgeRE.Re().FindStringSubmatch(val.Value); m != nil {
			if age, err := strconv.Atoi(m[1]); err == nil && age < hstsMinAge {
				p.Report(analyzer.Finding{Span: val.Span(), Related: s.Related(), Message: fmt.Sprintf("Strict-Transport-Security "+
					"max-age=%d is under six months (15768000 s): browsers forget the HTTPS-only rule between visits and "+
					"the next first request goes out in clear text; use max-age=31536000", age)})
				return
			}
		}
	}
}

// servesTLS reports a server with a listen that has ssl or quic.
func servesTLS(srv *nginx.Directive) bool {
	tls := false
	nginx.AtLevel(srv.Block, func(x *nginx.Directive) bool {
		if l, ok := nginx.ListenOf(x); ok && (l.SSL || l.QUIC) {
			tls = true
		}
		return !tls
	})
	return tls
}

// moreSetsHSTS reports headers-more setting the header anywhere in srv.
func moreSetsHSTS(srv *nginx.Directive) bool {
	found := false
	walkDeep(srv.Block, func(x *nginx.Directive) {
		if x.Name == "more_set_headers" {
			for _, a := range x.Args {
				if strings.HasPrefix(strings.ToLower(a.Value), "strict-transport-security:") {
					found = true
				}
			}
		}
	})
	return found
}

// passesToBackend reports a *_pass anywhere in srv: the backend may send
// the header itself.
func passesToBackend(srv *nginx.Directive) bool {
	found := false
	walkDeep(srv.Block, func(x *nginx.Directive) {
		found = found || strings.HasSuffix(x.Name, "_pass")
	})
	return found
}

// walkDeep visits every directive under list, following includes.
func walkDeep(list []*nginx.Directive, fn func(*nginx.Directive)) {
	nginx.AtLevel(list, func(x *nginx.Directive) bool {
		fn(x)
		if x.Block != nil {
			walkDeep(x.Block, fn)
		}
		return true
	})
}
