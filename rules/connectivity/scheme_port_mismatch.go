package connectivity

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var SchemePortMismatch = registry.Add(&analyzer.Rule{
	ID:         "NGX103",
	Name:       "scheme-port-mismatch",
	Severity:   analyzer.Warning,
	Summary:    "proxy_pass speaks HTTP to a TLS port, TLS to a plain HTTP port, or HTTP to Elasticsearch's transport port",
	Tags:       []analyzer.Tag{analyzer.TagConnectivity},
	Precision:  analyzer.PrecisionMedium,
	Fix:        analyzer.FixUnsafe,
	Directives: []string{"proxy_pass"},
	Visit:      visitSchemePortMismatch,
	Doc: `## What it does
Compares the scheme of an http ` + "`proxy_pass`" + ` with the port it reaches, written in the URL or on
the ` + "`server`" + ` lines of the upstream block it names:

- ` + "`http://`" + ` to 443, 8443 or 9243, ports that by convention serve TLS;
- ` + "`https://`" + ` to 80 or 8080, ports that by convention serve plain HTTP;
- either to 9300-9399, Elasticsearch's and OpenSearch's transport ports, which speak a binary
  protocol between nodes.

It is silent for URLs that hold variables, ports it has no convention for, and servers marked
` + "`down`" + `.

## Why is this bad?
The backend and nginx do not speak the same protocol, so every request fails and clients get
502 Bad Gateway. Plain HTTP to a TLS port is answered with 400 "The plain HTTP request was sent
to HTTPS port" or a closed connection; TLS to a plain port fails the handshake
(` + "`SSL_do_handshake() failed ... wrong version number`" + ` in the error log); HTTP to a transport
port gets "This is not an HTTP port" from the node.

## Example
` + "```nginx" + `
location / {
    proxy_pass http://10.0.0.5:443;
}
location /search/ {
    proxy_pass http://127.0.0.1:9300;
}
` + "```" + `

## Use instead
` + "```nginx" + `
location / {
    proxy_pass https://10.0.0.5:443;
}
location /search/ {
    proxy_pass http://127.0.0.1:9200;
}
` + "```" + `

For a URL with its port written, the fix swaps the scheme. It is unsafe: a backend that really
serves plain HTTP on 443 (or TLS on 80) exists, and TLS to an upstream also needs its certificate
checked (` + "`proxy_ssl_verify`" + `) to be worth having.

With ` + "`--live`" + `, ngxlint dials the address and port and tells what answers there: confirmed when it
speaks another protocol than the scheme says (a TLS handshake or nginx's "plain HTTP request was
sent to HTTPS port" for ` + "`http://`" + `, plain HTTP for ` + "`https://`" + `, "This is not an HTTP port"
from a transport port), refuted when it speaks the scheme's protocol, inconclusive when nothing
answers.
`,
})

// mismatch says what goes wrong when scheme meets port; "" when nothing
// does. swap is the scheme that fits the port, when one does.
func mismatch(scheme string, port int) (problem, swap string) {
	switch {
	case port >= 9300 && port <= 9399:
		return fmt.Sprintf("port %d is in Elasticsearch's transport range (9300-9399), which speaks the nodes' binary "+
			"protocol, not HTTP: the node answers \"This is not an HTTP port\" and nginx returns 502; proxy to the "+
			"node's HTTP port instead (9200 unless http.port says otherwise)", port), ""
	case scheme == "http" && (port == 443 || port == 8443 || port == 9243):
		return fmt.Sprintf("plain HTTP goes to port %d, which by convention serves TLS: the backend answers 400 "+
			"\"The plain HTTP request was sent to HTTPS port\" or drops the connection, and nginx returns 502; "+
			"use https://", port), "https"
	case scheme == "https" && (port == 80 || port == 8080):
		return fmt.Sprintf("TLS goes to port %d, which by convention serves plain HTTP: the handshake fails "+
			"(\"SSL_do_handshake() failed ... wrong version number\" in the error log) and nginx returns 502; "+
			"use http://", port), "http"
	}
	return "", ""
}

func visitSchemePortMismatch(p *analyzer.Pass, d *nginx.Directive) {
	ps := analyzer.ResultOf(p.Workspace, analyzer.Peers).PassOf(d)
	if ps == nil || ps.Module != "http" || !ps.AddrOK || ps.Addr.Variable || ps.Addr.Unix {
		return
	}
	if g := ps.Group; g != nil {
		for _, sp := range groupMismatches(p.Workspace, g, ps.Scheme) {
			s := sp.server
			p.Report(analyzer.Finding{
				Span:    s.Addr.PortSpan(),
				Message: fmt.Sprintf("server %s of upstream %s, used by proxy_pass %s: %s", s.Directive.Args[0].Value, g.Name, d.Args[0].Value, sp.problem),
				Related: []source.Related{{Span: ps.Addr.HostSpan(), Message: "the proxy_pass that uses this server"}},
				Target:  &analyzer.Target{Host: s.Addr.Host, Port: s.Addr.Port, Scheme: ps.Scheme},
			})
		}
		return
	}
	if !ps.Addr.HasPort {
		return
	}
	problem, swap := mismatch(ps.Scheme, ps.Addr.Port)
	if problem == "" {
		return
	}
	f := analyzer.Finding{Span: ps.Addr.PortSpan(), Message: fmt.Sprintf("proxy_pass %s: %s", d.Args[0].Value, problem),
		Target: &analyzer.Target{Host: ps.Addr.Host, Port: ps.Addr.Port, Scheme: ps.Scheme}}
	if swap != "" && !ps.Addr.SchemeSpan().IsZero() {
		f.Span = ps.Addr.SchemeSpan()
		f.Fix = &analyzer.Fix{
			Title: fmt.Sprintf("Use %s:// for port %d", swap, ps.Addr.Port),
			Edits: []analyzer.Edit{{Span: ps.Addr.SchemeSpan(), NewText: swap}},
		}
	}
	p.Report(f)
}

// serverProblem is a server of a group whose port does not suit a scheme.
type serverProblem struct {
	server  *nginx.UpstreamServer
	problem string
}

type groupScheme struct {
	group  *nginx.Group
	scheme string
}

var groupMismatchMemo = analyzer.RunMemo[groupScheme, []serverProblem]("connectivity/group-scheme-mismatches")

// groupMismatches lists the servers of g whose port does not suit
// scheme, worked out once per group and scheme: 8,000 passes to one
// upstream of 8,000 servers read every server for each pass.
func groupMismatches(ws *analyzer.Workspace, g *nginx.Group, scheme string) []serverProblem {
	return analyzer.ResultOf(ws, groupMismatchMemo).Get(groupScheme{g, scheme}, func() []serverProblem {
		var out []serverProblem
		for _, s := range g.Servers {
			if s.Down || !s.AddrOK || !s.Addr.HasPort || s.Addr.Variable {
				continue
			}
			if problem, _ := mismatch(scheme, s.Addr.Port); problem != "" {
				out = append(out, serverProblem{s, problem})
			}
		}
		return out
	})
}
