package validity

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
)

var DirectiveNotAllowedHere = registry.Add(&analyzer.Rule{
	ID:         "NGX302",
	Name:       "directive-not-allowed-here",
	Severity:   analyzer.Error,
	Summary:    "a directive in a context nginx does not allow it in, so nginx refuses to start",
	Tags:       []analyzer.Tag{analyzer.TagValidity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"directive_not_allowed_here"},
	Directives: []string{"*"},
	Visit:      visitNotAllowedHere,
	Doc: `## What it does
Checks each directive against the contexts its module allows it in (main, events, http, server,
location, if in server, if in location, limit_except, upstream, and the stream and mail ones), as
nginx's sources declare them (the table keeps each directive's contexts as of its newest release;
the oracle test holds them to nginx 1.22's verdicts). A file included from several places is checked
at each: the finding is reported once, at the directive, with the include directives of the
offending places as related locations.

A fragment linted without the file that includes it (a ` + "`conf.d/*.conf`" + `, a snippet) is checked in
the context its content implies; since that is a guess, a directive out of place there is reported
at info level. Directives ngxlint does not know are left to ` + "`unknown-directive`" + `, and the bodies
of ` + "`map`" + `, ` + "`geo`" + `, ` + "`types`" + ` and similar blocks are data, not directives.

## Why is this bad?
nginx refuses to start (` + "`nginx -t`" + ` fails) with ` + "`\"proxy_pass\" directive is not allowed here`" + `.
A snippet that is fine in a location breaks the configuration the day it is included in a server.

## Example
` + "```nginx" + `
server {
    listen 80;
    proxy_pass http://app;
}
` + "```" + `

## Use instead
` + "```nginx" + `
server {
    listen 80;
    location / {
        proxy_pass http://app;
    }
}
` + "```" + `
`,
})

func visitNotAllowedHere(p *analyzer.Pass, d *nginx.Directive) {
	ds := spec.LookupAtID(d.NameID(), p.Settings.Nginx())
	if len(ds) == 0 {
		return
	}
	var bad []nginx.Site
	var where []string
	certain := false
	for _, s := range d.Config.Sites() {
		ctx := d.ContextIn(s)
		if !directiveContext(ctx) || hostFile(d.Config, s) || len(spec.AllowedAt(ds, ctx)) > 0 {
			continue
		}
		bad = append(bad, s)
		if l := contextLabel(ctx); !contains(where, l) {
			where = append(where, l)
		}
		certain = certain || !guessedRoot(s)
	}
	if len(bad) == 0 {
		return
	}
	f := analyzer.Finding{Span: d.NameSpan(), Message: fmt.Sprintf("%q is not allowed in %s: nginx refuses to start (\"directive "+
		"is not allowed here\"); it belongs in %s", d.Name, quoteList(where), quoteList(labelsOf(ds)))}
	if !certain {
		f.Severity = analyzer.Info
		f.Message = fmt.Sprintf("%q is not allowed in %s, the context this file's content implies (no file that includes it "+
			"was linted): if nginx loads it there, it refuses to start; %q belongs in %s", d.Name, quoteList(where), d.Name,
			quoteList(labelsOf(ds)))
	}
	if len(d.Config.Sites()) > 1 || len(bad[0].Via) > 0 {
		for _, s := range bad {
			f.Related = append(f.Related, s.Related()...)
		}
		if len(bad) < len(d.Config.Sites()) {
			f.Message += fmt.Sprintf(" (%d of the %d places this file is included)", len(bad), len(d.Config.Sites()))
		}
	}
	p.Report(f)
}

// labelsOf names the contexts any of ds allows.
func labelsOf(ds []*spec.Directive) []string {
	var out []string
	for _, d := range ds {
		for _, l := range d.ContextLabels() {
			if !contains(out, l) {
				out = append(out, l)
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
