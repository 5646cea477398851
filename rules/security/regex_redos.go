package security

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

var RegexReDoS = registry.Add(&analyzer.Rule{
	ID:         "NGX414",
	Name:       "regex-redos",
	Severity:   analyzer.Warning,
	Summary:    "a regex has a loop that PCRE can take exponential time on (ReDoS)",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"regex_redos"},
	Directives: clientRegexes,
	Visit:      visitReDoS,
	Doc: `## What it does
Reads the regexes nginx matches against what the client sends (` + "`location`" + `, ` + "`if`" + `, ` + "`rewrite`" + `,
` + "`server_name`" + `, ` + "`map`" + ` keys, ` + "`valid_referers`" + `, ` + "`gzip_disable`" + `, ` + "`fastcgi_split_path_info`" + `) and
reports each loop in which one piece of text can be matched along two different paths, such as
` + "`(a+)+`" + `, ` + "`(\\w+\\s?)*`" + ` or ` + "`(a|aa)+`" + `, at the loop's text in the pattern. The analysis is
local (no external service): it is exact on the loop's automaton, so ` + "`(\\w+\\.)+`" + ` or
` + "`([^/]+/)*`" + `, whose pieces cannot overlap, are not reported. Loops holding backreferences,
recursion, atomic groups or possessive quantifiers are left alone.

## Why is this bad?
nginx matches these regexes against text the client sends (the URI, headers) with PCRE, a
backtracking matcher. On a loop with two ways to match the same text, a request that almost
matches makes PCRE try exponentially many ways before it fails, holding a worker process (and
every connection it serves) for seconds per request. Unless the PCRE JIT's own limits stop it
first, a handful of requests can stall the server.

## Example
` + "```nginx" + `
location ~ ^/(\w+\s?)*/edit$ {
    return 403;
}
` + "```" + `

## Use instead
Write the loop so that each piece of text has one way through it (and quote a regex that holds a
space):
` + "```nginx" + `
location ~ "^/[\w ]*/edit$" {
    return 403;
}
` + "```" + `
`,
})

func visitReDoS(p *analyzer.Pass, d *nginx.Directive) {
	for _, ra := range regexesIn(d, clientRegexes) {
		re := parsed(ra)
		if re == nil {
			continue
		}
		for _, n := range re.NestedQuantifiers() {
			loop := re.Source[n.Offset:n.End]
			p.Report(analyzer.Finding{
				Span: ra.Span(n.Offset, n.End),
				Message: fmt.Sprintf("the loop %s in the %s regex can match the same text in more than one way: a "+
					"request that almost matches makes PCRE backtrack exponentially and holds the worker (ReDoS); "+
					"rewrite it so that each piece of text has one path through the loop", loop, ra.Kind()),
			})
		}
	}
}
