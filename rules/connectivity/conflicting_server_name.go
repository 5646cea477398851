package connectivity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var ConflictingServerName = registry.Add(&analyzer.Rule{
	ID:        "NGX111",
	Name:      "conflicting-server-name",
	Severity:  analyzer.Warning,
	Summary:   "two http servers on one address and port share a server_name: nginx warns and the second never gets those requests",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity},
	Precision: analyzer.PrecisionHigh,
	Fix:       analyzer.FixNone,
	Run:       runConflictingServerName,
	Doc: `## What it does
Looks at the http servers of one configuration that listen on the same address and port, and
reports a ` + "`server_name`" + ` (an exact name or a wildcard such as ` + "`*.example.com`" + `, compared without
letter case) that an earlier server on that address already has. Regex names (` + "`~...`" + `), names
with variables, servers without a ` + "`listen`" + ` and listens on host names are left out; servers in files included from one main file
count together, in the order nginx reads them.

## Why is this bad?
nginx keeps the first server with the name and drops the name from the later one, with only a
warning at start-up: ` + "`conflicting server name \"a.example\" on 0.0.0.0:80, ignored`" + `. Requests for
that name never reach the later server, whatever it proxies to: a new site or a changed backend
silently does not take effect, which usually shows as the old site answering (or a redirect loop)
after a deploy. A leftover copy of a vhost (` + "`site.conf`" + ` and ` + "`site.conf.bak`" + ` both included by
` + "`sites-enabled/*`" + `) is a common cause.

## Example
` + "```nginx" + `
server {
    listen 80;
    server_name app.example;
    location / { proxy_pass http://old_app; }
}
server {
    listen 80;
    server_name app.example;
    location / { proxy_pass http://new_app; }
}
` + "```" + `

## Use instead
Keep one server per name and address (merge the two, or remove the stale one).
`,
})

type nameKey struct {
	scope *nginx.Config
	addr  string
	name  string
}

type nameSeen struct {
	vs   *nginx.VirtualServer
	arg  *nginx.Arg
	site nginx.Site
}

func runConflictingServerName(p *analyzer.Pass) {
	first := map[nameKey]nameSeen{}
	reported := map[*nginx.Arg]bool{}
	for scope, list := range analyzer.ResultOf(p.Workspace, listensByScope) {
		for _, b := range list {
			if b.vs.Module != "http" {
				continue
			}
			for _, a := range b.vs.Names {
				name := strings.ToLower(strings.TrimSuffix(a.Value, "."))
				if name == "" || strings.HasPrefix(name, "~") || strings.Contains(name, "$") {
					continue
				}
				k := nameKey{scope, b.key, name}
				prev, seen := first[k]
				if !seen {
					first[k] = nameSeen{b.vs, a, b.site}
					continue
				}
				if prev.vs == b.vs || reported[a] {
					continue
				}
				reported[a] = true
				p.Report(analyzer.Finding{
					Span: a.Span,
					Message: fmt.Sprintf("server name %s is already taken on %s by the server at %s: nginx warns "+
						"\"conflicting server name \\\"%s\\\" on %s, ignored\" and sends its requests to that server, never "+
						"to this one; keep one server for the name", a.Value, b.key, prev.vs.Directive.Span, name, b.key),
					Related: append([]source.Related{{Span: prev.arg.Span, Message: "the server that keeps " + a.Value}},
						siteRelated(b.site, len(b.vs.Directive.Config.Sites()) > 1)...),
				})
			}
		}
	}
}

func siteRelated(s nginx.Site, many bool) []source.Related {
	if !many {
		return nil
	}
	return s.Related()
}
