package crosscheck

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var XCSchemeMismatch = registry.Add(&analyzer.Rule{
	ID:        "XC103",
	Name:      "xc-scheme-mismatch",
	Severity:  analyzer.Error,
	Summary:   "nginx speaks http:// to a node that serves HTTPS, or https:// to one that serves plain HTTP",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Fix:       analyzer.FixUnsafe,
	Run:       runXCSchemeMismatch,
	Doc: `## What it does
For each ` + "`proxy_pass`" + ` linked to a node (see ` + "`xc-port-mismatch`" + `), compares the URL's scheme with the
protocol the node's HTTP layer speaks, decided as ` + "`es-serves-https`" + ` does: HTTPS when
` + "`xpack.security.http.ssl.enabled: true`" + ` (OpenSearch: ` + "`plugins.security.ssl.http.enabled: true`" + `) and
security is not off, or, for Elasticsearch 8, when the security auto-configuration will turn it on
at the first start. Reports ` + "`http://`" + ` to an HTTPS node (a warning when HTTPS only follows from
auto-configuration and the release is not known) and ` + "`https://`" + ` to a plain-HTTP node. An
opensearch.yml without any security plugin setting is left alone for ` + "`https://`" + `: OpenSearch's Docker
demo installer may add HTTPS. The fix swaps the scheme (unsafe: HTTPS to the node also needs
` + "`proxy_ssl_trusted_certificate`" + ` if you turn verification on).

## Why is this bad?
Plain HTTP to an HTTPS port: the node logs ` + "`received plaintext http traffic on an https channel`" + `
and closes the connection; nginx answers 502 (` + "`upstream prematurely closed connection`" + `). HTTPS to a
plain port: the TLS handshake fails (` + "`SSL_do_handshake() failed`" + `, ` + "`wrong version number`" + `), also 502.

## Example
` + "```nginx" + `
location / { proxy_pass http://127.0.0.1:9200; }
` + "```" + `
` + "```yaml" + `
# elasticsearch.yml
xpack.security.http.ssl.enabled: true
xpack.security.http.ssl.keystore.path: http.p12
` + "```" + `

## Use instead
` + "```nginx" + `
location / { proxy_pass https://127.0.0.1:9200; }
` + "```" + `
`,
})

func runXCSchemeMismatch(p *analyzer.Pass) {
	type key struct {
		pass *nginx.Pass
		node *elastic.Settings
	}
	seen := map[key]bool{}
	for _, t := range targets(p) {
		k := key{t.Pass, t.Node}
		if seen[k] || httpOff(t.Node) {
			continue
		}
		if t.Pass.Addr.Scheme == "" && t.Pass.Scheme == "http" {
			// proxy_pass without a scheme: nginx refuses the line
			// (invalid URL prefix, invalid-argument-value's finding) and
			// speaks nothing to the node; nor is there a scheme to point at.
			continue
		}
		seen[k] = true
		n := t.Node
		is8, known := p.Settings.NodeRelease(n).Is8()
		sc := n.HTTPScheme(is8)
		scheme := t.Pass.Scheme
		f := analyzer.Finding{Span: t.Pass.Addr.SchemeSpan(), Target: liveTarget(t),
			Related: []source.Related{{Span: settingSpan(n, sc.Setting), Message: "decides the node's protocol (" + n.File.Path + ")"}}}
		switch {
		case scheme == "http" && sc.HTTPS:
			f.Message = fmt.Sprintf("%s speaks plain http:// to the node of %s (%s), whose HTTP layer serves HTTPS (%s): "+
				"the node closes the connection and nginx returns 502; use https://", passWhere(t), n.File.Path, t.Via, sc.Why)
			if sc.AutoConfig && !known {
				f.Severity = analyzer.Warning
				f.Message += " (if the node is Elasticsearch 8 or later; set elasticsearch.version to tell)"
			}
			f.Fix = schemeFix(t.Pass, "https")
		case scheme == "https" && !sc.HTTPS:
			if n.Flavor == elastic.OpenSearch && !hasSecurityPlugin(n) {
				continue // the Docker demo installer may add HTTPS
			}
			f.Message = fmt.Sprintf("%s speaks https:// to the node of %s (%s), whose HTTP layer serves plain HTTP (%s): "+
				"the TLS handshake fails and nginx returns 502; use http://, or turn HTTPS on in the node", passWhere(t), n.File.Path, t.Via, sc.Why)
			f.Fix = schemeFix(t.Pass, "http")
		default:
			continue
		}
		p.Report(f)
	}
}

func passWhere(t target) string {
	return fmt.Sprintf("%s:%d", t.Pass.Directive.Config.File.Path, t.Pass.Directive.NameSpan().Start.Line)
}

func schemeFix(ps *nginx.Pass, to string) *analyzer.Fix {
	if ps.Addr.SchemeSpan().End.Offset == 0 {
		return nil
	}
	return &analyzer.Fix{Title: "use " + to + "://", Edits: []analyzer.Edit{{Span: ps.Addr.SchemeSpan(), NewText: to}}}
}

func hasSecurityPlugin(n *elastic.Settings) bool {
	for _, st := range n.All {
		if strings.HasPrefix(st.Key, "plugins.security.") || strings.HasPrefix(st.Key, "opendistro_security.") {
			return true
		}
	}
	return false
}
