package elastic

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
)

var ESTransportTLSRequired = registry.Add(&analyzer.Rule{
	ID:        "ES108",
	Name:      "es-transport-tls-required",
	Severity:  analyzer.Error,
	Summary:   "security on, transport beyond loopback and transport TLS off: the TLS bootstrap check stops the node",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Run:       runESTransportTLSRequired,
	Doc: `## What it does
For Elasticsearch (not OpenSearch), reports a node in production mode (transport bound or published
beyond loopback, ` + "`discovery.type`" + ` not ` + "`single-node`" + `, discovery settings present: without them
` + "`es-discovery-not-configured`" + ` reports the node) with security on and
` + "`xpack.security.transport.ssl.enabled`" + ` not ` + "`true`" + `. Security is on by default from 8.0, and on in
7.x when the file sets ` + "`xpack.security.enabled: true`" + `. On 8.x it stays silent when the security
auto-configuration will write transport TLS into the file at the first start (the file has no
security or discovery settings that make it skip). It is an error when the release is known (from
` + "`elasticsearch.version`" + ` or the file), a warning when the newest release is assumed.

## Why is this bad?
The TLS bootstrap check fails (` + "`Transport SSL must be enabled if security is enabled...`" + `) and the
node exits: clients get connection refused.

## Example
` + "```yaml" + `
network.host: 0.0.0.0
discovery.seed_hosts: [10.0.0.5, 10.0.0.6]
xpack.security.enabled: true
` + "```" + `

## Use instead
` + "```yaml" + `
network.host: 0.0.0.0
discovery.seed_hosts: [10.0.0.5, 10.0.0.6]
xpack.security.enabled: true
xpack.security.transport.ssl.enabled: true
xpack.security.transport.ssl.keystore.path: certs/transport.p12
` + "```" + `
`,
})

func runESTransportTLSRequired(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		if s.Flavor != elastic.Elasticsearch || isFalse(s, "xpack.security.enabled") || isTrue(s, "xpack.security.transport.ssl.enabled") {
			continue
		}
		trigger, key := productionMode(s)
		if trigger == nil || !discoveryConfigured(s) {
			// Without discovery settings es-discovery-not-configured
			// reports the node; with discovery.type=single-node from the
			// environment (Docker) it is not in production mode at all.
			continue
		}
		rel := releaseOf(p, s)
		is8, known := rel.Is8()
		switch {
		case is8 && !s.SkipsAutoConfig():
			continue // auto-configuration writes transport TLS at the first start
		case !is8 && !isTrue(s, "xpack.security.enabled"):
			continue // 7.x: security off unless enabled
		}
		f := analyzer.Finding{Span: trigger.Span}
		if st := s.Get("xpack.security.transport.ssl.enabled"); st != nil && len(st.Values) == 1 {
			f.Span = st.Values[0].Span
		}
		why := "security is on (the default since 8.0)"
		if isTrue(s, "xpack.security.enabled") {
			why = "xpack.security.enabled is true"
		}
		f.Message = fmt.Sprintf("%s and %s %s puts transport beyond loopback (production mode), but transport TLS is off: "+
			"the TLS bootstrap check fails and the node does not start; set xpack.security.transport.ssl.enabled: true "+
			"with a keystore, or discovery.type: single-node for one node", why, key, trigger.Text)
		if !known {
			f.Severity = analyzer.Warning
			f.Message += " (assuming Elasticsearch 8; set elasticsearch.version to tell)"
		}
		p.Report(f)
	}
}
