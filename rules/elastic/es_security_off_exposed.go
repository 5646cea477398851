package elastic

import (
	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
)

var ESSecurityOffExposed = registry.Add(&analyzer.Rule{
	ID:        "ES401",
	Name:      "es-security-off-exposed",
	Severity:  analyzer.Warning,
	Summary:   "security is turned off while HTTP listens beyond loopback: anyone who reaches the port reads and deletes data",
	Tags:      []analyzer.Tag{analyzer.TagSecurity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Run:       runESSecurityOffExposed,
	Doc: `## What it does
Reports ` + "`xpack.security.enabled: false`" + ` (Elasticsearch) or ` + "`plugins.security.disabled: true`" + `
(OpenSearch) when the effective HTTP bind list has an address other than loopback (` + "`0.0.0.0`" + `,
` + "`_site_`" + `, a LAN address).

## Why is this bad?
Without security the REST API has no authentication and no TLS: every host that reaches the port
can read, change and delete every index and the cluster's settings. Open clusters are found by
scanners within hours and wiped or ransomed.

## Example
` + "```yaml" + `
network.host: 0.0.0.0
xpack.security.enabled: false
` + "```" + `

## Use instead
` + "```yaml" + `
network.host: 0.0.0.0
xpack.security.enabled: true       # or bind HTTP to loopback behind an authenticating proxy
` + "```" + `
`,
})

func runESSecurityOffExposed(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		key, want := "xpack.security.enabled", "false"
		if s.Flavor == elastic.OpenSearch {
			key, want = "plugins.security.disabled", "true"
		}
		v, st, ok := value(s, key)
		if !ok || v != want || httpDisabled(s) {
			continue
		}
		b := s.HTTPBind
		for _, h := range b.Values {
			c := elastic.ClassifyHost(h.Text)
			if c != elastic.Wildcard && c != elastic.NonLoopback {
				continue
			}
			p.Reportf(st.Values[0].Span, "%s: %s turns off authentication and TLS while %s %s serves HTTP beyond loopback: "+
				"anyone who reaches port %s can read, change and delete all data; turn security on, or bind HTTP to "+
				"loopback behind an authenticating proxy", key, v, b.Key, h.Text, portWords(s.HTTPPort))
			break
		}
	}
}
