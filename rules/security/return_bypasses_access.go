package security

import (
	"fmt"
	"strconv"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var ReturnBypassesAccess = registry.Add(&analyzer.Rule{
	ID:         "NGX410",
	Name:       "return-bypasses-access",
	Severity:   analyzer.Warning,
	Summary:    "return answers before allow and deny are checked",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"return_bypasses_allow_deny"},
	Directives: []string{"return"},
	Visit:      visitReturnAccess,
	Doc: `## What it does
Finds a ` + "`return`" + ` (other than an error status, 400 and up) at a level where ` + "`deny`" + ` lines
apply, its own or inherited, and points at the ` + "`return`" + `, with the ` + "`deny`" + ` lines beside it.

## Why is this bad?
` + "`return`" + ` belongs to the rewrite module, which runs in an earlier phase than the access module:
the response is sent before ` + "`allow`" + ` and ` + "`deny`" + ` are looked at, so every client gets it,
denied or not. A ` + "`return 200`" + ` of a status text or a ` + "`return 301`" + ` to an internal URL leaks what
the access list was meant to protect.

## Example
` + "```nginx" + `
location /internal-status {
    allow 10.0.0.0/8;
    deny all;
    return 200 "db=primary version=1.4.2\n";
}
` + "```" + `

## Use instead
Serve the response from something the access phase guards (a file, ` + "`stub_status`" + `, a
` + "`proxy_pass`" + `), or check the address in the rewrite phase itself:
` + "```nginx" + `
geo $internal_client { default 0; 10.0.0.0/8 1; }
server {
    listen 80;
    location /internal-status {
        if ($internal_client = 0) { return 403; }
        return 200 "db=primary version=1.4.2\n";
    }
}
` + "```" + `
`,
})

func visitReturnAccess(p *analyzer.Pass, d *nginx.Directive) {
	if len(d.Args) == 0 {
		return
	}
	if code, err := strconv.Atoi(d.Args[0].Value); err == nil && code >= 400 {
		return
	}
	idx := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	v := p.Settings.Nginx()
	for _, s := range sitesOf(d) {
		var denies []*nginx.Directive
		for _, x := range idx.Resolve(d, s, "deny", v).Effective {
			if x.Name == "deny" {
				denies = append(denies, x)
			}
		}
		if len(denies) == 0 {
			continue
		}
		var related []source.Related
		for _, x := range denies {
			related = append(related, source.Related{Span: x.Span(), Message: "not checked before the return"})
		}
		p.Report(analyzer.Finding{
			Span: d.NameSpan(),
			Message: fmt.Sprintf("return runs in the rewrite phase, before the access phase: every client gets this "+
				"response, including those the deny at line %d is meant to stop; serve it from a handler the access "+
				"phase guards, or test the address with geo and if first", denies[0].Span().Start.Line),
			Related: related,
		})
		return
	}
}
