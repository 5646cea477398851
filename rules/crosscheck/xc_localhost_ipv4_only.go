package crosscheck

import (
	"fmt"
	"net/netip"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var XCLocalhostIPv4Only = registry.Add(&analyzer.Rule{
	ID:        "XC105",
	Name:      "xc-localhost-ipv4-only",
	Severity:  analyzer.Info,
	Summary:   "nginx proxies to localhost while the node binds IPv4 only (0.0.0.0, 127.0.0.1): the [::1] attempts are refused",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionMedium,
	Fix:       analyzer.FixSafe,
	Run:       runXCLocalhostIPv4Only,
	Doc: `## What it does
For each ` + "`proxy_pass`" + ` target linked to a node (see ` + "`xc-port-mismatch`" + `) whose host is ` + "`localhost`" + `,
reports when the node's HTTP bind list covers ` + "`127.0.0.1`" + ` but not ` + "`::1`" + `: ` + "`0.0.0.0`" + ` is IPv4 only, and
so are ` + "`127.0.0.1`" + ` and ` + "`_local:ipv4_`" + `. The fix writes ` + "`127.0.0.1`" + ` for ` + "`localhost`" + `.

## Why is this bad?
nginx resolves ` + "`localhost`" + ` at start-up to every address of the name, usually ` + "`127.0.0.1`" + ` and
` + "`::1`" + `, and spreads requests over both. Each attempt on ` + "`[::1]`" + ` is refused; nginx logs
` + "`connect() failed (111: Connection refused)`" + `, marks the address failed and retries on the other,
so requests are slower and the error log fills with noise.

## Example
` + "```nginx" + `
location / { proxy_pass http://localhost:9200; }
` + "```" + `
` + "```yaml" + `
network.host: 0.0.0.0
` + "```" + `

## Use instead
` + "```nginx" + `
location / { proxy_pass http://127.0.0.1:9200; }
` + "```" + `
`,
})

func runXCLocalhostIPv4Only(p *analyzer.Pass) {
	for _, t := range targets(p) {
		n := t.Node
		b := httpBindSet(n)
		if !b.Known || httpOff(n) || hostClass(t.Addr) != elastic.Loopback || isIP(t.Addr.Host) {
			continue
		}
		if !b.covers(netip.MustParseAddr("127.0.0.1")) || b.covers(netip.IPv6Loopback()) {
			continue
		}
		p.Report(analyzer.Finding{Span: t.Addr.HostSpan(),
			Related: []source.Related{{Span: settingSpan(n, b.Setting), Message: "the node's HTTP bind list (" + n.File.Path + ")"}},
			Message: fmt.Sprintf("%s proxies to localhost, which nginx resolves to 127.0.0.1 and ::1, but the node of %s (%s) "+
				"binds HTTP to %s, IPv4 only: the [::1] attempts are refused and retried (slower requests, error-log noise); "+
				"write 127.0.0.1", t.Where(), n.File.Path, t.Via, bindWords(b)),
			Fix: &analyzer.Fix{Title: "write 127.0.0.1", Safe: true, Edits: []analyzer.Edit{{Span: t.Addr.HostSpan(), NewText: "127.0.0.1"}}}})
	}
}

func isIP(s string) bool { _, err := netip.ParseAddr(s); return err == nil }
