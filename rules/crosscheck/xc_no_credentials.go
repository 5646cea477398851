package crosscheck

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var XCNoCredentials = registry.Add(&analyzer.Rule{
	ID:        "XC107",
	Name:      "xc-no-credentials",
	Severity:  analyzer.Info,
	Summary:   "nginx proxies to a node with security on without credentials of its own: clients must send them, or get 401",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionMedium,
	Run:       runXCNoCredentials,
	Doc: `## What it does
For each ` + "`proxy_pass`" + ` linked to a node (see ` + "`xc-port-mismatch`" + `) whose security is on (Elasticsearch 8
and later unless ` + "`xpack.security.enabled: false`" + `, or 7.x with it ` + "`true`" + `; OpenSearch with security
plugin settings and not ` + "`plugins.security.disabled: true`" + `), reports at info level when no
` + "`proxy_set_header Authorization`" + ` applies to the pass: the node then sees only what the client
sends.

## Why is this bad?
It is fine when every client sends its own credentials (nginx passes the ` + "`Authorization`" + ` header on).
A client that does not, a browser, a health check, a dashboard behind nginx, gets
` + "`401 Unauthorized`" + ` (` + "`missing authentication credentials for REST request`" + `), which looks like a
broken proxy rather than a login prompt.

## Example
With ` + "`--es-version 8.13`" + ` (security is on by default since 8.0):
` + "```nginx" + `
location /search/ { proxy_pass https://10.0.0.5:9200/; }
` + "```" + `
` + "```yaml" + `
cluster.name: logs
network.host: 10.0.0.5
` + "```" + `

## Use instead
Let nginx authenticate to the node when clients should not:
` + "```nginx" + `
location /search/ {
    proxy_set_header Authorization "ApiKey <base64 id:key>";
    proxy_pass https://10.0.0.5:9200/;
}
` + "```" + `
`,
})

func runXCNoCredentials(p *analyzer.Pass) {
	idx := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	v := p.Settings.Nginx()
	seen := map[*nginx.Directive]bool{}
	for _, t := range targets(p) {
		d := t.Pass.Directive
		n := t.Node
		if seen[d] || httpOff(n) {
			continue
		}
		on, why := securityOn(p, n)
		if !on {
			continue
		}
		sets := false
		for _, s := range d.Config.Sites() {
			r := idx.Resolve(d, s, "proxy_set_header", v)
			if r.Unresolved {
				sets = true
			}
			for _, x := range r.Effective {
				if x.Name == "proxy_set_header" && len(x.Args) > 0 && strings.EqualFold(x.Args[0].Value, "Authorization") {
					sets = true
				}
			}
		}
		if sets {
			continue
		}
		seen[d] = true
		p.Report(analyzer.Finding{Span: d.NameSpan(),
			Related: []source.Related{{Span: firstLineOf(n), Message: "the node (" + n.File.Path + ")"}},
			Message: fmt.Sprintf("the node of %s (%s) has security on (%s) and nginx adds no credentials here: requests "+
				"carry only the client's own Authorization header, and a client without one gets 401; if nginx should "+
				"authenticate to the node, set proxy_set_header Authorization", n.File.Path, t.Via, why)})
	}
}

// securityOn reports a node that asks for credentials, and why.
func securityOn(p *analyzer.Pass, n *elastic.Settings) (bool, string) {
	if n.Flavor == elastic.OpenSearch {
		if st := n.Get("plugins.security.disabled"); st != nil && len(st.Values) == 1 && st.Values[0].Text == "true" {
			return false, ""
		}
		return hasSecurityPlugin(n), "security plugin settings"
	}
	st := n.Get("xpack.security.enabled")
	if st != nil && len(st.Values) == 1 {
		return st.Values[0].Text == "true", "xpack.security.enabled: " + st.Values[0].Text
	}
	is8, known := p.Settings.NodeRelease(n).Is8()
	if is8 && known {
		return true, "the default since 8.0"
	}
	return false, "" // 7.x default off, or the release is not known
}

func firstLineOf(n *elastic.Settings) source.Span { return n.File.Span(0, len(n.File.Line(1))) }
