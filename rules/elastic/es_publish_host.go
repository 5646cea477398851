package elastic

import (
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
)

var ESPublishHost = registry.Add(&analyzer.Rule{
	ID:        "ES113",
	Name:      "es-publish-host",
	Severity:  analyzer.Info,
	Summary:   "a publish_host setting is a wildcard or a list: the node picks one address to advertise at start-up",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionMedium,
	Run:       runESPublishHost,
	Doc: `## What it does
Reports ` + "`network.publish_host`" + `, ` + "`http.publish_host`" + ` or ` + "`transport.publish_host`" + ` set to a wildcard
(` + "`0.0.0.0`" + `, ` + "`::`" + `) or to more than one value. Only explicit publish settings are checked; a publish
address inherited from ` + "`network.host`" + ` is not.

## Why is this bad?
A node advertises exactly one address to the other nodes and to sniffing clients. From a wildcard
or a list it picks one by its own preference (IPv4 first, global before site-local), which may not be
the one others can reach and "may change when the node restarts": nodes or clients then time out
on an address they cannot reach.

## Example
` + "```yaml" + `
network.publish_host: 0.0.0.0
` + "```" + `

## Use instead
` + "```yaml" + `
network.publish_host: 10.0.0.5
` + "```" + `
`,
})

func runESPublishHost(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		for _, key := range []string{"network.publish_host", "http.publish_host", "transport.publish_host"} {
			if s.Get(key) == nil {
				continue
			}
			b := s.BindOf(key)
			if len(b.Values) == 0 {
				continue
			}
			v := b.Values[0]
			switch {
			case len(b.Values) > 1:
				var texts []string
				for _, x := range b.Values {
					texts = append(texts, x.Text)
				}
				p.Reportf(v.Span, "%s lists %s: the node advertises only one of them, chosen at start-up, which others may not "+
					"reach; publish the one address nodes and clients use", key, strings.Join(texts, ", "))
			case elastic.ClassifyHost(v.Text) == elastic.Wildcard:
				p.Reportf(v.Span, "%s: %s is a wildcard: the node advertises one of this host's addresses, chosen at start-up "+
					"(and possibly another after a restart); publish the address nodes and clients use", key, v.Text)
			}
		}
	}
}
