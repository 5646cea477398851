package elastic

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic/spec"
)

var ESSettingRequirement = registry.Add(&analyzer.Rule{
	ID:        "ES305",
	Name:      "es-setting-requirement",
	Severity:  analyzer.Error,
	Summary:   "settings that need another one, or exclude one: TLS without key material, node.roles mixed with legacy role settings",
	Tags:      []analyzer.Tag{analyzer.TagValidity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Run:       runESSettingRequirement,
	Doc: `## What it does
Checks the start-up rules of the settings table (` + "`spec.Requirements`" + `) that tie settings together,
for the file's release:
- ` + "`xpack.security.http.ssl.enabled: true`" + ` or ` + "`xpack.security.transport.ssl.enabled: true`" + ` without
  ` + "`keystore.path`" + `, or without both ` + "`certificate`" + ` and ` + "`key`" + `, on the same layer (8.0 and later);
- other ` + "`xpack.security.{http,transport}.ssl.*`" + ` settings without the layer's ` + "`enabled`" + ` switch (8.0
  and later);
- ` + "`node.roles`" + ` together with the legacy ` + "`node.master`" + `, ` + "`node.data`" + `, ` + "`node.ingest`" + `... (7.9 and
  later, OpenSearch too);
- a security realm without an ` + "`order`" + `; OpenSearch's two certificate hot-reload switches both on.
In a file written for a release before 8.0 whose number is not configured, it checks the rules of
7.x.

## Why is this bad?
The node refuses to start on each of these (` + "`Server ssl configuration requires a key and\ncertificate...`" + `, ` + "`node.roles cannot be combined with legacy role settings`" + `), so clients get
connection refused.

## Example
` + "```yaml" + `
xpack.security.http.ssl.enabled: true
node.roles: [master, data]
node.master: true
` + "```" + `

## Use instead
` + "```yaml" + `
xpack.security.http.ssl.enabled: true
xpack.security.http.ssl.keystore.path: certs/http.p12
node.roles: [master, data]
` + "```" + `
`,
})

func runESSettingRequirement(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		rel := releaseOf(p, s)
		r := rel.Release
		if rel.Before8 {
			r.Version = spec.Version{Major: 7, Minor: 17}
		}
		flat := map[string]string{}
		for _, st := range s.All {
			var texts []string
			for _, v := range st.Values {
				if !v.Null {
					texts = append(texts, v.Text)
				}
			}
			if len(texts) == 0 && !st.List {
				continue // a null setting: es-null-value's finding
			}
			flat[st.Key] = strings.Join(texts, ",")
		}
		for _, v := range spec.CheckRequirements(flat, r) {
			st := s.Get(v.Key)
			if st == nil {
				continue
			}
			p.Reportf(st.KeySpan, "%s; %s refuses to start", v.Requirement.Message, nodeName(r))
		}
	}
}

func nodeName(r spec.Release) string {
	if r.Version.IsZero() {
		return fmt.Sprintf("the node (%s)", productName(r.Product))
	}
	return r.String()
}
