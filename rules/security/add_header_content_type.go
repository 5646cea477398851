package security

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/inherit"
)

var AddHeaderContentType = registry.Add(&analyzer.Rule{
	ID:         "NGX418",
	Name:       "add-header-content-type",
	Severity:   analyzer.Warning,
	Summary:    "add_header Content-Type sends a second Content-Type header instead of setting the type",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixUnsafe,
	Aliases:    []string{"add_header_content_type"},
	Directives: []string{"add_header"},
	Visit:      visitContentType,
	Doc: `## What it does
Finds ` + "`add_header Content-Type ...`" + ` (any letter case) and points at the header name. The fix
replaces the line with ` + "`default_type`" + ` and the same value; it is unsafe because
` + "`default_type`" + ` applies only where nginx finds no type of its own (from ` + "`types`" + ` by the file's
extension, or from the upstream's response), and it is not offered when the value holds a
variable (` + "`default_type`" + ` takes none), inside an ` + "`if`" + ` (where ` + "`default_type`" + ` is not
allowed) or when the level already has a ` + "`default_type`" + `.

## Why is this bad?
nginx always sends a ` + "`Content-Type`" + `; ` + "`add_header`" + ` adds another one beside it. With two
different types the browser picks one (often the first, nginx's), so the header meant to stop
content sniffing or to force ` + "`text/plain`" + ` may be ignored, and proxies and clients disagree about
the response.

## Example
` + "```nginx" + `
location = /health {
    add_header Content-Type text/plain;
    return 200 "ok\n";
}
` + "```" + `

## Use instead
` + "```nginx" + `
location = /health {
    default_type text/plain;
    return 200 "ok\n";
}
` + "```" + `
`,
})

func visitContentType(p *analyzer.Pass, d *nginx.Directive) {
	if len(d.Args) < 2 || !strings.EqualFold(d.Args[0].Value, "Content-Type") {
		return
	}
	val := d.Args[1]
	f := analyzer.Finding{
		Span: d.Args[0].Span(),
		Message: fmt.Sprintf("add_header Content-Type adds a second Content-Type next to the one nginx sends anyway, "+
			"and clients pick either; set the type with default_type %s (or types) instead", val.Raw()),
	}
	extra := len(d.Args) == 2 || len(d.Args) == 3 && d.Args[2].Value == "always"
	inIf := d.Parent != nil && d.Parent.Name == "if" // default_type is not allowed in an if
	if extra && !inIf && !strings.Contains(val.Value, "$") && !levelHas(d, "default_type") && val.Value != "" {
		f.Fix = &analyzer.Fix{
			Title: "Use default_type " + val.Raw(),
			Edits: []analyzer.Edit{{Span: d.Span(), NewText: "default_type " + val.Raw() + ";"}},
		}
	}
	p.Report(f)
}

// levelHas reports whether the level d sits in (at any site) has its own
// directive called name, or may have one through an include that loaded
// nothing.
func levelHas(d *nginx.Directive, name string) bool {
	for _, s := range sitesOf(d) {
		levels := inherit.Levels(d, s)
		if len(levels) == 0 {
			return true
		}
		own, unresolved := levels[0].Directives()
		if unresolved {
			return true
		}
		for _, x := range own {
			if x.Name == name {
				return true
			}
		}
	}
	return false
}
