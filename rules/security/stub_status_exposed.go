package security

import (
	"net/netip"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/inherit"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var StubStatusExposed = registry.Add(&analyzer.Rule{
	ID:         "NGX433",
	Name:       "stub-status-exposed",
	Severity:   analyzer.Warning,
	Summary:    "stub_status answers anyone: no allow/deny applies and the server listens beyond loopback",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"status_page_exposed"},
	Directives: []string{"stub_status"},
	Visit:      visitStubStatus,
	Doc: `## What it does
Reports ` + "`stub_status`" + ` in a location where no ` + "`allow`" + ` / ` + "`deny`" + ` applies (written there or
inherited from the server or http level), in a server that listens on some address other than
loopback or a unix socket. An ` + "`auth_basic`" + ` or ` + "`auth_request`" + ` at the location or above counts
as protection too, and so does an ` + "`if`" + ` in the location that answers 4xx (the idiom of an
allow-list kept in a ` + "`geo`" + ` or ` + "`map`" + `). Each place a snippet is included is checked.

## Why is this bad?
The status page tells anyone who asks how many connections the server holds and how many
requests it has served: a free load gauge for whoever is timing an attack, and a fingerprint that
the host runs nginx with the status module.

## Example
` + "```nginx" + `
location /nginx_status {
    stub_status;
}
` + "```" + `

## Use instead
` + "```nginx" + `
location /nginx_status {
    stub_status;
    allow 127.0.0.1;
    deny all;
}
` + "```" + `
`,
})

func visitStubStatus(p *analyzer.Pass, d *nginx.Directive) {
	ix := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	v := p.Settings.Nginx()
	for _, s := range d.Config.Sites() {
		loc := d.EnclosingIn(s, "location")
		srv := d.EnclosingIn(s, "server")
		if loc == nil || srv == nil {
			return // a snippet whose location or server is out of sight
		}
		r := ix.Resolve(loc, s, "allow", v)
		if r.Unresolved || len(r.Effective) > 0 {
			continue
		}
		if guarded(ix, loc, s, v) || localOnly(srv) {
			continue
		}
		related := append(s.Related(), relatedSpan(srv))
		p.Report(analyzer.Finding{Span: d.NameSpan(), Related: related, Message: "the status page answers every client: " +
			"no allow/deny applies to this location and its server listens beyond loopback; add allow for your " +
			"monitoring addresses and deny all;"})
		return
	}
}

// guarded reports an auth_basic or auth_request (not off) in force at
// loc, or an `if` at its level that refuses (return 4xx), the idiom of a
// geo or map allow-list.
func guarded(ix *inherit.Index, loc *nginx.Directive, s nginx.Site, v spec.Version) bool {
	refuses := false
	nginx.AtLevel(loc.Block, func(x *nginx.Directive) bool {
		if x.Name == "if" {
			for _, y := range x.Block {
				if y.Name == "return" && len(y.Args) > 0 && len(y.Args[0].Value) == 3 && y.Args[0].Value[0] == '4' {
					refuses = true
				}
			}
		}
		return !refuses
	})
	if refuses {
		return true
	}
	for _, name := range []string{"auth_basic", "auth_request"} {
		eff := ix.Resolve(loc, s, name, v).Effective
		if n := len(eff); n > 0 && len(eff[n-1].Args) > 0 && eff[n-1].Args[0].Value != "off" {
			return true
		}
	}
	return false
}

// localOnly reports a server whose every listen is a unix socket or a
// loopback address (no listen at all means *:80).
func localOnly(srv *nginx.Directive) bool {
	local, any := true, false
	nginx.AtLevel(srv.Block, func(x *nginx.Directive) bool {
		if x.Name != "listen" {
			return true
		}
		any = true
		l, ok := nginx.ListenOf(x)
		if !ok || !l.Unix && !isLoopback(l.Host) {
			local = false
		}
		return true
	})
	return any && local
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

func relatedSpan(srv *nginx.Directive) source.Related {
	return source.Related{Span: srv.NameSpan(), Message: "the server it answers in"}
}
