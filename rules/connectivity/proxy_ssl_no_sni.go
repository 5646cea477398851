package connectivity

import (
	"fmt"
	"net"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var ProxySSLNoSNI = registry.Add(&analyzer.Rule{
	ID:         "NGX113",
	Name:       "proxy-ssl-no-sni",
	Severity:   analyzer.Warning,
	Summary:    "proxy_pass https:// to a host name without proxy_ssl_server_name on: the TLS handshake carries no SNI",
	Tags:       []analyzer.Tag{analyzer.TagConnectivity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixUnsafe,
	Directives: []string{"proxy_pass", "grpc_pass"},
	Visit:      visitProxySSLNoSNI,
	Doc: `## What it does
Finds a ` + "`proxy_pass https://HOST`" + ` (and ` + "`grpc_pass grpcs://HOST`" + `) where HOST is a host name (not
an IP address), or an upstream block with a server named by host name, and the
` + "`proxy_ssl_server_name`" + ` (` + "`grpc_ssl_server_name`" + `) in effect there is off: nginx's default, when neither
the location nor the server nor the http block turns it on. Targets in variables, and levels whose
includes did not load, are left alone. In a file linted without the http block that includes it,
the finding is info: that block may turn it on.

## Why is this bad?
Without it nginx sends no Server Name Indication in the handshake. Backends that host several
names on one address (CDNs, cloud load balancers, ingress controllers, any virtual-hosted TLS server)
then answer with a default certificate or refuse the handshake: "SSL_do_handshake() failed ...
tlsv1 alert" or "sslv3 alert handshake failure" in the error log, and 502 for the client; with
` + "`proxy_ssl_verify on`" + ` the default certificate fails verification.

## Example
` + "```nginx" + `
location / {
    proxy_pass https://api.example.com;
}
` + "```" + `

## Use instead
` + "```nginx" + `
location / {
    proxy_ssl_server_name on;
    proxy_pass https://api.example.com;
}
` + "```" + `
Through an upstream block, the name sent is ` + "`$proxy_host`" + `, the block's name: set
` + "`proxy_ssl_name`" + ` to the backend's real name as well. The fix (for a literal host only) adds
` + "`proxy_ssl_server_name on;`" + ` before the pass. It is unsafe: the backend then chooses its certificate
by the name, which is the point, but may differ from what it answered before.

With ` + "`--live`" + `, ngxlint makes two TLS handshakes with the backend, without and with the name:
confirmed when only the one with the name gets a certificate for it, refuted when the certificate
without SNI already covers the name.
`,
})

func visitProxySSLNoSNI(p *analyzer.Pass, d *nginx.Directive) {
	peers := analyzer.ResultOf(p.Workspace, analyzer.Peers)
	ps := peers.PassOf(d)
	if ps == nil || ps.Module != "http" || !ps.AddrOK || ps.Addr.Variable || ps.Addr.Unix || d.Config == nil {
		return
	}
	directive := "proxy_ssl_server_name"
	switch {
	case d.Name == "proxy_pass" && ps.Scheme == "https":
	case d.Name == "grpc_pass" && ps.Scheme == "grpcs":
		directive = "grpc_ssl_server_name"
	default:
		return
	}
	named := ""
	var target *analyzer.Target
	if g := ps.Group; g != nil {
		for _, s := range g.Servers {
			if !s.Down && resolvableName(s.Addr, s.AddrOK) {
				named = s.Addr.Host
				port := 80 // an upstream server's default, whatever the scheme
				if s.Addr.HasPort {
					port = s.Addr.Port
				}
				target = &analyzer.Target{Host: named, Port: port, Scheme: ps.Scheme}
				break
			}
		}
		if named == "" {
			return
		}
	} else if net.ParseIP(ps.Addr.Host) != nil || ps.Addr.Host == "" {
		return
	} else {
		port := 443
		if ps.Addr.HasPort {
			port = ps.Addr.Port
		}
		target = &analyzer.Target{Host: ps.Addr.Host, Port: port, Scheme: ps.Scheme}
	}
	inh := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	var off []nginx.Site
	var offLine *nginx.Directive
	unsure := false
	for _, s := range d.Config.Sites() {
		r := inh.Resolve(d, s, directive, p.Settings.Nginx())
		if r.Unresolved {
			continue
		}
		if !topInSight(r.Levels, "http") {
			unsure = true
		}
		if n := len(r.Effective); n > 0 {
			last := r.Effective[n-1]
			if len(last.Args) != 1 || !strings.EqualFold(last.Args[0].Value, "off") {
				continue
			}
			offLine = last
		}
		off = append(off, s)
	}
	if len(off) == 0 {
		return
	}
	state := "is not set here, nor inherited (default off)"
	var rel []source.Related
	if offLine != nil {
		state = "is off here"
		unsure = false
		rel = append(rel, source.Related{Span: offLine.Span(), Message: directive + " off"})
	}
	if len(d.Config.Sites()) > 1 {
		for _, s := range off {
			rel = append(rel, s.Related()...)
		}
	}
	f := analyzer.Finding{Span: ps.Addr.SchemeSpan(), Related: rel, Target: target}
	if f.Span.IsZero() {
		f.Span = ps.Addr.HostSpan()
	}
	if ps.Group != nil {
		f.Message = fmt.Sprintf("%s %s: %s %s, so the TLS handshake with the servers of upstream %s (%s ...) carries no "+
			"SNI, and a backend that serves several names answers with its default certificate or refuses (502); turn %s "+
			"on and set %s_ssl_name %s (the name sent is otherwise the upstream's, %s)", d.Name, d.Args[0].Value, directive,
			state, ps.Group.Name, named, directive, strings.TrimSuffix(directive, "_ssl_server_name"), named, ps.Group.Name)
	} else {
		f.Message = fmt.Sprintf("%s %s: %s %s, so the TLS handshake with %s carries no SNI, and a backend that serves "+
			"several names (a CDN, a cloud load balancer, an ingress) answers with its default certificate or refuses "+
			"(502); add `%s on;`", d.Name, d.Args[0].Value, directive, state, ps.Addr.Host, directive)
		if offLine == nil {
			f.Fix = &analyzer.Fix{Title: "Add " + directive + " on", Edits: []analyzer.Edit{lineBefore(d, directive+" on;")}}
		}
	}
	if unsure {
		f.Severity = analyzer.Info
		f.Message += fmt.Sprintf(" (this file is linted without the http block that includes it: unless that block turns %s on)", directive)
	}
	p.Report(f)
}

// lineBefore inserts text on a line of its own before d, indented as d is
// (or before d on its line when something precedes it there).
func lineBefore(d *nginx.Directive, text string) analyzer.Edit {
	f := d.Config.File
	start := d.Start()
	ls := start
	for ls > 0 && (f.Src[ls-1] == ' ' || f.Src[ls-1] == '\t') {
		ls--
	}
	at := f.Span(start, start)
	if ls == 0 || f.Src[ls-1] == '\n' {
		return analyzer.Edit{Span: at, NewText: text + "\n" + string(f.Src[ls:start])}
	}
	return analyzer.Edit{Span: at, NewText: text + " "}
}
