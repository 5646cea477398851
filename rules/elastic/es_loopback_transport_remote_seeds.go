package elastic

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var ESLoopbackTransportRemoteSeeds = registry.Add(&analyzer.Rule{
	ID:        "ES111",
	Name:      "es-loopback-transport-remote-seeds",
	Severity:  analyzer.Error,
	Summary:   "transport binds loopback only but the discovery seeds are other hosts: the cluster never forms",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Run:       runESLoopbackTransportRemoteSeeds,
	Doc: `## What it does
Works out the transport bind list (` + "`transport.bind_host`" + `, ` + "`transport.host`" + `, ` + "`network.bind_host`" + `,
` + "`network.host`" + `, else ` + "`_local_`" + `) and reports when every address in it is loopback while
` + "`discovery.seed_hosts`" + ` (or the pre-8.0 ` + "`discovery.zen.ping.unicast.hosts`" + `) names an IP address that
is not loopback. Seeds given as host names are not judged.

## Why is this bad?
The node publishes ` + "`127.0.0.1:9300`" + ` to the others, which cannot reach it, and cannot be reached by
them: the cluster never forms, the log repeats ` + "`master not discovered yet`" + `, and requests fail with
` + "`master_not_discovered_exception`" + ` (503) or time out.

## Example
` + "```yaml" + `
http.host: 0.0.0.0
discovery.seed_hosts: [10.0.0.5, 10.0.0.6]
` + "```" + `

## Use instead
` + "```yaml" + `
network.host: _site_
discovery.seed_hosts: [10.0.0.5, 10.0.0.6]
` + "```" + `
`,
})

func runESLoopbackTransportRemoteSeeds(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		b := s.TransportBind
		if b.Setting != nil {
			if _, ok := allLoopback(b.Values); !ok {
				continue
			}
		}
		for _, key := range []string{"discovery.seed_hosts", "discovery.zen.ping.unicast.hosts"} {
			if s.Get(key) == nil {
				continue
			}
			for _, v := range s.BindOf(key).Values {
				host := seedHost(v.Text)
				ip, err := netip.ParseAddr(host)
				if err != nil || ip.IsLoopback() || ip.IsUnspecified() {
					continue
				}
				where := "_local_ (nothing sets it)"
				related := []source.Related(nil)
				if b.Setting != nil {
					where = b.Key
					related = []source.Related{{Span: b.Values[0].Span, Message: "the transport bind list"}}
				}
				p.Report(analyzer.Finding{Span: v.Span, Related: related, Message: fmt.Sprintf(
					"%s entry %s is another host, but transport binds loopback only (%s): the other nodes cannot reach this "+
						"one and the cluster never forms; bind transport to an address they reach (network.host or transport.host)",
					key, v.Text, where)})
				break
			}
		}
	}
}

// seedHost strips the port off a seed entry.
func seedHost(seed string) string {
	seed = strings.TrimSpace(seed)
	if strings.HasPrefix(seed, "[") {
		if i := strings.IndexByte(seed, ']'); i > 0 {
			return seed[1:i]
		}
	}
	if strings.Count(seed, ":") == 1 {
		return seed[:strings.IndexByte(seed, ':')]
	}
	return seed
}
