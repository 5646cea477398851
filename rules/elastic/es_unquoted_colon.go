package elastic

import (
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
)

var ESUnquotedColon = registry.Add(&analyzer.Rule{
	ID:        "ES306",
	Name:      "es-unquoted-colon",
	Severity:  analyzer.Warning,
	Summary:   "a host or seed value with ':' is not quoted (IPv6 addresses, _en0:ipv4_, host:port)",
	Tags:      []analyzer.Tag{analyzer.TagValidity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionMedium,
	Fix:       analyzer.FixSafe,
	Run:       runESUnquotedColon,
	Doc: `## What it does
Reports an unquoted value that contains ` + "`:`" + ` in a host or address setting (` + "`network.host`" + `,
` + "`http.host`" + `, ` + "`transport.host`" + `, their ` + "`bind_host`" + ` and ` + "`publish_host`" + ` forms, ` + "`discovery.seed_hosts`" + `,
` + "`cluster.initial_master_nodes`" + `): an IPv6 address, a special value with an address family
(` + "`_en0:ipv4_`" + `), a ` + "`host:port`" + ` seed. The fix puts the value in double quotes.

## Why is this bad?
` + "`:`" + ` is YAML syntax. The Elasticsearch documentation requires such values to be quoted: YAML readers
disagree on plain values that start with or contain ` + "`:`" + `, and a bracketed address such as ` + "`[::1]`" + `
is read as a YAML list, not as text. Quoted, the value reaches the node as written.

## Example
` + "```yaml" + `
network.host: fd00::4
discovery.seed_hosts: [10.0.0.5:9300, _en0:ipv4_]
` + "```" + `

## Use instead
` + "```yaml" + `
network.host: "fd00::4"
discovery.seed_hosts: ["10.0.0.5:9300", "_en0:ipv4_"]
` + "```" + `
`,
})

var colonKeys = map[string]bool{"discovery.seed_hosts": true, "discovery.zen.ping.unicast.hosts": true,
	"cluster.initial_master_nodes": true, "cluster.initial_cluster_manager_nodes": true}

func runESUnquotedColon(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		for _, st := range s.All {
			if st.Env || !colonKeys[st.Key] && !strings.HasSuffix(st.Key, "host") {
				continue
			}
			for _, v := range st.Values {
				if v.Null || !strings.Contains(placeholderRE.Re().ReplaceAllString(v.Text, ""), ":") || v.Span.File != s.File.Path {
					// (the ':' of a ${VAR:default} is the placeholder's own)
					continue
				}
				raw := string(s.File.Src[v.Span.Start.Offset:v.Span.End.Offset])
				if raw == "" || raw[0] == '"' || raw[0] == '\'' || raw != v.Text {
					continue // quoted, or not a plain one-line scalar
				}
				f := analyzer.Finding{Span: v.Span, Message: st.Key + ": " + v.Text + " contains ':' but is not quoted; " +
					"the Elasticsearch documentation requires quotes because ':' is YAML syntax and readers differ on it; " +
					"write \"" + v.Text + "\""}
				if !strings.ContainsAny(v.Text, "\"\\") {
					f.Fix = &analyzer.Fix{Title: "quote the value", Safe: true,
						Edits: []analyzer.Edit{{Span: v.Span, NewText: "\"" + v.Text + "\""}}}
				}
				p.Report(f)
			}
		}
	}
}
