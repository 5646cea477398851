package practice

import (
	"fmt"
	"strconv"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var WorkerProcessesMissing = registry.Add(&analyzer.Rule{
	ID:         "NGX503",
	Name:       "worker-processes-missing",
	Severity:   analyzer.Info,
	Summary:    "a main configuration without worker_processes runs one worker, on one CPU",
	Tags:       []analyzer.Tag{analyzer.TagPractice},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixSafe,
	Aliases:    []string{"missing_worker_processes"},
	Directives: []string{"events"},
	Visit:      visitWorkerProcesses,
	Doc: `## What it does
Reports a main configuration (the file with the ` + "`events`" + ` block) that sets no
` + "`worker_processes`" + `, at its ` + "`events`" + ` block.

## Why is this bad?
The default is one worker process. nginx then serves every connection from one CPU, however many
the machine has, and one slow operation (a large file from a slow disk, a blocking module) stalls
every client at once.

## Example
` + "```nginx" + `
events {
    worker_connections 1024;
}
` + "```" + `

## Use instead
` + "```nginx" + `
worker_processes auto;
events {
    worker_connections 1024;
}
` + "```" + `

The fix adds ` + "`worker_processes auto;`" + ` before the ` + "`events`" + ` block: one worker per CPU, which is
what nginx's own packages ship. It is safe.
`,
})

var WorkerRlimitNofile = registry.Add(&analyzer.Rule{
	ID:         "NGX504",
	Name:       "worker-rlimit-nofile",
	Severity:   analyzer.Warning,
	Summary:    "worker_rlimit_nofile is below worker_connections, so workers run out of file descriptors before connections",
	Tags:       []analyzer.Tag{analyzer.TagPractice},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"worker_rlimit_nofile_vs_connections"},
	Directives: []string{"worker_rlimit_nofile"},
	Visit:      visitRlimit,
	Doc: `## What it does
Compares ` + "`worker_rlimit_nofile`" + ` with ` + "`worker_connections`" + ` (in ` + "`events`" + `, default 512) and
reports a file limit below the connection limit. (Other linters ask for twice the connections;
nginx's ` + "`worker_connections`" + ` already counts the connections to backends, so the file limit
needs the connections plus the open files and logs, not twice them.)

## Why is this bad?
Every connection, to a client or to a backend, is a file descriptor, and so is every open file
and log. With the file limit below the connection limit, a busy worker reaches it first:
accept() and connect() fail with "Too many open files", clients are refused or reset, and the
error log fills while nginx looks half idle.

## Example
` + "```nginx" + `
worker_rlimit_nofile 1024;
events {
    worker_connections 4096;
}
` + "```" + `

## Use instead
` + "```nginx" + `
worker_rlimit_nofile 8192;
events {
    worker_connections 4096;
}
` + "```" + `
`,
})

func visitWorkerProcesses(p *analyzer.Pass, d *nginx.Directive) {
	if !d.HasBlock || d.Config.Implied != nil || len(d.Context()) != 0 || unresolvedMain(d.Config) ||
		d.Config.Incomplete() { // a tree recovered from errors may miss what is there
		return
	}
	if nginx.FindAtLevel(d.Config.Directives, "worker_processes") != nil {
		return
	}
	f := analyzer.Finding{Span: d.NameSpan(), Message: "no worker_processes: nginx runs a single worker, so one CPU serves " +
		"every connection and one slow operation stalls them all; add `worker_processes auto;`"}
	if indent, ok := d.Config.File.LineIndent(d.Start()); ok {
		at := d.Config.File.Span(d.Start(), d.Start())
		f.Fix = &analyzer.Fix{Title: "Add worker_processes auto", Safe: true,
			Edits: []analyzer.Edit{{Span: at, NewText: "worker_processes auto;\n" + indent}}}
	}
	p.Report(f)
}

func visitRlimit(p *analyzer.Pass, d *nginx.Directive) {
	if len(d.Args) != 1 || len(d.Context()) != 0 {
		return
	}
	limit, err := strconv.Atoi(d.Args[0].Value)
	if err != nil {
		return
	}
	conns, where := 512, (*nginx.Directive)(nil)
	if ev := nginx.FindAtLevel(d.Config.Directives, "events"); ev != nil {
		if wc := nginx.FindAtLevel(ev.Block, "worker_connections"); wc != nil && len(wc.Args) == 1 {
			n, err := strconv.Atoi(wc.Args[0].Value)
			if err != nil {
				return
			}
			conns, where = n, wc
		}
	} else if d.Config.Implied != nil || len(d.Config.IncludedBy) > 0 {
		return // the events block is elsewhere
	}
	if limit >= conns {
		return
	}
	f := analyzer.Finding{Span: d.Args[0].Span(), Message: fmt.Sprintf("worker_rlimit_nofile %d is below "+
		"worker_connections %d: every connection and open file takes a descriptor, so a busy worker hits \"Too many "+
		"open files\" and refuses clients before it reaches its connection limit; raise it to at least %d plus the "+
		"files it serves (2 x connections is a comfortable margin)", limit, conns, conns)}
	if where != nil {
		f.Related = []source.Related{{Span: where.Args[0].Span(), Message: "worker_connections"}}
	}
	p.Report(f)
}

// unresolvedMain reports a main file with an include that loaded nothing
// at its top level: the missing directive may be there.
func unresolvedMain(c *nginx.Config) bool {
	for _, d := range c.Directives {
		if d.Name == "include" && len(d.Includes()) == 0 {
			return true
		}
	}
	return false
}
