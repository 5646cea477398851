package crosscheck

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var XCSpecialHost = registry.Add(&analyzer.Rule{
	ID:        "XC106",
	Name:      "xc-special-host",
	Severity:  analyzer.Error,
	Summary:   "nginx proxies to an Elasticsearch special host value such as _site_ or _eth0_, which only the node understands",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionVeryHigh,
	Run:       runXCSpecialHost,
	Doc: `## What it does
For each ` + "`proxy_pass`" + ` target linked to a node (see ` + "`xc-port-mismatch`" + `), reports a host written as
one of the node's special values (` + "`_local_`" + `, ` + "`_site_`" + `, ` + "`_global_`" + `, ` + "`_eth0_`" + `, with or without
` + "`:ipv4`" + `/` + "`:ipv6`" + `), as when ` + "`network.host`" + ` is copied into nginx.

## Why is this bad?
Only the node resolves these values, against its own interfaces. nginx looks the text up in DNS,
finds nothing and refuses to start (` + "`host not found in upstream \"_site_:9200\"`" + `).

## Example
The node's ` + "`network.host`" + `, copied into nginx:
` + "```nginx" + `
location / { proxy_pass http://_site_:9200; }
` + "```" + `
` + "```yaml" + `
cluster.name: logs
network.host: _site_
` + "```" + `

## Use instead
` + "```nginx" + `
location / { proxy_pass http://10.0.0.5:9200; }   # the address the node binds
` + "```" + `
`,
})

func runXCSpecialHost(p *analyzer.Pass) {
	for _, t := range targets(p) {
		_, ok := spec.IsSpecialHost(t.Addr.Host)
		if !ok {
			continue
		}
		n := t.Node
		b := httpBindSet(n)
		p.Report(analyzer.Finding{Span: t.Addr.HostSpan(),
			Related: []source.Related{{Span: settingSpan(n, b.Setting), Message: "the node's HTTP bind list (" + n.File.Path + ")"}},
			Message: fmt.Sprintf("%s proxies to %s, a special value only the node resolves, against its own interfaces; nginx "+
				"looks it up in DNS and refuses to start with \"host not found in upstream\"; write the address the node of %s "+
				"binds (%s)", t.Where(), t.Addr.Host, n.File.Path, bindWords(b))})
	}
}
