package connectivity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var PassWithoutPort = registry.Add(&analyzer.Rule{
	ID:         "NGX121",
	Name:       "pass-without-port",
	Severity:   analyzer.Error,
	Summary:    "fastcgi_pass, grpc_pass, uwsgi_pass, scgi_pass, memcached_pass or a stream proxy_pass names a host without a port and no upstream, so nginx refuses to start",
	Tags:       []analyzer.Tag{analyzer.TagConnectivity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixUnsafe,
	Directives: []string{"fastcgi_pass", "grpc_pass", "uwsgi_pass", "scgi_pass", "memcached_pass", "proxy_pass"},
	Visit:      visitPassWithoutPort,
	Doc: `## What it does
Reports a ` + "`fastcgi_pass`" + `, ` + "`grpc_pass`" + `, ` + "`uwsgi_pass`" + `, ` + "`scgi_pass`" + `, ` + "`memcached_pass`" + ` or a
stream ` + "`proxy_pass`" + ` whose target is a host name or IP address written without a port, when no
` + "`upstream`" + ` block of that name exists (nginx compares upstream names without regard to case,
and an upstream defined further down counts). Only http's ` + "`proxy_pass`" + ` takes a port from its
scheme (80 for ` + "`http://`" + `, 443 for ` + "`https://`" + `); the others have no default port. When the
name is a slip for an upstream's (` + "`php_fpm`" + ` for ` + "`php-fpm`" + `), the finding says which one and
offers to write it.

A target in a variable, a unix socket, or a name in a configuration whose includes did not all
load (or in a file linted without its main file) is left alone: the upstream may be out of
sight.

## Why is this bad?
` + "`nginx -t`" + ` fails with ` + "`no port in upstream \"php\"`" + ` and nginx does not start or reload; every
site on the host is down, or the change never ships. It happens when an ` + "`upstream php { ... }`" + `
block is renamed or moved into a file that is no longer included, or when a FastCGI address is
written like an HTTP one.

## Example
` + "```nginx" + `
location ~ \.php$ {
    fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
    fastcgi_pass php;
}
` + "```" + `

## Use instead
Write the port the backend listens on (or define ` + "`upstream php { server 127.0.0.1:9000; }`" + `):
` + "```nginx" + `
location ~ \.php$ {
    fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
    fastcgi_pass 127.0.0.1:9000;
}
` + "```" + `
The fix, offered only for a slip of an upstream's name, writes that name; it is unsafe, as the
upstream may not be the backend meant.
`,
})

func visitPassWithoutPort(p *analyzer.Pass, d *nginx.Directive) {
	peers := analyzer.ResultOf(p.Workspace, analyzer.Peers)
	ps := peers.PassOf(d)
	if ps == nil || !ps.NeedsPort() || mayBeOutOfSight(p, ps) {
		return
	}
	a := ps.Addr
	host := a.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // IPv6, as nginx names it
	}
	fix := fmt.Sprintf("write the port the backend listens on (%s:<port>) or define upstream %s", host, host)
	what := "no upstream block is named " + host + " and the target has no port"
	if a.IP != nil {
		fix = fmt.Sprintf("write the port the backend listens on (%s:<port>)", host)
		what = "the address has no port"
	}
	f := analyzer.Finding{
		Span: a.HostSpan(),
		Message: fmt.Sprintf("%s %s: %s, so nginx refuses to start (\"no port in upstream \\\"%s\\\"\"); %s",
			d.Name, d.Args[0].Value, what, host, fix),
	}
	if g := otherModuleGroup(p, peers, ps); g != nil {
		f.Message += fmt.Sprintf("; %s is an upstream of the %s block, which %s cannot name", host, g.Module, ps.Module)
		f.Related = []source.Related{{Span: g.Directive.Args[0].Span(), Message: g.Module + " upstream " + g.Name}}
	} else if g := typoGroup(p, peers, ps); g != nil {
		f.Message += fmt.Sprintf("; did you mean upstream %s?", g.Name)
		f.Related = []source.Related{{Span: g.Directive.Args[0].Span(), Message: "upstream " + g.Name}}
		f.Fix = &analyzer.Fix{Title: "Use upstream " + g.Name, Edits: []analyzer.Edit{{Span: a.HostSpan(), NewText: g.Name}}}
	}
	p.Report(f)
}

// mayBeOutOfSight: the pass sits in a configuration whose includes did
// not all load, or in a fragment linted without its main file, so an
// upstream of that name may exist where ngxlint cannot look.
func mayBeOutOfSight(p *analyzer.Pass, ps *nginx.Pass) bool {
	open := analyzer.ResultOf(p.Workspace, openScopes)
	for _, s := range ps.Directive.Config.Sites() {
		if sc := nginx.ScopeOf(s); sc == nil || open[sc] {
			return true
		}
	}
	return false
}
