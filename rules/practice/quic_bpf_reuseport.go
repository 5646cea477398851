package practice

import (
	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

var QUICBPFWithoutReuseport = registry.Add(&analyzer.Rule{
	ID:         "NGX511",
	Name:       "quic-bpf-without-reuseport",
	Severity:   analyzer.Warning,
	Summary:    "quic_bpf on does nothing: no QUIC listen has reuseport",
	Tags:       []analyzer.Tag{analyzer.TagPractice},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"quic_bpf_reuseport"},
	Directives: []string{"quic_bpf"},
	Visit:      visitQUICBPF,
	Doc: `## What it does
Reports ` + "`quic_bpf on`" + ` in a main configuration where no ` + "`listen`" + ` has both ` + "`quic`" + ` and
` + "`reuseport`" + `. It reads the whole configuration through its includes, and is silent when an include
did not load.

## Why is this bad?
nginx attaches its eBPF packet router only to listening sockets that are QUIC and ` + "`reuseport`" + `:
with ` + "`reuseport`" + ` each worker has its own UDP socket, and the program sends every packet of a QUIC
connection to the worker that owns it, also after the client changes address (connection
migration). Without such a socket the directive loads nothing, and the routing it was written for
does not happen: migrated connections reach a worker that does not know them and fail.

## Example
` + "```nginx" + `
quic_bpf on;
events {}
http {
    server {
        listen 443 quic;
    }
}
` + "```" + `

## Use instead
` + "```nginx" + `
quic_bpf on;
events {}
http {
    server {
        listen 443 quic reuseport;
    }
}
` + "```" + `
(` + "`reuseport`" + ` may appear on one ` + "`listen`" + ` per address and port.)
`,
})

func visitQUICBPF(p *analyzer.Pass, d *nginx.Directive) {
	if len(d.Args) != 1 || d.Args[0].Value != "on" || d.Config.Implied != nil || d.Parent != nil ||
		d.Config.Incomplete() {
		return
	}
	found, unknown := false, false
	var walk func(list []*nginx.Directive, depth int)
	walk = func(list []*nginx.Directive, depth int) {
		for _, x := range list {
			if found || unknown || depth > 16 {
				return
			}
			if x.Name == "include" && len(x.Includes()) == 0 {
				unknown = true
			}
			if x.Name == "listen" && x.HasFlag("quic") && x.HasFlag("reuseport") {
				found = true
			}
			for _, c := range x.Includes() {
				walk(c.Directives, depth+1)
			}
			walk(x.Block, depth+1)
		}
	}
	walk(d.Config.Directives, 0)
	if found || unknown {
		return
	}
	p.Report(analyzer.Finding{
		Span: d.Args[0].Span(),
		Message: "quic_bpf on routes packets only for listen sockets that have both quic and reuseport, and no listen " +
			"here has them, so the eBPF program is never attached and migrated QUIC connections are not kept on " +
			"their worker; add reuseport to the quic listen (once per address and port)",
	})
}
