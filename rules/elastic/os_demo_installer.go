package elastic

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var OSDemoInstaller = registry.Add(&analyzer.Rule{
	ID:        "ES404",
	Name:      "os-demo-installer",
	Severity:  analyzer.Warning,
	Summary:   "the OpenSearch image will run its demo security installer: HTTPS with public demo certificates and default users",
	Tags:      []analyzer.Tag{analyzer.TagSecurity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Run:       runOSDemoInstaller,
	Doc: `## What it does
For a node run by a docker-compose service of the ` + "`opensearchproject/opensearch`" + ` image (the
compose file is in the run and mounts the settings file, or is the run's only one), reports when
the image's entrypoint will run the demo security installer on the first start: the settings have
no ` + "`plugins.security.*`" + ` setting, and neither ` + "`DISABLE_INSTALL_DEMO_CONFIG=true`" + ` nor
` + "`DISABLE_SECURITY_PLUGIN=true`" + ` is in the service's environment. The finding is at the service's
name in the compose file, and says when ` + "`OPENSEARCH_INITIAL_ADMIN_PASSWORD`" + ` is missing too.

## Why is this bad?
The installer appends a security block to the settings: HTTPS on the HTTP port (plain ` + "`http://`" + `
clients, nginx included, get the connection closed), certificates whose private keys ship with every
OpenSearch download, and the default users. From 2.12 it refuses to run without
` + "`OPENSEARCH_INITIAL_ADMIN_PASSWORD`" + `, and the container exits: connection refused.

## Example
` + "```yaml docker-compose.yml" + `
services:
  opensearch:
    image: opensearchproject/opensearch:2.11.0
    volumes: ["./opensearch.yml:/usr/share/opensearch/config/opensearch.yml"]
` + "```" + `
` + "```yaml opensearch.yml" + `
cluster.name: search
network.host: 0.0.0.0
` + "```" + `

## Use instead
Configure security in the settings file with your own certificates and set
` + "`DISABLE_INSTALL_DEMO_CONFIG=true`" + `; for a private test node, ` + "`DISABLE_SECURITY_PLUGIN=true`" + `:
` + "```yaml docker-compose.yml" + `
services:
  opensearch:
    image: opensearchproject/opensearch:2.11.0
    environment:
      - DISABLE_INSTALL_DEMO_CONFIG=true
    volumes: ["./opensearch.yml:/usr/share/opensearch/config/opensearch.yml"]
` + "```" + `
` + "```yaml opensearch.yml" + `
cluster.name: search
network.host: 0.0.0.0
plugins.security.ssl.transport.pemcert_filepath: node1.pem
` + "```" + `
`,
})

func runOSDemoInstaller(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		if !s.DemoInstaller || s.Service == nil {
			continue
		}
		msg := fmt.Sprintf("service %s runs %s with no security settings in %s: its entrypoint runs the demo security "+
			"installer at the first start, which turns HTTPS on (plain http:// clients get the connection closed) with the public "+
			"demo certificates and default users; configure security and set DISABLE_INSTALL_DEMO_CONFIG=true, or "+
			"DISABLE_SECURITY_PLUGIN=true for a private test node", s.Service.Name, s.Service.Image, s.File.Path)
		if _, ok := s.Service.Vars["OPENSEARCH_INITIAL_ADMIN_PASSWORD"]; !ok {
			msg += "; from 2.12 the installer also needs OPENSEARCH_INITIAL_ADMIN_PASSWORD, without which the container exits"
		}
		p.Report(analyzer.Finding{Span: s.Service.NameSpan, Message: msg,
			Related: []source.Related{{Span: firstLine(s.File), Message: "the node's settings, without plugins.security settings"}}})
	}
}
