package elastic

import (
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
)

var OSDemoSecurity = registry.Add(&analyzer.Rule{
	ID:        "ES403",
	Name:      "os-demo-security",
	Severity:  analyzer.Warning,
	Summary:   "OpenSearch security runs on demo certificates, initialises from the default users, or skips hostname verification",
	Tags:      []analyzer.Tag{analyzer.TagSecurity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Run:       runOSDemoSecurity,
	Doc: `## What it does
For OpenSearch's security plugin (` + "`plugins.security.*`" + `, and the Open Distro
` + "`opendistro_security.*`" + ` names), reports:
- ` + "`allow_unsafe_democertificates: true`" + `, or certificates named as the demo installer writes them
  (` + "`esnode.pem`" + `, ` + "`kirk.pem`" + `);
- ` + "`allow_default_init_securityindex: true`" + `: the security index is initialised from the shipped
  default users and passwords when it does not exist;
- ` + "`ssl.transport.enforce_hostname_verification: false`" + `.
Nothing is reported when ` + "`plugins.security.disabled: true`" + `.

## Why is this bad?
The demo certificates and their private keys are public (they ship with every OpenSearch download):
anyone can impersonate a node or an admin (` + "`CN=kirk`" + `). The default users have well-known
passwords. Without hostname verification any holder of a certificate from the CA can join the
cluster as a node.

## Example
` + "```yaml opensearch.yml" + `
plugins.security.ssl.transport.pemcert_filepath: esnode.pem
plugins.security.allow_unsafe_democertificates: true
plugins.security.allow_default_init_securityindex: true
` + "```" + `

## Use instead
Generate your own certificates, set passwords with the security admin tool, and keep hostname
verification on:
` + "```yaml opensearch.yml" + `
plugins.security.ssl.transport.pemcert_filepath: node1.pem
plugins.security.ssl.transport.enforce_hostname_verification: true
` + "```" + `
`,
})

// demoFiles are the certificate files the demo installer writes.
var demoFiles = map[string]bool{"esnode.pem": true, "esnode-key.pem": true, "kirk.pem": true, "kirk-key.pem": true}

func runOSDemoSecurity(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		if s.Flavor != elastic.OpenSearch || isTrue(s, "plugins.security.disabled") {
			continue
		}
		demoCertReported := false
		for _, st := range s.All {
			suffix, ok := strings.CutPrefix(st.Key, "plugins.security.")
			if !ok {
				if suffix, ok = strings.CutPrefix(st.Key, "opendistro_security."); !ok {
					continue
				}
			}
			if len(st.Values) != 1 || st.Values[0].Null || s.Get(st.Key) != st {
				continue
			}
			v := st.Values[0]
			switch {
			case suffix == "allow_unsafe_democertificates" && v.Text == "true":
				p.Reportf(v.Span, "%s: true lets the node run on the demo certificates, whose private keys ship with every "+
					"OpenSearch download: anyone can impersonate a node or the admin; generate your own certificates", st.Key)
			case suffix == "allow_default_init_securityindex" && v.Text == "true":
				p.Reportf(v.Span, "%s: true initialises the security index from the shipped default users and their "+
					"well-known passwords when it does not exist; set it to false and initialise security with your own users", st.Key)
			case suffix == "ssl.transport.enforce_hostname_verification" && v.Text == "false":
				p.Reportf(v.Span, "%s: false accepts any certificate signed by the CA as any node: a holder of one can join "+
					"the cluster; issue node certificates with their host names and set it to true", st.Key)
			case strings.HasSuffix(suffix, "filepath") && demoFiles[v.Text] && !demoCertReported:
				demoCertReported = true
				p.Reportf(v.Span, "%s: %s is a demo certificate file of the OpenSearch demo installer; its private key is "+
					"public, so anyone can impersonate this node; generate your own certificates", st.Key, v.Text)
			}
		}
	}
}
