package security

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

var ServerTokens = registry.Add(&analyzer.Rule{
	ID:         "NGX431",
	Name:       "server-tokens",
	Severity:   analyzer.Info,
	Summary:    "nginx sends its version in the Server header and on error pages",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixSafe,
	Aliases:    []string{"version_disclosure"},
	Directives: []string{"server_tokens", "http"},
	Visit:      visitServerTokens,
	Doc: `## What it does
Reports ` + "`server_tokens on`" + ` and ` + "`server_tokens build`" + `, and an ` + "`http`" + ` block of a main
configuration that sets no ` + "`server_tokens`" + ` at all (the default is ` + "`on`" + `). Servers and
locations that turn it on again below an ` + "`off`" + ` are reported too.

## Why is this bad?
With ` + "`on`" + `, every response carries ` + "`Server: nginx/1.24.0`" + ` and every error page prints the version,
so a scanner learns which known vulnerabilities to try without sending a single probe of its own.
Hiding the version does not fix those vulnerabilities, but it stops advertising them.

## Example
` + "```nginx" + `
events {}
http {
    server_tokens on;
}
` + "```" + `

## Use instead
` + "```nginx" + `
events {}
http {
    server_tokens off;
}
` + "```" + `

The fix writes ` + "`off`" + ` (or adds ` + "`server_tokens off;`" + ` at the top of the http block). It is safe:
only the header and the error pages change.
`,
})

func visitServerTokens(p *analyzer.Pass, d *nginx.Directive) {
	if d.Name == "server_tokens" {
		if len(d.Args) != 1 || (d.Args[0].Value != "on" && d.Args[0].Value != "build") {
			return
		}
		a := d.Args[0]
		p.Report(analyzer.Finding{
			Span: a.Span(),
			Message: fmt.Sprintf("server_tokens %s puts nginx's version in every Server header and error page, telling "+
				"scanners which known vulnerabilities to try; set it to off", a.Value),
			Fix: &analyzer.Fix{Title: "Set server_tokens off", Safe: true, Edits: []analyzer.Edit{{Span: a.Span(), NewText: "off"}}},
		})
		return
	}
	// A main configuration's http block without server_tokens: the default
	// is on. Fragments are silent, the http block is elsewhere.
	if !d.HasBlock || !d.Terminated || d.Config.Implied != nil || len(d.Context()) != 0 || len(d.Block) == 0 ||
		d.Config.Incomplete() { // a tree recovered from errors may miss what is there
		return
	}
	if nginx.FindAtLevel(d.Block, "server_tokens") != nil || unloadedInclude(d.Block) {
		return
	}
	first := d.Block[0]
	indent, _ := d.Config.File.LineIndent(first.Start())
	p.Report(analyzer.Finding{
		Span: d.NameSpan(),
		Message: "this http block sets no server_tokens, so nginx sends its version (the default, on) in every " +
			"Server header and error page; add server_tokens off;",
		Fix: &analyzer.Fix{Title: "Add server_tokens off", Safe: true, Edits: []analyzer.Edit{{
			Span:    d.Config.File.Span(first.Start(), first.Start()),
			NewText: "server_tokens off;\n" + indent,
		}}},
	})
}

// unloadedInclude reports an include at this level that loaded nothing.
func unloadedInclude(list []*nginx.Directive) bool {
	for _, d := range list {
		if d.Name == "include" && len(d.Includes()) == 0 {
			return true
		}
	}
	return false
}
