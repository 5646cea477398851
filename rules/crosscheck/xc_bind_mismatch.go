package crosscheck

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var XCBindMismatch = registry.Add(&analyzer.Rule{
	ID:        "XC104",
	Name:      "xc-bind-mismatch",
	Severity:  analyzer.Error,
	Summary:   "nginx proxies to an address the node does not bind its HTTP layer to",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Run:       runXCBindMismatch,
	Doc: `## What it does
For each ` + "`proxy_pass`" + ` target linked to a node (see ` + "`xc-port-mismatch`" + `), compares the address nginx
dials with the node's effective HTTP bind list (` + "`http.bind_host`" + `, ` + "`http.host`" + `,
` + "`network.bind_host`" + `, ` + "`network.host`" + `, else ` + "`_local_`" + `) and reports an IP the list does not bind: a
LAN address such as ` + "`10.0.0.5`" + ` while the node binds loopback only (the default), ` + "`127.0.0.1`" + ` or
` + "`[::1]`" + ` while it binds only a LAN address or ` + "`_site_`" + `, ` + "`[::1]`" + ` while it binds ` + "`0.0.0.0`" + ` (IPv4
only). A host name other than ` + "`localhost`" + ` is reported as a warning when the node binds loopback
only: the name points at another host or container, where nothing reaches the node's loopback. A
bind list with an interface name, a host name or a placeholder is left alone.

## Why is this bad?
The node does not listen on that address: nginx gets connection refused and answers 502. This is
the classic "works with curl on the node, 502 through nginx" case.

## Example
` + "```nginx" + `
upstream es { server 10.0.0.5:9200; }
server {
    listen 80;
    location / { proxy_pass http://es; }
}
` + "```" + `
` + "```yaml" + `
# elasticsearch.yml: network.host not set, so HTTP binds 127.0.0.1 and [::1]
cluster.name: logs
` + "```" + `

## Use instead
` + "```yaml" + `
cluster.name: logs
network.host: 10.0.0.5
` + "```" + `
`,
})

func runXCBindMismatch(p *analyzer.Pass) {
	for _, t := range targets(p) {
		n := t.Node
		b := httpBindSet(n)
		if !b.Known || httpOff(n) || strings.HasPrefix(t.Addr.Host, "_") {
			continue // xc-special-host reports _site_ and friends
		}
		where := bindWords(b)
		f := analyzer.Finding{Span: t.Addr.HostSpan(), Target: liveTarget(t),
			Related: []source.Related{{Span: settingSpan(n, b.Setting), Message: "the node's HTTP bind list (" + n.File.Path + ")"}}}
		ip, err := netip.ParseAddr(t.Addr.Host)
		switch {
		case err == nil:
			if b.covers(ip) {
				continue
			}
			f.Message = fmt.Sprintf("%s proxies to %s, but the node of %s (%s) binds HTTP to %s, which does not include %s: "+
				"nginx gets connection refused (502); bind the node to the address nginx uses, or point nginx at one it binds",
				t.Where(), t.Addr.Host, n.File.Path, t.Via, where, t.Addr.Host)
		case hostClass(t.Addr) == elastic.Loopback:
			// localhost: nginx tries 127.0.0.1 and ::1 (xc-localhost-ipv4-only
			// reports when only one answers).
			if b.covers(netip.MustParseAddr("127.0.0.1")) || b.covers(netip.IPv6Loopback()) {
				continue
			}
			f.Message = fmt.Sprintf("%s proxies to %s, but the node of %s (%s) binds HTTP to %s, which has no loopback address: "+
				"nginx gets connection refused (502); add _local_ to the bind list, or point nginx at an address it binds",
				t.Where(), t.Addr.Host, n.File.Path, t.Via, where)
		case hostClass(t.Addr) == elastic.Unknown && b.loopbackOnly():
			f.Severity = analyzer.Warning
			f.Message = fmt.Sprintf("%s proxies to %s, a host name, but the node of %s (%s) binds HTTP to %s only: unless %s "+
				"resolves to this node's own loopback, nginx (on another host or container) gets connection refused; bind the "+
				"node to an address nginx can reach (network.host)", t.Where(), t.Addr.Host, n.File.Path, t.Via, where, t.Addr.Host)
		default:
			continue
		}
		p.Report(f)
	}
}

// bindWords describes the bind list for a message.
func bindWords(b bindSet) string {
	if b.Setting == nil {
		return "_local_ (127.0.0.1 and [::1]; none of network.host, http.host and their bind_host forms is set)"
	}
	return strings.Join(b.Values, ", ") + " (" + b.Key + ")"
}
