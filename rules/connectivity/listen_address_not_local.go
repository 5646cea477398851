package connectivity

import "github.com/ngxlint/ngxlint/analyzer"

var ListenAddressNotLocal = registry.Add(&analyzer.Rule{
	ID:        "NGX203",
	Name:      "listen-address-not-local",
	Severity:  analyzer.Error,
	Summary:   "with --live: a listen names an IP address this host does not hold, so nginx cannot bind it",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagLive},
	Precision: analyzer.PrecisionHigh,
	Run:       func(*analyzer.Pass) {},
	Doc: `## What it does
Only with ` + "`--live`" + `. Compares each ` + "`listen`" + ` on a literal IP address with the addresses of the
host ngxlint runs on (its interfaces; loopback and link-local addresses are taken as held), and
reports a listen on an address the host does not hold when nginx would bind it: it has ` + "`bind`" + ` or
` + "`reuseport`" + `, or no listen on the wildcard address of the same port serves it. It is silent when the
kernel allows binding foreign addresses (` + "`net.ipv4.ip_nonlocal_bind = 1`" + `, or the IPv6 one). Without
` + "`--live`" + ` it reports nothing: the configuration may be meant for another host.

## Why is this bad?
The kernel refuses to bind an address no interface has: nginx fails to start with
` + "`bind() to 10.0.0.5:443 failed (99: Cannot assign requested address)`" + `, and every site of the host is
down. ` + "`nginx -t`" + ` does not bind and passes. It happens when a configuration moves to a new host, when
a floating (keepalived, cloud) address is not yet attached at boot, or after a change of addressing.

## Example
` + "```nginx" + `
server {
    listen 10.0.0.5:443 ssl;
}
` + "```" + `

## Use instead
Listen on the port alone (every address), or on an address the host has; for a floating address,
set ` + "`net.ipv4.ip_nonlocal_bind = 1`" + ` so nginx can start before the address arrives:
` + "```nginx" + `
server {
    listen 443 ssl;
}
` + "```" + `
`,
})
