package security

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/vars"
)

var CaptureMissing = registry.Add(&analyzer.Rule{
	ID:         "NGX412",
	Name:       "capture-missing",
	Severity:   analyzer.Warning,
	Summary:    "a $1..$9 refers to a group that the regex in scope does not have, so it is always empty",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"invalid_regex"},
	Directives: []string{"*"},
	Visit:      visitCaptureMissing,
	Doc: `## What it does
Finds a numbered capture (` + "`$1`" + ` to ` + "`$9`" + `) that no regex in scope provides: the location's
regex, a ` + "`rewrite`" + `'s own pattern (the one its replacement reads: ` + "`rewrite ^ /x/$1`" + ` has
no group 1, whatever the location captured) or one before it, an ` + "`if`" + ` condition around it, a regex
` + "`server_name`" + `. It points at the reference. A regex that PCRE cannot parse, or a capture that
Lua or njs code may set, leaves the rule silent.

## Why is this bad?
nginx replaces a capture the last matched regex does not have with an empty string, without a
warning: ` + "`rewrite ^/old/.*$ /new/$1 permanent;`" + ` sends every client to ` + "`/new/`" + `, and a path or
header built from it loses the part it was meant to carry. An access check that compares such a
value compares an empty string.

## Example
` + "```nginx" + `
location ~ ^/users/[0-9]+/avatar$ {
    try_files /avatars/$1.png =404;
}
` + "```" + `

## Use instead
Capture what the replacement uses:
` + "```nginx" + `
location ~ ^/users/([0-9]+)/avatar$ {
    try_files /avatars/$1.png =404;
}
` + "```" + `
`,
})

func visitCaptureMissing(p *analyzer.Pass, d *nginx.Directive) {
	ix := analyzer.ResultOf(p.Workspace, analyzer.Variables)
	refs := ix.DirectiveRefs(d)
	if len(refs) == 0 {
		return
	}
	for _, r := range refs {
		if r.Capture == 0 {
			continue
		}
		missing := true
		var v vars.Value
		for _, s := range sitesOf(d) {
			v = ix.Ref(d, s, r)
			if !v.NoGroup || v.Props&vars.Unknown != 0 {
				missing = false
			}
		}
		if !missing {
			continue
		}
		p.Report(analyzer.Finding{
			Span: r.Span(),
			Message: fmt.Sprintf("$%d is always empty here: no regex in scope has a group %d (nginx replaces a missing "+
				"capture with nothing); add the group to the regex, or use the variable you meant", r.Capture, r.Capture),
			Related: v.Related(),
		})
	}
}
