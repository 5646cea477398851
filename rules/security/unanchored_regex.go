package security

import (
	"fmt"
	"strconv"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/pcre"
)

var UnanchoredRegex = registry.Add(&analyzer.Rule{
	ID:         "NGX413",
	Name:       "unanchored-regex",
	Severity:   analyzer.Info,
	Summary:    "a regex location without any anchor matches its text anywhere in the URI",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionMedium,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"unanchored_regex"},
	Directives: []string{"location"},
	Visit:      visitUnanchored,
	Doc: `## What it does
Finds a regex location (` + "`~`" + `, ` + "`~*`" + `) whose pattern has no anchor at all (` + "`^`" + `, ` + "`$`" + `,
` + "`\\A`" + `, ` + "`\\z`" + `), and points at the pattern; ` + "`\\.php(/|$)`" + ` and ` + "`\\.php$|^/update`" + ` say where they
mean to match and are not reported. A location that only refuses requests (` + "`deny all`" + `,
` + "`return 403`" + `, ` + "`internal`" + ` ...) is left alone: matching anywhere is what a block list such as
` + "`location ~ /\\.git`" + ` wants.

## Why is this bad?
Without anchors the pattern matches anywhere: ` + "`location ~ \\.php`" + ` also takes
` + "`/uploads/avatar.php.png`" + ` and hands it to the PHP interpreter, and ` + "`location ~ /api`" + ` also takes
` + "`/static/api.js`" + `. Regex locations are tried in order and the first match wins, so the stray
matches also steal requests from the locations below.

## Example
` + "```nginx" + `
location ~ \.php {
    fastcgi_pass unix:/run/php/php-fpm.sock;
}
` + "```" + `

## Use instead
` + "```nginx" + `
location ~ \.php$ {
    fastcgi_pass unix:/run/php/php-fpm.sock;
}
` + "```" + `
`,
})

func visitUnanchored(p *analyzer.Pass, d *nginx.Directive) {
	for _, ra := range regexesOf(d) {
		re := parsed(ra)
		if re == nil || hasAnchor(re) || onlyRefuses(d) {
			continue
		}
		p.Report(analyzer.Finding{
			Span: ra.Span(0, len(ra.Pattern)),
			Message: fmt.Sprintf("the location regex %s matches anywhere in the URI, not only at its start or end, "+
				"and takes every such request ahead of the locations below it; anchor it with ^ or $ unless matching "+
				"anywhere is meant", ra.Pattern),
		})
	}
}

// hasAnchor reports whether the pattern has ^, $, \A, \z or \Z anywhere
// outside a lookaround: `\.php(/|$)` and `\.php$|^/update` say where
// they mean to match, a pattern without any does not.
func hasAnchor(re *pcre.Regex) bool {
	found := false
	re.Walk(func(n *pcre.Node) bool {
		switch n.Kind {
		case pcre.Lookaround:
			return false
		case pcre.Start, pcre.End, pcre.StartText, pcre.EndText, pcre.EndTextNL:
			found = true
		}
		return !found
	})
	return found
}

// onlyRefuses reports whether a location block does nothing but refuse
// the request: deny all, or a return of an error status.
func onlyRefuses(l *nginx.Directive) bool {
	refuses := false
	for _, x := range l.Block {
		switch x.Name {
		case "internal":
			refuses = true // clients get 404
		case "deny":
			if len(x.Args) > 0 && x.Args[0].Value == "all" {
				refuses = true
			}
		case "return":
			if len(x.Args) > 0 {
				if c, err := strconv.Atoi(x.Args[0].Value); err == nil && c >= 400 {
					refuses = true
				}
			}
		}
	}
	return refuses
}
