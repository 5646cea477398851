package elastic

import (
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
)

var ESWildcardMixed = registry.Add(&analyzer.Rule{
	ID:        "ES103",
	Name:      "es-wildcard-mixed",
	Severity:  analyzer.Error,
	Summary:   "a bind or publish host list mixes 0.0.0.0 or :: with other addresses: the node refuses to start",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionVeryHigh,
	Run:       runESWildcardMixed,
	Doc: `## What it does
Reports a host setting (` + "`network.host`" + `, ` + "`http.host`" + `, ` + "`transport.host`" + ` and their ` + "`bind_host`" + ` and
` + "`publish_host`" + ` forms) whose list holds a wildcard address (` + "`0.0.0.0`" + `, ` + "`0`" + `, ` + "`::`" + `) together with
any other value, as a YAML list or a comma-separated string.

## Why is this bad?
The wildcard already means every address; the node refuses the combination at start-up
(` + "`bind address: {0.0.0.0} is wildcard, but multiple addresses specified: this makes no sense`" + `), so
clients get connection refused.

## Example
` + "```yaml" + `
network.host: [_local_, 0.0.0.0]
` + "```" + `

## Use instead
` + "```yaml" + `
network.host: 0.0.0.0
` + "```" + `
`,
})

var hostKeys = []string{"network.host", "network.bind_host", "network.publish_host", "http.host", "http.bind_host",
	"http.publish_host", "transport.host", "transport.bind_host", "transport.publish_host"}

func runESWildcardMixed(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		for _, key := range hostKeys {
			st := s.Get(key)
			if st == nil {
				continue
			}
			b := s.BindOf(key)
			if len(b.Values) < 2 {
				continue
			}
			var texts []string
			for _, v := range b.Values {
				texts = append(texts, v.Text)
			}
			for _, v := range b.Values {
				if elastic.ClassifyHost(v.Text) == elastic.Wildcard {
					p.Reportf(v.Span, "%s: %s is the wildcard address, listed with other addresses (%s); the node refuses to start "+
						"(a wildcard already covers every address): keep %s alone, or list the addresses without it",
						key, v.Text, strings.Join(texts, ", "), v.Text)
					break
				}
			}
		}
	}
}
