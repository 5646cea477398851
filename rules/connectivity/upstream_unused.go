package connectivity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

var UpstreamUnused = registry.Add(&analyzer.Rule{
	ID:         "NGX105",
	Name:       "upstream-unused",
	Severity:   analyzer.Info,
	Summary:    "an upstream block that no proxy_pass (or other *_pass) of its configuration names",
	Tags:       []analyzer.Tag{analyzer.TagConnectivity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"upstream"},
	Visit:      visitUpstreamUnused,
	Doc: `## What it does
Reports an ` + "`upstream`" + ` block of a main configuration that no ` + "`proxy_pass`" + `, ` + "`fastcgi_pass`" + `,
` + "`uwsgi_pass`" + `, ` + "`scgi_pass`" + `, ` + "`grpc_pass`" + ` or ` + "`memcached_pass`" + ` of the same configuration (and
module) names. It is silent when ngxlint cannot see every possible user: when a pass of that module holds a
variable in its host (the variable may carry the group's name at run time), when the
configuration includes files that are not there or names them by an absolute pattern such as
` + "`/etc/nginx/sites-enabled/*`" + ` (they are on the server, not in the repository) or runs Lua code (which can proxy to any group by name), and for fragments linted
without their main file.

## Why is this bad?
nginx still resolves the servers of an unused group at start-up, and refuses to start when one
of them does not resolve, for a group that never carries a request. More often the group is
unused by mistake: a location meant to use it names another group or a literal address (a typo
in the name makes nginx treat it as a host name), so traffic does not go where the
configuration's author expects.

## Example
` + "```nginx" + `
upstream api_backend {
    server 10.0.0.5:8080;
}
server {
    location /api/ {
        proxy_pass http://api-backend;
    }
}
` + "```" + `

## Use instead
Name the group where it is meant to be used, or remove it:
` + "```nginx" + `
upstream api_backend {
    server 10.0.0.5:8080;
}
server {
    location /api/ {
        proxy_pass http://api_backend;
    }
}
` + "```" + `
`,
})

func visitUpstreamUnused(p *analyzer.Pass, d *nginx.Directive) {
	peers := analyzer.ResultOf(p.Workspace, analyzer.Peers)
	g := peers.GroupOf(d)
	if g == nil || len(g.Passes) > 0 {
		return
	}
	scopes := map[*nginx.Config]bool{}
	for _, s := range d.Config.Sites() {
		if nginx.ScopeOf(s) == nil {
			return // a fragment: its users may be in files not linted
		}
		scopes[nginx.ScopeOf(s)] = true
	}
	open := analyzer.ResultOf(p.Workspace, openScopes)
	for sc := range scopes {
		if open[sc] {
			return
		}
	}
	for _, ps := range peers.Passes {
		if ps.Module != g.Module || !ps.AddrOK || !ps.Addr.Variable || ps.Addr.Unix {
			continue
		}
		for _, s := range ps.Directive.Config.Sites() {
			if scopes[nginx.ScopeOf(s)] {
				return // a variable may name the group at run time
			}
		}
	}
	p.Report(analyzer.Finding{Span: d.Args[0].Span(), Message: fmt.Sprintf("upstream %s is named by no %s of this "+
		"configuration: nginx still resolves its servers at start-up (and fails to start if one does not resolve); "+
		"point a location at it or remove it", g.Name, passWord(g.Module))})
}

// openScopes are the configurations whose pass directives ngxlint cannot
// all see: an include that loaded nothing (its files are on the server,
// not here), or Lua code, which can send a request to any group by name.
var openScopes = &analyzer.Model[map[*nginx.Config]bool]{
	Name: "connectivity/open-scopes",
	Compute: func(ws *analyzer.Workspace) map[*nginx.Config]bool {
		out := map[*nginx.Config]bool{}
		for _, c := range ws.Nginx {
			nginx.Walk(c, func(d *nginx.Directive) bool {
				if isOpenInclude(d) || d.Lua() != nil || strings.Contains(d.Name, "_by_lua") {
					for _, s := range c.Sites() {
						out[nginx.ScopeOf(s)] = true
					}
				}
				return true
			})
		}
		return out
	},
}

// isOpenInclude: an include that loaded nothing, or an absolute pattern
// (`/etc/nginx/sites-enabled/*`): what it matches on this machine need not
// be what it matches on the server.
func isOpenInclude(d *nginx.Directive) bool {
	if d.Name != "include" || len(d.Args) == 0 {
		return false
	}
	v := d.Args[0].Value
	return len(d.Includes()) == 0 || strings.HasPrefix(v, "/") && strings.ContainsAny(v, "*?[")
}

func passWord(module string) string {
	if module == "stream" {
		return "proxy_pass"
	}
	return "proxy_pass, fastcgi_pass, uwsgi_pass, scgi_pass, grpc_pass or memcached_pass"
}
