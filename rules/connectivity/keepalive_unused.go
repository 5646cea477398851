package connectivity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/inherit"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/nginx/vars"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// http11Since is the first release whose proxy speaks HTTP/1.1 by default
// and sends no "Connection: close" (nginx commit 6bb27a631, release-1.29.7).
var http11Since = spec.Version{Major: 1, Minor: 29, Patch: 7}

var KeepaliveUnused = registry.Add(&analyzer.Rule{
	ID:         "NGX114",
	Name:       "keepalive-unused",
	Severity:   analyzer.Warning,
	Summary:    "an upstream has keepalive, but a location proxying to it closes every connection (HTTP/1.0 or Connection: close)",
	Tags:       []analyzer.Tag{analyzer.TagConnectivity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"proxy_pass", "fastcgi_pass"},
	Visit:      visitKeepaliveUnused,
	Doc: `## What it does
For each ` + "`proxy_pass`" + ` to an upstream block with a ` + "`keepalive`" + ` directive, reads the
` + "`proxy_http_version`" + ` and ` + "`proxy_set_header`" + ` lines in effect at the location (set there or
inherited from the server and http blocks) and reports when nginx closes the connection after each
request anyway:

- before nginx 1.29.7, when the location does not use ` + "`proxy_http_version 1.1`" + `, or does not replace
  the ` + "`Connection`" + ` header (nginx sends ` + "`Connection: close`" + ` by default);
- on any release, when ` + "`proxy_http_version 1.0`" + ` is set, or ` + "`Connection`" + ` is set to ` + "`close`" + `, or to a
  ` + "`map`" + ` result that is ` + "`close`" + ` for ordinary requests (the usual WebSocket map:
  ` + "`'' close;`" + `).

Since 1.29.7 nginx speaks HTTP/1.1 to upstreams and clears ` + "`Connection`" + ` by default, so a location
that sets neither is fine there; the configured version (` + "`--nginx-version`" + `) decides. For
` + "`fastcgi_pass`" + ` it asks for ` + "`fastcgi_keep_conn on`" + `. Levels whose includes did not load, and files
linted without their http block, are left alone.

## Why is this bad?
The keepalive cache only keeps connections the backend left open. With HTTP/1.0 or
` + "`Connection: close`" + ` the backend closes each one after the response, so every request opens a new
TCP (and TLS) connection: the latency and the ` + "`TIME_WAIT`" + ` sockets that ` + "`keepalive`" + ` was added to
avoid, up to ephemeral-port exhaustion ("cannot assign requested address") under load.

## Example
With ` + "`--nginx-version 1.28.0`" + ` (any release before 1.29.7):
` + "```nginx" + `
upstream app {
    server 10.0.0.1:8080;
    keepalive 16;
}
server {
    listen 80;
    location / {
        proxy_pass http://app;
    }
}
` + "```" + `

## Use instead
With ` + "`--nginx-version 1.28.0`" + `:
` + "```nginx" + `
upstream app {
    server 10.0.0.1:8080;
    keepalive 16;
}
server {
    listen 80;
    location / {
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_pass http://app;
    }
}
` + "```" + `
`,
})

func visitKeepaliveUnused(p *analyzer.Pass, d *nginx.Directive) {
	peers := analyzer.ResultOf(p.Workspace, analyzer.Peers)
	ps := peers.PassOf(d)
	if ps == nil || ps.Group == nil || ps.Module != "http" || d.Config == nil {
		return
	}
	ka := analyzer.FirstAtLevel(p.Workspace, ps.Group.Directive, "keepalive")
	if ka == nil || len(ka.Args) == 0 || ka.Args[0].Value == "0" {
		return
	}
	inh := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	ix := analyzer.ResultOf(p.Workspace, analyzer.Variables)
	v := p.Settings.Nginx()
	for _, s := range d.Config.Sites() {
		f, ok := keepaliveProblem(inh, ix, d, s, v)
		if !ok {
			continue
		}
		f.Message = fmt.Sprintf("upstream %s keeps idle connections (keepalive %s), but %s: the backend closes each "+
			"connection after its response, so every request opens a new one and the pool stays empty; %s",
			ps.Group.Name, ka.Args[0].Value, f.Message, keepaliveAdvice(d.Name, v))
		f.Related = append(f.Related, source.Related{Span: ka.Span(), Message: "the keepalive of upstream " + ps.Group.Name})
		if len(d.Config.Sites()) > 1 {
			f.Related = append(f.Related, s.Related()...)
		}
		p.Report(f)
		return
	}
}

func keepaliveAdvice(pass string, v spec.Version) string {
	if pass == "fastcgi_pass" {
		return "add fastcgi_keep_conn on"
	}
	if v.Less(http11Since) {
		return "add proxy_http_version 1.1 and proxy_set_header Connection \"\" to the location (nginx " +
			http11Since.String() + " and later do this by default)"
	}
	return "use HTTP/1.1 and leave Connection empty for ordinary requests (map '' to \"\", not close)"
}

// keepaliveProblem finds what closes the connection at d for site s; the
// finding has its span and the reason in Message.
func keepaliveProblem(inh *inherit.Index, ix *vars.Index, d *nginx.Directive, s nginx.Site, v spec.Version) (analyzer.Finding, bool) {
	levels := inh.Levels(d, s)
	if !topInSight(levels, "http") {
		return analyzer.Finding{}, false
	}
	block := levels[0].Block
	if d.Name == "fastcgi_pass" {
		r := inh.Resolve(d, s, "fastcgi_keep_conn", v)
		if r.Unresolved {
			return analyzer.Finding{}, false
		}
		if n := len(r.Effective); n > 0 && len(r.Effective[n-1].Args) == 1 && r.Effective[n-1].Args[0].Value == "on" {
			return analyzer.Finding{}, false
		}
		return analyzer.Finding{Span: block.NameSpan(), Message: "fastcgi_keep_conn is not on here"}, true
	}
	ver := inh.Resolve(d, s, "proxy_http_version", v)
	hdr := inh.Resolve(d, s, "proxy_set_header", v)
	if ver.Unresolved || hdr.Unresolved {
		return analyzer.Finding{}, false
	}
	var version *nginx.Directive
	if n := len(ver.Effective); n > 0 && len(ver.Effective[n-1].Args) == 1 {
		version = ver.Effective[n-1]
	}
	var conn *nginx.Directive
	for _, h := range hdr.Effective {
		if len(h.Args) == 2 && strings.EqualFold(h.Args[0].Value, "connection") {
			conn = h
		}
	}
	old := v.Less(http11Since)
	switch {
	case version != nil && version.Args[0].Value == "1.0":
		return analyzer.Finding{Span: version.Args[0].Span(), Message: "this location speaks HTTP/1.0 to it"}, true
	case version == nil && old:
		return analyzer.Finding{Span: block.NameSpan(), Message: fmt.Sprintf("this location speaks HTTP/1.0 to it "+
			"(proxy_http_version is not set here, nor inherited; nginx %s defaults to 1.0)", v)}, true
	}
	if conn == nil {
		if old {
			return analyzer.Finding{Span: block.NameSpan(), Message: fmt.Sprintf("this location sends \"Connection: close\" "+
				"(no proxy_set_header Connection here, nor inherited; nginx %s sends close by default)", v)}, true
		}
		return analyzer.Finding{}, false
	}
	val := conn.Args[1]
	if strings.EqualFold(val.Value, "close") {
		return analyzer.Finding{Span: val.Span(), Message: "this location sends \"Connection: close\""}, true
	}
	if name, ok := strings.CutPrefix(val.Value, "$"); ok && !strings.ContainsAny(name, "${}") {
		x := ix.At(conn, s, name)
		if x.Origin == vars.Map {
			if values, known := providedValues(x); known && containsFold(values, "close") {
				return analyzer.Finding{Span: val.Span(), Message: fmt.Sprintf("this location sends \"Connection: $%s\", "+
					"which the map makes close for some requests (ordinary ones, when it maps '' to close)", name),
					Related: x.Related()}, true
			}
		}
	}
	return analyzer.Finding{}, false
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
