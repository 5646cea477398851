package security

import (
	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

var UserRoot = registry.Add(&analyzer.Rule{
	ID:         "NGX432",
	Name:       "user-root",
	Severity:   analyzer.Warning,
	Summary:    "nginx's worker processes run as root",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"user"},
	Visit:      visitUserRoot,
	Doc: `## What it does
Reports ` + "`user root`" + ` (or a user whose id is 0, written as ` + "`0`" + `) in the main context.

## Why is this bad?
Only the master process needs root, to bind ports below 1024 and open the logs. The workers parse
every request; with ` + "`user root`" + ` a bug in nginx, in a module, or in Lua code runs with full
control of the machine, and a misconfigured ` + "`alias`" + ` or ` + "`root`" + ` can serve any file on it.

## Example
` + "```nginx" + `
user root;
` + "```" + `

## Use instead
Run the workers as an unprivileged account (Debian's is ` + "`www-data`" + `, the official image's
` + "`nginx`" + `):
` + "```nginx" + `
user www-data;
` + "```" + `
`,
})

func visitUserRoot(p *analyzer.Pass, d *nginx.Directive) {
	if len(d.Args) == 0 || len(d.Context()) != 0 {
		return
	}
	if a := d.Args[0]; a.Value == "root" || a.Value == "0" {
		p.Report(analyzer.Finding{Span: a.Span(), Message: "the worker processes run as root: any bug in request handling, a " +
			"module or Lua code gets full control of the host; name an unprivileged user (www-data, nginx)"})
	}
}
