package validity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var ProxyPassURIRefused = registry.Add(&analyzer.Rule{
	ID:         "NGX327",
	Name:       "proxy-pass-uri-refused",
	Severity:   analyzer.Error,
	Summary:    "proxy_pass with a URI part in a regex or named location, an if or a limit_except: nginx refuses to start",
	Tags:       []analyzer.Tag{analyzer.TagValidity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"proxy_pass"},
	Visit:      visitProxyPassURI,
	Doc: `## What it does
Finds a ` + "`proxy_pass`" + ` whose URL has a URI part (anything from the first ` + "`/`" + ` or ` + "`?`" + ` after the host
and port, a lone ` + "`/`" + ` included) where nginx has no location prefix to replace with it: in a
location given by a regular expression (` + "`~`" + `, ` + "`~*`" + `), in a named location (` + "`@name`" + `), inside an
` + "`if`" + ` block or inside a ` + "`limit_except`" + ` block. A snippet is judged at every place it is included.
A URL with variables is left alone: nginx does not split it at start-up.

## Why is this bad?
nginx refuses to start: ` + "`\"proxy_pass\" cannot have URI part in location given by regular\nexpression, or inside named location, or inside \"if\" statement, or inside \"limit_except\" block`" + `.
It happens when a prefix location that rewrote the path (` + "`location /api/ { proxy_pass http://app/v1/; }`" + `)
is turned into a regular expression, or copied into an ` + "`if`" + `.

## Example
` + "```nginx" + `
location ~ ^/api/(.*)$ {
    proxy_pass http://app/v1/;
}
` + "```" + `

## Use instead
Rewrite the path, then pass without a URI:
` + "```nginx" + `
location ~ ^/api/(.*)$ {
    rewrite ^/api/(.*)$ /v1/$1 break;
    proxy_pass http://app;
}
` + "```" + `
or build the whole URL with variables (` + "`proxy_pass http://app/v1/$1$is_args$args;`" + `), which nginx
takes as it is; a host name in it is then resolved per request and needs a ` + "`resolver`" + `, unless it
names an ` + "`upstream`" + ` block.
`,
})

func visitProxyPassURI(p *analyzer.Pass, d *nginx.Directive) {
	if len(d.Args) != 1 || d.Module() != "http" {
		return
	}
	a := d.Args[0]
	if strings.Contains(a.Value, "$") {
		return // a URL with variables is built per request
	}
	start := nginx.URIStart(a.Value)
	if start < 0 {
		return
	}
	for _, s := range d.Config.Sites() {
		blk := d.InnermostIn(s, "location", "if", "limit_except")
		where := refusedPlace(blk)
		if where == "" {
			continue
		}
		uri := a.Value[start:]
		p.Report(analyzer.Finding{Span: a.ValueSpan(start, len(a.Value)),
			Message: fmt.Sprintf("proxy_pass has the URI part %q %s: nginx refuses to start (\"proxy_pass\" cannot have URI part "+
				"there), as it has no location prefix to replace with it; pass without it (proxy_pass %s) and rewrite the path "+
				"first (rewrite ... break), or build the URL with variables", uri, where, a.Value[:start]),
			Related: []source.Related{{Span: blk.NameSpan(), Message: "the block that refuses it"}}})
		return
	}
}

// refusedPlace says where a proxy_pass URI part is refused, for the
// innermost location, if or limit_except around it; "" where it is taken.
func refusedPlace(blk *nginx.Directive) string {
	if blk == nil {
		return ""
	}
	switch blk.Name {
	case "if":
		return "inside an if block"
	case "limit_except":
		return "inside a limit_except block"
	}
	l, ok := nginx.LocationOf(blk)
	switch {
	case !ok:
		return ""
	case l.Regex:
		return fmt.Sprintf("in a location given by a regular expression (%s %s)", l.Modifier, l.Pattern)
	case l.Modifier == "@":
		return fmt.Sprintf("in the named location @%s", l.Pattern)
	}
	return ""
}
