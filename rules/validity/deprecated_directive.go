package validity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// obsolete is a directive nginx deprecated: from Deprecated on it warns
// at start-up (and, for the "obsolete" ones, ignores it); from Removed on
// (zero: never) it refuses to start. Facts read in nginx's sources: the
// ngx_conf_deprecated_t entries and the *_obsolete handlers of each
// release.
type obsolete struct {
	Deprecated, Removed spec.Version
	// Ignored: the directive still parses but has no effect.
	Ignored bool
	// Instead says what replaces it; Rename is a directive that takes the
	// same argument ("" when the replacement is not a rename).
	Instead, Rename string
}

var (
	v1_9_5  = spec.Version{Major: 1, Minor: 9, Patch: 5}
	v1_9_4  = spec.Version{Major: 1, Minor: 9, Patch: 4}
	v1_15_0 = spec.Version{Major: 1, Minor: 15}
	v1_19_7 = spec.Version{Major: 1, Minor: 19, Patch: 7}
	v1_25_1 = spec.Version{Major: 1, Minor: 25, Patch: 1}
)

// obsoletes are the deprecated directives by name. The spdy module was
// removed outright in 1.9.5 (HTTP/2 replaced it).
var obsoletes = func() map[string]*obsolete {
	m := map[string]*obsolete{
		"ssl": {Deprecated: v1_15_0, Removed: v1_25_1, Instead: `the "ssl" parameter of each "listen" of the server`},
		"http2_recv_timeout": {Deprecated: v1_19_7, Ignored: true, Instead: `"client_header_timeout"`,
			Rename: "client_header_timeout"},
		"http2_idle_timeout": {Deprecated: v1_19_7, Ignored: true, Instead: `"keepalive_timeout"`, Rename: "keepalive_timeout"},
		"http2_max_requests": {Deprecated: v1_19_7, Ignored: true, Instead: `"keepalive_requests"`, Rename: "keepalive_requests"},
		"http2_max_field_size": {Deprecated: v1_19_7, Ignored: true,
			Instead: `"large_client_header_buffers" (which takes a number and a size)`},
		"http2_max_header_size": {Deprecated: v1_19_7, Ignored: true,
			Instead: `"large_client_header_buffers" (which takes a number and a size)`},
		"http2_push":                  {Deprecated: v1_25_1, Ignored: true, Instead: "nothing (HTTP/2 server push was removed); delete it"},
		"http2_push_preload":          {Deprecated: v1_25_1, Ignored: true, Instead: "nothing (HTTP/2 server push was removed); delete it"},
		"http2_max_concurrent_pushes": {Deprecated: v1_25_1, Ignored: true, Instead: "nothing (HTTP/2 server push was removed); delete it"},
		"proxy_downstream_buffer":     {Deprecated: v1_9_4, Instead: `"proxy_buffer_size"`, Rename: "proxy_buffer_size"},
		"proxy_upstream_buffer":       {Deprecated: v1_9_4, Instead: `"proxy_buffer_size"`, Rename: "proxy_buffer_size"},
	}
	for _, d := range spec.All() {
		if d.Module == "ngx_http_spdy_module" {
			m[d.Name] = &obsolete{Deprecated: v1_9_5, Removed: v1_9_5,
				Instead: `HTTP/2: the "http2_*" directives and "http2 on;" (or "listen ... http2" before 1.25.1)`}
		}
	}
	return m
}()

var DeprecatedDirective = registry.Add(&analyzer.Rule{
	ID:        "NGX306",
	Name:      "deprecated-directive",
	Severity:  analyzer.Warning,
	Summary:   "a directive or listen parameter that the configured nginx version deprecates, ignores or has removed",
	Tags:      []analyzer.Tag{analyzer.TagValidity},
	Precision: analyzer.PrecisionVeryHigh,
	Fix:       analyzer.FixUnsafe,
	Directives: func() []string {
		out := []string{"listen"}
		for n := range obsoletes {
			out = append(out, n)
		}
		return out
	}(),
	Visit: visitDeprecated,
	Doc: `## What it does
Reports, for the configured nginx version, directives that nginx deprecated and what replaces them:

- ` + "`ssl on;`" + ` (deprecated in 1.15.0, removed in 1.25.1): the ` + "`ssl`" + ` parameter of ` + "`listen`" + `;
- ` + "`listen ... http2`" + ` (deprecated in 1.25.1): the ` + "`http2 on;`" + ` directive in the server;
- ` + "`listen ... spdy`" + ` (ignored from 1.9.5, rejected from 1.19.7) and the ` + "`spdy_*`" + ` directives
  (removed in 1.9.5): HTTP/2;
- ` + "`http2_idle_timeout`" + `, ` + "`http2_recv_timeout`" + `, ` + "`http2_max_requests`" + `, ` + "`http2_max_field_size`" + `,
  ` + "`http2_max_header_size`" + ` (obsolete and ignored since 1.19.7): ` + "`keepalive_timeout`" + `,
  ` + "`client_header_timeout`" + `, ` + "`keepalive_requests`" + `, ` + "`large_client_header_buffers`" + `;
- ` + "`http2_push`" + `, ` + "`http2_push_preload`" + `, ` + "`http2_max_concurrent_pushes`" + ` (obsolete and ignored since
  1.25.1);
- the stream ` + "`proxy_downstream_buffer`" + ` and ` + "`proxy_upstream_buffer`" + ` (deprecated in 1.9.4):
  ` + "`proxy_buffer_size`" + `.

A deprecated directive that still works is a warning; one the version no longer has is an error
(nginx refuses to start), reported here rather than by ` + "`unknown-directive`" + `.

## Why is this bad?
nginx logs a warning at every start for a deprecated directive, ignores an obsolete one (the limit
or timeout it sets has no effect: a silent change of behaviour after an upgrade), and refuses to
start on one that was removed.

## Example
` + "```nginx" + `
server {
    listen 443 http2;
    ssl on;
    ssl_certificate     /etc/ssl/example.com.crt;
    ssl_certificate_key /etc/ssl/example.com.key;
    http2_idle_timeout 5m;
}
` + "```" + `

## Use instead
` + "```nginx" + `
server {
    listen 443 ssl;
    http2 on;
    ssl_certificate     /etc/ssl/example.com.crt;
    ssl_certificate_key /etc/ssl/example.com.key;
    keepalive_timeout 5m;
}
` + "```" + `
Fixes, where the replacement is mechanical: ` + "`ssl on;`" + ` is deleted and ` + "`ssl`" + ` added to each
` + "`listen`" + ` of its server (when the server has listens in the same file); ` + "`listen ... http2`" + `
loses the parameter and the server gets ` + "`http2 on;`" + `; a renamed directive is renamed; an
obsolete push directive is deleted. They are unsafe: ` + "`http2 on`" + ` applies to every listen of the
server, and a renamed directive starts to take effect.
`,
})

func visitDeprecated(p *analyzer.Pass, d *nginx.Directive) {
	if len(checkedSites(d).sites) == 0 {
		return
	}
	v := p.Settings.Nginx()
	if d.Name == "listen" {
		visitDeprecatedListen(p, d, v)
		return
	}
	o := obsoletes[d.Name]
	if o == nil || v.Less(o.Deprecated) {
		return
	}
	if d.Name == "ssl" {
		visitSSLOn(p, d, v, o)
		return
	}
	f := analyzer.Finding{Span: d.NameSpan()}
	switch {
	case !o.Removed.IsZero() && !v.Less(o.Removed):
		f.Severity = analyzer.Error
		f.Message = fmt.Sprintf("%q was removed in nginx %v: nginx %v refuses to start with \"unknown directive\"; use %s",
			d.Name, o.Removed, v, o.Instead)
	case o.Ignored:
		f.Message = fmt.Sprintf("%q is obsolete since nginx %v: nginx %v ignores it (with a warning at start-up), so it has no "+
			"effect; use %s", d.Name, o.Deprecated, v, o.Instead)
	default:
		f.Message = fmt.Sprintf("%q is deprecated since nginx %v (nginx warns at start-up); use %s", d.Name, o.Deprecated, o.Instead)
	}
	switch {
	case o.Rename != "":
		f.Fix = &analyzer.Fix{Title: "rename to " + o.Rename, Edits: []analyzer.Edit{{Span: d.NameSpan(), NewText: o.Rename}}}
	case o.Ignored && o.Removed.IsZero():
		f.Fix = &analyzer.Fix{Title: "delete the obsolete directive", Edits: []analyzer.Edit{deleteLine(d)}}
	}
	p.Report(f)
}

// visitSSLOn reports `ssl on|off;`, with a fix that moves `on` to the
// server's listens.
func visitSSLOn(p *analyzer.Pass, d *nginx.Directive, v spec.Version, o *obsolete) {
	f := analyzer.Finding{Span: d.Span()}
	removed := !v.Less(o.Removed)
	switch {
	case removed:
		f.Severity = analyzer.Error
		f.Message = fmt.Sprintf("the \"ssl\" directive was removed in nginx %v: nginx %v refuses to start with \"unknown directive "+
			"\\\"ssl\\\"\"; add the ssl parameter to the server's listen directives instead", o.Removed, v)
	default:
		f.Message = fmt.Sprintf("the \"ssl\" directive is deprecated since nginx %v (nginx warns at start-up) and removed in %v; "+
			"add the ssl parameter to the server's listen directives instead", o.Deprecated, o.Removed)
	}
	if len(d.Args) != 1 {
		p.Report(f)
		return
	}
	switch strings.ToLower(d.Args[0].Value) {
	case "off":
		f.Fix = &analyzer.Fix{Title: "delete ssl off", Edits: []analyzer.Edit{deleteLine(d)}}
	case "on":
		if d.Parent != nil && d.Parent.Name == "server" {
			var edits []analyzer.Edit
			for _, l := range d.Parent.Block {
				if l.Name == "listen" && len(l.Args) > 0 && !l.HasFlag("ssl") {
					last := l.Args[len(l.Args)-1].Span()
					edits = append(edits, analyzer.Edit{Span: zeroAt(d.Config, last.End.Offset), NewText: " ssl"})
				}
			}
			if len(edits) > 0 {
				f.Fix = &analyzer.Fix{Title: "move ssl to the listen directives", Edits: append(edits, deleteLine(d))}
			}
		}
	}
	p.Report(f)
}

// visitDeprecatedListen reports the http2 (1.25.1+) and spdy parameters
// of an http listen.
func visitDeprecatedListen(p *analyzer.Pass, d *nginx.Directive, v spec.Version) {
	if d.Parent == nil || d.Parent.Name != "server" || d.Module() != "http" && d.Module() != "" {
		return
	}
	if ctx := d.Context(); len(ctx) == 0 || ctx[0] != "http" {
		return
	}
	for i := 1; i < len(d.Args); i++ {
		a := d.Args[i]
		switch a.Value {
		case "http2":
			if v.Less(v1_25_1) {
				continue
			}
			f := analyzer.Finding{Span: a.Span(), Message: fmt.Sprintf("\"listen ... http2\" is deprecated since nginx 1.25.1 "+
				"(nginx %v warns at start-up); write \"http2 on;\" in the server instead", v)}
			edits := []analyzer.Edit{{Span: d.Config.File.Span(d.Args[i-1].End(), a.End())}}
			if firstHTTP2Listen(d) && nginx.FindAtLevel(d.Parent.Block, "http2") == nil {
				edits = append(edits, analyzer.Edit{Span: zeroAt(d.Config, d.End()),
					NewText: "\n" + indentOf(d) + "http2 on;"})
			}
			f.Fix = &analyzer.Fix{Title: "replace listen ... http2 with http2 on", Edits: edits}
			p.Report(f)
		case "spdy":
			switch {
			case v.Less(v1_9_5):
				continue
			case v.Less(v1_19_7):
				p.Report(analyzer.Finding{Span: a.Span(), Message: fmt.Sprintf("the spdy parameter is ignored since nginx 1.9.5 "+
					"(HTTP/2 replaced SPDY) and rejected from 1.19.7; nginx %v serves this listen without it: use http2", v)})
			default:
				p.Report(analyzer.Finding{Span: a.Span(), Severity: analyzer.Error, Message: fmt.Sprintf("the spdy parameter was "+
					"removed (ignored from nginx 1.9.5, rejected from 1.19.7): nginx %v refuses to start with "+
					"\"invalid parameter \\\"spdy\\\"\"; use HTTP/2 instead", v)})
			}
		}
	}
}

// firstHTTP2Listen reports whether d is the first listen of its server
// with the http2 parameter, so that one fix adds `http2 on;`.
func firstHTTP2Listen(d *nginx.Directive) bool {
	for _, l := range d.Parent.Block {
		if l.Name == "listen" && l.HasFlag("http2") {
			return l == d
		}
	}
	return false
}

// zeroAt is an empty span at offset, for an insertion.
func zeroAt(c *nginx.Config, offset int) source.Span {
	return c.File.Span(offset, offset)
}

// deleteLine removes d and, when it is alone on its line, the line.
func deleteLine(d *nginx.Directive) analyzer.Edit {
	src := d.Config.File.Src
	start, end := d.Start(), d.End()
	ls := start
	for ls > 0 && (src[ls-1] == ' ' || src[ls-1] == '\t') {
		ls--
	}
	le := end
	for le < len(src) && (src[le] == ' ' || src[le] == '\t') {
		le++
	}
	if (ls == 0 || src[ls-1] == '\n') && (le == len(src) || src[le] == '\n') {
		if le < len(src) {
			le++
		}
		return analyzer.Edit{Span: d.Config.File.Span(ls, le)}
	}
	return analyzer.Edit{Span: d.Span()}
}

// indentOf is the whitespace before d on its line.
func indentOf(d *nginx.Directive) string {
	src := d.Config.File.Src
	i := d.Start()
	j := i
	for j > 0 && (src[j-1] == ' ' || src[j-1] == '\t') {
		j--
	}
	return string(src[j:i])
}
