package elastic

import "github.com/ngxlint/ngxlint/analyzer"

var ESServesHTTPS = registry.Add(&analyzer.Rule{
	ID:        "ES109",
	Name:      "es-serves-https",
	Severity:  analyzer.Info,
	Summary:   "the node's HTTP layer serves HTTPS only: plain http:// clients get an empty reply",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Run:       runESServesHTTPS,
	Doc: `## What it does
Decides which protocol the HTTP port speaks and reports HTTPS:
- Elasticsearch: ` + "`xpack.security.http.ssl.enabled: true`" + ` (flat or nested, the last occurrence
  wins), unless ` + "`xpack.security.enabled: false`" + `; or, on 8.x, a file the security
  auto-configuration will rewrite at the first start (no ` + "`xpack.security.*`" + ` setting, no multi-node
  discovery): it turns HTTPS on;
- OpenSearch: ` + "`plugins.security.ssl.http.enabled: true`" + ` (or the Open Distro
  ` + "`opendistro_security.ssl.http.enabled`" + `), unless ` + "`plugins.security.disabled: true`" + `.
When the release is not known (neither ` + "`elasticsearch.version`" + ` nor the file says it) and only the
auto-configuration would turn HTTPS on, it says nothing: the cross-file rules report that case where
a proxy depends on it.

## Why is this bad?
It is not wrong in itself; it is the fact clients must follow. A client or proxy that speaks plain
HTTP to this port gets the connection closed without a reply (` + "`received plaintext http traffic on\nan https channel`" + `; curl ` + "`Empty reply from server`" + `; nginx ` + "`upstream prematurely closed connection`" + `,
502). The cross-file rules use the same decision for nginx's ` + "`proxy_pass`" + `.

## Example
` + "```yaml" + `
xpack.security.http.ssl.enabled: true
xpack.security.http.ssl.keystore.path: certs/http.p12
` + "```" + `

## Use instead
Nothing to change in the node: make clients use ` + "`https://`" + ` and trust the node's CA.
`,
})

func runESServesHTTPS(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		if httpDisabled(s) {
			continue
		}
		is8, known := releaseOf(p, s).Is8()
		sc := s.HTTPScheme(is8)
		if !sc.HTTPS {
			continue
		}
		port := portWords(s.HTTPPort)
		if sc.AutoConfig {
			if !known {
				continue // a guess about the release; the cross-file rules say it where it matters
			}
			p.Reportf(firstLine(s.File), "%s: port %s will serve HTTPS only, so clients must use https:// and trust the "+
				"node's CA; plain http:// gets an empty reply", sc.Why, port)
			continue
		}
		p.Reportf(sc.Setting.Values[0].Span, "%s: port %s serves HTTPS only, so clients and proxies must use https://; "+
			"plain http:// gets the connection closed without a reply", sc.Why, port)
	}
}
