package validity

import (
	"path/filepath"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

var EventsMissing = registry.Add(&analyzer.Rule{
	ID:        "NGX333",
	Name:      "events-missing",
	Severity:  analyzer.Error,
	Summary:   "a main configuration has no events block, so nginx refuses to start",
	Tags:      []analyzer.Tag{analyzer.TagValidity},
	Precision: analyzer.PrecisionHigh,
	Fix:       analyzer.FixSafe,
	Run:       runEventsMissing,
	Doc: `## What it does
Checks that a main configuration (a file read as nginx's ` + "`-c`" + ` file: its ` + "`http`" + `, ` + "`stream`" + ` or
` + "`mail`" + ` block at the top level, and either named ` + "`nginx.conf`" + ` or holding directives only the main
context takes, such as ` + "`user`" + `, ` + "`worker_processes`" + ` or ` + "`pid`" + `) has an ` + "`events`" + ` block, its own
or from a file it includes at the top level. The finding is at the first top-level block.

A file included by another, a fragment, and a main file with a top-level include that loaded
nothing (the block may be there) are left alone.

## Why is this bad?
The ` + "`events`" + ` block is required, even empty: without it ` + "`nginx -t`" + ` fails with
` + "`no \"events\" section in configuration`" + ` and nginx does not start. Minimal configurations written
by hand or trimmed from a larger one often lose it.

## Example
` + "```nginx" + `
worker_processes auto;
http {
    server {
        listen 80;
        return 204;
    }
}
` + "```" + `

## Use instead
` + "```nginx" + `
worker_processes auto;
events {}
http {
    server {
        listen 80;
        return 204;
    }
}
` + "```" + `
The fix adds ` + "`events {}`" + ` before the block (safe: nginx does not start without one; its defaults
are those of an empty block).
`,
})

func runEventsMissing(p *analyzer.Pass) {
	for _, c := range p.Workspace.Nginx {
		if len(c.IncludedBy) > 0 || c.Implied != nil || c.Incomplete() {
			continue
		}
		var first *nginx.Directive // the first top-level block that needs events
		events, open, main := false, false, filepath.Base(c.File.Abs) == "nginx.conf"
		nginx.WalkExpanded(c.Directives, func(d *nginx.Directive) bool {
			switch {
			case d.Name == "events":
				events = true
			case d.Name == "include":
				open = open || len(d.Includes()) == 0
				return true // its files' directives are top-level too
			case d.Name == "http" || d.Name == "stream" || d.Name == "mail":
				if d.HasBlock && first == nil {
					first = d
				}
			case mainOnly(d.Name): // user, worker_processes, pid ...
				main = true
			}
			return false // not into blocks
		})
		if events || open || !main || first == nil {
			continue
		}
		f := analyzer.Finding{Span: first.NameSpan(), Message: "this configuration has no events block: nginx refuses " +
			"to start (no \"events\" section in configuration); add events {} at the top level, before " + first.Name}
		if first.Config == c {
			if indent, ok := c.File.LineIndent(first.Start()); ok {
				at := c.File.Span(first.Start(), first.Start())
				f.Fix = &analyzer.Fix{Title: "Add events {}", Safe: true,
					Edits: []analyzer.Edit{{Span: at, NewText: "events {}\n" + indent}}}
			}
		}
		p.Report(f)
	}
}
