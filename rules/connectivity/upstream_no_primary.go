package connectivity

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

var UpstreamNoPrimary = registry.Add(&analyzer.Rule{
	ID:         "NGX104",
	Name:       "upstream-no-primary",
	Severity:   analyzer.Error,
	Summary:    "an upstream has no server, or only backup ones (nginx refuses to start), or only down ones (every request fails)",
	Tags:       []analyzer.Tag{analyzer.TagConnectivity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"upstream"},
	Visit:      visitUpstreamNoPrimary,
	Doc: `## What it does
Looks at the ` + "`server`" + ` lines of each ` + "`upstream`" + ` block (http and stream) and reports the block
when none of them is a primary server that can take traffic: there is no ` + "`server`" + ` line at all,
all are marked ` + "`backup`" + `, or all that are not backup are marked ` + "`down`" + `. An upstream whose
included files could not be read is left alone; an empty one with a ` + "`zone`" + ` is reported at
info level, since NGINX Plus fills such a group through its API.

## Why is this bad?
nginx sends traffic to backup servers only when the primary ones have failed. With no primary
server at all, ` + "`nginx -t`" + ` fails with "no servers in upstream" (or, for a block without any
` + "`server`" + ` line, "no servers are inside upstream") and nginx does not start. With
every primary server ` + "`down`" + `, nginx starts, but each request through the group fails with
"no live upstreams" in the error log and 502 Bad Gateway for the client (backups are tried only
after a primary has failed, and a ` + "`down`" + ` server never fails).

## Example
` + "```nginx" + `
upstream app {
    server 10.0.0.1:8080 backup;
    server 10.0.0.2:8080 backup;
}
` + "```" + `

## Use instead
Keep at least one primary server that is not ` + "`down`" + `:
` + "```nginx" + `
upstream app {
    server 10.0.0.1:8080;
    server 10.0.0.2:8080 backup;
}
` + "```" + `
`,
})

func visitUpstreamNoPrimary(p *analyzer.Pass, d *nginx.Directive) {
	g := analyzer.ResultOf(p.Workspace, analyzer.Peers).GroupOf(d)
	if g == nil || !d.Terminated || unreadInclude(d.Block) {
		return
	}
	if len(g.Servers) == 0 && hasChild(d.Block, "zone") {
		// NGINX Plus fills a zoned upstream through its API; open source
		// nginx still refuses it.
		p.Report(analyzer.Finding{Span: d.Args[0].Span(), Severity: analyzer.Info, Message: fmt.Sprintf("upstream %s has "+
			"no server line: open source nginx refuses to start with \"no servers are inside upstream\"; NGINX Plus "+
			"accepts it when servers are added through its API", g.Name)})
		return
	}
	if len(g.Servers) == 0 {
		p.Report(analyzer.Finding{Span: d.Args[0].Span(), Message: fmt.Sprintf("upstream %s has no server line, so nginx "+
			"refuses to start with \"no servers are inside upstream\"; add the backend's address as a server", g.Name)})
		return
	}
	primary, live := 0, 0
	for _, s := range g.Servers {
		if !s.Backup {
			primary++
			if !s.Down {
				live++
			}
		}
	}
	switch {
	case primary == 0:
		p.Report(analyzer.Finding{Span: d.Args[0].Span(), Message: fmt.Sprintf("every server of upstream %s is marked backup, "+
			"so nginx refuses to start with \"no servers in upstream\"; remove backup from at least one server", g.Name)})
	case live == 0:
		p.Report(analyzer.Finding{Span: d.Args[0].Span(), Severity: analyzer.Warning, Message: fmt.Sprintf("every primary "+
			"server of upstream %s is marked down: each request through it fails with \"no live upstreams\" and 502 Bad "+
			"Gateway, and backup servers are never tried; bring one primary server back", g.Name)})
	}
}

// unreadInclude reports an include among list that loaded nothing: the
// servers it holds are unknown.
func unreadInclude(list []*nginx.Directive) bool {
	for _, d := range list {
		if d.Name == "include" && len(d.Includes()) == 0 {
			return true
		}
	}
	return false
}

func hasChild(list []*nginx.Directive, name string) bool {
	for _, d := range list {
		if d.Name == name {
			return true
		}
	}
	return false
}
