package connectivity

import (
	"fmt"
	"net"
	"strconv"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var ProxyToSelf = registry.Add(&analyzer.Rule{
	ID:         "NGX126",
	Name:       "proxy-to-self",
	Severity:   analyzer.Error,
	Summary:    "proxy_pass sends requests back to the server it is in, with the same URI, so they loop through nginx until its connections run out",
	Tags:       []analyzer.Tag{analyzer.TagConnectivity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"proxy_pass"},
	Visit:      visitProxyToSelf,
	Doc: `## What it does
Finds a ` + "`proxy_pass`" + ` to a loopback address (` + "`127.0.0.1`" + `, ` + "`::1`" + `, ` + "`localhost`" + `) and a port
on which the server it sits in is the only server of the configuration, with the same protocol
(` + "`http://`" + ` to a plain listen, ` + "`https://`" + ` to an ` + "`ssl`" + ` one), and without a URI part: the
proxied request reaches the same server with the same URI, so the same location takes it and
proxies it again. It is left alone when the location holds ` + "`if`" + `, ` + "`return`" + ` or ` + "`rewrite`" + `
(something may break the circle), in a named location, when the target is an upstream or a
variable, and in a file linted without its main file.

## Why is this bad?
Each pass opens a new connection to nginx itself, until the worker has none left: nginx logs
` + "`worker_connections are not enough`" + ` and clients get 502 or 500, for every request of that
location. It usually comes from giving the application and nginx the same port
(` + "`listen 8080`" + ` and ` + "`proxy_pass http://127.0.0.1:8080`" + `).

## Example
` + "```nginx" + `
server {
    listen 8080;
    location / {
        proxy_pass http://127.0.0.1:8080;
    }
}
` + "```" + `

## Use instead
Point ` + "`proxy_pass`" + ` at the port the application listens on:
` + "```nginx" + `
server {
    listen 8080;
    location / {
        proxy_pass http://127.0.0.1:3000;
    }
}
` + "```" + `
`,
})

func visitProxyToSelf(p *analyzer.Pass, d *nginx.Directive) {
	peers := analyzer.ResultOf(p.Workspace, analyzer.Peers)
	ps := peers.PassOf(d)
	if ps == nil || ps.Module != "http" || !ps.AddrOK || ps.Group != nil || ps.Addr.Variable || ps.Addr.Unix ||
		nginx.URIStart(d.Args[0].Value) >= 0 {
		return
	}
	a := ps.Addr
	var hosts []string // the sockets the target may be, most specific first
	switch {
	case isLocalhost(a.Host):
		hosts = []string{"127.0.0.1", "0.0.0.0"} // the IPv4 one of the two it expands to
	case a.IP != nil && a.IP.IsLoopback() && a.IP.To4() != nil:
		hosts = []string{a.IP.String(), "0.0.0.0"}
	case a.IP != nil && a.IP.Equal(net.IPv6loopback):
		hosts = []string{"[::1]", "[::]"}
	default:
		return
	}
	loc := d.Enclosing("location")
	srv := d.Enclosing("server")
	if loc == nil || srv == nil || d.Parent != loc || len(loc.Args) > 0 && len(loc.Args[0].Value) > 0 && loc.Args[0].Value[0] == '@' {
		return
	}
	breaks := false
	nginx.AtLevel(loc.Block, func(e *nginx.Directive) bool {
		breaks = breaks || e.Name == "if" || e.Name == "return" || e.Name == "rewrite"
		return !breaks
	})
	if breaks {
		return
	}
	for _, s := range d.Config.Sites() {
		scope := nginx.ScopeOf(s)
		if scope == nil || s.Root == nil || s.Root.Implied != nil {
			return // a fragment: the main file's other servers are not read
		}
		bySocket := analyzer.ResultOf(p.Workspace, socketServers)[scope]
		for _, h := range hosts {
			key := h + ":" + strconv.Itoa(a.Port)
			servers := bySocket[key]
			if len(servers) == 0 {
				continue // try the wildcard address
			}
			b := servers[0]
			if len(servers) > 1 || b.vs.Directive != srv || b.vs.Module != "http" || b.l.SSL != (a.Scheme == "https") {
				return
			}
			p.Report(analyzer.Finding{
				Span: a.AddrSpan(),
				Message: fmt.Sprintf("proxy_pass %s sends the request back to this server (it is the only one on %s) "+
					"with the same URI, so this location takes it and proxies it again: nginx loops until its "+
					"connections run out (\"worker_connections are not enough\") and clients get 502; point it at the "+
					"backend's own port", d.Args[0].Value, key),
				Related: []source.Related{{Span: b.l.Addr.Span(), Message: "the listen the request comes back to"}},
			})
			return
		}
	}
}
