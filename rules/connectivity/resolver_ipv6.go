package connectivity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

var ResolverIPv6Lookups = registry.Add(&analyzer.Rule{
	ID:         "NGX117",
	Name:       "resolver-ipv6-lookups",
	Severity:   analyzer.Info,
	Summary:    "a resolver looks up IPv6 addresses too, in a configuration that uses only IPv4",
	Tags:       []analyzer.Tag{analyzer.TagConnectivity},
	Precision:  analyzer.PrecisionMedium,
	Fix:        analyzer.FixUnsafe,
	Directives: []string{"resolver"},
	Visit:      visitResolverIPv6,
	Doc: `## What it does
Reports a ` + "`resolver`" + ` without ` + "`ipv6=off`" + ` (or ` + "`ipv6=on`" + ` written on purpose) that resolves names at run
time (upstream servers with ` + "`resolve`" + `, ` + "`*_pass`" + ` targets in variables) under public DNS names, in a
configuration that
shows no sign of IPv6: no listen on an IPv6 address and no IPv6 address among its peers. A resolver
used only for OCSP stapling or by code is left alone, and so are private names (a container's, a
cluster service's, ` + "`.internal`" + `): they get IPv6 addresses only on networks that route IPv6.

## Why is this bad?
nginx's resolver asks for both A and AAAA records and uses every address it gets. On a host or a
network without IPv6 routing, the connections to the IPv6 addresses fail ("connect() to [2001:db8::1]:443
failed (101: Network is unreachable)"): the request moves to the next address after the error, or
fails with 502 when the name has only IPv6 left, and the errors fill the log.

## Example
` + "```nginx" + `
server {
    listen 80;
    resolver 10.0.0.2 valid=30s;
    location / {
        set $api api.example.com;
        proxy_pass https://$api;   # resolved at run time
    }
}
` + "```" + `

## Use instead
` + "```nginx" + `
server {
    listen 80;
    resolver 10.0.0.2 valid=30s ipv6=off;
    location / {
        set $api api.example.com;
        proxy_pass https://$api;
    }
}
` + "```" + `
The fix adds ` + "`ipv6=off`" + `; it is unsafe: on a host that does reach IPv6 it gives those addresses up.
`,
})

func visitResolverIPv6(p *analyzer.Pass, d *nginx.Directive) {
	if len(d.Args) == 0 || d.Config == nil {
		return
	}
	for _, a := range d.Args {
		if strings.HasPrefix(a.Value, "ipv6=") || strings.HasPrefix(a.Value, "ipv4=") {
			return
		}
	}
	// Private names (containers, cluster services) get AAAA records only
	// on networks that route IPv6: only public ones are at risk.
	var uses []nameUse
	for _, u := range analyzer.ResultOf(p.Workspace, resolverUses)[d] {
		if !privateName(u.host) {
			uses = append(uses, u)
		}
	}
	if len(uses) == 0 || usesIPv6(p, d) {
		return
	}
	last := d.Args[len(d.Args)-1]
	at := d.Config.File.Span(last.End(), last.End())
	p.Report(analyzer.Finding{
		Span: d.NameSpan(),
		Message: fmt.Sprintf("this resolver asks for IPv6 addresses too (for %s), and nothing in this configuration uses "+
			"IPv6: on a host without an IPv6 route, connections to those addresses fail with \"Network is unreachable\" "+
			"before nginx tries the next; add ipv6=off", uses[0].host),
		Fix: &analyzer.Fix{Title: "Add ipv6=off", Edits: []analyzer.Edit{{Span: at, NewText: " ipv6=off"}}},
	})
}

// usesIPv6 reports whether d's configuration (the scopes it is read in)
// listens on an IPv6 address or names an IPv6 peer or nameserver.
func usesIPv6(p *analyzer.Pass, d *nginx.Directive) bool {
	scopes := map[*nginx.Config]bool{}
	for _, s := range d.Config.Sites() {
		sc := nginx.ScopeOf(s)
		if sc == nil {
			sc = d.Config
		}
		scopes[sc] = true
	}
	for _, a := range d.Args {
		if ip, ok := resolverAddr(a); ok && ip.Is6() {
			return true
		}
	}
	byScope := analyzer.ResultOf(p.Workspace, listensByScope)
	for sc := range scopes {
		for _, b := range byScope[sc] {
			if b.l.IPv6 {
				return true
			}
		}
	}
	peers := analyzer.ResultOf(p.Workspace, analyzer.Peers)
	inScope := func(x *nginx.Directive) bool {
		for _, s := range x.Config.Sites() {
			sc := nginx.ScopeOf(s)
			if sc == nil {
				sc = x.Config
			}
			if scopes[sc] {
				return true
			}
		}
		return false
	}
	for _, pr := range peers.Dialable() {
		if pr.Addr.IP != nil && pr.Addr.IP.To4() == nil && inScope(pr.Directive) {
			return true
		}
	}
	return false
}
