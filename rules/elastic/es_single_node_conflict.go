package elastic

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var ESSingleNodeConflict = registry.Add(&analyzer.Rule{
	ID:        "ES106",
	Name:      "es-single-node-conflict",
	Severity:  analyzer.Error,
	Summary:   "discovery.type: single-node with cluster.initial_master_nodes, or on a node that is not master-eligible",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Run:       runESSingleNodeConflict,
	Doc: `## What it does
Reports ` + "`discovery.type: single-node`" + ` together with
- ` + "`cluster.initial_master_nodes`" + ` (OpenSearch: ` + "`cluster.initial_cluster_manager_nodes`" + `), often
  written by the 8.x security auto-configuration on the first start, or
- ` + "`node.roles`" + ` without ` + "`master`" + ` (OpenSearch: ` + "`cluster_manager`" + `), or ` + "`node.master: false`" + `.
It is an error on Elasticsearch 8 (configured, or implied by the file); for an older or unknown
release it is a warning, since the exact release that started refusing the combinations is not
pinned.

## Why is this bad?
A single-node cluster elects itself: Elasticsearch 8 refuses to start with
` + "`setting [cluster.initial_master_nodes] is not allowed when [discovery.type] is set to\n[single-node]`" + ` or ` + "`node with [discovery.type] set to [single-node] must be master-eligible`" + `, and
clients get connection refused.

## Example
` + "```yaml" + `
discovery.type: single-node
cluster.initial_master_nodes: ["es-1"]
` + "```" + `

## Use instead
` + "```yaml" + `
discovery.type: single-node
` + "```" + `
`,
})

func runESSingleNodeConflict(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		v, dt, ok := value(s, "discovery.type")
		if !ok || v != "single-node" {
			continue
		}
		sev := analyzer.Warning
		if yes, known := releaseOf(p, s).Is8(); yes && known {
			sev = analyzer.Error
		}
		related := []source.Related{{Span: dt.Values[0].Span, Message: "discovery.type is single-node here"}}
		for _, key := range []string{"cluster.initial_master_nodes", "cluster.initial_cluster_manager_nodes"} {
			if st := s.Get(key); st != nil && len(st.Values) > 0 && !st.Values[0].Null {
				p.Report(analyzer.Finding{Severity: sev, Span: st.KeySpan, Related: related, Message: fmt.Sprintf(
					"%s is set while discovery.type is single-node: the node refuses to start (a single-node cluster elects "+
						"itself); remove %s (the 8.x security auto-configuration may have written it)", key, key)})
			}
		}
		master := "master"
		if s.Flavor == elastic.OpenSearch {
			master = "cluster_manager"
		}
		if st := s.Get("node.roles"); st != nil && st.List {
			has := false
			for _, r := range st.Values {
				if r.Text == "master" || r.Text == "cluster_manager" || r.Placeholder {
					has = true
				}
			}
			if !has {
				p.Report(analyzer.Finding{Severity: sev, Span: st.KeySpan, Related: related, Message: fmt.Sprintf(
					"node.roles has no %s role while discovery.type is single-node: the node must be master-eligible to "+
						"form its own cluster and refuses to start; add %s to node.roles", master, master)})
			}
		}
		if isFalse(s, "node.master") {
			st := s.Get("node.master")
			p.Report(analyzer.Finding{Severity: sev, Span: st.Values[0].Span, Related: related, Message: "node.master: false " +
				"while discovery.type is single-node: the node must be master-eligible to form its own cluster and refuses to start"})
		}
	}
}
