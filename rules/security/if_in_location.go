package security

import (
	"fmt"
	"slices"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/inherit"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var IfInLocation = registry.Add(&analyzer.Rule{
	ID:         "NGX411",
	Name:       "if-in-location",
	Severity:   analyzer.Warning,
	Summary:    "an if in a location that does not end the request skips the location's try_files or replaces its list directives",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"if_is_evil", "if-is-evil"},
	Directives: []string{"location"},
	Visit:      visitIfInLocation,
	Doc: `## What it does
Reads each ` + "`if`" + ` block directly inside a ` + "`location`" + `. When the block ends the request
(a ` + "`return`" + `, or a ` + "`rewrite`" + ` with ` + "`last`" + `, ` + "`redirect`" + `, ` + "`permanent`" + ` or a replacement
that starts with a scheme), it is safe, whatever else it holds: the common CORS preflight
(` + "`add_header ...; return 204;`" + `) is not reported. Otherwise it reports the two ways such a block
breaks the location: the location has ` + "`try_files`" + ` (reported at the ` + "`if`" + `), or the block has
lines of a list directive (` + "`fastcgi_param`" + `, ` + "`proxy_set_header`" + `, ` + "`error_page`" + ` ...) that replace
the location's own (reported at the line, with the lost ones beside it; ` + "`add_header`" + ` is
` + "`add-header-dropped`" + `'s, and ` + "`access_log`" + ` in an ` + "`if`" + ` is the way to log conditionally). Other directives in such a block (` + "`expires`" + `, ` + "`proxy_pass`" + `) behave as
written and are not reported, unless a later ` + "`if`" + ` of the same location that does not end the
request either can match too: then only the last matching block's configuration is used, and the
earlier block is reported with the lines it loses.

## Why is this bad?
When its condition holds, an ` + "`if`" + ` in a location makes nginx serve the request with the block's
own configuration, a copy of the location's in which some settings are missing: ` + "`try_files`" + ` is not
copied at all, only the last of several matching ` + "`if`" + ` blocks counts, and directives placed in
the block (` + "`proxy_pass`" + `, ` + "`add_header`" + `, ` + "`alias`" + `, ` + "`fastcgi_param`" + `) combine with the
location's in surprising ways that nginx's own documentation warns about ("if is evil").

## Example
` + "```nginx" + `
location / {
    try_files $uri /index.php?$args;
    if ($arg_debug) {
        set $no_cache 1;
    }
    if ($http_x_preview) {
        proxy_pass http://preview;
    }
}
` + "```" + `

## Use instead
Compute the condition with ` + "`map`" + ` and use the variable, or end the request inside the ` + "`if`" + `:
` + "```nginx" + `
map $arg_debug $no_cache { default 0; ~. 1; }
map $http_x_preview $backend { default app; ~. preview; }
server {
    listen 80;
    location / {
        try_files $uri @app;
    }
    location @app {
        proxy_pass http://$backend;
    }
}
` + "```" + `
`,
})

// visitIfInLocation reads a location's if blocks in one pass over the
// location (its try_files once, each if's next rival from the end), so
// that a location of many ifs costs what its lines do.
func visitIfInLocation(p *analyzer.Pass, loc *nginx.Directive) {
	var ifs []*nginx.Directive
	for _, x := range loc.Block {
		if x.Name == "if" && !slices.ContainsFunc(x.Block, endsRequest) {
			ifs = append(ifs, x)
		}
	}
	if len(ifs) == 0 {
		return
	}
	tf := nginx.FindAtLevel(loc.Block, "try_files")
	for i, d := range ifs {
		var later *nginx.Directive
		if i+1 < len(ifs) {
			later = ifs[i+1]
		}
		checkIf(p, d, tf, later)
	}
}

// checkIf reports an if block d, which does not end the request, of a
// location whose try_files is tf (or nil) and whose next such if is
// later (or nil).
func checkIf(p *analyzer.Pass, d, tf, later *nginx.Directive) {
	if tf != nil {
		p.Report(analyzer.Finding{
			Span: d.NameSpan(),
			Message: fmt.Sprintf("when this if's condition holds, nginx serves the request with the if block's "+
				"configuration, which has no try_files: the location's try_files at line %d is skipped; compute the "+
				"value with map instead, or end the block with return", tf.Span().Start.Line),
			Related: []source.Related{{Span: tf.Span(), Message: "not applied when the if matches"}},
		})
	}
	if later != nil {
		if own := configLines(d); len(own) > 0 {
			p.Report(analyzer.Finding{
				Span: d.NameSpan(),
				Message: fmt.Sprintf("when the if at line %d matches too, nginx serves the request with that block's "+
					"configuration, not this one's: %s here is not applied (only the last matching if counts); "+
					"merge the conditions with map, or end this block with return", later.Span().Start.Line,
					joinAnd(own)),
				Related: []source.Related{{Span: later.NameSpan(), Message: "a later if whose configuration wins"}},
			})
		}
	}
	idx := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	v := p.Settings.Nginx()
	seen := map[string]bool{}
	for _, x := range d.Block {
		// add_header has its own rule (add-header-dropped); access_log
		// off (or to another file) in an if is the documented way to
		// log conditionally, replacing the outer lines on purpose
		if seen[x.Name] || x.Name == "add_header" || x.Name == "add_trailer" || x.Name == "access_log" ||
			inherit.KindOf(x.Name) != inherit.List {
			continue
		}
		seen[x.Name] = true
		var lost []*nginx.Directive
		for _, dr := range idx.Resolve(x, sitesOf(x)[0], x.Name, v).Dropped() {
			if dr.Level == 0 && dr.Directive.Name == x.Name {
				lost = append(lost, dr.Directive)
			}
		}
		if len(lost) == 0 {
			continue
		}
		var related []source.Related
		for _, l := range lost {
			related = append(related, source.Related{Span: l.Span(), Message: "not applied when the if matches"})
		}
		p.Report(analyzer.Finding{
			Span: x.NameSpan(),
			Message: fmt.Sprintf("%s inside this if replaces the %d %s line(s) around it: when the condition holds, "+
				"nginx serves the request with the if block's configuration and only this block's %s lines apply "+
				"(if is evil); repeat them in the block, or choose the value with map outside it",
				x.Name, len(lost), x.Name, x.Name),
			Related: related,
		})
	}
}

// rewriteModule are the directives the rewrite module runs in order while
// the if blocks are evaluated: their effect stays whichever block wins.
var rewriteModule = map[string]bool{
	"set": true, "break": true, "rewrite": true, "return": true, "rewrite_log": true,
	"uninitialized_variable_warn": true, "if": true,
}

// configLines names the directives of an if block that are configuration
// (not the rewrite module's), once each.
func configLines(ifBlock *nginx.Directive) []string {
	var out []string
	for _, x := range ifBlock.Block {
		if !rewriteModule[x.Name] && !slices.Contains(out, x.Name) {
			out = append(out, x.Name)
		}
	}
	return out
}

// endsRequest reports whether x, met in an if block, ends the request
// or sends it to another location.
func endsRequest(x *nginx.Directive) bool {
	switch x.Name {
	case "return":
		return true
	case "rewrite":
		if len(x.Args) >= 3 {
			switch x.Args[2].Value {
			case "last", "redirect", "permanent":
				return true
			}
		}
		return len(x.Args) >= 2 && rewriteRedirects(x)
	}
	return false
}
