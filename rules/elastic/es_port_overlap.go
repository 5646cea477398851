package elastic

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var ESPortOverlap = registry.Add(&analyzer.Rule{
	ID:        "ES104",
	Name:      "es-port-overlap",
	Severity:  analyzer.Error,
	Summary:   "http.port and transport.port claim the same port: HTTP cannot bind it",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Run:       runESPortOverlap,
	Doc: `## What it does
Works out the port each layer takes: the node starts the transport layer first, on the first free
port of ` + "`transport.port`" + ` (default ` + "`9300-9400`" + `), then HTTP on the first free port of ` + "`http.port`" + `
(default ` + "`9200-9300`" + `). Reports when the first HTTP port is the port transport takes: an error when
` + "`http.port`" + ` is that single port, a warning when it is a range (HTTP moves to the next port).

## Why is this bad?
With ` + "`http.port: 9300`" + ` the transport layer holds 9300 and the HTTP layer cannot bind it: the node
does not start, and clients get connection refused. With a range, HTTP silently ends up on another
port than the one clients and proxies use.

## Example
` + "```yaml" + `
http.port: 9300
` + "```" + `

## Use instead
` + "```yaml" + `
http.port: 9200
transport.port: 9300
` + "```" + `
`,
})

func runESPortOverlap(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		h, t := s.HTTPPort, s.TransportPort
		if h.Setting == nil && t.Setting == nil {
			continue // the defaults do not collide
		}
		tp, hp := t.First(), h.First()
		if tp == 0 || hp == 0 || tp != hp {
			continue // unknown, ephemeral, or no collision
		}
		span, other := portSpan(h), portSpan(t)
		if h.Setting == nil {
			span, other = other, span
		}
		f := analyzer.Finding{Span: span}
		if t.Setting != nil && h.Setting != nil {
			f.Related = []source.Related{{Span: other, Message: "the transport port is set here"}}
		}
		if single(h) {
			f.Message = fmt.Sprintf("the transport layer starts first and takes port %d, which is also the only HTTP port "+
				"(http.port %s): HTTP cannot bind and the node does not start; give HTTP another port, such as 9200", tp, portText(h))
		} else {
			f.Severity = analyzer.Warning
			f.Message = fmt.Sprintf("the transport layer starts first and takes port %d, the first port of http.port %s: "+
				"HTTP ends up on the next free port, not %d; give the two layers ports that do not overlap", tp, portText(h), hp)
		}
		p.Report(f)
	}
}

func single(ps elastic.PortSpec) bool {
	return len(ps.Ranges) == 1 && ps.Ranges[0][0] == ps.Ranges[0][1]
}

func portSpan(ps elastic.PortSpec) source.Span {
	if ps.Setting == nil || len(ps.Setting.Values) == 0 {
		return source.Span{}
	}
	return ps.Setting.Values[0].Span
}

func portText(ps elastic.PortSpec) string {
	if ps.Setting == nil || len(ps.Setting.Values) == 0 {
		if len(ps.Ranges) == 1 {
			return fmt.Sprintf("%d-%d (the default)", ps.Ranges[0][0], ps.Ranges[0][1])
		}
		return "(the default)"
	}
	return ps.Setting.Values[0].Text
}
