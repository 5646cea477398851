package elastic

import (
	"github.com/ngxlint/ngxlint/analyzer"
)

var ESNotNodeSettings = registry.Add(&analyzer.Rule{
	ID:        "ES301",
	Name:      "es-not-node-settings",
	Severity:  analyzer.Info,
	Summary:   "a file named elasticsearch.yml / opensearch.yml is a client's configuration, not a node's settings",
	Tags:      []analyzer.Tag{analyzer.TagValidity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Run:       runESNotNodeSettings,
	Doc: `## What it does
Recognises a file that is named like a node's settings but is an application's client
configuration: the ` + "`config/elasticsearch.yml`" + ` of a Rails (or similar) application, with one
section per environment (` + "`development:`" + `, ` + "`production:`" + `, ` + "`test:`" + `, often sharing a
` + "`default:`" + ` block through ` + "`<<: *default`" + `) or top-level client keys such as ` + "`url:`" + ` and
` + "`hosts:`" + `, and fewer keys the settings table knows as node settings than client keys. It
reports the file once, at info level, saying what gave it away, and every other Elasticsearch rule
skips it. List the file under ` + "`elasticsearch.nodes`" + ` in ` + "`.ngxlint.yml`" + ` when it really is a
node's settings.

## Why is this bad?
It is not bad: no node reads such a file, so what node rules would say about it (loopback only,
YAML aliases a node does not expand) would be false alarms. The finding says why the file was
skipped, so that a node file taken for a client's by mistake does not go unchecked silently.

## Example
` + "```yaml" + `
default: &default
  url: http://localhost:9200
development:
  <<: *default
production:
  <<: *default
  hosts: [es1.internal:9200]
` + "```" + `

## Use instead
Nothing to change. For a node's settings file that looks like this, declare it:
` + "```yaml" + `
# .ngxlint.yml
elasticsearch:
  nodes: [config/elasticsearch.yml]
` + "```" + `
`,
})

func runESNotNodeSettings(p *analyzer.Pass) {
	for _, s := range p.Workspace.Elastic {
		why, skip := p.Settings.NotNode(s)
		if !skip {
			continue
		}
		p.Reportf(firstLine(s.File), "%s is not read by any node: it looks like an application's client configuration "+
			"(%s), so the Elasticsearch node rules skip it; if it is a node's settings, list it under "+
			"elasticsearch.nodes in .ngxlint.yml", s.File.Path, why)
	}
}
