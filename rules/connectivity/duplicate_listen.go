package connectivity

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var DuplicateListen = registry.Add(&analyzer.Rule{
	ID:        "NGX110",
	Name:      "duplicate-listen",
	Severity:  analyzer.Error,
	Summary:   "one http server listens twice on the same address and port, so nginx refuses to start",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity},
	Precision: analyzer.PrecisionVeryHigh,
	Fix:       analyzer.FixSafe,
	Run:       runDuplicateListen,
	Doc: `## What it does
Compares the ` + "`listen`" + ` directives of each http ` + "`server`" + ` block (its files included at server level
too) by the address and port they bind: ` + "`listen 80`" + `, ` + "`listen *:80`" + ` and ` + "`listen 0.0.0.0:80`" + ` are
the same; ` + "`[::]:80`" + ` is another; a ` + "`quic`" + ` listen is a UDP socket apart from the TCP one. Listens
on host names are left out (their addresses come from DNS).

## Why is this bad?
` + "`nginx -t`" + ` fails with "a duplicate listen 0.0.0.0:80" and nginx does not start or reload. This
often comes from adding ` + "`listen 443 ssl`" + ` to a server that an include already gives
` + "`listen 443`" + `, or from a copied line.

## Example
` + "```nginx" + `
server {
    listen 80;
    listen 80;
    server_name a.example;
}
` + "```" + `

## Use instead
` + "```nginx" + `
server {
    listen 80;
    server_name a.example;
}
` + "```" + `
When the two lines are the same text, the fix deletes the second (safe: nginx would not start with
it). When their parameters differ, merge them by hand into one line.
`,
})

func runDuplicateListen(p *analyzer.Pass) {
	for _, vs := range analyzer.ResultOf(p.Workspace, analyzer.Servers) {
		if vs.Module != "http" {
			continue
		}
		first := map[string]*nginx.Listen{}
		for i := range vs.Listens {
			l := &vs.Listens[i]
			key, ok := l.Socket()
			if !ok {
				continue
			}
			prev := first[key]
			if prev == nil {
				first[key] = l
				continue
			}
			f := analyzer.Finding{
				Span: l.Addr.Span,
				Message: fmt.Sprintf("this server already listens on %s (%s): nginx refuses to start with \"a duplicate "+
					"listen %s\"; keep one listen line for it, with the parameters of both", key, prev.Directive.Span,
					strings.TrimSuffix(key, " (quic)")),
				Related: []source.Related{{Span: prev.Addr.Span, Message: "the first listen on " + key}},
			}
			if sameArgs(prev.Directive, l.Directive) {
				f.Fix = &analyzer.Fix{Title: "Remove the repeated listen", Safe: true, Edits: []analyzer.Edit{lineDeletion(l.Directive)}}
			}
			p.Report(f)
		}
	}
}

func sameArgs(a, b *nginx.Directive) bool {
	return slices.EqualFunc(a.Args, b.Args, func(x, y *nginx.Arg) bool { return x.Value == y.Value })
}
