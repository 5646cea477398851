package validity

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
)

var InvalidArgumentCount = registry.Add(&analyzer.Rule{
	ID:         "NGX303",
	Name:       "invalid-argument-count",
	Severity:   analyzer.Error,
	Summary:    "a directive with more or fewer arguments than nginx accepts, or a block where it takes none, so nginx refuses to start",
	Tags:       []analyzer.Tag{analyzer.TagValidity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"invalid_number_of_arguments"},
	Directives: []string{"*"},
	Visit:      visitArgumentCount,
	Doc: `## What it does
Counts the arguments of each directive against what its module declares (exactly one, one or two,
one or more, none, on/off ...) for the context it is in, and checks its shape: a directive that
takes a block must open one, a directive that does not must end with ` + "`;`" + `. Directives that
ngxlint does not know, or that are out of context, are left to ` + "`unknown-directive`" + ` and
` + "`directive-not-allowed-here`" + `.

## Why is this bad?
nginx refuses to start with ` + "`invalid number of arguments in \"proxy_pass\" directive`" + `,
` + "`directive \"location\" has no opening \"{\"`" + ` or ` + "`directive \"root\" is not terminated by \";\"`" + `. A
missing quote around a value with spaces (` + "`add_header X-Note a b c;`" + `) is the usual cause.

## Example
` + "```nginx" + `
location / {
    proxy_pass http://app http://backup;
    add_header Content-Security-Policy default-src 'self';
}
` + "```" + `

## Use instead
` + "```nginx" + `
location / {
    proxy_pass http://app;
    add_header Content-Security-Policy "default-src 'self'";
}
` + "```" + `
`,
})

func visitArgumentCount(p *analyzer.Pass, d *nginx.Directive) {
	ds := entriesAt(d.Name, p.Settings.Nginx())
	if len(ds) == 0 || !d.Terminated {
		return // unknown, or a syntax error nginx-syntax reports
	}
	sites, paths := checkedSites(d)
	var candidates []*spec.Directive
	for i := range sites {
		for _, e := range allowedAt(ds, paths[i]) {
			candidates = append(candidates, e)
		}
	}
	if len(candidates) == 0 {
		return
	}
	block := d.HasBlock || d.Lua != nil
	shapeOK, countOK := false, false
	for _, e := range candidates {
		if e.Args.Block == block {
			shapeOK = true
			if arityAccepts(e.Args, len(d.Args)) {
				countOK = true
			}
		}
	}
	e := candidates[0]
	switch {
	case !shapeOK && e.Args.Block:
		p.Report(analyzer.Finding{Span: d.NameSpan, Message: fmt.Sprintf("directive %q has no opening \"{\": nginx refuses to "+
			"start; it takes a block: %s", d.Name, e.Syntax())})
	case !shapeOK:
		p.Report(analyzer.Finding{Span: d.NameSpan, Message: fmt.Sprintf("directive %q takes no block (nginx refuses to "+
			"start: \"directive is not terminated by \\\";\\\"\"); write %s", d.Name, e.Syntax())})
	case !countOK:
		p.Report(analyzer.Finding{Span: d.NameSpan, Message: fmt.Sprintf("invalid number of arguments in %q: %d given, it "+
			"takes %s, so nginx refuses to start; quote a value that holds spaces (%s)", d.Name, len(d.Args),
			arityText(e.Args), e.Syntax())})
	}
}

// arityAccepts reports whether n arguments satisfy a, as nginx's
// ngx_conf_handler checks them (at most eight for a fixed count).
func arityAccepts(a spec.Arity, n int) bool {
	switch {
	case a.Any:
		return true
	case a.Flag:
		return n == 1
	case a.Max < 0:
		return n >= a.Min
	}
	return n >= a.Min && n <= a.Max
}

func arityText(a spec.Arity) string {
	switch {
	case a.Flag:
		return "exactly one (on or off)"
	case a.Max < 0:
		return fmt.Sprintf("at least %d", a.Min)
	case a.Min == a.Max && a.Min == 0:
		return "none"
	case a.Min == a.Max:
		return fmt.Sprintf("exactly %d", a.Min)
	}
	return fmt.Sprintf("%d to %d", a.Min, a.Max)
}
