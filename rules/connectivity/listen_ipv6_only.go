package connectivity

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
)

var ListenIPv6Only = registry.Add(&analyzer.Rule{
	ID:        "NGX127",
	Name:      "listen-ipv6-only",
	Severity:  analyzer.Warning,
	Summary:   "a port is listened on as [::] only: IPv6-only by default, so IPv4 clients get connection refused",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity},
	Precision: analyzer.PrecisionHigh,
	Fix:       analyzer.FixNone,
	Run:       runListenIPv6Only,
	Doc: `## What it does
Groups the listens of one configuration by port (TCP and UDP apart) and reports a port that is
listened on as ` + "`[::]`" + ` and on no IPv4 address, where the ` + "`[::]`" + ` listen leaves ` + "`ipv6only`" + ` at its
default, ` + "`on`" + ` (since nginx 1.3.4). A port whose listens name a host (resolved by DNS) or a
specific IPv6 address only is left alone, and so is a file linted without its main file (another
server there may listen on IPv4).

## Why is this bad?
With ` + "`ipv6only=on`" + ` the socket accepts IPv6 connections only: every client that connects over
IPv4 (most of them, and every one on a network without IPv6) gets connection refused, while
` + "`curl -6`" + ` from the host works. It often comes from deleting ` + "`listen 80;`" + ` as a duplicate of
` + "`listen [::]:80;`" + `.

## Example
` + "```nginx" + `
server {
    listen [::]:80;
    server_name www.example.com;
}
` + "```" + `

## Use instead
` + "```nginx" + `
server {
    listen 80;
    listen [::]:80;
    server_name www.example.com;
}
` + "```" + `
(or ` + "`listen [::]:80 ipv6only=off;`" + ` alone, one socket for both families).
`,
})

func runListenIPv6Only(p *analyzer.Pass) {
	// ports some listen names a host on (listens-by-scope leaves those
	// out): what they bind depends on DNS, so those ports are left alone;
	// and the ports of the default listen
	named := map[string]bool{}
	for _, vs := range analyzer.ResultOf(p.Workspace, analyzer.Servers) {
		if vs.Module == "http" && len(vs.Listens) == 0 {
			// a server without listen is on *:80 (*:8000 when nginx
			// does not run as root): IPv4 there
			named["http 80"], named["http 8000"] = true, true
		}
		for _, l := range vs.Listens {
			if !l.Unix && l.Host != "" && net.ParseIP(l.Host) == nil {
				named[vs.Module+" "+strconv.Itoa(l.Port)] = true
			}
		}
	}
	for _, list := range analyzer.ResultOf(p.Workspace, listensByScope) {
		type port struct {
			v6 *boundListen // the first [::] listen with ipv6only on
			v4 bool         // an IPv4 listen, or a dual-stack one
		}
		ports := map[string]*port{}
		var order []string
		for i := range list {
			b := &list[i]
			if b.l.Unix || b.l.QUIC || named[b.vs.Module+" "+strconv.Itoa(b.l.Port)] {
				continue
			}
			if b.site.Root == nil || b.site.Root.Implied != nil {
				continue // a fragment: the main file's other servers are not read
			}
			key := b.vs.Module + " " + strconv.Itoa(b.l.Port)
			if isDatagram(b.key) {
				key += " udp"
			}
			pt := ports[key]
			if pt == nil {
				pt = &port{}
				ports[key] = pt
				order = append(order, key)
			}
			ip := net.ParseIP(b.l.Host)
			switch {
			case b.l.Host == "" || ip != nil && ip.To4() != nil:
				pt.v4 = true
			case ip != nil && ip.Equal(net.IPv6unspecified):
				if pt.v6 == nil && !strings.EqualFold(b.l.IPv6Only, "off") {
					pt.v6 = b
				} else if strings.EqualFold(b.l.IPv6Only, "off") {
					pt.v4 = true // one dual-stack socket
				}
			}
		}
		for _, key := range order {
			pt := ports[key]
			if pt.v6 == nil || pt.v4 {
				continue
			}
			b := pt.v6
			p.Report(analyzer.Finding{Span: b.l.Addr.Span(), Message: fmt.Sprintf("port %d is listened on as [::] only, "+
				"which is IPv6-only (ipv6only=on, the default): IPv4 clients get connection refused; add listen %d "+
				"beside it, or write ipv6only=off here", b.l.Port, b.l.Port)})
		}
	}
}
