package connectivity

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var DuplicateListen = registry.Add(&analyzer.Rule{
	ID:        "NGX110",
	Name:      "duplicate-listen",
	Severity:  analyzer.Error,
	Summary:   "one server listens twice on the same address and port (or, before nginx 1.25.5, two stream servers do), so nginx refuses to start",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity},
	Precision: analyzer.PrecisionVeryHigh,
	Fix:       analyzer.FixSafe,
	Run:       runDuplicateListen,
	Doc: `## What it does
Compares the ` + "`listen`" + ` directives of each http ` + "`server`" + ` block (its files included at server level
too) by the address and port they bind: ` + "`listen 80`" + `, ` + "`listen *:80`" + ` and ` + "`listen 0.0.0.0:80`" + ` are
the same; ` + "`[::]:80`" + ` is another; a ` + "`quic`" + ` listen is a UDP socket apart from the TCP one. Listens
on host names are left out (their addresses come from DNS).

Stream servers are compared the same way (a ` + "`udp`" + ` listen is a socket apart). Before nginx 1.25.5
an address and port belongs to one stream server, so with ` + "`--nginx-version`" + ` older than that it
also reports a stream server that listens where another one of the configuration already does.

## Why is this bad?
` + "`nginx -t`" + ` fails with "a duplicate listen 0.0.0.0:80" and nginx does not start or reload. This
often comes from adding ` + "`listen 443 ssl`" + ` to a server that an include already gives
` + "`listen 443`" + `, or from a copied line.

## Example
` + "```nginx" + `
server {
    listen 80;
    listen 80;
    server_name a.example;
}
` + "```" + `

## Use instead
` + "```nginx" + `
server {
    listen 80;
    server_name a.example;
}
` + "```" + `
When the two lines are the same text, the fix deletes the second (safe: nginx would not start with
it). When their parameters differ, merge them by hand into one line.
`,
})

func runDuplicateListen(p *analyzer.Pass) {
	shared := !p.Settings.Nginx().Less(streamSharedAddresses)
	for _, vs := range analyzer.ResultOf(p.Workspace, analyzer.Servers) {
		if vs.Module != "http" && vs.Module != "stream" {
			continue
		}
		first := map[string]*nginx.Listen{}
		for i := range vs.Listens {
			l := &vs.Listens[i]
			key, ok := l.Socket()
			if !ok {
				continue
			}
			if l.UDP {
				key += " (udp)"
			}
			prev := first[key]
			if prev == nil {
				first[key] = l
				continue
			}
			f := analyzer.Finding{
				Span: l.Addr.Span(),
				Message: fmt.Sprintf("this server already listens on %s (%s): nginx refuses to start with %s; keep one "+
					"listen line for it, with the parameters of both", key, prev.Directive.Span(), duplicateError(vs.Module, key, shared)),
				Related: []source.Related{{Span: prev.Addr.Span(), Message: "the first listen on " + key}},
			}
			if sameArgs(prev.Directive, l.Directive) {
				f.Fix = &analyzer.Fix{Title: "Remove the repeated listen", Safe: true, Edits: []analyzer.Edit{lineDeletion(l.Directive)}}
			}
			p.Report(f)
		}
	}
	if shared {
		return
	}
	// Before 1.25.5 an address and port belongs to one stream server.
	for _, list := range analyzer.ResultOf(p.Workspace, listensByScope) {
		first := map[string]boundListen{}
		for _, b := range list {
			if b.vs.Module != "stream" {
				continue
			}
			prev, ok := first[b.key]
			if !ok {
				first[b.key] = b
				continue
			}
			if prev.vs == b.vs {
				continue // reported above
			}
			p.Report(analyzer.Finding{
				Span: b.l.Addr.Span(),
				Message: fmt.Sprintf("another stream server already listens on %s (%s): before 1.25.5 nginx gives an "+
					"address and port to one stream server and refuses to start with %s; give this server a port of its "+
					"own (stream servers can share one from nginx 1.25.5)", b.key, prev.l.Directive.Span(),
					duplicateError("stream", b.key, false)),
				Related: []source.Related{{Span: prev.l.Addr.Span(), Message: "the first listen on " + b.key}},
			})
		}
	}
}

// duplicateError is nginx's error for an address and port listened on
// twice: the stream module's words changed in 1.25.5, when its servers
// could first share an address.
func duplicateError(module, key string, shared bool) string {
	addr := strings.TrimSuffix(strings.TrimSuffix(key, " (quic)"), " (udp)")
	if module == "stream" && !shared {
		return fmt.Sprintf("\"duplicate \"%s\" address and port pair\"", addr)
	}
	return fmt.Sprintf("\"a duplicate listen %s\"", addr)
}

func sameArgs(a, b *nginx.Directive) bool {
	return slices.EqualFunc(a.Args, b.Args, func(x, y *nginx.Arg) bool { return x.Value == y.Value })
}
