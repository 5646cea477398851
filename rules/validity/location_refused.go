package validity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var LocationRefused = registry.Add(&analyzer.Rule{
	ID:         "NGX331",
	Name:       "location-refused",
	Severity:   analyzer.Error,
	Summary:    "a location nginx refuses: given twice in one block, outside the location it is nested in, or nested where none may be",
	Tags:       []analyzer.Tag{analyzer.TagValidity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"server", "location"},
	Visit:      visitLocationsIn,
	Doc: `## What it does
Reads the ` + "`location`" + ` blocks directly inside each ` + "`server`" + ` and ` + "`location`" + ` block (with included
files in their place) as nginx files them, and reports:

- a location whose prefix another location of the same block already has: two exact ones
  (` + "`= /a`" + `), or two prefix ones (` + "`/a/`" + ` and ` + "`^~ /a/`" + ` are one prefix). Regular expressions and named
  locations may repeat;
- a prefix or exact location nested in a location whose prefix (or, for a regular expression,
  whose pattern text) its own does not start with: ` + "`location /api/ { location /static/ { } }`" + `;
- any location nested in an exact or a named location, and a named location that is not
  directly in a ` + "`server`" + ` block.

## Why is this bad?
nginx refuses to start: ` + "`duplicate location \"/a/\"`" + `, ` + "`location \"/static/\" is outside location\n\"/api/\"`" + `, ` + "`location \"/x\" cannot be inside the exact location \"/a\"`" + ` or ` + "`named location \"@x\"\ncan be on the server level only`" + `. A location pasted into the wrong block, or a snippet included twice in one
server, is the usual cause.

## Example
` + "```nginx" + `
location /api/ {
    proxy_pass http://app;
    location /static/ {
        root /srv/www;
    }
}
` + "```" + `

## Use instead
` + "```nginx" + `
location /api/ {
    proxy_pass http://app;
}
location /static/ {
    root /srv/www;
}
` + "```" + `
`,
})

func visitLocationsIn(p *analyzer.Pass, d *nginx.Directive) {
	if !d.HasBlock || d.Module() != "http" {
		return
	}
	var parent *nginx.Location
	if d.Name == "location" {
		l, ok := nginx.LocationOf(d)
		if !ok {
			return
		}
		parent = &l
	}
	type filed struct{ kind, pattern string }
	seen := map[filed]*nginx.Directive{} // the first location of each; read again only for a finding
	nginx.AtLevel(d.Block, func(e *nginx.Directive) bool {
		if e.Name != "location" || !e.HasBlock {
			return true
		}
		l, ok := nginx.LocationOf(e)
		if !ok {
			return true
		}
		if parent != nil && nestingRefused(p, *parent, l) {
			return true
		}
		kind := ""
		switch l.Modifier {
		case "=":
			kind = "exact"
		case "", "^~":
			kind = "prefix"
		default:
			return true // regular expressions and named locations may repeat
		}
		key := filed{kind, l.Pattern}
		if firstDir, dup := seen[key]; dup {
			first, _ := nginx.LocationOf(firstDir)
			p.Report(analyzer.Finding{Span: l.Match.Span(), Message: fmt.Sprintf("location %s %q is given twice in this block "+
				"(%s already has it, as location %s): nginx refuses to start (duplicate location %q); merge the two blocks",
				kind, l.Pattern, placeFrom(first.Match.Span(), l.Match.Span()), locationText(first), l.Pattern),
				Related: []source.Related{{Span: first.Match.Span(), Message: "first given here"}}})
			return true
		}
		seen[key] = e
		return true
	})
}

// nestingRefused reports a location that nginx does not take inside
// parent, and says whether it did.
func nestingRefused(p *analyzer.Pass, parent, l nginx.Location) bool {
	var msg string
	switch {
	case parent.Modifier == "=":
		msg = fmt.Sprintf("a location cannot be nested in the exact location %q: nginx refuses to start (location %q cannot be "+
			"inside the exact location %q); move it out", parent.Pattern, l.Pattern, parent.Pattern)
	case parent.Modifier == "@":
		msg = fmt.Sprintf("a location cannot be nested in the named location @%s: nginx refuses to start (location %q cannot be "+
			"inside the named location \"@%s\"); move it out", parent.Pattern, locationName(l), parent.Pattern)
	case l.Modifier == "@":
		msg = fmt.Sprintf("the named location @%s is nested in a location: nginx refuses to start (named location \"@%s\" can be "+
			"on the server level only); move it to the server block", l.Pattern, l.Pattern)
	case !l.Regex && !strings.HasPrefix(l.Pattern, parent.Pattern):
		what := "prefix"
		if parent.Regex {
			what = "pattern text"
		}
		msg = fmt.Sprintf("location %q is nested in location %s, but does not start with its %s %q: nginx refuses to start "+
			"(location %q is outside location %q); move it out, or start it with %q", l.Pattern, locationText(parent), what,
			parent.Pattern, l.Pattern, parent.Pattern, parent.Pattern)
	default:
		return false
	}
	p.Report(analyzer.Finding{Span: l.Match.Span(), Message: msg,
		Related: []source.Related{{Span: parent.Match.Span(), Message: "the enclosing location"}}})
	return true
}

func locationText(l nginx.Location) string {
	if l.Modifier == "" {
		return l.Pattern
	}
	if l.Modifier == "@" {
		return "@" + l.Pattern
	}
	return l.Modifier + " " + l.Pattern
}

func locationName(l nginx.Location) string {
	if l.Modifier == "@" {
		return "@" + l.Pattern
	}
	return l.Pattern
}
