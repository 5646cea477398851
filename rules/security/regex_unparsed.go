package security

import (
	"errors"
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/pcre"
)

var RegexUnparsed = registry.Add(&analyzer.Rule{
	ID:         "NGX419",
	Name:       "regex-unparsed",
	Severity:   analyzer.Info,
	Summary:    "a regex that ngxlint's PCRE parser cannot read, at the character where it stops",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Directives: nginx.RegexDirectives,
	Visit:      visitRegexUnparsed,
	Doc: `## What it does
Parses every regex nginx compiles (those ` + "`invalid-regex`" + ` lists: ` + "`location`" + `, ` + "`if`" + `, ` + "`rewrite`" + `,
` + "`map`" + ` keys, ` + "`server_name`" + `, ` + "`valid_referers`" + `, ` + "`gzip_disable`" + ` and the others) the way nginx's PCRE
compiles them, and reports each one that does not parse, once, at the exact character where
parsing stops, with the reason.

The plain errors nginx refuses for certain (an unclosed bracket or parenthesis, a stray ` + "`)`" + `,
nothing to repeat, a trailing backslash, a backwards range, a ` + "`{n,m}`" + ` quantifier out of order or over
65535) are reported by ` + "`invalid-regex`" + `
(NGX005) at error level instead, once.

## Why is this bad?
PCRE refuses most such patterns, and nginx then refuses to start
(` + "`pcre2_compile() failed: missing closing parenthesis`" + `). Where ngxlint's reading is the
stricter one, the rules that read regexes (captures, anchors, ReDoS, what ` + "`$1`" + ` can hold) skip
the pattern and stay silent about it, so this finding also says where the analysis has a gap.
It is info because ngxlint's parser, not nginx, reports it.

## Example
A negative lookbehind of variable length, to keep ` + "`.php`" + ` files under ` + "`/admin/`" + ` out:
` + "```nginx" + `
location ~ (?<!/admin.*)\.php$ {
    fastcgi_pass unix:/run/php-fpm.sock;
}
` + "```" + `

## Use instead
PCRE's lookbehinds have a bounded length; let an earlier regex location take ` + "`/admin/`" + ` (nginx
uses the first regex location that matches):
` + "```nginx" + `
location ~ ^/admin/ {
    return 403;
}
location ~ \.php$ {
    fastcgi_pass unix:/run/php-fpm.sock;
}
` + "```" + `
`,
})

func visitRegexUnparsed(p *analyzer.Pass, d *nginx.Directive) {
	for _, r := range nginx.RegexesIn(d) {
		_, err := r.Parse()
		var pe *pcre.Error
		if err == nil || !errors.As(err, &pe) || pcre.SharedError(r.Pattern, r.CaseInsensitive) != "" {
			continue // invalid-regex reports the errors Go's parser shares
		}
		off := min(max(pe.Offset, 0), len(r.Pattern))
		end := min(off+1, len(r.Pattern))
		p.Report(analyzer.Finding{
			Span: r.Span(off, end),
			Message: fmt.Sprintf("this %s regex does not parse at character %d: %s; PCRE is likely to refuse it too "+
				"(nginx does not start), and the rules that read regexes skip it", r.Kind(), off+1, pe.Msg),
		})
	}
}
