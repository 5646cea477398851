package elastic

import (
	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
)

var ESPublishPort = registry.Add(&analyzer.Rule{
	ID:        "ES114",
	Name:      "es-publish-port",
	Severity:  analyzer.Info,
	Summary:   "http.publish_port or transport.publish_port advertises a port the node does not bind",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionMedium,
	Run:       runESPublishPort,
	Doc: `## What it does
Reports ` + "`http.publish_port`" + ` or ` + "`transport.publish_port`" + ` set to a port outside the layer's bound
range (` + "`http.port`" + `, ` + "`transport.port`" + `).

## Why is this bad?
The node advertises a port it does not listen on. That is right behind a port-mapping NAT or proxy
that forwards the advertised port; anywhere else other nodes (transport) or sniffing clients (HTTP)
dial a port where nothing listens and get connection refused.

## Example
` + "```yaml" + `
transport.port: 9300
transport.publish_port: 9400
` + "```" + `

## Use instead
Leave the publish port unset (it defaults to the bound port), or make sure the NAT forwards it.
`,
})

func runESPublishPort(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		for _, c := range []struct {
			key  string
			spec elastic.PortSpec
			bind string
		}{{"http.publish_port", s.HTTPPort, "http.port"}, {"transport.publish_port", s.TransportPort, "transport.port"}} {
			v, st, ok := value(s, c.key)
			if !ok {
				continue
			}
			ranges, err := elastic.ParsePorts(v)
			if err != "" || len(ranges) != 1 || ranges[0][0] != ranges[0][1] || ranges[0][0] <= 0 || c.spec.First() == 0 || c.spec.Has(ranges[0][0]) {
				continue // -1 (the bound port), unparsable (es-invalid-value), or bound
			}
			p.Reportf(st.Values[0].Span, "%s %s is not a port the node binds (%s %s): nodes or sniffing clients that use the "+
				"advertised port get connection refused unless a NAT or proxy forwards it", c.key, v, c.bind, portText(c.spec))
		}
	}
}
