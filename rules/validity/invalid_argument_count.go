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
takes a block must open one, a directive that does not must end with ` + "`;`" + `. The counts are the
newest release's, with the known changes for older ones (upstream ` + "`keepalive`" + ` took one argument
before 1.29.7). Directives that
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
	ds := spec.LookupAtID(d.NameID(), p.Settings.Nginx())
	if len(ds) == 0 || !d.Terminated {
		return // unknown, or a syntax error nginx-syntax reports
	}
	cs := checkedSites(d)
	var candidates []*spec.Directive
	if len(cs.sites) == 1 {
		candidates = spec.AllowedAt(ds, cs.path(0)) // shared, read only
	}
	for i := 0; len(cs.sites) > 1 && i < len(cs.sites); i++ {
		candidates = append(candidates, spec.AllowedAt(ds, cs.path(i))...)
	}
	if len(candidates) == 0 {
		return
	}
	block := d.HasBlock || d.Lua() != nil
	shapeOK, countOK := false, false
	for _, e := range candidates {
		if e.Args.Block == block {
			shapeOK = true
			if arityAccepts(arityAt(d, e.Args, p.Settings.Nginx()), len(d.Args)) {
				countOK = true
			}
		}
	}
	e := candidates[0]
	src := d.Config.File
	switch {
	case !shapeOK && e.Args.Block:
		// nginx stops at the ';' that ends the statement.
		p.Report(analyzer.Finding{Span: src.Span(d.NameSpan().Start.Offset, d.End()), Message: fmt.Sprintf("directive "+
			"%q has no opening \"{\": nginx refuses to start; it takes a block: %s", d.Name, e.Syntax())})
	case !shapeOK:
		// nginx stops at the '{', often lines below when a ';' is
		// missing and the next directive's block was taken for this one's.
		p.Report(analyzer.Finding{Span: src.Span(d.NameSpan().Start.Offset, openBrace(d)), Message: fmt.Sprintf("directive %q "+
			"is not terminated by \";\" (nginx refuses to start): it takes no block, so the \"{\" that follows belongs "+
			"to another directive; a \";\" is missing, or write %s", d.Name, e.Syntax())})
	case !countOK:
		at := *e
		at.Args = arityAt(d, e.Args, p.Settings.Nginx())
		p.Report(analyzer.Finding{Span: d.NameSpan(), Message: fmt.Sprintf("invalid number of arguments in %q: %d given, it "+
			"takes %s, so nginx refuses to start; quote a value that holds spaces (%s)%s", d.Name, len(d.Args),
			arityText(at.Args), at.Syntax(), templateHint(d))})
	}
}

// openBrace is the offset just past the '{' of d's block (past its last
// argument when the brace cannot be found).
func openBrace(d *nginx.Directive) int {
	src := d.Config.File.Src
	i := d.NameSpan().End.Offset
	if len(d.Args) > 0 {
		i = d.Args[len(d.Args)-1].End()
	}
	for j := i; j < len(src) && j < d.End(); j++ {
		switch src[j] {
		case '{':
			return j + 1
		case '#':
			for j < len(src) && src[j] != '\n' {
				j++
			}
		}
	}
	return i
}

// arityChanges are releases before which a directive took fewer
// arguments than the table's newest arity (read in nginx's sources).
var arityChanges = spec.NewNameMap(map[string]struct {
	before spec.Version
	max    int
}{
	"keepalive": {spec.Version{Major: 1, Minor: 29, Patch: 7}, 1}, // upstream keepalive: TAKE1, TAKE12 from 1.29.7
})

// arityAt is a's arity for the directive name in nginx v.
func arityAt(d *nginx.Directive, a spec.Arity, v spec.Version) spec.Arity {
	if c, ok := arityChanges.Get(d.NameID(), d.Name); ok && v.Less(c.before) {
		a.Max = c.max
	}
	return a
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
	case a.Max == 0:
		return "none"
	case a.Min == a.Max:
		return fmt.Sprintf("exactly %d", a.Min)
	}
	return fmt.Sprintf("%d to %d", a.Min, a.Max)
}
