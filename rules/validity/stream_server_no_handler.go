package validity

import (
	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

var StreamServerNoHandler = registry.Add(&analyzer.Rule{
	ID:         "NGX336",
	Name:       "stream-server-no-handler",
	Severity:   analyzer.Error,
	Summary:    "a stream server has no proxy_pass, return or pass to handle its connections, so nginx refuses to start",
	Tags:       []analyzer.Tag{analyzer.TagValidity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"server"},
	Visit:      visitStreamServerNoHandler,
	Doc: `## What it does
Checks that every ` + "`server`" + ` of a ` + "`stream`" + ` block says what to do with a connection:
` + "`proxy_pass`" + `, ` + "`return`" + `, ` + "`pass`" + ` (nginx 1.25.5 and later) or a Lua content handler
(` + "`content_by_lua_block`" + ` ...), in the block or a file it includes. A server with an include that
loaded nothing, or with a directive ngxlint does not know (a module's own handler), is left alone.

## Why is this bad?
Unlike http, a stream server has no default handler: ` + "`nginx -t`" + ` fails with
` + "`no handler for server in nginx.conf:12`" + ` and nginx does not start or reload. It happens when
` + "`proxy_pass`" + ` sits in a snippet that is no longer included, or is left in the ` + "`upstream`" + ` block.

## Example
` + "```nginx" + `
events {}
stream {
    upstream db {
        server 10.0.0.5:5432;
    }
    server {
        listen 5432;
    }
}
` + "```" + `

## Use instead
` + "```nginx" + `
events {}
stream {
    upstream db {
        server 10.0.0.5:5432;
    }
    server {
        listen 5432;
        proxy_pass db;
    }
}
` + "```" + `
`,
})

// streamHandlers are the directives that handle a stream server's
// connections (the content phase).
var streamHandlers = map[string]bool{
	"proxy_pass": true, "return": true, "pass": true,
	"content_by_lua": true, "content_by_lua_block": true, "content_by_lua_file": true,
}

func visitStreamServerNoHandler(p *analyzer.Pass, d *nginx.Directive) {
	if !d.HasBlock || d.Module() != "stream" || d.InnerContext() == "upstream" || blindLevel(d.Block) {
		return
	}
	handled, unknown := false, false
	nginx.AtLevel(d.Block, func(e *nginx.Directive) bool {
		handled = handled || streamHandlers[e.Name]
		unknown = unknown || !p.Settings.KnownDirective(e.Name)
		return !handled
	})
	if handled || unknown {
		return
	}
	p.Report(analyzer.Finding{Span: d.NameSpan(), Message: "this stream server has no proxy_pass, return or pass, " +
		"so nginx refuses to start (no handler for server); add proxy_pass to the backend"})
}
