package connectivity

import (
	"fmt"
	"slices"
	"sort"
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
with variables, the empty name and listens on host names are left out; a server without any ` + "`listen`" + `
answers on 0.0.0.0:80, as nginx run by root gives it; servers in files included from one main file
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

// nameSocket is one address a server answers on, in nginx's read order.
type nameSocket struct {
	vs    *nginx.VirtualServer
	key   string
	site  nginx.Site
	order []int
}

// implicitListen is what nginx gives an http server without any listen
// (0.0.0.0:80 when the master runs as root, which is the usual case).
const implicitListen = "0.0.0.0:80"

func runConflictingServerName(p *analyzer.Pass) {
	byScope := map[*nginx.Config][]nameSocket{}
	names := 0 // the size of the maps below, so that they are made once
	for scope, list := range analyzer.ResultOf(p.Workspace, listensByScope) {
		byScope[scope] = make([]nameSocket, 0, len(list))
		for _, b := range list {
			names += len(b.vs.Names)
			if b.vs.Module == "http" {
				byScope[scope] = append(byScope[scope], nameSocket{b.vs, b.key, b.site, b.order})
			}
		}
	}
	for _, vs := range analyzer.ResultOf(p.Workspace, analyzer.Servers) {
		if vs.Module != "http" || len(vs.Listens) > 0 || nginx.FindAtLevel(vs.Directive.Block, "listen") != nil ||
			unreadInclude(vs.Directive.Block) {
			continue
		}
		for _, s := range vs.Directive.Config.Sites() {
			scope := nginx.ScopeOf(s)
			if scope == nil {
				scope = vs.Directive.Config
			}
			byScope[scope] = append(byScope[scope], nameSocket{vs, implicitListen, s, readOrder(s, vs.Directive)})
		}
	}
	first := make(map[nameKey]nameSeen, names)
	reported := map[*nginx.Arg]bool{}
	for scope, list := range byScope {
		sort.SliceStable(list, func(i, j int) bool { return slices.Compare(list[i].order, list[j].order) < 0 })
		for _, b := range list {
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
					Span: a.Span(),
					Message: fmt.Sprintf("server name %s is already taken on %s by the server at %s: nginx warns "+
						"\"conflicting server name \\\"%s\\\" on %s, ignored\" and sends its requests to that server, never "+
						"to this one; keep one server for the name", a.Value, b.key, prev.vs.Directive.Span(), name, b.key),
					Related: append([]source.Related{{Span: prev.arg.Span(), Message: "the server that keeps " + a.Value}},
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
