package connectivity

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var UpstreamResolve = registry.Add(&analyzer.Rule{
	ID:         "NGX106",
	Name:       "upstream-resolve-requirements",
	Severity:   analyzer.Error,
	Summary:    "an upstream server with resolve lacks what nginx needs for it: a zone, a resolver, or nginx 1.27.3",
	Tags:       []analyzer.Tag{analyzer.TagConnectivity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"upstream"},
	Visit:      visitUpstreamResolve,
	Doc: `## What it does
For each ` + "`upstream`" + ` block (http or stream) with a ` + "`server ... resolve`" + `, checks what nginx
requires for re-resolving the name while running: a ` + "`zone`" + ` in the block, a ` + "`resolver`" + ` in the
block or directly in the ` + "`http`" + ` (or ` + "`stream`" + `) block (a resolver in a ` + "`server`" + ` or
` + "`location`" + ` does not count for upstreams), and, when the nginx version is configured, 1.27.3 or
later (before that, ` + "`resolve`" + ` was an NGINX Plus parameter).

## Why is this bad?
Each missing piece stops nginx at start-up: "resolving names at run time requires upstream ... to
be in shared memory" without a zone, "no resolver defined to resolve names at run time in
upstream ..." without a resolver, and "invalid parameter "resolve"" on an older nginx.

## Example
` + "```nginx" + `
events {}
http {
    upstream app {
        server app.internal:8080 resolve;
    }
}
` + "```" + `

## Use instead
` + "```nginx" + `
events {}
http {
    resolver 10.0.0.2 valid=30s;
    upstream app {
        zone app 64k;
        server app.internal:8080 resolve;
    }
}
` + "```" + `
`,
})

func visitUpstreamResolve(p *analyzer.Pass, d *nginx.Directive) {
	g := analyzer.ResultOf(p.Workspace, analyzer.Peers).GroupOf(d)
	if g == nil || unreadInclude(d.Block) {
		return
	}
	var first *nginx.UpstreamServer
	for _, s := range g.Servers {
		if s.Resolve {
			first = s
			break
		}
	}
	if first == nil {
		return
	}
	at := first.Param("resolve").Span()
	if v := p.Settings.NginxVersion; v != "" && versionBefore(v, 1, 27, 3) {
		p.Report(analyzer.Finding{Span: at, Message: fmt.Sprintf("the resolve parameter of upstream servers came to "+
			"open source nginx in 1.27.3, and this configuration targets %s: nginx refuses to start with "+
			"\"invalid parameter \\\"resolve\\\"\"; upgrade, or drop resolve (the name is then resolved once at start-up)", v)})
		return
	}
	if nginx.FindAtLevel(d.Block, "zone") == nil {
		p.Report(analyzer.Finding{Span: at, Message: fmt.Sprintf("upstream %s re-resolves %s but has no zone: nginx "+
			"refuses to start with \"resolving names at run time requires upstream \\\"%s\\\" to be in shared memory\"; "+
			"add `zone %s 64k;` to the block", g.Name, first.Addr.Host, g.Name, g.Name),
			Related: []source.Related{{Span: d.Args[0].Span(), Message: "the upstream block"}}})
		return
	}
	if nginx.FindAtLevel(d.Block, "resolver") != nil {
		return
	}
	for _, s := range d.Config.Sites() {
		top := d.EnclosingIn(s, g.Module)
		if top == nil {
			return // the http block is out of sight (a fragment): its resolver may be there
		}
		if analyzer.FirstAtLevel(p.Workspace, top, "resolver") == nil {
			p.Report(analyzer.Finding{Span: at, Message: fmt.Sprintf("upstream %s re-resolves %s, but neither the "+
				"upstream block nor the %s block has a resolver: nginx refuses to start with \"no resolver defined to "+
				"resolve names at run time in upstream \\\"%s\\\"\"; add a resolver to one of them", g.Name,
				first.Addr.Host, g.Module, g.Name),
				Related: append([]source.Related{{Span: top.NameSpan(), Message: "the " + g.Module + " block"}}, s.Related()...)})
			return
		}
	}
}

// versionBefore reports whether v (MAJOR.MINOR[.PATCH]) is older than
// major.minor.patch; false for a version it cannot read.
func versionBefore(v string, major, minor, patch int) bool {
	var n [3]int
	for i, part := range strings.SplitN(v, ".", 3) {
		x, err := strconv.Atoi(part)
		if err != nil {
			return false
		}
		n[i] = x
	}
	want := [3]int{major, minor, patch}
	for i := range n {
		if n[i] != want[i] {
			return n[i] < want[i]
		}
	}
	return false
}
