package connectivity

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
)

var ListenDualStackConflict = registry.Add(&analyzer.Rule{
	ID:        "NGX109",
	Name:      "listen-dual-stack-conflict",
	Severity:  analyzer.Error,
	Summary:   "listen [::]:PORT ipv6only=off beside an IPv4 listen on the same port: nginx fails to bind at start",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity},
	Precision: analyzer.PrecisionVeryHigh,
	Fix:       analyzer.FixUnsafe,
	Run:       runListenDualStack,
	Doc: `## What it does
Finds a ` + "`listen [::]:PORT ipv6only=off`" + ` in a configuration that also listens on IPv4 on the same
port (` + "`listen PORT`" + `, ` + "`listen *:PORT`" + `, ` + "`listen 0.0.0.0:PORT`" + `, or an IPv4 address such as
` + "`listen 127.0.0.1:PORT`" + `), in the same server or another one. QUIC (UDP) listens are kept apart from TCP ones.

## Why is this bad?
With ` + "`ipv6only=off`" + ` the IPv6 wildcard socket also takes IPv4 connections, so it holds the IPv4
wildcard of the port as well. nginx then opens a second socket for the IPv4 listen, and the kernel
refuses it: ` + "`bind() to 0.0.0.0:80 failed (98: Address already in use)`" + `, and after a few retries
"still could not bind()": nginx does not start. ` + "`nginx -t`" + ` does not bind sockets and passes, so the
error first shows on start or restart.

## Example
` + "```nginx" + `
server {
    listen [::]:80 ipv6only=off;
    server_name a.example;
}
server {
    listen 80;
    server_name b.example;
}
` + "```" + `

## Use instead
Keep the two families on their own sockets (the default, ` + "`ipv6only=on`" + `):
` + "```nginx" + `
server {
    listen [::]:80;
    listen 80;
    server_name a.example;
}
` + "```" + `
The fix removes ` + "`ipv6only=off`" + `. It is unsafe: IPv4 clients that reached the IPv6 socket's server
go to the servers of the IPv4 listen instead, so add ` + "`listen PORT`" + ` to that server when it should
keep answering them.

With ` + "`--live`" + `, ngxlint makes the two binds on this host: an IPv6 wildcard socket with
` + "`IPV6_V6ONLY`" + ` off, listening, then the IPv4 wildcard on the same port, both with ` + "`SO_REUSEADDR`" + `
as nginx opens them; on the configured port when it is unprivileged and free, else on a port the
kernel picks (a privileged port is never bound). Confirmed when the second bind fails with "address
already in use" (the kernel maps IPv4 into the dual-stack socket, as Linux does), refuted when both
bind, inconclusive when the host cannot open a dual-stack IPv6 socket.
`,
})

func runListenDualStack(p *analyzer.Pass) {
	done := map[string]bool{}
	for _, list := range analyzer.ResultOf(p.Workspace, listensByScope) {
		if !slices.ContainsFunc(list, isDualStack) {
			continue // most scopes: the IPv4 sockets need not be worked out
		}
		// Every IPv4 TCP listen of the port gets a socket nginx binds:
		// the wildcard one, or (without it) each address of its own.
		v4 := map[int]boundListen{}
		for _, b := range list {
			if b.l.Unix || b.l.IPv6 || isDatagram(b.key) {
				continue
			}
			if prev, ok := v4[b.l.Port]; !ok || !strings.HasPrefix(prev.key, "0.0.0.0:") && strings.HasPrefix(b.key, "0.0.0.0:") {
				v4[b.l.Port] = b
			}
		}
		for _, b := range list {
			if !isDualStack(b) {
				continue
			}
			other, ok := v4[b.l.Port]
			if !ok {
				continue
			}
			param := b.l.Param("ipv6only")
			id := param.Span().String()
			if done[id] {
				continue
			}
			done[id] = true
			p.Report(analyzer.Finding{
				Span: param.Span(),
				Message: fmt.Sprintf("%s with ipv6only=off also takes IPv4 connections on port %d, and %s listens on "+
					"%s too: nginx fails to start with \"bind() to %s failed (98: Address already in use)\" "+
					"(nginx -t does not bind, so it passes); drop ipv6only=off, or the IPv4 listen", b.l.Addr.Value,
					b.l.Port, other.l.Directive.Span(), other.key, other.key),
				Related: related(other.l.Addr.Span(), "the IPv4 listen on the same port", b.site, len(b.vs.Directive.Config.Sites()) > 1),
				Fix: &analyzer.Fix{
					Title: "Remove ipv6only=off",
					Edits: []analyzer.Edit{paramDeletion(b.l.Directive, param)},
				},
				// Live mode makes the two binds on this host.
				Target: &analyzer.Target{Host: "::", Port: b.l.Port},
			})
		}
	}
}

// isDualStack reports whether b is a TCP listen on [::] with
// ipv6only=off, which takes IPv4 connections too.
func isDualStack(b boundListen) bool {
	return b.l.IPv6 && b.l.Host == "::" && b.l.IPv6Only == "off" && !isDatagram(b.key)
}
