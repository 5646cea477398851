package connectivity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var PrivilegedPortUnprivileged = registry.Add(&analyzer.Rule{
	ID:        "NGX118",
	Name:      "privileged-port-unprivileged",
	Severity:  analyzer.Info,
	Summary:   "a listen below port 1024 in a configuration made for an nginx that does not run as root",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity},
	Precision: analyzer.PrecisionMedium,
	Fix:       analyzer.FixNone,
	Run:       runPrivilegedPort,
	Doc: `## What it does
Looks at main files (those with an ` + "`events`" + ` or ` + "`http`" + ` block at the top) that show they are made
for a master process that is not root: no ` + "`user`" + ` directive, and the ` + "`pid`" + ` file under ` + "`/tmp`" + ` or
` + "`/var/tmp`" + ` (the layout of unprivileged images such as nginx-unprivileged). It reports the first
` + "`listen`" + ` on a port below 1024 there, with the others as related locations.

The ` + "`user`" + ` directive does not matter for binding: the master process opens the listening sockets
before the workers switch to that user, and a master that is not root ignores ` + "`user`" + ` (with a
warning). What matters is who starts nginx, which the configuration only hints at, hence info.

## Why is this bad?
Without root (or the ` + "`CAP_NET_BIND_SERVICE`" + ` capability, or a lowered
` + "`net.ipv4.ip_unprivileged_port_start`" + `), the kernel refuses ports below 1024: nginx fails to start
with ` + "`bind() to 0.0.0.0:80 failed (13: Permission denied)`" + `. ` + "`nginx -t`" + ` does not bind and passes.

## Example
` + "```nginx" + `
pid /tmp/nginx.pid;
events {}
http {
    server { listen 80; }
}
` + "```" + `

## Use instead
Listen on a high port and publish it as 80 (` + "`docker run -p 80:8080`" + `, a Service's ` + "`targetPort`" + `):
` + "```nginx" + `
pid /tmp/nginx.pid;
events {}
http {
    server { listen 8080; }
}
` + "```" + `
Or grant the capability: ` + "`setcap cap_net_bind_service=+ep /usr/sbin/nginx`" + `, or
` + "`AmbientCapabilities=CAP_NET_BIND_SERVICE`" + ` in the systemd unit.
`,
})

func runPrivilegedPort(p *analyzer.Pass) {
	for scope, list := range analyzer.ResultOf(p.Workspace, listensByScope) {
		if !unprivilegedLayout(scope) {
			continue
		}
		var low []boundListen
		for _, b := range list {
			if !b.l.Unix && b.l.Port > 0 && b.l.Port < 1024 && nginx.ScopeOf(b.site) == scope {
				low = append(low, b)
			}
		}
		if len(low) == 0 {
			continue
		}
		pid := nginx.FindAtLevel(scope.Directives, "pid")
		first := low[0]
		span := first.l.PortSpan()
		if span.IsZero() {
			span = first.l.Addr.Span()
		}
		rel := []source.Related{{Span: pid.Span(), Message: "the pid file in a world-writable folder: a master that is not root"}}
		for _, b := range low[1:] {
			rel = append(rel, source.Related{Span: b.l.Addr.Span(), Message: fmt.Sprintf("also port %d", b.l.Port)})
		}
		p.Report(analyzer.Finding{
			Span: span,
			Message: fmt.Sprintf("port %d is below 1024, and this configuration is laid out for a master process that is not "+
				"root (no user directive, pid %s): without root or CAP_NET_BIND_SERVICE nginx fails to start with "+
				"\"bind() to %s failed (13: Permission denied)\"; listen on a port from 1024 up and publish it as %d",
				first.l.Port, pid.Args[0].Value, first.key, first.l.Port),
			Related: rel,
		})
	}
}

// unprivilegedLayout: a main file without `user` whose pid file is in a
// temporary folder, as images made to run nginx without root have it.
func unprivilegedLayout(c *nginx.Config) bool {
	if c == nil || c.Implied != nil || nginx.FindAtLevel(c.Directives, "user") != nil {
		return false
	}
	if nginx.FindAtLevel(c.Directives, "events") == nil && nginx.FindAtLevel(c.Directives, "http") == nil {
		return false
	}
	pid := nginx.FindAtLevel(c.Directives, "pid")
	if pid == nil || len(pid.Args) == 0 {
		return false
	}
	v := pid.Args[0].Value
	return strings.HasPrefix(v, "/tmp/") || strings.HasPrefix(v, "/var/tmp/")
}
