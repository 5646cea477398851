package elastic

import (
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
)

var ESCORSAnyOrigin = registry.Add(&analyzer.Rule{
	ID:        "ES402",
	Name:      "es-cors-any-origin",
	Severity:  analyzer.Warning,
	Summary:   "CORS is enabled for any origin: every web page a user opens may call the cluster",
	Tags:      []analyzer.Tag{analyzer.TagSecurity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Run:       runESCORSAnyOrigin,
	Doc: `## What it does
Reports ` + "`http.cors.allow-origin`" + ` set to ` + "`*`" + ` (or a regular expression that matches everything,
such as ` + "`/.*/`" + `) while ` + "`http.cors.enabled: true`" + `.

## Why is this bad?
Any web site a user of the cluster visits can send requests to it from the user's browser and read
the answers; with ` + "`http.cors.allow-credentials: true`" + ` it does so with the user's credentials. It is
the classic way unauthenticated clusters on an intranet get read from the outside.

## Example
` + "```yaml" + `
http.cors.enabled: true
http.cors.allow-origin: "*"
` + "```" + `

## Use instead
` + "```yaml" + `
http.cors.enabled: true
http.cors.allow-origin: "https://kibana.example.com"
` + "```" + `
`,
})

func runESCORSAnyOrigin(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		if !isTrue(s, "http.cors.enabled") {
			continue
		}
		v, st, ok := value(s, "http.cors.allow-origin")
		if !ok {
			continue
		}
		t := strings.TrimSpace(v)
		if t != "*" && t != "/.*/" && t != "/.+/" && t != "/(.*)/" {
			continue
		}
		extra := ""
		if isTrue(s, "http.cors.allow-credentials") {
			extra = ", with the user's credentials (http.cors.allow-credentials: true)"
		}
		p.Reportf(st.Values[0].Span, "http.cors.allow-origin %s with http.cors.enabled: true lets every web page a user opens "+
			"call the cluster from the user's browser and read the answers%s; list the origins that need it", v, extra)
	}
}
