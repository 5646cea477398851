package connectivity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var DuplicateListenOptions = registry.Add(&analyzer.Rule{
	ID:        "NGX120",
	Name:      "duplicate-listen-options",
	Severity:  analyzer.Error,
	Summary:   "two servers set socket options (reuseport, backlog, ...) on the listen of one address and port, so nginx refuses to start",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity},
	Precision: analyzer.PrecisionVeryHigh,
	Fix:       analyzer.FixNone,
	Run:       runDuplicateListenOptions,
	Doc: `## What it does
Groups the ` + "`listen`" + ` directives of the servers of one configuration by the address and port
they bind, as ` + "`duplicate-default-server`" + ` does (a ` + "`quic`" + ` listen is a UDP socket of its own), and
looks at the parameters that set options of the socket itself: ` + "`reuseport`" + `, ` + "`backlog=`" + `,
` + "`rcvbuf=`" + `, ` + "`sndbuf=`" + `, ` + "`deferred`" + `, ` + "`accept_filter=`" + `, ` + "`fastopen=`" + `, ` + "`ipv6only=`" + `,
` + "`setfib=`" + `, ` + "`so_keepalive=`" + `, ` + "`multipath`" + ` and ` + "`bind`" + `. nginx opens one socket per address and
port, however many servers listen there, so only one of those listens may carry them. It
reports every listen with socket options after the first, in the order nginx reads them, with
the first as a related location. ` + "`ssl`" + `, ` + "`http2`" + `, ` + "`proxy_protocol`" + ` and
` + "`default_server`" + ` are not socket options and may repeat. Stream servers are compared from nginx
1.25.5, when they could first share an address (before, ` + "`duplicate-listen`" + ` reports the shared
address itself). A listen on a host name is left out: its addresses come from DNS.

## Why is this bad?
` + "`nginx -t`" + ` fails with "duplicate listen options for 0.0.0.0:443" and nginx does not start or
reload: every site on the host is down, or the change never ships. It typically happens when
` + "`reuseport`" + ` (or ` + "`backlog`" + `, or ` + "`quic reuseport`" + ` for HTTP/3) is copied into every server block of
a host rather than set once.

## Example
` + "```nginx" + `
server {
    listen 443 ssl reuseport;
    server_name a.example;
    ssl_certificate     /etc/ssl/a.crt;
    ssl_certificate_key /etc/ssl/a.key;
}
server {
    listen 443 ssl reuseport;
    server_name b.example;
    ssl_certificate     /etc/ssl/b.crt;
    ssl_certificate_key /etc/ssl/b.key;
}
` + "```" + `

## Use instead
Set the socket's options on one listen of the address (the default server's is the usual
place); the other servers listen without them and share the socket:
` + "```nginx" + `
server {
    listen 443 ssl reuseport;
    server_name a.example;
    ssl_certificate     /etc/ssl/a.crt;
    ssl_certificate_key /etc/ssl/a.key;
}
server {
    listen 443 ssl;
    server_name b.example;
    ssl_certificate     /etc/ssl/b.crt;
    ssl_certificate_key /etc/ssl/b.key;
}
` + "```" + `
`,
})

// socketOptions are the listen parameters that set the socket's own
// options (ngx_http_core_listen and ngx_stream_core_listen set lsopt.set
// for them): one listen per address and port may carry them.
var socketOptions = []string{"bind", "setfib", "fastopen", "backlog", "rcvbuf", "sndbuf", "accept_filter",
	"deferred", "ipv6only", "reuseport", "multipath", "so_keepalive"}

// streamSharedAddresses is the release whose stream servers may share an
// address and port (virtual servers); before, a shared one is refused
// outright (duplicate-listen).
var streamSharedAddresses = spec.Version{Major: 1, Minor: 25, Patch: 5}

// socketOption returns the first socket option among l's parameters, in
// the order they are written, or nil.
func socketOption(l *nginx.Listen) *nginx.Arg {
	var first *nginx.Arg
	for _, name := range socketOptions {
		if a := l.Param(name); a != nil && (first == nil || a.Start() < first.Start()) {
			first = a
		}
	}
	return first
}

func runDuplicateListenOptions(p *analyzer.Pass) {
	streams := !p.Settings.Nginx().Less(streamSharedAddresses)
	for _, list := range analyzer.ResultOf(p.Workspace, listensByScope) {
		// the first listen with socket options of each address, and the
		// servers that listen there so far
		first := map[string]boundListen{}
		servers := map[string]map[*nginx.VirtualServer]bool{}
		for _, b := range list {
			if b.vs.Module != "http" && (b.vs.Module != "stream" || !streams) {
				continue
			}
			key := b.vs.Module + " " + b.key
			again := servers[key][b.vs]
			if servers[key] == nil {
				servers[key] = map[*nginx.VirtualServer]bool{}
			}
			servers[key][b.vs] = true
			opt := socketOption(b.l)
			if opt == nil {
				continue
			}
			prev, ok := first[key]
			if !ok {
				first[key] = b
				continue
			}
			if again || prev.vs == b.vs {
				continue // a server listening twice there: duplicate-listen's
			}
			addr, _, _ := strings.Cut(b.key, " ")
			p.Report(analyzer.Finding{
				Span: opt.Span(),
				Message: fmt.Sprintf("%s already has socket options (%s, at %s): nginx opens one socket per address and "+
					"port and refuses to start with \"duplicate listen options for %s\"; keep %s on one listen of %s only",
					b.key, optionText(prev.l), prev.l.Directive.Span(), addr, optionText(b.l), b.key),
				Related: []source.Related{{Span: socketOption(prev.l).Span(), Message: "the first socket options of " + b.key}},
			})
		}
	}
}

// optionText lists l's socket options as written.
func optionText(l *nginx.Listen) string {
	var out []string
	for _, a := range l.Directive.Args[1:] {
		name, _, _ := strings.Cut(a.Value, "=")
		for _, o := range socketOptions {
			if name == o {
				out = append(out, a.Value)
			}
		}
	}
	return strings.Join(out, " ")
}
