package practice

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var DefaultServerMissing = registry.Add(&analyzer.Rule{
	ID:        "NGX506",
	Name:      "default-server-missing",
	Severity:  analyzer.Info,
	Summary:   "servers share an address and port but none is default_server, so the first one answers unknown hosts",
	Tags:      []analyzer.Tag{analyzer.TagPractice},
	Precision: analyzer.PrecisionHigh,
	Fix:       analyzer.FixNone,
	Aliases:   []string{"default_server_flag"},
	Run:       runDefaultServerMissing,
	Doc: `## What it does
Groups the http servers of a main configuration by the socket they listen on (address and port,
as nginx compares them) and reports each socket that two or more servers share without any of
them marked ` + "`default_server`" + `, at the first of those servers' listen. Fragments linted without
their main file are left alone: the default may be in another file.

## Why is this bad?
A request whose ` + "`Host`" + ` matches no ` + "`server_name`" + ` (a scanner hitting the IP address, a stale DNS
name, a typo) goes to the default server of its socket; without ` + "`default_server`" + ` that is the
first server nginx read, which depends on include order. A reordered ` + "`conf.d`" + ` then quietly
serves some site, its certificate and its cookies, to traffic meant for none.

## Example
` + "```nginx" + `
server { listen 80; server_name a.example; }
server { listen 80; server_name b.example; }
` + "```" + `

## Use instead
Say which server answers unknown hosts, usually one that answers nothing:
` + "```nginx" + `
server { listen 80 default_server; return 444; }
server { listen 80; server_name a.example; }
server { listen 80; server_name b.example; }
` + "```" + `
`,
})

type socketUse struct {
	first   *nginx.Listen
	server  *nginx.Directive
	servers int
	dflt    bool
	last    *nginx.Directive
}

func runDefaultServerMissing(p *analyzer.Pass) {
	type key struct {
		scope *nginx.Config
		sock  string
	}
	uses := map[key]*socketUse{}
	var order []key
	for _, vs := range analyzer.ResultOf(p.Workspace, analyzer.Servers) {
		if vs.Module != "http" {
			continue
		}
		scope := mainScope(vs.Directive)
		if scope == nil {
			continue
		}
		for i := range vs.Listens {
			l := &vs.Listens[i]
			sock, ok := l.Socket()
			if !ok {
				continue
			}
			k := key{scope, sock}
			u := uses[k]
			if u == nil {
				u = &socketUse{first: l, server: vs.Directive}
				uses[k] = u
				order = append(order, k)
			}
			if u.last != vs.Directive {
				u.servers++
				u.last = vs.Directive
			}
			u.dflt = u.dflt || l.DefaultServer
		}
	}
	for _, k := range order {
		u := uses[k]
		if u.servers < 2 || u.dflt {
			continue
		}
		p.Report(analyzer.Finding{Span: u.first.Addr.Span(),
			Related: []source.Related{{Span: u.server.NameSpan(), Message: "answers unknown hosts on " + k.sock}},
			Message: fmt.Sprintf("%d servers listen on %s and none is default_server, so this one, the first nginx "+
				"read, answers every request whose Host matches no server_name; add a default_server (often one that "+
				"returns 444)", u.servers, k.sock)})
	}
}

// mainScope is the main configuration a server belongs to when every
// inclusion site leads to the same one; nil for fragments.
func mainScope(d *nginx.Directive) *nginx.Config {
	var scope *nginx.Config
	for _, s := range d.Config.Sites() {
		sc := nginx.ScopeOf(s)
		if sc == nil || scope != nil && sc != scope {
			return nil
		}
		scope = sc
	}
	return scope
}
