package security

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/vars"
)

var HostSpoofing = registry.Add(&analyzer.Rule{
	ID:         "NGX405",
	Name:       "host-spoofing",
	Severity:   analyzer.Warning,
	Summary:    "proxy_set_header Host passes a Host the client chose and nginx did not route by",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"host_spoofing"},
	Directives: []string{"proxy_set_header"},
	Visit:      visitHostSpoofing,
	Doc: `## What it does
Finds ` + "`proxy_set_header Host`" + ` whose value comes from ` + "`$http_host`" + `, ` + "`$http_x_forwarded_host`" + `
(or another request header), a query argument (` + "`$arg_*`" + `) or a cookie (` + "`$cookie_*`" + `), directly or
through ` + "`set`" + ` and ` + "`map`" + `. It points at the variable. ` + "`$host`" + ` is not reported: nginx fills it from
the host it routed the request by (the request line's host, else the validated ` + "`Host`" + ` header,
else the server name), lower-cased and without the port. A ` + "`map`" + ` that turns the header into
fixed names is safe; a variable computed by code is unknown and leaves the rule silent.

## Why is this bad?
nginx chooses the ` + "`server`" + ` block by the host of an absolute request line
(` + "`GET http://a.example/ HTTP/1.1`" + `) when there is one, and ignores the ` + "`Host`" + ` header for
that; ` + "`$http_host`" + ` still holds the header, whatever it says. The backend then builds links,
password-reset mails and cache keys from a host the client chose and nginx never checked against
` + "`server_name`" + ` (host header injection, web cache poisoning). ` + "`X-Forwarded-Host`" + `, arguments and cookies
are the client's text outright.

## Example
` + "```nginx" + `
location / {
    proxy_set_header Host $http_host;
    proxy_pass http://app;
}
` + "```" + `

## Use instead
` + "```nginx" + `
location / {
    proxy_set_header Host $host;
    proxy_pass http://app;
}
` + "```" + `
(Add ` + "`:$server_port`" + ` when the backend needs the port.)
`,
})

func visitHostSpoofing(p *analyzer.Pass, d *nginx.Directive) {
	if len(d.Args) < 2 || !strings.EqualFold(d.Args[0].Value, "host") {
		return
	}
	ix := analyzer.ResultOf(p.Workspace, analyzer.Variables)
	for _, r := range ix.DirectiveRefs(d) {
		if r.Arg != d.Args[1] {
			continue
		}
		v, props := valueAt(ix, d, r)
		if v.Origin == vars.Undefined || props&vars.Unknown != 0 || !props.Has(vars.Client) {
			continue
		}
		src := spoofable(ix, d, r.Name, 0)
		if src == "" {
			continue
		}
		how := ""
		if src != r.Name {
			how = fmt.Sprintf(" (made from $%s)", src)
		}
		p.Report(analyzer.Finding{
			Span: r.Span(),
			Message: fmt.Sprintf("the Host sent upstream is $%s%s, %s: the backend builds links and cache keys from a "+
				"host nginx did not check against server_name; use $host", r.Name, how, spoofWhy(src)),
			Related: v.Related(),
		})
	}
}

// spoofable returns the client-chosen variable $name is made of at d
// (itself, or one that set/map read), or "".
func spoofable(ix *vars.Index, d *nginx.Directive, name string, depth int) string {
	name = strings.TrimPrefix(name, "$")
	if depth > 8 {
		return ""
	}
	v := ix.At(d, nginx.Site{}, name)
	switch v.Origin {
	case vars.Builtin:
		switch {
		case name == "host":
			return ""
		case strings.HasPrefix(name, "http_"), strings.HasPrefix(name, "arg_"), strings.HasPrefix(name, "cookie_"):
			return name
		}
	case vars.Set, vars.Map:
		for _, pd := range v.Providers {
			for _, f := range v.From {
				if s := spoofable(ix, pd, f, depth+1); s != "" {
					return s
				}
			}
		}
	}
	return ""
}

func spoofWhy(src string) string {
	switch {
	case src == "http_host":
		return "the raw Host header, which nginx ignores for routing when the request line names a host"
	case strings.HasPrefix(src, "http_"):
		return "a request header the client writes"
	case strings.HasPrefix(src, "arg_"):
		return "a query argument the client writes"
	}
	return "a cookie the client writes"
}
