package security

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/pcre"
	"github.com/ngxlint/ngxlint/analyzer/nginx/vars"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var AliasTraversal = registry.Add(&analyzer.Rule{
	ID:         "NGX408",
	Name:       "alias-traversal",
	Severity:   analyzer.Warning,
	Summary:    "alias and its location disagree on the trailing slash, so a request can reach the folder above the alias",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixUnsafe,
	Aliases:    []string{"alias_traversal"},
	Directives: []string{"alias"},
	Visit:      visitAlias,
	Doc: `## What it does
Finds an ` + "`alias`" + ` whose path ends with ` + "`/`" + ` in a prefix location that does not, such as
` + "`location /static { alias /srv/static/; }`" + `, and points at the location's prefix; the fix adds the
missing ` + "`/`" + ` to it. The opposite mismatch (` + "`location /static/ { alias /srv/static; }`" + `, which
glues the rest of the URI to the folder's name) is reported at info, with a fix that adds the
` + "`/`" + ` to the alias. Both fixes are unsafe: they change which URIs the location serves.

In a regex location, it reports a capture in the alias (` + "`alias /srv/static/$1`" + `) whose group can
start in the middle of a path segment and can hold a dot, as ` + "`(.*)`" + ` after ` + "`^/static`" + ` can.
A capture that cannot hold a dot (` + "`([a-z0-9_-]+)`" + `), or whose group starts right after a ` + "`/`" + `
of the pattern, is safe: nginx has already removed ` + "`..`" + ` segments from the URI.

## Why is this bad?
nginx replaces the location's prefix with the alias. With ` + "`location /static`" + ` and
` + "`alias /srv/static/`" + `, a request for ` + "`/static../app/config.py`" + ` matches the location and is
served from ` + "`/srv/static/../app/config.py`" + `: any file in the folder above the alias (source
code, keys, ` + "`.env`" + `) can be read.

## Example
` + "```nginx" + `
location /static {
    alias /srv/app/static/;
}
` + "```" + `

## Use instead
` + "```nginx" + `
location /static/ {
    alias /srv/app/static/;
}
` + "```" + `
`,
})

func visitAlias(p *analyzer.Pass, d *nginx.Directive) {
	if len(d.Args) == 0 {
		return
	}
	seen := map[*nginx.Directive]bool{}
	for _, s := range sitesOf(d) {
		l := d.EnclosingIn(s, "location")
		if l == nil || seen[l] {
			continue
		}
		seen[l] = true
		loc, ok := nginx.LocationOf(l)
		if !ok {
			continue
		}
		switch {
		case loc.Regex:
			aliasCaptures(p, d, loc)
		case loc.Modifier == "" || loc.Modifier == "^~":
			aliasPrefix(p, d, loc)
		}
	}
}

func aliasPrefix(p *analyzer.Pass, d *nginx.Directive, loc nginx.Location) {
	alias := d.Args[0].Value
	if strings.Contains(alias, "$") || loc.Pattern == "" {
		return
	}
	locSlash, aliasSlash := strings.HasSuffix(loc.Pattern, "/"), strings.HasSuffix(alias, "/")
	end := loc.PatternOffset + len(loc.Pattern)
	switch {
	case !locSlash && aliasSlash:
		at := subSpan(loc.Match, end, end)
		p.Report(analyzer.Finding{
			Span: subSpan(loc.Match, loc.PatternOffset, end),
			Message: fmt.Sprintf("location %s does not end with / but its alias %s does: a request for %s../secret "+
				"matches and is served from %s../secret, in the folder above the alias; write location %s/",
				loc.Pattern, alias, loc.Pattern, alias, loc.Pattern),
			Related: []source.Related{{Span: d.Args[0].Span(), Message: "the alias ends with /"}},
			Fix:     insertFix("Add the missing / to the location", at, loc.Match, end),
		})
	case locSlash && !aliasSlash && alias != "":
		at := subSpan(d.Args[0], len(alias), len(alias))
		p.Report(analyzer.Finding{
			Span:     d.Args[0].Span(),
			Severity: analyzer.Info,
			Message: fmt.Sprintf("location %s ends with / but its alias %s does not: %sfile is served from %sfile, "+
				"and any path that starts with %s is in reach; end the alias with /", loc.Pattern, alias,
				loc.Pattern, alias, alias),
			Related: []source.Related{{Span: loc.Match.Span(), Message: "the location ends with /"}},
			Fix:     insertFix("Add the missing / to the alias", at, d.Args[0], len(alias)),
		})
	}
}

// insertFix inserts a slash at span at, when the span is exact (the
// argument has no escapes).
func insertFix(title string, at source.Span, arg *nginx.Arg, off int) *analyzer.Fix {
	if at == arg.Span() && off != 0 {
		return nil
	}
	return &analyzer.Fix{Title: title, Edits: []analyzer.Edit{{Span: at, NewText: "/"}}}
}

func aliasCaptures(p *analyzer.Pass, d *nginx.Directive, loc nginx.Location) {
	re, err := pcre.ParseCached(loc.Pattern, loc.CaseInsensitive)
	if err != nil {
		return
	}
	alias := d.Args[0]
	for _, r := range vars.DirectiveRefs(d) {
		if r.Arg != alias {
			continue
		}
		off := refOffset(r)
		if off <= 0 || alias.Value[off-1] != '/' {
			continue // ".." glued to a name is no step up
		}
		idx := r.Capture
		if idx == 0 {
			idx = re.Names[r.Name]
		}
		g := re.Group(idx)
		if g == nil || !g.CanMatch(pcre.Dot) || segmentStart(loc.Pattern, g) {
			continue
		}
		p.Report(analyzer.Finding{
			Span: r.Span(),
			Message: fmt.Sprintf("$%s can start with .. (its group %s starts in the middle of a path segment and "+
				"admits dots), and the alias puts it after a /: a request can reach the folder above %s; start "+
				"the group after a / in the pattern, or exclude dots from it", r.Name,
				loc.Pattern[g.Offset:g.End], alias.Value[:off]),
			Related: []source.Related{{Span: loc.Match.Span(), Message: "the group is captured here"}},
		})
	}
}

// segmentStart reports whether group g starts a path segment: right after
// a '/' of the pattern, at the very start of the URI, or with a '/'.
func segmentStart(pattern string, g *pcre.Node) bool {
	before := pattern[:g.Offset]
	return strings.HasSuffix(before, "/") || before == "^" || startsWithSlash(g)
}
