package elastic

import (
	"net/netip"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
)

var ESMulticastAddress = registry.Add(&analyzer.Rule{
	ID:        "ES110",
	Name:      "es-multicast-address",
	Severity:  analyzer.Error,
	Summary:   "a bind or publish host is a multicast address: the node refuses to start",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionVeryHigh,
	Run:       runESMulticastAddress,
	Doc: `## What it does
Reports a host setting (` + "`network.host`" + `, ` + "`http.host`" + `, ` + "`transport.host`" + ` and their ` + "`bind_host`" + ` and
` + "`publish_host`" + ` forms) holding a multicast address (` + "`224.0.0.0/4`" + `, ` + "`ff00::/8`" + `), often left over from
the multicast discovery of Elasticsearch 1.x.

## Why is this bad?
A socket cannot be bound to a multicast address; the node refuses it at start-up (` + "`bind address\n... is invalid: multicast address`" + `) and clients get connection refused.

## Example
` + "```yaml" + `
network.host: 224.2.2.4
` + "```" + `

## Use instead
` + "```yaml" + `
network.host: _site_
` + "```" + `
`,
})

func runESMulticastAddress(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		for _, key := range hostKeys {
			if s.Get(key) == nil {
				continue
			}
			for _, v := range s.BindOf(key).Values {
				ip, err := netip.ParseAddr(strings.Trim(v.Text, "[]"))
				if err != nil || !ip.IsMulticast() {
					continue
				}
				p.Reportf(v.Span, "%s: %s is a multicast address; the node cannot bind or publish it and refuses to start; "+
					"use an address of this host (or _site_)", key, v.Text)
			}
		}
	}
}
