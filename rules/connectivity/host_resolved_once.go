package connectivity

import (
	"fmt"
	"net"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/nginx/vars"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// resolveSince is the first open source release whose upstream servers
// take the resolve parameter.
var resolveSince = spec.Version{Major: 1, Minor: 27, Patch: 3}

var HostResolvedOnce = registry.Add(&analyzer.Rule{
	ID:         "NGX107",
	Name:       "host-resolved-once",
	Severity:   analyzer.Info,
	Summary:    "an upstream server or a literal *_pass target names a host that nginx resolves only once, at start-up",
	Tags:       []analyzer.Tag{analyzer.TagConnectivity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"stale_dns_cache", "missing_resolver"},
	Directives: []string{"server", "proxy_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "grpc_pass", "memcached_pass"},
	Visit:      visitHostResolvedOnce,
	Doc: `## What it does
Reports the host name of an upstream ` + "`server`" + ` without the ` + "`resolve`" + ` parameter, and of a
` + "`proxy_pass`" + ` (or ` + "`fastcgi_pass`" + `, ` + "`grpc_pass`" + ` ...) whose target is written literally and names no
upstream block. IP literals, unix sockets, targets held in variables and ` + "`localhost`" + ` (see
` + "`upstream-localhost`" + `) are left alone, as are ` + "`down`" + ` servers. A one-word name that may be an
upstream defined in a file that was not loaded is left alone too, and so is a misspelt upstream name
(` + "`upstream-name-typo`" + ` reports it).

It is an info finding: resolving at start-up is what most configurations mean to do, and it is
right for a backend whose address never changes.

gixy-ng's ` + "`missing_resolver`" + ` is this check (a literal host, an upstream server without
` + "`resolve`" + `); the part of it about a variable target with no ` + "`resolver`" + ` in scope is
` + "`pass-variable-no-resolver`" + `. Unlike gixy-ng, ngxlint does not raise the severity for names that look
like a cloud load balancer's or CDN's; the message names the host, and those are the hosts whose
addresses rotate most, so read such findings first.

## Why is this bad?
nginx looks the name up when it starts or reloads and keeps the addresses for its whole life. When
the backend moves (a container restarted with a new address, a cloud load balancer's addresses
rotating, a DNS failover), nginx keeps connecting to the old address until the next reload:
"connect() failed (111: Connection refused)" or timeouts, and 502 or 504 for clients, while the
name already points at the new place.

## Example
` + "```nginx" + `
upstream app {
    server app.internal:8080;
}
server {
    listen 80;
    location /api/ {
        proxy_pass http://api.internal:9000;
    }
}
` + "```" + `

## Use instead
From nginx 1.27.3 (and in NGINX Plus), let the upstream re-resolve the name: it needs a zone and a
resolver. On any release, a target held in a variable is resolved per request through the
resolver. Both, one for each kind of target:
` + "```nginx" + `
resolver 10.0.0.2 valid=30s;
upstream app {
    zone app 64k;
    server app.internal:8080 resolve;
}
server {
    listen 80;
    location /api/ {
        set $api api.internal:9000;
        proxy_pass http://$api;
    }
}
` + "```" + `
There is no fix: which one fits, and which nameserver to use, is a decision about the deployment.

The variable does not help when the same host and port is also the literal target of another pass
of the configuration: nginx finds that pass's implicit upstream, resolved at start-up, before it
asks the resolver. The rule reports such a variable target too.

With ` + "`--live`" + `, ngxlint resolves the name on this host (through the system resolver, so
` + "`/etc/hosts`" + ` counts) and, for a name with a dot, asks the first nameserver of
` + "`/etc/resolv.conf`" + ` how long the answer may be cached. Confirmed when the name does not resolve
(nginx then refuses to start: ` + "`host not found in upstream`" + `), when it has several addresses of one
family (DNS balances or rotates them), or when that nameserver answers for the name's own zone with a
time to live of five minutes or less (the name is meant to move; a cache's answer only tells what is
left of the time, so it does not count); otherwise inconclusive, with the current addresses as evidence: the finding holds as
long as they may change, which one lookup cannot tell. A resolver that fails is inconclusive too.
A variable target that takes a literal target's addresses is judged by the same lookup.
`,
})

func visitHostResolvedOnce(p *analyzer.Pass, d *nginx.Directive) {
	peers := analyzer.ResultOf(p.Workspace, analyzer.Peers)
	if s := peers.ServerOf(d); s != nil {
		if s.Down || s.Resolve || !resolvableName(s.Addr, s.AddrOK) {
			return
		}
		group := "an upstream"
		if s.Group != nil {
			group = "upstream " + s.Group.Name
		}
		p.Report(analyzer.Finding{Span: s.Addr.HostSpan(), Message: fmt.Sprintf("%s in %s is looked up once, when nginx "+
			"starts or reloads: if its address changes, nginx keeps connecting to the old one (connection refused or "+
			"timeouts, 502 for clients) until the next reload; %s", s.Addr.Host, group, reresolveAdvice(p, true)),
			Target: lookupTarget(s.Addr, true)})
		return
	}
	ps := peers.PassOf(d)
	if ps != nil && ps.AddrOK && ps.Addr.Variable && !ps.Addr.Unix {
		reportStaticTwin(p, peers, ps)
		return
	}
	if ps == nil || ps.Group != nil || ps.NeedsPort() || !resolvableName(ps.Addr, ps.AddrOK) || mayBeHiddenGroup(p, ps) ||
		typoGroup(p, peers, ps) != nil || otherModuleGroup(p, peers, ps) != nil { // upstream-name-typo's finding
		return
	}
	p.Report(analyzer.Finding{Span: ps.Addr.HostSpan(), Message: fmt.Sprintf("%s %s: %s is looked up once, when nginx "+
		"starts or reloads: if its address changes, nginx keeps connecting to the old one (connection refused or "+
		"timeouts, 502 for clients) until the next reload; %s", d.Name, d.Args[0].Value, ps.Addr.Host,
		reresolveAdvice(p, false)), Target: lookupTarget(ps.Addr, false)})
}

// lookupTarget is what live mode resolves for a name nginx looks up at
// start-up. The port is kept only where nginx quotes it in "host not
// found in upstream": for an upstream server, when written; a pass's
// target is quoted by its host alone.
func lookupTarget(a nginx.Address, server bool) *analyzer.Target {
	t := &analyzer.Target{Host: a.Host, Scheme: a.Scheme}
	if server && a.HasPort {
		t.Port = a.Port
	}
	return t
}

// reportStaticTwin reports a target built from variables, meant to be
// resolved per request, whose host and port match a literal pass of the
// same configuration: nginx then uses that pass's implicit upstream,
// resolved at start-up, and never asks the resolver.
func reportStaticTwin(p *analyzer.Pass, peers *nginx.Peers, ps *nginx.Pass) {
	d := ps.Directive
	refs, literal, ok := targetHost(d)
	if !ok || d.Config == nil {
		return
	}
	ix := analyzer.ResultOf(p.Workspace, analyzer.Variables)
	var texts []string
	span := ps.Addr.HostSpan()
	switch {
	case len(refs) == 0:
		texts = []string{literal}
	case len(refs) == 1:
		v := ix.Ref(d, d.Config.Sites()[0], refs[0])
		if v.Origin != vars.Set && v.Origin != vars.Map {
			return
		}
		values, known := providedValues(v)
		if !known {
			return
		}
		texts, span = values, refs[0].Span()
	default:
		return
	}
	for _, t := range texts {
		if i := strings.Index(t, "://"); i >= 0 {
			t = t[i+3:]
		}
		if i := strings.IndexAny(t, "/?"); i >= 0 {
			t = t[:i]
		}
		if !resolvableName(nginx.Address{Host: hostOf(t)}, true) || hasGroupNamed(peers, ps.Module, hostOf(t), d) {
			continue
		}
		twin := staticTwin(peers, ps, t)
		if twin == nil {
			continue
		}
		if span.IsZero() {
			span = d.Args[0].Span()
		}
		p.Report(analyzer.Finding{Span: span, Message: fmt.Sprintf("%s %s is meant to be resolved per request, but its "+
			"target %s is also the literal target of %s at %s: nginx then uses that one's addresses, looked up once at "+
			"start-up, and never asks the resolver, so a moved backend is not followed; use the variable there too",
			d.Name, d.Args[0].Value, t, twin.Directive.Name, twin.Directive.Span()),
			Related: []source.Related{{Span: twin.Addr.HostSpan(), Message: "the literal target resolved at start-up"}},
			Target:  lookupTarget(twin.Addr, false)}) // the name its addresses come from
		return
	}
}

// reresolveAdvice says how to have the name looked up again, for the
// configured release.
func reresolveAdvice(p *analyzer.Pass, server bool) string {
	variable := "hold the target in a variable (set $backend ...; proxy_pass http://$backend;) with a resolver in scope, " +
		"so it is resolved per request"
	if p.Settings.Nginx().Less(resolveSince) {
		return variable + " (the upstream resolve parameter needs nginx 1.27.3)"
	}
	if server {
		return "add the resolve parameter (with a zone in the upstream and a resolver), or leave it when the address is fixed"
	}
	return "name an upstream whose server has the resolve parameter (nginx 1.27.3+), or " + variable
}

// resolvableName reports an address whose host is a DNS name nginx looks
// up: not an IP literal, unix socket, variable or localhost.
func resolvableName(a nginx.Address, ok bool) bool {
	if !ok || a.Variable || a.Unix || a.Host == "" || isLocalhost(a.Host) {
		return false
	}
	return net.ParseIP(a.Host) == nil
}

// mayBeHiddenGroup: a one-word target in a configuration whose includes
// are not all loaded (or in a fragment) may name an upstream block that
// is out of sight.
func mayBeHiddenGroup(p *analyzer.Pass, ps *nginx.Pass) bool {
	if ps.Addr.HasPort || strings.Contains(strings.TrimSuffix(ps.Addr.Host, "."), ".") {
		return false
	}
	return mayBeOutOfSight(p, ps)
}
