package security

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

var ResolverExternal = registry.Add(&analyzer.Rule{
	ID:         "NGX441",
	Name:       "resolver-external",
	Severity:   analyzer.Warning,
	Summary:    "resolver sends nginx's DNS queries across the internet, where answers can be spoofed",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"resolver_external"},
	Directives: []string{"resolver"},
	Visit:      visitResolverExternal,
	Doc: `## What it does
Reports a ` + "`resolver`" + ` (in http, stream or mail) that lists a public IP address, once per line at
the first such address: not loopback, private (RFC 1918, ` + "`fc00::/7`" + `), link-local (cloud metadata resolvers such as
` + "`169.254.169.253`" + `) or shared (` + "`100.64.0.0/10`" + `). Host names are left alone: nginx resolves them
once at start-up and the rule cannot tell where they point. When nothing in the resolver's scope
picks a backend by name at run time (a ` + "`*_pass`" + ` with a variable, an upstream ` + "`server ... resolve`" + `, Lua code),
the finding is informational: the resolver then serves lookups such as OCSP stapling's, whose
answers are signed.

## Why is this bad?
nginx's resolver speaks plain DNS over UDP and is a small stub, not a hardened recursive resolver:
an attacker on the path to a public DNS service, or one who races its answers, can feed nginx a
forged address for an upstream, and a crafted answer can hit bugs in the resolver itself (it had
CVE-2021-23017, a memory overwrite from one DNS response). A resolver on the same host or network
(a local caching resolver, the VPC's, the cluster's) keeps those answers off the internet.

## Example
` + "```nginx" + `
resolver 8.8.8.8 1.1.1.1 valid=30s;
` + "```" + `

## Use instead
Run a local caching resolver (unbound, dnsmasq, systemd-resolved) or use the network's own:
` + "```nginx" + `
resolver 127.0.0.53 valid=30s;
` + "```" + `
`,
})

// localNets are the ranges whose resolvers answer from inside the host or
// network: loopback, private, link-local and carrier-grade NAT space.
var localNets = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
}

func visitResolverExternal(p *analyzer.Pass, d *nginx.Directive) {
	scope := d.Config.Directives
	if d.Parent != nil {
		scope = d.Parent.Block
	}
	// One finding per line, at its first public address: a list of four
	// public servers is one decision, not four.
	var first *nginx.Address
	var public []string
	for _, a := range d.Args {
		if strings.Contains(a.Value, "=") || strings.Contains(a.Value, "$") {
			continue // valid=, ipv6=, status_zone= parameters
		}
		addr, ok := nginx.ParseAddress(a)
		if !ok {
			continue
		}
		ip, err := netip.ParseAddr(strings.Trim(addr.Host, "[]"))
		if err != nil || !isPublic(ip) {
			continue
		}
		if first == nil {
			first = &addr
		}
		public = append(public, ip.String())
	}
	if first == nil {
		return
	}
	names := strings.Join(public, ", ")
	f := analyzer.Finding{
		Span: first.HostSpan(),
		Message: fmt.Sprintf("resolver %s: DNS servers on the internet; nginx's plain-UDP queries to them can be "+
			"answered by a spoofer with a forged upstream address; point resolver at a caching resolver on this "+
			"host or network (127.0.0.53, the VPC's or the cluster's DNS)", names),
	}
	// once per level and run: every resolver line of a level asks
	level := levelKey{d.Parent, d.Config}
	resolves := analyzer.ResultOf(p.Workspace, backendResolution).Get(level, func() bool { return resolvesBackends(scope) })
	if !resolves {
		f.Severity = analyzer.Info
		f.Message = fmt.Sprintf("resolver %s: DNS servers on the internet; nothing in their scope resolves a "+
			"backend at run time (a *_pass with a variable, an upstream server with resolve, Lua code), so a spoofed "+
			"answer would only disturb lookups such as OCSP stapling's; a resolver on this host or network avoids "+
			"even that", names)
	}
	p.Report(f)
}

// isPublic tells whether ip is reachable only across the internet.
func isPublic(ip netip.Addr) bool {
	ip = ip.Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified() || !ip.IsGlobalUnicast() {
		return false
	}
	for _, n := range localNets {
		if n.Contains(ip) {
			return false
		}
	}
	return true
}

// backendResolution remembers resolvesBackends per level.
var backendResolution = analyzer.RunMemo[levelKey, bool]("security/backend-resolution")

// levelKey names a level: a block, or a file's top (block nil).
type levelKey struct {
	block *nginx.Directive
	file  *nginx.Config
}

// resolvesBackends tells whether list (nested blocks and loaded includes
// too) picks a backend by name at run time, the use a forged DNS answer
// turns into traffic sent to the attacker.
func resolvesBackends(list []*nginx.Directive) bool {
	found := false
	var walk func(list []*nginx.Directive, depth int)
	walk = func(list []*nginx.Directive, depth int) {
		for _, x := range list {
			if found || depth > 8 {
				return
			}
			switch {
			case strings.HasSuffix(x.Name, "_pass") && len(x.Args) > 0 && strings.Contains(x.Args[0].Value, "$"):
				found = true
			case strings.Contains(x.Name, "_by_lua"):
				found = true // Lua cosockets connect to names through the resolver
			case x.Name == "server" && !x.HasBlock:
				for _, a := range x.Args {
					if a.Value == "resolve" {
						found = true
					}
				}
			}
			for _, c := range x.Includes() {
				walk(c.Directives, depth+1)
			}
			walk(x.Block, depth+1)
		}
	}
	walk(list, 0)
	return found
}
