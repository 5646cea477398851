package connectivity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var ServerNameRefused = registry.Add(&analyzer.Rule{
	ID:        "NGX123",
	Name:      "server-name-refused",
	Severity:  analyzer.Error,
	Summary:   "a server_name nginx refuses: a * not in the first or last label, two of them, or an empty label",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagValidity},
	Precision: analyzer.PrecisionVeryHigh,
	Fix:       analyzer.FixNone,
	Run:       runServerNameRefused,
	Doc: `## What it does
Checks each name of an http ` + "`server_name`" + ` (regular expressions, written ` + "`~...`" + `, and
` + "`$hostname`" + ` aside) against the forms nginx takes: an exact name, ` + "`*.example.com`" + `,
` + "`.example.com`" + ` and ` + "`www.example.*`" + `. nginx refuses:

- a name that starts with ` + "`*`" + ` not followed by a dot (` + "`*example.com`" + `, ` + "`*`" + `), or a lone ` + "`.`" + `,
  always;
- a ` + "`*`" + ` anywhere else (` + "`www.*.example.com`" + `, ` + "`www.example*`" + `), two of them, or an empty label
  (` + "`a..example.com`" + `), when it builds the table of names of an address, which it does when more
  than one server listens there. The finding names that address; a server alone on its addresses
  is left alone (nginx then never looks at its names).

## Why is this bad?
` + "`nginx -t`" + ` fails with ` + "`server name \"*example.com\" is invalid`" + ` or
` + "`invalid server name or wildcard \"www.*.example.com\" on 0.0.0.0:80`" + `, and nginx does not start or
reload. The second kind appears only when a second server is added to the address, so a
configuration that worked breaks on an unrelated change. A ` + "`*`" + ` matches whole labels at the start
or the end of a name only; for anything else, use a regular expression.

## Example
` + "```nginx" + `
server {
    listen 80;
    server_name www.*.example.com;
}
server {
    listen 80;
    server_name api.example.com;
}
` + "```" + `

## Use instead
` + "```nginx" + `
server {
    listen 80;
    server_name ~^www\.[^.]+\.example\.com$;
}
server {
    listen 80;
    server_name api.example.com;
}
` + "```" + `
`,
})

func runServerNameRefused(p *analyzer.Pass) {
	// a server: the first address (in reading order) it shares with
	// another http server of its configuration
	shared := map[*nginx.VirtualServer]string{}
	bySocket := analyzer.ResultOf(p.Workspace, socketServers)
	for scope, list := range analyzer.ResultOf(p.Workspace, listensByScope) {
		count := map[string]int{} // an address's http servers, counted once: hundreds of servers share port 80
		for _, b := range list {
			if _, done := shared[b.vs]; done || b.vs.Module != "http" || isDatagram(b.key) {
				continue
			}
			n, ok := count[b.key]
			if !ok {
				n = httpServers(bySocket[scope][b.key])
				count[b.key] = n
			}
			if n > 1 {
				shared[b.vs] = b.key
			}
		}
	}
	for _, vs := range analyzer.ResultOf(p.Workspace, analyzer.Servers) {
		if vs.Module != "http" {
			continue
		}
		for _, a := range vs.Names {
			name := a.Value
			if name == "" || name[0] == '~' || strings.EqualFold(name, "$hostname") {
				continue
			}
			if (name[0] == '*' && (len(name) < 3 || name[1] != '.')) || name == "." {
				p.Report(analyzer.Finding{Span: a.Span(), Message: fmt.Sprintf("server_name %s: nginx refuses to start "+
					"(server name %q is invalid); a * stands for a whole first label (*.example.com) or last one "+
					"(www.example.*): write one of those, or a regular expression (~^...$)", name, name)})
				continue
			}
			if _, ok := nginx.HostKeys(name); ok {
				continue
			}
			addr, ok := shared[vs]
			if !ok {
				continue
			}
			p.Report(analyzer.Finding{Span: a.Span(), Message: fmt.Sprintf("server_name %s: nginx refuses to start "+
				"(invalid server name or wildcard %q on %s), as more than one server listens there and it builds a "+
				"table of their names, which takes one * for a whole first or last label and no empty label; write "+
				"a regular expression (~^...$) instead", name, name, addr),
				Related: []source.Related{{Span: vs.Directive.NameSpan(), Message: "the server, one of several on " + addr}}})
		}
	}
}

// httpServers counts the http servers of one address's list.
func httpServers(list []boundListen) int {
	n := 0
	for _, b := range list {
		if b.vs.Module == "http" {
			n++
		}
	}
	return n
}
