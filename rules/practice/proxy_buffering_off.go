package practice

import (
	"strings"

	"github.com/ngxlint/ngxlint/internal/lazyre"
	"github.com/ngxlint/ngxlint/internal/memo"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

var ProxyBufferingOff = registry.Add(&analyzer.Rule{
	ID:         "NGX507",
	Name:       "proxy-buffering-off",
	Severity:   analyzer.Info,
	Summary:    "proxy_buffering off ties a backend connection to each slow client for the whole response",
	Tags:       []analyzer.Tag{analyzer.TagPractice},
	Precision:  analyzer.PrecisionMedium,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"proxy_buffering_off"},
	Directives: []string{"proxy_buffering"},
	Visit:      visitProxyBufferingOff,
	Doc: `## What it does
Reports ` + "`proxy_buffering off`" + ` in a block that shows no sign of streaming. It stays silent when the
block, or a level around it, mentions ` + "`Upgrade`" + ` (WebSocket), ` + "`text/event-stream`" + ` (server-sent
events) or ` + "`X-Accel-Buffering`" + `, or when the location's path names a stream (` + "`/ws`" + `, ` + "`/socket.io`" + `,
` + "`/sse`" + `, ` + "`/events`" + `, ` + "`/stream`" + `, ` + "`/live`" + `, ` + "`/subscribe`" + ` ...): there, turning buffering off is the point.

## Why is this bad?
With buffering on, nginx reads the backend's response as fast as the backend sends it, frees the
backend, and feeds the client at the client's pace. With it off, the backend connection (and the
application worker behind it) stays busy until the slowest client has downloaded the last byte, so
a handful of slow or malicious clients can exhaust the application's workers. ` + "`proxy_cache`" + ` also
needs buffering: with it off, responses are never cached.

## Example
` + "```nginx" + `
location /api/ {
    proxy_buffering off;
    proxy_pass http://app;
}
` + "```" + `

## Use instead
Remove the line (buffering is on by default). For a location that streams, keep it off there only,
or let the backend send ` + "`X-Accel-Buffering: no`" + ` on the responses that stream:
` + "```nginx" + `
location /api/ {
    proxy_pass http://app;
}
location /api/events {
    proxy_buffering off;
    proxy_pass http://app;
}
` + "```" + `
`,
})

// streamPath matches location paths that name a streaming endpoint.
var streamPath = lazyre.New(`(?i)(^|[/_.-])(ws|wss|websockets?|sockets?|socket\.io|sockjs|sse|events?|event-?stream|stream(ing)?|live|push|subscribe|subscriptions?|long-?poll(ing)?|poll(ing)?|cable|hub|signalr|notifications?|realtime|chat|graphql|grpc|mqtt|stomp|logs?|tail|watch|feed|upload)`)

// streamWords are argument texts that show a block serves a stream.
var streamWords = []string{"upgrade", "text/event-stream", "x-accel-buffering", "websocket"}

func visitProxyBufferingOff(p *analyzer.Pass, d *nginx.Directive) {
	if len(d.Args) != 1 || d.Args[0].Value != "off" || d.Module() != "http" {
		return
	}
	// The block the line sits in, searched whole, and every level
	// around it, searched at its own level only; each answer once per
	// run, since the locations of a server share its level.
	signs := analyzer.ResultOf(p.Workspace, streamSigns)
	for b := d.Parent; b != nil; b = b.Parent {
		if b.Name == "location" && locationStreams(b) {
			return
		}
		deep := b == d.Parent || b.Name == "location" || b.Name == "if"
		if streams(signs, b, nil, deep) {
			return
		}
	}
	if d.Parent == nil && streams(signs, nil, d.Config, true) {
		return
	}
	p.Report(analyzer.Finding{
		Span: d.Args[0].Span(),
		Message: "proxy_buffering off keeps the backend connection busy until the client has read the whole response, " +
			"so slow clients hold the application's workers, and responses cannot be cached; remove it, or keep it " +
			"only in the locations that stream (or let the backend send X-Accel-Buffering: no)",
	})
}

// streamSigns remembers, per run, which blocks mention a streaming sign
// (see mentionsStream): a server of thousands of locations that each turn
// buffering off had its own level searched for each of them.
var streamSigns = analyzer.RunMemo[signKey, bool]("practice/stream-signs")

type signKey struct {
	block *nginx.Directive // the block whose children are searched, or
	file  *nginx.Config    // the file whose top level is
	deep  bool
}

// streams reports whether block's children (file's top level when block
// is nil) mention a streaming sign, in nested blocks too when deep,
// worked out once per run.
func streams(signs *memo.Map[signKey, bool], block *nginx.Directive, file *nginx.Config, deep bool) bool {
	return signs.Get(signKey{block, file, deep}, func() bool {
		if block != nil {
			return mentionsStream(block.Block, deep, 0)
		}
		return mentionsStream(file.Directives, deep, 0)
	})
}

// locationStreams tells whether a location's path names a stream.
func locationStreams(b *nginx.Directive) bool {
	for _, a := range b.Args {
		if streamPath.Re().MatchString(a.Value) {
			return true
		}
	}
	return false
}

// mentionsStream looks for a streaming sign in list, in nested blocks
// too when deep, following includes.
func mentionsStream(list []*nginx.Directive, deep bool, depth int) bool {
	if depth > 8 {
		return false
	}
	for _, x := range list {
		for _, a := range x.Args {
			v := strings.ToLower(a.Value)
			for _, w := range streamWords {
				if strings.Contains(v, w) {
					return true
				}
			}
		}
		if x.Name == "include" {
			for _, c := range x.Includes() {
				if mentionsStream(c.Directives, deep, depth+1) {
					return true
				}
			}
		}
		if deep && x.HasBlock {
			if x.Name == "location" && locationStreams(x) {
				return true
			}
			if mentionsStream(x.Block, deep, depth+1) {
				return true
			}
		}
	}
	return false
}
