package elastic

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
)

var ESDiscoveryNotConfigured = registry.Add(&analyzer.Rule{
	ID:        "ES105",
	Name:      "es-discovery-not-configured",
	Severity:  analyzer.Warning,
	Summary:   "transport binds beyond loopback (bootstrap checks enforced) but no discovery setting is set: the node refuses to start",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionMedium,
	Run:       runESDiscoveryNotConfigured,
	Doc: `## What it does
Works out whether the node runs in production mode, as the node does: its transport layer binds or
publishes to an address other than loopback (` + "`network.host: 0.0.0.0`" + `, ` + "`_site_`" + `, a LAN address) and
` + "`discovery.type`" + ` is not ` + "`single-node`" + `. Then reports when none of ` + "`discovery.seed_hosts`" + `,
` + "`discovery.seed_providers`" + `, ` + "`cluster.initial_master_nodes`" + ` (OpenSearch also
` + "`cluster.initial_cluster_manager_nodes`" + `; before 8.0 also ` + "`discovery.zen.ping.unicast.hosts`" + ` and
` + "`discovery.zen.hosts_provider`" + `) is set. An empty list counts as set.

It is a warning, not an error, because the official Docker images are usually started with
` + "`discovery.type=single-node`" + ` in the environment, which the file does not show. In a file written for
a release before 8.0 whose number is not configured it is info (6.x did not have the check), and so it
is in a file with ` + "`cluster.name: docker-cluster`" + `, the official images' own configuration.

## Why is this bad?
In production mode the discovery bootstrap check fails (` + "`the default discovery settings are\nunsuitable for production use`" + `) and the node exits: clients get connection refused. This is the
usual way "I set network.host: 0.0.0.0 and Elasticsearch stopped starting" happens.

## Example
` + "```yaml" + `
cluster.name: logs
network.host: 0.0.0.0
` + "```" + `

## Use instead
` + "```yaml" + `
cluster.name: logs
network.host: 0.0.0.0
discovery.type: single-node        # one node; or list the cluster:
# discovery.seed_hosts: [10.0.0.5, 10.0.0.6]
# cluster.initial_master_nodes: [es-1, es-2]
` + "```" + `
`,
})

var discoveryKeys = []string{"discovery.seed_hosts", "discovery.seed_providers", "cluster.initial_master_nodes",
	"cluster.initial_cluster_manager_nodes", "discovery.zen.ping.unicast.hosts", "discovery.zen.hosts_provider"}

func runESDiscoveryNotConfigured(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		trigger, key := productionMode(s)
		if trigger == nil {
			continue
		}
		if discoveryConfigured(s) {
			continue
		}
		need := "discovery.seed_hosts, discovery.seed_providers or cluster.initial_master_nodes"
		if s.Flavor == elastic.OpenSearch {
			need = "discovery.seed_hosts, discovery.seed_providers or cluster.initial_cluster_manager_nodes"
		}
		f := analyzer.Finding{Span: trigger.Span, Message: fmt.Sprintf("%s %s puts the transport layer beyond loopback, so the node "+
			"enforces its bootstrap checks, and none of %s is set: the discovery check fails and the node does not start "+
			"(unless the environment sets discovery.type=single-node); for one node set discovery.type: single-node, for a "+
			"cluster list its nodes", key, trigger.Text, need)}
		if v, _, ok := value(s, "cluster.name"); ok && v == "docker-cluster" {
			// The official images' own cluster name: such a file is
			// mounted into a container whose environment usually says
			// discovery.type=single-node.
			f.Severity = analyzer.Info
			f.Message += " (cluster.name docker-cluster: a Docker image's configuration, usually started with discovery.type=single-node in its environment)"
		} else if rel := releaseOf(p, s); rel.Before8 {
			f.Severity = analyzer.Info
			f.Message += " (this file is for a release before 8.0 and the check exists since 7.0; set elasticsearch.version to tell)"
		}
		p.Report(f)
	}
}

// discoveryConfigured reports whether any setting the discovery bootstrap
// check accepts exists.
func discoveryConfigured(s *elastic.Settings) bool {
	for _, k := range discoveryKeys {
		if exists(s, k) {
			return true
		}
	}
	return false
}
