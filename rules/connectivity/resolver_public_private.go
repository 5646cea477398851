package connectivity

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var ResolverPublicForPrivate = registry.Add(&analyzer.Rule{
	ID:         "NGX116",
	Name:       "resolver-public-for-private",
	Severity:   analyzer.Warning,
	Summary:    "a resolver names a public DNS service, but the names resolved through it are private (.internal, .local, single-label ...)",
	Tags:       []analyzer.Tag{analyzer.TagConnectivity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"resolver"},
	Visit:      visitResolverPublicForPrivate,
	Doc: `## What it does
Finds a ` + "`resolver`" + ` naming a public DNS service (Google 8.8.8.8, Cloudflare 1.1.1.1, Quad9 9.9.9.9,
OpenDNS, and their other and IPv6 addresses) when a name nginx resolves through it looks private: a
one-word name (a container or service name), or one under ` + "`.internal`" + `, ` + "`.local`" + `, ` + "`.lan`" + `,
` + "`.localdomain`" + `, ` + "`.home.arpa`" + `, ` + "`.corp`" + `, ` + "`.consul`" + `, ` + "`.svc`" + ` or ` + "`.cluster.local`" + `. The names
are those of upstream servers with ` + "`resolve`" + ` that use the resolver, and the hosts of ` + "`*_pass`" + ` targets
in variables where it is in effect (as far as ` + "`set`" + ` and ` + "`map`" + ` say).

## Why is this bad?
A public resolver knows only public DNS: it answers NXDOMAIN for a Docker service, a Kubernetes
service or a name from the company's internal zone. Each request to such a name fails with 502 and
` + "`app.internal could not be resolved (3: Host not found)`" + ` in the error log; an upstream server
with ` + "`resolve`" + ` never gets an address. When the resolver lists an internal server beside the public
one, nginx asks them in turn, so the failures come and go.

## Example
` + "```nginx" + `
resolver 8.8.8.8;
location / {
    set $backend app.internal;
    proxy_pass http://$backend:8080;
}
` + "```" + `

## Use instead
Name the nameserver that knows the private zone: Docker's embedded DNS (127.0.0.11), the cluster's
DNS service (kube-dns), the VPC resolver, or a local caching resolver:
` + "```nginx" + `
resolver 127.0.0.11 valid=10s;
` + "```" + `

With ` + "`--live`" + `, ngxlint asks the nameserver the ` + "`resolver`" + ` names, at its port (53 unless written),
for the address of each private name (up to eight; one DNS question over UDP each, as nginx sends):
confirmed when it answers NXDOMAIN, or no address, for one of them; refuted when it gives addresses
for all; inconclusive when it stays silent, fails (SERVFAIL, REFUSED) or the deadline passes.
`,
})

// publicResolvers are the addresses of well-known public DNS services.
var publicResolvers = map[string]string{
	"8.8.8.8": "Google", "8.8.4.4": "Google", "2001:4860:4860::8888": "Google", "2001:4860:4860::8844": "Google",
	"1.1.1.1": "Cloudflare", "1.0.0.1": "Cloudflare", "2606:4700:4700::1111": "Cloudflare", "2606:4700:4700::1001": "Cloudflare",
	"9.9.9.9": "Quad9", "149.112.112.112": "Quad9", "2620:fe::fe": "Quad9", "2620:fe::9": "Quad9",
	"208.67.222.222": "OpenDNS", "208.67.220.220": "OpenDNS",
	"94.140.14.14": "AdGuard", "94.140.15.15": "AdGuard",
}

// privateSuffixes are zones public DNS does not serve.
var privateSuffixes = []string{".internal", ".local", ".lan", ".localdomain", ".home.arpa", ".corp", ".consul", ".svc", ".cluster.local", ".intranet", ".private"}

func privateName(h string) bool {
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	if !strings.Contains(h, ".") {
		return !isLocalhost(h)
	}
	for _, s := range privateSuffixes {
		if strings.HasSuffix(h, s) {
			return true
		}
	}
	return false
}

// resolverAddr reads a resolver argument that names a nameserver
// (address[:port], [v6][:port]); false for a parameter.
func resolverAddr(a *nginx.Arg) (netip.Addr, bool) {
	ap, ok := resolverAddrPort(a)
	return ap.Addr(), ok
}

// resolverAddrPort is resolverAddr with the port nginx sends queries to:
// the one written, else 53.
func resolverAddrPort(a *nginx.Arg) (netip.AddrPort, bool) {
	v := a.Value
	if strings.Contains(v, "=") {
		return netip.AddrPort{}, false
	}
	if ip, err := netip.ParseAddr(strings.Trim(v, "[]")); err == nil {
		return netip.AddrPortFrom(ip.Unmap(), 53), true
	}
	if ap, err := netip.ParseAddrPort(v); err == nil && ap.Port() != 0 {
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()), true
	}
	return netip.AddrPort{}, false
}

// maxProbedNames bounds the names live mode asks a resolver about for one
// finding.
const maxProbedNames = 8

func visitResolverPublicForPrivate(p *analyzer.Pass, d *nginx.Directive) {
	uses := analyzer.ResultOf(p.Workspace, resolverUses)[d]
	var private []nameUse
	for _, u := range uses {
		if privateName(u.host) {
			private = append(private, u)
		}
	}
	if len(private) == 0 {
		return
	}
	for _, a := range d.Args {
		ap, ok := resolverAddrPort(a)
		if !ok {
			continue
		}
		ip := ap.Addr()
		who, public := publicResolvers[ip.String()]
		if !public {
			continue
		}
		var rel []source.Related
		names := make([]string, 0, len(private))
		var probed []string
		for _, u := range private {
			rel = append(rel, source.Related{Span: u.span, Message: u.host + " is resolved through this resolver"})
			if len(names) < 3 {
				names = append(names, u.host)
			}
			if len(probed) < maxProbedNames && !slices.Contains(probed, u.host) {
				probed = append(probed, u.host)
			}
		}
		more := ""
		if len(private) > 3 {
			more = fmt.Sprintf(" and %d more", len(private)-3)
		}
		p.Report(analyzer.Finding{
			Span: a.Span(),
			Message: fmt.Sprintf("%s is %s's public DNS, which cannot resolve private names such as %s%s: requests fail "+
				"with 502 and \"%s could not be resolved (3: Host not found)\"; name a nameserver that knows them (Docker's "+
				"127.0.0.11, the cluster or VPC DNS)", a.Value, who, strings.Join(names, ", "), more, private[0].host),
			Related: rel,
			// Live mode asks the nameserver about the names.
			Target: &analyzer.Target{Host: ip.String(), Port: int(ap.Port()), Scheme: "dns", Names: probed},
		})
	}
}
