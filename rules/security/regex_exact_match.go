package security

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/pcre"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var RegexExactMatch = registry.Add(&analyzer.Rule{
	ID:         "NGX416",
	Name:       "regex-exact-match",
	Severity:   analyzer.Info,
	Summary:    "a regex location that matches one exact URI is better written as location =",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixUnsafe,
	Aliases:    []string{"regex_exact_match"},
	Directives: []string{"location"},
	Visit:      visitExactRegex,
	Doc: `## What it does
Finds a case-sensitive regex location whose pattern is ` + "`^`" + `, plain characters, ` + "`$`" + `
(` + "`location ~ ^/health$`" + `) and points at the pattern. The fix rewrites it as
` + "`location = /health`" + `; it is unsafe because an exact location is chosen before every regex
location, so a regex location above it that also matched the URI no longer gets it. No fix is
offered for a nested location or one that holds locations (an exact location cannot).

## Why is this bad?
nginx tests regex locations one by one, in order, for every request that reaches them, while an
exact location is found first, without running any regex. The regex form is slower, can be
shadowed by a regex location above it, and reads as if it matched more than one URI.

## Example
` + "```nginx" + `
location ~ ^/health$ {
    return 200 "ok\n";
}
` + "```" + `

## Use instead
` + "```nginx" + `
location = /health {
    return 200 "ok\n";
}
` + "```" + `
`,
})

func visitExactRegex(p *analyzer.Pass, d *nginx.Directive) {
	loc, ok := nginx.LocationOf(d)
	if !ok || !loc.Regex || loc.CaseInsensitive {
		return
	}
	re, err := pcre.ParseCached(loc.Pattern, false)
	if err != nil || re.CaseInsensitive {
		return
	}
	lit, ok := exactLiteral(re)
	if !ok || !strings.HasPrefix(lit, "/") || strings.ContainsAny(lit, " \t;{}\"'\\$#") {
		return
	}
	f := analyzer.Finding{
		Span: subSpan(loc.Match, loc.PatternOffset, loc.PatternOffset+len(loc.Pattern)),
		Message: fmt.Sprintf("the regex %s matches the URI %s and nothing else: location = %s finds it without "+
			"running a regex and before any regex location can shadow it", loc.Pattern, lit, lit),
	}
	nested := d.Parent != nil && d.Parent.Name == "location"
	if !nested && nginx.FindAtLevel(d.Block, "location") == nil {
		first, last := d.Args[0], d.Args[len(d.Args)-1]
		f.Fix = &analyzer.Fix{
			Title: "Use location = " + lit,
			Edits: []analyzer.Edit{{
				Span:    source.Span{File: first.Span().File, Start: first.Span().Start, End: last.Span().End},
				NewText: "= " + lit,
			}},
		}
	}
	p.Report(f)
}

// exactLiteral returns the text a pattern of the form ^literal$ matches.
func exactLiteral(re *pcre.Regex) (string, bool) {
	n := re.Root
	if n == nil || n.Kind != pcre.Concat || len(n.Sub) < 3 {
		return "", false
	}
	subs := n.Sub
	if k := subs[0].Kind; (k != pcre.Start || subs[0].Multiline) && k != pcre.StartText {
		return "", false
	}
	if k := subs[len(subs)-1].Kind; (k != pcre.End || subs[len(subs)-1].Multiline) && k != pcre.EndText {
		return "", false
	}
	var b strings.Builder
	for _, x := range subs[1 : len(subs)-1] {
		if x.Kind != pcre.Literal || x.Fold {
			return "", false
		}
		b.WriteString(x.Lit)
	}
	return b.String(), true
}
