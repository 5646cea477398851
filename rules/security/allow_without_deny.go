package security

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var AllowWithoutDeny = registry.Add(&analyzer.Rule{
	ID:         "NGX409",
	Name:       "allow-without-deny",
	Severity:   analyzer.Warning,
	Summary:    "a level has allow lines but no deny, so every other address is allowed too",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"allow_without_deny"},
	Directives: []string{"allow"},
	Visit:      visitAllow,
	Doc: `## What it does
Finds a level (` + "`http`" + `, ` + "`server`" + `, ` + "`location`" + `, ` + "`limit_except`" + `) with ` + "`allow`" + ` lines
of its own and no ` + "`deny`" + `, and points at the block's opening line (at the first ` + "`allow`" + ` when
the lines come from an included file whose block is elsewhere). Lines included with ` + "`include`" + `
count at the level of the ` + "`include`" + `; a file of bare ` + "`allow`" + ` lines whose including block is
not loaded is not reported (the ` + "`deny`" + ` usually follows the ` + "`include`" + ` there). ` + "`allow all`" + ` alone is not reported, nor a level under
` + "`satisfy any`" + `, where addresses that no rule matches go on to the other checks (` + "`auth_basic`" + `,
` + "`auth_request`" + `), which is the point of such a list.

## Why is this bad?
nginx grants access when no rule matches, so ` + "`allow`" + ` without a ` + "`deny`" + ` restricts nothing.
Worse, ` + "`allow`" + ` and ` + "`deny`" + ` lines form one list that an inner level inherits only when it has
none of its own: an ` + "`allow 10.0.0.0/8;`" + ` in a location drops the server's ` + "`deny all;`" + ` there, and
the location is open to everyone.

## Example
` + "```nginx" + `
location /admin/ {
    allow 10.0.0.0/8;
}
` + "```" + `

## Use instead
` + "```nginx" + `
location /admin/ {
    allow 10.0.0.0/8;
    deny all;
}
` + "```" + `
`,
})

// levelAccess reads a level's allow and deny lines for its first allow,
// d: none when the level's first allow is another (which reports for the
// level), so that a level of many allow lines is read once, not once per
// line.
func levelAccess(own []*nginx.Directive, d *nginx.Directive) (allows []*nginx.Directive, onlyAll, hasDeny bool) {
	onlyAll = true
	for _, x := range own {
		switch x.Name {
		case "allow":
			if len(allows) == 0 && x != d {
				return nil, false, false
			}
			allows = append(allows, x)
			if len(x.Args) == 0 || x.Args[0].Value != "all" {
				onlyAll = false
			}
		case "deny":
			hasDeny = true
		}
	}
	return allows, onlyAll, hasDeny
}

func visitAllow(p *analyzer.Pass, d *nginx.Directive) {
	idx := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	v := p.Settings.Nginx()
	for _, s := range sitesOf(d) {
		levels := idx.Levels(d, s)
		if len(levels) == 0 || levels[0].Block == nil {
			// the top of a fragment: the block that includes it, and
			// the deny it may hold after the include, are not loaded
			continue
		}
		own, unresolved := idx.Directives(levels[0])
		if unresolved {
			continue
		}
		allows, onlyAll, hasDeny := levelAccess(own, d)
		if len(allows) == 0 || hasDeny || onlyAll {
			continue
		}
		for _, x := range idx.Resolve(d, s, "satisfy", v).Effective {
			if len(x.Args) > 0 && x.Args[0].Value == "any" {
				return
			}
		}
		span := d.NameSpan()
		b := levels[0].Block
		level := "this " + b.Name
		if b.Config == d.Config {
			span = b.NameSpan()
		}
		var related []source.Related
		for _, x := range allows {
			related = append(related, source.Related{Span: x.Span(), Message: "allow without a deny"})
		}
		dropped := ""
		for _, dr := range idx.Resolve(d, s, "deny", v).Dropped() {
			if dr.Directive.Name == "deny" {
				dropped = fmt.Sprintf("; its own allow lines also keep the deny at %s:%d from applying here",
					dr.Directive.Span().File, dr.Directive.Span().Start.Line)
				related = append(related, source.Related{Span: dr.Directive.Span(), Message: "not inherited here"})
				break
			}
		}
		p.Report(analyzer.Finding{
			Span: span,
			Message: fmt.Sprintf("%s has allow lines but no deny: nginx lets in every address that no rule "+
				"denies, so the allow lines restrict nothing%s; add deny all; after them", level, dropped),
			Related: related,
		})
		return
	}
}
