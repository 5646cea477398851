package connectivity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

var UpstreamLocalhost = registry.Add(&analyzer.Rule{
	ID:         "NGX101",
	Name:       "upstream-localhost",
	Severity:   analyzer.Warning,
	Summary:    "an upstream address names localhost, which nginx expands to both 127.0.0.1 and [::1]",
	Tags:       []analyzer.Tag{analyzer.TagConnectivity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixUnsafe,
	Aliases:    []string{"proxy-pass-localhost"},
	Directives: []string{"server", "proxy_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "grpc_pass", "memcached_pass"},
	Visit:      visitUpstreamLocalhost,
	Doc: `## What it does
Finds every place where nginx turns a host name into upstream peers when it starts (a ` + "`server`" + `
in an ` + "`upstream`" + ` block of http or stream, and a literal host in ` + "`proxy_pass`" + `,
` + "`fastcgi_pass`" + `, ` + "`uwsgi_pass`" + `, ` + "`scgi_pass`" + `, ` + "`grpc_pass`" + ` and ` + "`memcached_pass`" + `) and
reports the host ` + "`localhost`" + ` (in any letter case, with or without a trailing dot). It is silent
for an argument that holds a variable anywhere (nginx resolves it per request), for a peer marked
` + "`down`" + `, and for ` + "`proxy_pass http://localhost`" + ` when an ` + "`upstream localhost`" + ` block exists.

## Why is this bad?
nginx resolves ` + "`localhost`" + ` once, at start-up, to every address the system gives it: on most
distributions both ` + "`127.0.0.1`" + ` and ` + "`::1`" + `. Each address becomes a peer, and nginx
round-robins between them. A backend that listens on one family only (Node.js, Gunicorn or
Elasticsearch bound to ` + "`127.0.0.1`" + `, say) refuses every connection made on the other, so the
error log fills with ` + "`connect() failed (111: Connection refused) while connecting to upstream`" + `
naming ` + "`[::1]`" + `, the peer is marked down for a while, and requests are retried, slowed, or
fail with 502 when retries run out.

## Example
` + "```nginx" + `
upstream app {
    server localhost:3000;
}
` + "```" + `

## Use instead
Name the address the backend listens on:
` + "```nginx" + `
upstream app {
    server 127.0.0.1:3000;
}
` + "```" + `

The fix rewrites ` + "`localhost`" + ` to ` + "`127.0.0.1`" + `. It is marked unsafe: a backend that listens
on ` + "`::1`" + ` only would then be refused. With ` + "`--live`" + ` evidence that exactly one family
accepts, ngxlint knows which address to use.

When ` + "`--live`" + ` shows that the hazard does not happen on this host (` + "`localhost`" + ` gives one
address here, or both families accept), the finding is refuted: it stays in the report with its
evidence, at severity info, so that it no longer fails ` + "`--fail-on warning`" + `. The configuration
may still be deployed on a host where ` + "`localhost`" + ` gives both addresses.
`,
})

func visitUpstreamLocalhost(p *analyzer.Pass, d *nginx.Directive) {
	peers := analyzer.ResultOf(p.Workspace, analyzer.Peers)
	var addr nginx.Address
	switch {
	case peers.ServerOf(d) != nil:
		s := peers.ServerOf(d)
		if !s.AddrOK || s.Down {
			return
		}
		addr = s.Addr
	case peers.PassOf(d) != nil:
		ps := peers.PassOf(d)
		// `proxy_pass http://localhost;` names an `upstream localhost {}`
		// block when one exists: then it is a group name, not a host.
		if !ps.AddrOK || ps.Group != nil {
			return
		}
		addr = ps.Addr
	default:
		return
	}
	if addr.Variable || addr.Unix || !isLocalhost(addr.Host) {
		return
	}
	p.Report(localhostFinding(d, addr))
}

func localhostFinding(d *nginx.Directive, a nginx.Address) analyzer.Finding {
	v4, v6 := "127.0.0.1", "[::1]"
	written := a.Host
	if a.HasPort {
		v4 += ":" + a.PortText
		v6 += ":" + a.PortText
		written += ":" + a.PortText
	}
	msg := fmt.Sprintf("%s expands to %s and %s, and nginx round-robins between them: a backend listening on only one "+
		"address family gets refused connections on the other, logged as \"connect() failed (111: Connection refused) "+
		"while connecting to upstream\"; write %s (or %s) explicitly", written, v4, v6, v4, v6)
	if d.Name == "server" {
		msg = fmt.Sprintf("upstream server %s", msg)
	} else {
		msg = fmt.Sprintf("%s to %s", d.Name, msg)
	}
	return analyzer.Finding{
		Span:    a.HostSpan(),
		Message: msg,
		Fix: &analyzer.Fix{
			Title: "Replace " + a.Host + " with 127.0.0.1",
			Edits: []analyzer.Edit{{Span: a.HostSpan(), NewText: "127.0.0.1"}},
		},
		Target: &analyzer.Target{Host: a.Host, Port: a.Port, Scheme: a.Scheme},
	}
}

// isLocalhost matches the name nginx resolves through the system's hosts
// file: any letter case, an optional trailing dot.
func isLocalhost(host string) bool {
	return strings.EqualFold(strings.TrimSuffix(host, "."), "localhost")
}
