package elastic

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var ESInitialMastersDuplicate = registry.Add(&analyzer.Rule{
	ID:        "ES115",
	Name:      "es-initial-masters-duplicate",
	Severity:  analyzer.Error,
	Summary:   "cluster.initial_master_nodes lists a node twice: the node refuses to start",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionVeryHigh,
	Run:       runESInitialMastersDuplicate,
	Doc: `## What it does
Reports a name or address listed twice in ` + "`cluster.initial_master_nodes`" + ` (OpenSearch also
` + "`cluster.initial_cluster_manager_nodes`" + `), as a YAML list or a comma-separated string.

## Why is this bad?
The node refuses the setting at start-up (` + "`setting [cluster.initial_master_nodes] contains\nduplicates`" + `), so clients get connection refused; a duplicate is usually a node name typed where
another node's name belonged, which would also stall the first election.

## Example
` + "```yaml" + `
cluster.initial_master_nodes: [es-1, es-2, es-1]
` + "```" + `

## Use instead
` + "```yaml" + `
cluster.initial_master_nodes: [es-1, es-2, es-3]
` + "```" + `
`,
})

func runESInitialMastersDuplicate(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		for _, key := range []string{"cluster.initial_master_nodes", "cluster.initial_cluster_manager_nodes"} {
			if s.Get(key) == nil {
				continue
			}
			first := map[string]source.Span{}
			for _, v := range s.BindOf(key).Values {
				if v.Placeholder {
					continue
				}
				if sp, dup := first[v.Text]; dup {
					p.Report(analyzer.Finding{Span: v.Span, Related: []source.Related{{Span: sp, Message: "first listed here"}},
						Message: fmt.Sprintf("%s lists %s twice: the node refuses to start (the setting contains duplicates); "+
							"list each master-eligible node once", key, v.Text)})
					continue
				}
				first[v.Text] = v.Span
			}
		}
	}
}
