package security

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var ProxyPassNormalized = registry.Add(&analyzer.Rule{
	ID:         "NGX438",
	Name:       "proxy-pass-normalized",
	Severity:   analyzer.Info,
	Summary:    "proxy_pass with a URI part sends the backend a decoded, normalised path",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionMedium,
	Fix:        analyzer.FixNone,
	OptIn:      true,
	Aliases:    []string{"proxy_pass_normalized"},
	Directives: []string{"proxy_pass"},
	Visit:      visitProxyPassNormalized,
	Doc: `## What it does
Reports an http ` + "`proxy_pass`" + ` whose URL has a URI part (` + "`http://backend/`" + `,
` + "`http://backend/api/`" + `) and no variables, at the URI part. Stream's ` + "`proxy_pass`" + ` has no URI and
is never reported. The rule is opt-in (` + "`--enable proxy-pass-normalized`" + `): the pattern is
everywhere, and only backends that make security decisions on the path need to care.

## Why is this bad?
With a URI part, nginx does not forward the client's path as sent: it takes the decoded and
normalised path (` + "`%2F`" + ` becomes ` + "`/`" + `, ` + "`%2e%2e`" + ` and ` + "`/../`" + ` are resolved, ` + "`//`" + ` merged),
replaces the part the location matched, and sends that. A backend that routes, signs or
authorises by path sees something else than the client asked for: encoded slashes that an API
expects arrive split, and paths that the backend would refuse can be reached through the
normalisation.

## Example
` + "```nginx" + `
location /api/ {
    proxy_pass http://backend/v1/;
}
` + "```" + `

## Use instead
Pass the request URI unchanged (no URI part) and let the backend see what the client sent, or
rewrite explicitly where the prefix must change:
` + "```nginx" + `
location /api/ {
    rewrite ^/api/(.*)$ /v1/$1 break;
    proxy_pass http://backend;
}
` + "```" + `
`,
})

func visitProxyPassNormalized(p *analyzer.Pass, d *nginx.Directive) {
	if d.Module() != "http" || len(d.Args) != 1 {
		return
	}
	a := d.Args[0]
	v := a.Value
	rest, ok := strings.CutPrefix(strings.ToLower(v), "http://")
	if !ok {
		rest, ok = strings.CutPrefix(strings.ToLower(v), "https://")
	}
	if !ok || strings.Contains(v, "$") || strings.HasPrefix(rest, "unix:") {
		return
	}
	slash := strings.IndexByte(rest, '/')
	if slash < 0 {
		return
	}
	start := len(v) - len(rest) + slash
	p.Report(analyzer.Finding{Span: valueSubSpan(d.Config.File, a, start), Message: fmt.Sprintf("proxy_pass with the "+
		"URI part %s sends the backend the decoded, normalised path (%%2F turned into /, /../ resolved) with the "+
		"location's prefix replaced, not the path the client sent; drop the URI part, or rewrite explicitly if "+
		"the backend decides anything by path", v[start:])})
}

// valueSubSpan covers the value from byte start to its end, exactly when
// the argument is written without quotes or escapes, else the argument.
func valueSubSpan(f *source.File, a *nginx.Arg, start int) source.Span {
	if a.Raw() != a.Value {
		return a.Span()
	}
	return f.Span(a.Start()+start, a.End())
}
