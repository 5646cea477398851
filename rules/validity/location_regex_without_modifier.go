package validity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/vars"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var LocationRegexWithoutModifier = registry.Add(&analyzer.Rule{
	ID:         "NGX323",
	Name:       "location-regex-without-modifier",
	Severity:   analyzer.Warning,
	Summary:    "a prefix location written like a regex (^, $, \\., .*, groups) without ~: nginx compares it literally and it never matches",
	Tags:       []analyzer.Tag{analyzer.TagValidity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixUnsafe,
	Directives: []string{"location"},
	Visit:      visitLocationRegex,
	Doc: `## What it does
Reports a ` + "`location`" + ` without ` + "`~`" + ` or ` + "`~*`" + ` (a prefix location, or an exact one with ` + "`=`" + `) whose text
reads as a regular expression: it starts with ` + "`^`" + `, ends with ` + "`$`" + `, or holds ` + "`\\.`" + `, ` + "`\\d`" + `, ` + "`.*`" + `,
` + "`.+`" + `, a group ` + "`( )`" + ` or a class ` + "`[ ]`" + `; or as a shell glob (` + "`/static/*.css`" + `), which location
does not have either (no fix then: the glob is no regex). The fix adds ` + "`~`" + ` (or puts it in place of ` + "`=`" + ` or
` + "`^~`" + `); it is unsafe, since a regex location takes part in a different step of nginx's location
search and may now win over prefix locations it did not win before.

## Why is this bad?
Without ` + "`~`" + ` nginx compares the text character for character with the start of the URI (or the
whole URI, with ` + "`=`" + `). No URI starts with ` + "`^`" + ` or holds ` + "`\\.`" + `, so the block never matches: its
requests go to another location, silently, and ` + "`$1`" + ` inside it would be empty anyway, since a prefix
location captures nothing. ` + "`nginx -t`" + ` accepts it.

## Example
` + "```nginx" + `
location ^/api/(v1|v2)/ {
    proxy_pass http://api/$1/;
}
location /assets/.*\.css$ {
    expires 7d;
}
` + "```" + `

## Use instead
` + "```nginx" + `
location ~ ^/api/(v1|v2)/ {
    proxy_pass http://api/$1/;
}
location ~ ^/assets/.*\.css$ {
    expires 7d;
}
` + "```" + `
`,
})

func visitLocationRegex(p *analyzer.Pass, d *nginx.Directive) {
	l, ok := nginx.LocationOf(d)
	if !ok || l.Regex || l.Modifier == "@" {
		return
	}
	marks := regexMarks(l.Pattern)
	if len(marks) == 0 {
		return
	}
	kind := "a literal prefix of the URI"
	if l.Modifier == "=" {
		kind = "the literal, whole URI"
	}
	msg := fmt.Sprintf("location %s has no ~, so nginx compares it as %s, character for character: no request's URI "+
		"holds %s, so the block never matches", l.Match.Value, kind, strings.Join(marks, ", "))
	if n := captureUse(d); n != "" {
		msg += fmt.Sprintf(" (and %s in it would be empty: a prefix location captures nothing)", n)
	}
	f := analyzer.Finding{Span: l.Match.Span()}
	if marks[0] == globMark {
		f.Message = msg + "; write a regex location instead (location ~ \\.css$ for *.css)"
		p.Report(f)
		return
	}
	f.Message = msg + "; add ~ to make it a regex"
	switch {
	case l.Modifier == "" && l.PatternOffset == 0:
		f.Fix = &analyzer.Fix{Title: "make the location a regex (~)", Edits: []analyzer.Edit{{
			Span: emptyAt(l.Match), NewText: "~ "}}}
	case len(d.Args) == 2 && (l.Modifier == "=" || l.Modifier == "^~"):
		f.Fix = &analyzer.Fix{Title: "make the location a regex (~)", Edits: []analyzer.Edit{{
			Span: d.Args[0].Span(), NewText: "~"}}}
	}
	p.Report(f)
}

// emptyAt is the empty span at the start of a.
func emptyAt(a *nginx.Arg) (sp source.Span) {
	sp = a.Span()
	sp.End = sp.Start
	return sp
}

// regexMarks lists what in a location's text is regex syntax that no
// normalised URI holds.
func regexMarks(s string) []string {
	var out []string
	if strings.HasPrefix(s, "^") {
		out = append(out, "a leading ^")
	}
	if strings.HasSuffix(s, "$") && !strings.HasSuffix(s, "\\$") && len(s) > 1 {
		out = append(out, "a trailing $")
	}
	for _, m := range []string{`\.`, `\d`, `\w`, `\s`, `\/`, ".*", ".+"} {
		if strings.Contains(s, m) {
			out = append(out, m)
		}
	}
	if i := strings.IndexByte(s, '('); i >= 0 && strings.IndexByte(s[i:], ')') > 0 {
		out = append(out, "a group ( )")
	}
	if i := strings.IndexByte(s, '['); i >= 0 && strings.IndexByte(s[i:], ']') > 0 {
		out = append(out, "a class [ ]")
	}
	if len(out) == 0 && strings.Contains(s, "*") {
		out = append(out, globMark)
	}
	return out
}

// globMark is a '*' written as a shell glob (/static/*.css): location has
// no globs, and the text is no regex for what it means either.
const globMark = "a * (location has no glob matching)"

// captureUse names the first numbered capture ($1 .. $9) read inside the
// location's block (not in nested locations), or "".
func captureUse(d *nginx.Directive) string {
	found := ""
	var walk func(list []*nginx.Directive)
	walk = func(list []*nginx.Directive) {
		nginx.AtLevel(list, func(x *nginx.Directive) bool {
			if found != "" {
				return false
			}
			for _, r := range vars.DirectiveRefs(x) {
				if r.Capture > 0 {
					found = "$" + r.Name
					return false
				}
			}
			if x.HasBlock && x.Name != "location" {
				walk(x.Block)
			}
			return found == ""
		})
	}
	walk(d.Block)
	return found
}
