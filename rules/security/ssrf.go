package security

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/pcre"
	"github.com/ngxlint/ngxlint/analyzer/nginx/vars"
)

var SSRF = registry.Add(&analyzer.Rule{
	ID:         "NGX402",
	Name:       "ssrf",
	Severity:   analyzer.Warning,
	Summary:    "a *_pass directive takes the scheme or host of its target from a variable the client controls",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"ssrf"},
	Directives: []string{"proxy_pass", "grpc_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "memcached_pass"},
	Visit:      visitSSRF,
	Doc: `## What it does
Finds ` + "`proxy_pass`" + `, ` + "`grpc_pass`" + `, ` + "`fastcgi_pass`" + `, ` + "`uwsgi_pass`" + `, ` + "`scgi_pass`" + ` and
` + "`memcached_pass`" + ` (and stream's ` + "`proxy_pass`" + `) whose scheme or host part holds a variable the
client can choose: a query argument, a request header, a cookie, a capture of the URI. It follows
` + "`set`" + `, ` + "`map`" + ` and regex captures to what the variable can hold: a ` + "`map`" + ` whose results are
fixed names is safe, a capture of a regex that admits only letters is still the client's choice.
It points at the variable inside the argument. A variable computed by Lua, njs or Perl is unknown,
and the rule stays silent on it; so it does in an ` + "`internal`" + ` location, which only internal
redirects (` + "`X-Accel-Redirect`" + `, ` + "`error_page`" + `) reach. Variables in the path after the host are
not this rule's concern.

## Why is this bad?
nginx connects to whatever host the variable names at the time of the request. A client that
controls it makes the server open connections for it (server-side request forgery): to internal
services, to cloud metadata endpoints (` + "`169.254.169.254`" + `), to any host on the internet with the
server's address as the source.

## Example
` + "```nginx" + `
location /fetch {
    resolver 127.0.0.53;
    proxy_pass http://$arg_host/;
}
` + "```" + `

## Use instead
Let the client choose among names the configuration fixes, through a ` + "`map`" + ` (or an ` + "`upstream`" + `):
` + "```nginx" + `
map $arg_host $fetch_backend {
    default       backend-a.internal;
    b             backend-b.internal;
}
server {
    listen 80;
    location /fetch {
        resolver 127.0.0.53;
        proxy_pass http://$fetch_backend/;
    }
}
` + "```" + `
`,
})

func visitSSRF(p *analyzer.Pass, d *nginx.Directive) {
	if !nginx.IsPass(d) || len(d.Args) == 0 {
		return
	}
	if isInternal(p, enclosingLocation(d)) {
		return
	}
	arg := d.Args[0]
	end := hostEnd(arg.Value)
	ix := analyzer.ResultOf(p.Workspace, analyzer.Variables)
	for _, r := range ix.DirectiveRefs(d) {
		if r.Arg != arg {
			continue
		}
		if off := refOffset(r); off < 0 || off >= end {
			continue
		}
		v, props := valueAt(ix, d, r)
		if startsPath(v, r) {
			// the host ends where this value starts (a path or "?"),
			// and everything after it is no longer the host either
			break
		}
		if v.Origin == vars.Undefined || props&vars.Unknown != 0 || !props.Has(vars.Client) {
			continue
		}
		part := "host"
		if i := strings.Index(arg.Value, "://"); i < 0 || refOffset(r) < i {
			part = "scheme and host"
		}
		p.Report(analyzer.Finding{
			Span: r.Span(),
			Message: fmt.Sprintf("%s takes the %s of its target from $%s, which the client controls%s: nginx connects "+
				"wherever it points (server-side request forgery, internal services, cloud metadata); map the "+
				"client's choice to fixed backend names with a map or an upstream", d.Name, part, r.Name, via(v)),
			Related: v.Related(),
		})
	}
}

// startsPath reports whether the value of r, when not empty, starts with
// '/' or '?': the URI and its arguments, or a regex capture whose group
// begins with a slash.
func startsPath(v vars.Value, r vars.Ref) bool {
	switch v.Origin {
	case vars.Builtin:
		switch r.Name {
		case "request_uri", "uri", "document_uri", "fastcgi_script_name", "is_args", "request_filename":
			return true
		}
	case vars.Set:
		// every set gives a template that starts the path or the
		// arguments, or gives nothing
		for _, pd := range v.Providers {
			if pd.Name != "set" || len(pd.Args) < 2 {
				return false
			}
			if t := pd.Args[1].Value; t != "" && t[0] != '/' && t[0] != '?' {
				return false
			}
		}
		return len(v.Providers) > 0
	case vars.Capture:
		if r.Capture == 0 || len(v.Providers) == 0 {
			return false
		}
		for _, pd := range v.Providers {
			ok := false
			for _, ra := range regexesOf(pd) {
				if re := parsed(ra); re != nil {
					ok = startsWithSlash(re.Group(r.Capture))
				}
			}
			if !ok {
				return false
			}
		}
		return true
	}
	return false
}

// startsWithSlash reports whether every non-empty match of n starts with '/'.
func startsWithSlash(n *pcre.Node) bool {
	for n != nil {
		switch n.Kind {
		case pcre.Literal:
			return n.Rune == '/'
		case pcre.Class:
			return len(n.Ranges) == 1 && n.Ranges[0].Lo == '/' && n.Ranges[0].Hi == '/'
		case pcre.Group, pcre.NonCapture, pcre.Atomic:
			if len(n.Sub) != 1 {
				return false
			}
			n = n.Sub[0]
		case pcre.Concat:
			if len(n.Sub) == 0 {
				return false
			}
			n = n.Sub[0]
		case pcre.Repeat:
			if n.Min < 1 {
				return false
			}
			n = n.Sub[0]
		default:
			return false
		}
	}
	return false
}

// hostEnd is where the scheme and host part of a pass target ends in the
// value: at the first '/' after "scheme://" (or after the start).
func hostEnd(v string) int {
	start := 0
	if i := strings.Index(v, "://"); i >= 0 {
		start = i + 3
	}
	if j := strings.IndexAny(v[start:], "/?"); j >= 0 {
		return start + j
	}
	return len(v)
}

// via explains where a derived value comes from, for a message.
func via(v vars.Value) string {
	switch v.Origin {
	case vars.Set:
		if len(v.From) > 0 {
			return " (set from $" + strings.Join(trimDollar(v.From), ", $") + ")"
		}
	case vars.Map:
		if len(v.From) > 0 {
			return " (a map of $" + strings.Join(trimDollar(v.From), ", $") + " that passes it through)"
		}
	case vars.Capture:
		return " (a regex capture of the request)"
	}
	return ""
}

func trimDollar(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strings.TrimPrefix(s, "$")
	}
	return out
}
