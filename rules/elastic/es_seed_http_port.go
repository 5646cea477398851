package elastic

import (
	"strconv"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
)

var ESSeedHTTPPort = registry.Add(&analyzer.Rule{
	ID:        "ES107",
	Name:      "es-seed-http-port",
	Severity:  analyzer.Error,
	Summary:   "a discovery seed names an HTTP port (9200): seeds must name transport ports",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Run:       runESSeedHTTPPort,
	Doc: `## What it does
Reads each entry of ` + "`discovery.seed_hosts`" + ` (and the pre-8.0 ` + "`discovery.zen.ping.unicast.hosts`" + `)
that names a port (` + "`host:port`" + `, ` + "`[::1]:port`" + `) and reports one whose port is in this node's
` + "`http.port`" + ` range (default ` + "`9200-9300`" + `) and not in its ` + "`transport.port`" + ` range (default
` + "`9300-9400`" + `).

## Why is this bad?
Nodes discover each other over the transport protocol. A seed on the HTTP port answers HTTP; the
node logs ` + "`received HTTP response on transport port, ensure that transport port (not HTTP port) of\na remote node is specified in the configuration`" + ` and the cluster never forms, so requests fail with
` + "`master_not_discovered_exception`" + `.

## Example
` + "```yaml" + `
network.host: 10.0.0.4
discovery.seed_hosts: ["10.0.0.5:9200", "10.0.0.6:9200"]
` + "```" + `

## Use instead
` + "```yaml" + `
network.host: 10.0.0.4
discovery.seed_hosts: ["10.0.0.5:9300", "10.0.0.6"]   # no port: the transport port
` + "```" + `
`,
})

func runESSeedHTTPPort(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		for _, key := range []string{"discovery.seed_hosts", "discovery.zen.ping.unicast.hosts"} {
			if s.Get(key) == nil {
				continue
			}
			for _, v := range s.BindOf(key).Values {
				port, ok := seedPort(v.Text)
				if !ok || !inPorts(s.HTTPPort, port) || inPorts(s.TransportPort, port) {
					continue
				}
				p.Reportf(v.Span, "%s entry %s names port %d, an HTTP port (http.port %s): nodes discover each other over "+
					"the transport protocol, so this seed never answers and the cluster may not form; use the transport "+
					"port (%d) or leave the port out", key, v.Text, port, portText(s.HTTPPort), firstTransport(s))
			}
		}
	}
}

// seedPort returns the port a seed entry names, if any.
func seedPort(seed string) (int, bool) {
	seed = strings.TrimSpace(seed)
	var port string
	switch {
	case strings.HasPrefix(seed, "["):
		i := strings.Index(seed, "]:")
		if i < 0 {
			return 0, false
		}
		port = seed[i+2:]
	case strings.Count(seed, ":") == 1:
		port = seed[strings.IndexByte(seed, ':')+1:]
	default:
		return 0, false // no port, or a bare IPv6 address
	}
	n, err := strconv.Atoi(port)
	return n, err == nil && n > 0 && n < 65536
}

func inPorts(ps elastic.PortSpec, port int) bool {
	if ps.Placeholder || ps.Err != "" {
		return false
	}
	for _, r := range ps.Ranges {
		if port >= r[0] && port <= r[1] {
			return true
		}
	}
	return false
}

func firstTransport(s *elastic.Settings) int {
	if n := s.TransportPort.First(); n != 0 {
		return n
	}
	return 9300
}
