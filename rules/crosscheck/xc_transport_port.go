package crosscheck

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var XCTransportPort = registry.Add(&analyzer.Rule{
	ID:        "XC102",
	Name:      "xc-transport-port",
	Severity:  analyzer.Error,
	Summary:   "nginx proxies HTTP to the node's transport port (9300), which does not speak HTTP",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Run:       runXCTransportPort,
	Doc: `## What it does
For each ` + "`proxy_pass`" + ` target linked to a node (see ` + "`xc-port-mismatch`" + ` for how), reports a port that
is the node's transport port: the first port of ` + "`transport.port`" + ` (default ` + "`9300-9400`" + `; the
transport layer starts first and takes it), or any port of that range outside the ` + "`http.port`" + `
range.

## Why is this bad?
The transport port speaks the nodes' binary protocol, not HTTP: the node answers an HTTP request
with ` + "`This is not an HTTP port`" + ` and closes, and nginx returns 502 (` + "`upstream sent no valid HTTP/1.0\nheader`" + `). Clients talk to the HTTP port (default 9200).

## Example
` + "```nginx" + `
upstream es { server 10.0.0.5:9300; }
server {
    listen 80;
    location / { proxy_pass http://es; }
}
` + "```" + `
` + "```yaml" + `
cluster.name: logs
network.host: 10.0.0.5
` + "```" + `

## Use instead
` + "```nginx" + `
upstream es { server 10.0.0.5:9200; }
server {
    listen 80;
    location / { proxy_pass http://es; }
}
` + "```" + `
`,
})

func runXCTransportPort(p *analyzer.Pass) {
	for _, t := range targets(p) {
		n := t.Node
		port := t.Port()
		if !isTransport(n, port) {
			continue
		}
		span := t.Addr.AddrSpan()
		if t.Addr.HasPort {
			span = t.Addr.PortSpan()
		}
		p.Report(analyzer.Finding{Span: span, Target: liveTarget(t),
			Related: []source.Related{{Span: settingSpan(n, n.TransportPort.Setting), Message: "the node's transport port (" + n.File.Path + ")"}},
			Message: fmt.Sprintf("%s proxies HTTP to %s port %d, the transport port of the node of %s (%s; transport.port %s): "+
				"it answers \"This is not an HTTP port\" and nginx returns 502; use the HTTP port %d",
				t.Where(), t.Addr.Host, port, n.File.Path, t.Via, portWords(n.TransportPort, "9300-9400"), httpFirst(n))})
	}
}

// httpFirst is the node's first HTTP port (9200 when unknown).
func httpFirst(n *elastic.Settings) int {
	if p := n.HTTPPort.First(); p != 0 {
		return p
	}
	return 9200
}
