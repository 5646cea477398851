package practice

import (
	"fmt"
	"strconv"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

var KeepaliveRequestsLow = registry.Add(&analyzer.Rule{
	ID:         "NGX505",
	Name:       "keepalive-requests-low",
	Severity:   analyzer.Info,
	Summary:    "keepalive_requests closes client connections after few requests, forcing new TCP and TLS handshakes",
	Tags:       []analyzer.Tag{analyzer.TagPractice},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"low_keepalive_requests"},
	Directives: []string{"keepalive_requests"},
	Visit:      visitKeepaliveRequests,
	Options: []analyzer.Option{{Name: "minimum", Default: 1000,
		Doc: "the smallest keepalive_requests that is not reported (nginx's default since 1.19.10 is 1000)"}},
	Doc: `## What it does
Reports ` + "`keepalive_requests`" + ` in http, server or location below a minimum (option ` + "`minimum`" + `,
default 1000, nginx's own default since 1.19.10). Upstream blocks' ` + "`keepalive_requests`" + ` (the
connections to backends) are left alone.

## Why is this bad?
After that many requests nginx closes the client's connection. Browsers and HTTP/2 clients send
many requests over one connection; closing it early costs each of them a new TCP and TLS
handshake, and under load the server spends its CPU on handshakes. Before 1.19.10 the default was
100, and copies of old tuning guides still set it.

## Example
` + "```nginx" + `
keepalive_requests 100;
` + "```" + `

## Use instead
Remove the line (the default is 1000), or set a larger value:
` + "```nginx" + `
keepalive_requests 1000;
` + "```" + `
`,
})

func visitKeepaliveRequests(p *analyzer.Pass, d *nginx.Directive) {
	if len(d.Args) != 1 || d.InnerContext() == "upstream" || d.Module() != "http" {
		return
	}
	n, err := strconv.Atoi(d.Args[0].Value)
	if err != nil {
		return
	}
	if min := p.IntOption("minimum"); n < min {
		p.Report(analyzer.Finding{Span: d.Args[0].Span(), Message: fmt.Sprintf("keepalive_requests %d closes a client's "+
			"connection after %d requests, so browsers and HTTP/2 clients pay a new TCP and TLS handshake that often; "+
			"remove it (the default is 1000) or raise it to at least %d", n, n, min)})
	}
}
