package syntax

import (
	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/pcre"
)

var InvalidRegex = registry.Add(&analyzer.Rule{
	ID:         "NGX005",
	Name:       "invalid-regex",
	Severity:   analyzer.Error,
	Summary:    "a regular expression does not compile, so nginx refuses the configuration",
	Tags:       []analyzer.Tag{analyzer.TagSyntax},
	Precision:  analyzer.PrecisionHigh,
	Directives: nginx.RegexDirectives,
	Visit:      visitInvalidRegex,
	Doc: `## What it does
Compiles every regular expression nginx compiles: ` + "`location ~`" + ` and ` + "`location ~*`" + `, ` + "`rewrite`" + `,
the ` + "`~`" + ` operators of ` + "`if`" + `, the ` + "`~`" + ` keys of a ` + "`map`" + ` block (in included files too), the ` + "`~`" + ` names of
` + "`server_name`" + ` and ` + "`valid_referers`" + `, ` + "`gzip_disable`" + `, ` + "`fastcgi_split_path_info`" + `, and the ` + "`~`" + ` forms of
` + "`proxy_redirect`" + `, ` + "`proxy_cookie_path`" + ` and ` + "`proxy_cookie_domain`" + `. It reports one that cannot compile,
at the pattern: an unclosed ` + "`[`" + ` or ` + "`(`" + `, an unmatched ` + "`)`" + `, a quantifier with nothing to
repeat, a trailing backslash, a range written backwards, a ` + "`{n,m}`" + ` quantifier whose numbers are out of
order or over PCRE's limit of 65535 (there, at the quantifier). nginx uses PCRE, which knows more syntax
than this check does (look-arounds, possessive quantifiers, ` + "`\\Q...\\E`" + `); an expression using it is
left alone rather than guessed at.

## Why is this bad?
nginx compiles every regular expression when it loads the configuration; one that does not
compile stops ` + "`nginx -t`" + ` and a reload with a ` + "`pcre2_compile() failed`" + ` error, so the
server keeps running the old configuration, or does not start at all.

## Example
` + "```nginx" + `
location ~ ^/static/[a-z+\.(css|js)$ {
    expires 30d;
}
` + "```" + `

## Use instead
` + "```nginx" + `
location ~ ^/static/[a-z]+\.(css|js)$ {
    expires 30d;
}
` + "```" + `
`,
})

func visitInvalidRegex(p *analyzer.Pass, d *nginx.Directive) {
	for _, r := range nginx.RegexesIn(d) {
		if why, start, end := pcre.SharedErrorAt(r.Pattern, r.CaseInsensitive); why != "" {
			p.Reportf(r.Span(start, end), "the regular expression %q does not compile (%s): nginx -t fails with a PCRE error", r.Pattern, why)
		}
	}
}
