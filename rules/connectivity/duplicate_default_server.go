package connectivity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var DuplicateDefaultServer = registry.Add(&analyzer.Rule{
	ID:        "NGX102",
	Name:      "duplicate-default-server",
	Severity:  analyzer.Error,
	Summary:   "two servers are the default_server of one address and port, so nginx refuses to start",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity},
	Precision: analyzer.PrecisionVeryHigh,
	Fix:       analyzer.FixNone,
	Run:       runDuplicateDefaultServer,
	Doc: `## What it does
Groups the ` + "`listen`" + ` directives of the http servers of one configuration by the address and
port they bind (` + "`listen 80`" + `, ` + "`listen *:80`" + ` and ` + "`listen 0.0.0.0:80`" + ` are the same one;
` + "`[::]:80`" + ` is another, and a ` + "`quic`" + ` listen is a UDP socket apart from the TCP one) and reports every ` + "`default_server`" + ` (or ` + "`default`" + `) after the first on
the same address and port, with the first as a related location. Servers in files included
from one main file count together; fragments linted without a main file are compared within
each file only. A listen on a host name is left out: which addresses it binds depends on DNS.

## Why is this bad?
Each address and port has exactly one default server, the one that answers requests whose
` + "`Host`" + ` matches no ` + "`server_name`" + `. A second one is a configuration error: ` + "`nginx -t`" + ` fails
with "a duplicate default server for 0.0.0.0:80" and nginx does not start or reload, so every
client of every site on the host gets connection refused (on a reload, the old configuration
keeps running and the change silently never ships).

## Example
` + "```nginx" + `
server {
    listen 80 default_server;
    server_name a.example;
}
server {
    listen 80 default_server;
    server_name b.example;
}
` + "```" + `

## Use instead
Keep ` + "`default_server`" + ` on one of them (often a catch-all that returns 444):
` + "```nginx" + `
server {
    listen 80 default_server;
    server_name a.example;
}
server {
    listen 80;
    server_name b.example;
}
` + "```" + `
`,
})

type listenKey struct {
	scope *nginx.Config
	addr  string
}

func runDuplicateDefaultServer(p *analyzer.Pass) {
	first := make(map[listenKey]*nginx.Listen)
	reported := make(map[*nginx.Directive]bool)
	for _, vs := range analyzer.ResultOf(p.Workspace, analyzer.Servers) {
		if vs.Module != "http" {
			continue
		}
		for i := range vs.Listens {
			l := &vs.Listens[i]
			sock, ok := l.Socket()
			if !l.DefaultServer || !ok {
				continue
			}
			for _, s := range l.Directive.Config.Sites() {
				scope := nginx.ScopeOf(s)
				if scope == nil {
					scope = l.Directive.Config // a fragment: compare within its file only
				}
				k := listenKey{scope, sock}
				addr, _, _ := strings.Cut(sock, " ")
				prev := first[k]
				if prev == nil {
					first[k] = l
					continue
				}
				if prev.Directive == l.Directive || reported[l.Directive] {
					continue
				}
				reported[l.Directive] = true
				p.Report(analyzer.Finding{
					Span: l.Param("default_server").Span(),
					Message: fmt.Sprintf("%s already has a default server (%s): nginx refuses to start with "+
						"\"a duplicate default server for %s\"; keep default_server on one of them", k.addr, prev.Directive.Span(), addr),
					Related: []source.Related{{Span: prev.Param("default_server").Span(), Message: "the first default server of " + k.addr}},
				})
			}
		}
	}
}
