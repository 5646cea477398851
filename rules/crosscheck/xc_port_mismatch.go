package crosscheck

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var XCPortMismatch = registry.Add(&analyzer.Rule{
	ID:        "XC101",
	Name:      "xc-port-mismatch",
	Severity:  analyzer.Error,
	Summary:   "nginx proxies to a port the Elasticsearch / OpenSearch node does not serve HTTP on",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Run:       runXCPortMismatch,
	Doc: `## What it does
Links each ` + "`proxy_pass`" + ` target (a literal address, or each server of the upstream it names) to the
node whose settings the run holds: through ` + "`links`" + ` in ` + "`.ngxlint.yml`" + `, or automatically when the run
has exactly one node's settings file, given with this one nginx configuration only (a folder of
many projects is not paired), and the target's port is one the node serves (its
` + "`http.port`" + ` or ` + "`transport.port`" + ` ranges, or 9200 and 9300). Then reports a target whose port is
not in the node's ` + "`http.port`" + ` (and not its transport port, which ` + "`xc-transport-port`" + ` reports). The
finding is at nginx's port and names both files and both ports; the ` + "`http.port`" + ` line is a related
location.

## Why is this bad?
Nothing listens on that port on the node's host: every request through nginx fails with
` + "`connect() failed (111: Connection refused) while connecting to upstream`" + ` and a 502.

## Example
` + "```nginx" + `
location / { proxy_pass http://127.0.0.1:9200; }
` + "```" + `
` + "```yaml" + `
# elasticsearch.yml
http.port: 9250
` + "```" + `

## Use instead
` + "```nginx" + `
location / { proxy_pass http://127.0.0.1:9250; }
` + "```" + `
`,
})

func runXCPortMismatch(p *analyzer.Pass) {
	for _, t := range targets(p) {
		n := t.Node
		port := t.Port()
		if n.HTTPPort.First() == 0 || httpOff(n) || inPorts(n.HTTPPort, port) || isTransport(n, port) {
			continue
		}
		span := t.Addr.AddrSpan()
		if t.Addr.HasPort {
			span = t.Addr.PortSpan()
		}
		p.Report(analyzer.Finding{Span: span, Target: liveTarget(t),
			Related: []source.Related{{Span: settingSpan(n, n.HTTPPort.Setting), Message: "the node's HTTP port (" + n.File.Path + ")"}},
			Message: fmt.Sprintf("%s proxies to %s port %d, but the node of %s (%s) serves HTTP on %s, http.port %s: "+
				"nothing listens on %d there, so requests fail with connection refused (502); use port %d",
				t.Where(), t.Addr.Host, port, n.File.Path, t.Via, firstPort(n), portWords(n.HTTPPort, "9200-9300"), port, n.HTTPPort.First())})
	}
}

// isTransport reports whether port is the node's transport port rather
// than an HTTP one: the first transport port (transport starts first and
// takes it), or one in the transport range outside the HTTP range.
func isTransport(n *elastic.Settings, port int) bool {
	return port == transportPort(n) || inPorts(n.TransportPort, port) && !inPorts(n.HTTPPort, port)
}

// firstPort names the node's HTTP port for a message.
func firstPort(n *elastic.Settings) string {
	if len(n.HTTPPort.Ranges) == 1 && n.HTTPPort.Ranges[0][0] == n.HTTPPort.Ranges[0][1] {
		return fmt.Sprint(n.HTTPPort.First())
	}
	return fmt.Sprintf("the first free port from %d", n.HTTPPort.First())
}

// httpOff reports http.enabled: false (6.x and older): no HTTP at all.
func httpOff(n *elastic.Settings) bool {
	st := n.Get("http.enabled")
	return st != nil && len(st.Values) == 1 && st.Values[0].Text == "false"
}
