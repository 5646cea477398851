package elastic

import (
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/elastic/spec"
)

var ESUnquotedColon = registry.Add(&analyzer.Rule{
	ID:        "ES306",
	Name:      "es-unquoted-colon",
	Severity:  analyzer.Warning,
	Summary:   "an unquoted value with ':' inside a flow list or mapping ([10.0.0.5:9300]), which Elasticsearch 6.x refuses",
	Tags:      []analyzer.Tag{analyzer.TagValidity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Fix:       analyzer.FixSafe,
	Run:       runESUnquotedColon,
	Doc: `## What it does
Reports an unquoted value that contains ` + "`:`" + ` inside a flow list or flow mapping
(` + "`[...]`" + `, ` + "`{...}`" + `): a ` + "`host:port`" + ` seed, an IPv6 address, a special value with an address
family such as ` + "`_en0:ipv4_`" + `. It is a warning when the file is for an Elasticsearch release
before 7.0, and at info level when the release is not known or is a 7.x release. The fix puts
the value in double quotes.

## Why is this bad?
Elasticsearch reads elasticsearch.yml with SnakeYAML. SnakeYAML before 1.21 stops at a ` + "`:`" + `
inside an unquoted value of a flow collection with "found unexpected ':'", and the node refuses
to start; every 6.x release bundles SnakeYAML 1.17, and so did 7.x until 2020. Newer releases
read the value as written. Quoted, every release reads it. (The Elasticsearch documentation asks
for quotes around any value with ` + "`:`" + `; in block style, ` + "`network.host: fd00::4`" + ` or a
` + "`- 10.0.0.5:9300`" + ` list entry, every release reads the value as written, so those are not
reported. An item that starts with ` + "`:`" + `, such as ` + "`[::1]`" + `, is a YAML syntax error in any reader
and is reported as yaml-syntax.)

## Example
` + "```yaml" + `
network.host: _site_
discovery.seed_hosts: [10.0.0.5:9300, _en0:ipv4_]
` + "```" + `

## Use instead
` + "```yaml" + `
network.host: _site_
discovery.seed_hosts: ["10.0.0.5:9300", "_en0:ipv4_"]
` + "```" + `
`,
})

func runESUnquotedColon(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		var rel release
		var sev analyzer.Severity // both decided at the first candidate
	node:
		for _, st := range s.All {
			if st.Env || !st.Flow {
				continue // a block-style value with ':' reads the same everywhere
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
				if sev == 0 {
					rel = releaseOf(p, s)
					if sev = flowColonSeverity(rel); sev == 0 {
						break node // this release reads such values as written
					}
				}
				p.Report(flowColonFinding(st, v, sev, rel))
			}
		}
	}
}

// flowColonSeverity is how sure we are that the node refuses a flow value
// with ':': a warning for a release known to bundle an older SnakeYAML,
// info where the release is unknown or undecided (7.x), 0 where it reads
// the value (an 8.x release, configured or implied by the file).
func flowColonSeverity(rel release) analyzer.Severity {
	switch {
	case rel.Product == spec.OpenSearch:
		return 0 // forked from 7.10, after the move to SnakeYAML 1.24
	case rel.Version.IsZero():
		return analyzer.Info
	case !rel.Version.Less(spec.FlowColonReadFrom):
		return 0
	case rel.Version.Less(spec.FlowColonRefusedBefore):
		return analyzer.Warning
	}
	return analyzer.Info
}

func flowColonFinding(st *elastic.Setting, v elastic.Value, sev analyzer.Severity, rel release) analyzer.Finding {
	what := "an unquoted value in a flow list"
	if !st.List {
		what = "an unquoted value in a flow mapping"
	}
	var effect string
	if sev == analyzer.Warning {
		effect = "Elasticsearch " + rel.Version.String() + " reads YAML with a SnakeYAML older than 1.21, which stops at that ':' with \"found unexpected ':'\", " +
			"and the node refuses to start"
	} else {
		effect = "Elasticsearch releases that bundle SnakeYAML older than 1.21 (every 6.x release, and 7.x until 2020) stop at that ':' " +
			"with \"found unexpected ':'\" and refuse to start; newer ones read it as written"
	}
	f := analyzer.Finding{Severity: sev, Span: v.Span, Message: st.Key + ": " + v.Text + " is " + what + " with ':' inside; " +
		effect + "; quoted, every release reads it: write \"" + v.Text + "\""}
	if !strings.ContainsAny(v.Text, "\"\\") {
		f.Fix = &analyzer.Fix{Title: "quote the value", Safe: true,
			Edits: []analyzer.Edit{{Span: v.Span, NewText: "\"" + v.Text + "\""}}}
	}
	return f
}
