package connectivity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var PassPortOnUpstream = registry.Add(&analyzer.Rule{
	ID:         "NGX122",
	Name:       "pass-port-on-upstream",
	Severity:   analyzer.Error,
	Summary:    "a *_pass names an upstream block with a port (proxy_pass http://backend:8080), so nginx refuses to start",
	Tags:       []analyzer.Tag{analyzer.TagConnectivity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixSafe,
	Directives: []string{"proxy_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "grpc_pass", "memcached_pass"},
	Visit:      visitPassPortOnUpstream,
	Doc: `## What it does
Reports a ` + "`proxy_pass`" + ` (or ` + "`fastcgi_pass`" + `, ` + "`grpc_pass`" + ` ..., and stream's ` + "`proxy_pass`" + `)
whose target is the name of an ` + "`upstream`" + ` block of the configuration followed by a port:
` + "`proxy_pass http://backend:8080`" + ` beside ` + "`upstream backend { ... }`" + `. nginx compares the name
without regard to case, and the block may come before or after the pass. The finding is at the
port.

## Why is this bad?
An upstream block's servers carry their own ports, and nginx takes a name with a port for a host,
which may not share the block's name: ` + "`nginx -t`" + ` fails with
` + "`upstream \"backend\" may not have port 8080`" + ` and nginx does not start or reload.

## Example
` + "```nginx" + `
upstream backend {
    server 10.0.0.1:8080;
    server 10.0.0.2:8080;
}
server {
    listen 80;
    location / {
        proxy_pass http://backend:8080;
    }
}
` + "```" + `

## Use instead
` + "```nginx" + `
upstream backend {
    server 10.0.0.1:8080;
    server 10.0.0.2:8080;
}
server {
    listen 80;
    location / {
        proxy_pass http://backend;
    }
}
` + "```" + `
The fix removes the port (safe: nginx would not start with it); the servers' ports are the ones
used.
`,
})

func visitPassPortOnUpstream(p *analyzer.Pass, d *nginx.Directive) {
	peers := analyzer.ResultOf(p.Workspace, analyzer.Peers)
	ps := peers.PassOf(d)
	if ps == nil || !ps.AddrOK || !ps.Addr.HasPort || ps.Addr.Variable || ps.Addr.Unix || ps.Addr.Host == "" {
		return
	}
	a := ps.Addr
	// A fragment linted without its main file shares its scope with the
	// other fragments: only a block in its own file is surely beside it.
	fragment := false
	for _, s := range d.Config.Sites() {
		fragment = fragment || nginx.ScopeOf(s) == nil
	}
	g := peers.GroupNamedAt(d, ps.Module, a.Host)
	// as nginx compares them: letter case aside, no trailing dot dropped
	if g == nil || !strings.EqualFold(g.Name, a.Host) || fragment && g.Directive.Config != d.Config {
		return
	}
	// the port with its colon: from the end of the host to the end of the port
	cut := source.Span{File: a.PortSpan().File, Start: a.HostSpan().End, End: a.PortSpan().End}
	// nginx names the upstream as written where it notices: at the pass
	// when the block came first, at the block when the pass did
	named := a.Host
	if g.Directive.Config == d.Config && g.Directive.Start() > d.Start() {
		named = g.Name
	}
	p.Report(analyzer.Finding{
		Span: a.PortSpan(),
		Message: fmt.Sprintf("%s %s: %s is an upstream block, whose servers carry the ports, and nginx refuses to start "+
			"(\"upstream \\\"%s\\\" may not have port %s\"); drop the port", d.Name, d.Args[0].Value, a.Host, named, a.PortText),
		Related: []source.Related{{Span: g.Directive.Args[0].Span(), Message: "upstream " + g.Name}},
		Fix:     &analyzer.Fix{Title: "Remove the port", Safe: true, Edits: []analyzer.Edit{{Span: cut, NewText: ""}}},
	})
}
