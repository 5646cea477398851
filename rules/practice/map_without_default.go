package practice

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/vars"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var MapWithoutDefault = registry.Add(&analyzer.Rule{
	ID:         "NGX502",
	Name:       "map-without-default",
	Severity:   analyzer.Info,
	Summary:    "a map or geo block without default gives an empty value to everything it does not list",
	Tags:       []analyzer.Tag{analyzer.TagPractice},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixSafe,
	Aliases:    []string{"hash_without_default"},
	Directives: []string{"map", "geo"},
	Visit:      visitMapWithoutDefault,
	Doc: `## What it does
Reports a ` + "`map`" + ` or ` + "`geo`" + ` block (http or stream) that has no ` + "`default`" + ` entry when its
variable is used where an empty value breaks something: a ` + "`*_pass`" + ` target, ` + "`return`" + `,
` + "`rewrite`" + `, ` + "`root`" + `, ` + "`alias`" + ` or ` + "`try_files`" + `. An empty value is a common, deliberate
idiom elsewhere (` + "`add_header X $x`" + ` sends no header when ` + "`$x`" + ` is empty, ` + "`if ($x)`" + ` is false),
so those uses do not count. It is silent when the block includes a file that was not loaded (the
default may be there).

## Why is this bad?
A value the block does not list gets the empty string. That is rarely what the author thought
about: an allow-list map then lets unknown values through as "", a backend map makes
` + "`proxy_pass http://$backend`" + ` fail with an invalid URL, and a reader cannot tell whether the
fall-through was meant.

## Example
` + "```nginx" + `
map $http_x_tenant $tenant_backend {
    acme    10.0.0.11:8080;
    globex  10.0.0.12:8080;
}
server {
    listen 80;
    location / {
        proxy_pass http://$tenant_backend;   # empty for any other tenant
    }
}
` + "```" + `

## Use instead
Say what unlisted values get:
` + "```nginx" + `
map $http_x_tenant $tenant_backend {
    default 10.0.0.10:8080;
    acme    10.0.0.11:8080;
    globex  10.0.0.12:8080;
}
server {
    listen 80;
    location / {
        proxy_pass http://$tenant_backend;
    }
}
` + "```" + `

The fix adds ` + "`default \"\";`" + ` as the block's last entry: it spells out what nginx already does,
so it is safe; change the value to what the fall-through should be, as above.
`,
})

func visitMapWithoutDefault(p *analyzer.Pass, d *nginx.Directive) {
	if !d.HasBlock || !d.Terminated || len(d.Args) == 0 {
		return
	}
	open := false
	found := nginx.FindAtLevel(d.Block, "default") != nil
	for _, x := range d.Block {
		open = open || x.Name == "include" && len(x.Includes()) == 0
	}
	if found || open {
		return
	}
	result := d.Args[len(d.Args)-1].Value
	if d.Name == "map" && len(d.Args) == 2 {
		// A source computed by a module (set_random, Lua ...) may only
		// ever take the values listed: ngxlint cannot tell.
		ix := analyzer.ResultOf(p.Workspace, analyzer.Variables)
		for _, r := range vars.Refs(d.Args[0]) {
			if ix.Ref(d, nginx.Site{}, r).Origin == vars.Module {
				return
			}
		}
	}
	users := analyzer.ResultOf(p.Workspace, criticalUses)[strings.TrimPrefix(result, "$")]
	if len(users) == 0 {
		return // unused, or used where an empty value is an idiom (a header not sent, a false if)
	}
	f := analyzer.Finding{
		Span: d.NameSpan(),
		Message: fmt.Sprintf("%s %s has no default: every value it does not list sets %s to an empty string, which "+
			"%s at %s then uses; add a default entry that says what they should get", d.Name,
			strings.Join(argValues(d), " "), result, users[0].Name, users[0].Span()),
		Related: []source.Related{{Span: users[0].Span(), Message: "uses " + result}},
	}
	if fix := addDefault(d); fix != nil {
		f.Fix = fix
	}
	p.Report(f)
}

// valueCritical are the directives where an empty value is not an idiom
// but a broken URL, path or response: a header set to "" is not sent and
// an empty `if ($x)` is false, both on purpose, so those do not count.
var valueCritical = map[string]bool{
	"proxy_pass": true, "fastcgi_pass": true, "uwsgi_pass": true, "scgi_pass": true, "grpc_pass": true,
	"memcached_pass": true, "return": true, "rewrite": true, "root": true, "alias": true, "try_files": true,
}

// criticalUses maps a variable name to the value-critical directives that
// read it, in source order.
var criticalUses = &analyzer.Model[map[string][]*nginx.Directive]{
	Name: "practice/critical-uses",
	Compute: func(ws *analyzer.Workspace) map[string][]*nginx.Directive {
		out := map[string][]*nginx.Directive{}
		ws.WalkNginx(func(d *nginx.Directive) {
			if !valueCritical[d.Name] {
				return
			}
			for _, r := range vars.DirectiveRefs(d) {
				if n := out[r.Name]; len(n) == 0 || n[len(n)-1] != d {
					out[r.Name] = append(n, d)
				}
			}
		})
		return out
	},
}

// addDefault inserts `default "";` on its own line before the closing
// brace, indented one step deeper than the brace, when the brace starts
// its line.
func addDefault(d *nginx.Directive) *analyzer.Fix {
	file := d.Config.File
	closing := d.End() - 1
	lineStart := file.LineStart(int(file.Pos(closing).Line))
	indent := string(file.Src[lineStart:closing])
	if strings.TrimLeft(indent, " \t") != "" {
		return nil
	}
	step := "    "
	if strings.Contains(indent, "\t") {
		step = "\t"
	}
	at := file.Span(lineStart, lineStart)
	return &analyzer.Fix{
		Title: "Add default \"\" (what nginx already does)",
		Safe:  true,
		Edits: []analyzer.Edit{{Span: at, NewText: indent + step + "default \"\";\n"}},
	}
}

func argValues(d *nginx.Directive) []string {
	out := make([]string, len(d.Args))
	for i, a := range d.Args {
		out[i] = a.Value
	}
	return out
}
