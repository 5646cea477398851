package practice

import (
	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/inherit"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var TryFilesWithoutCache = registry.Add(&analyzer.Rule{
	ID:         "NGX508",
	Name:       "try-files-without-cache",
	Severity:   analyzer.Info,
	Summary:    "try_files checks the disk on every request and no open_file_cache keeps the answers",
	Tags:       []analyzer.Tag{analyzer.TagPractice},
	Precision:  analyzer.PrecisionMedium,
	Fix:        analyzer.FixNone,
	OptIn:      true,
	Aliases:    []string{"try_files_is_evil_too"},
	Directives: []string{"try_files"},
	Visit:      visitTryFilesWithoutCache,
	Doc: `## What it does
Reports ` + "`try_files`" + ` where no ` + "`open_file_cache`" + ` applies (none in the location, the server or the
http block, or one set to ` + "`off`" + `). It reads the whole configuration: in a fragment whose http
block is not loaded it stays silent. The rule is opt-in (` + "`--enable try-files-without-cache`" + `) and
informational.

## Why is this bad?
Each ` + "`try_files`" + ` candidate is a file-system lookup (` + "`stat`" + `/` + "`open`" + `) made on every request, before
the fallback is reached: ` + "`try_files $uri $uri/ /index.php`" + ` costs two lookups per request to a PHP
page. The operating system's cache makes them cheap, so this matters only on busy servers or slow
(network) file systems; ` + "`open_file_cache`" + ` keeps the answers, missing files included with
` + "`open_file_cache_errors on`" + `, in nginx's memory. The price of the cache is that a changed file
may be seen late (up to ` + "`open_file_cache_valid`" + `), so weigh it before turning it on.

## Example
` + "```nginx" + `
location / {
    try_files $uri $uri/ /index.php?$args;
}
` + "```" + `

## Use instead
` + "```nginx" + `
events {}
http {
    open_file_cache max=10000 inactive=60s;
    open_file_cache_valid 30s;
    open_file_cache_errors on;
}
` + "```" + `
`,
})

func visitTryFilesWithoutCache(p *analyzer.Pass, d *nginx.Directive) {
	if len(d.Args) < 2 || d.Module() != "http" {
		return
	}
	idx := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	v := p.Settings.Nginx()
	var missing []nginx.Site
	for _, s := range d.Config.Sites() {
		r := idx.Resolve(d, s, "open_file_cache", v)
		if r.Unresolved || !reachesHTTP(r.Levels) {
			return // an include not loaded, or a fragment without its http block: cannot tell
		}
		cached := false
		for _, x := range r.Effective {
			if x.Name == "open_file_cache" && len(x.Args) > 0 && x.Args[0].Value != "off" {
				cached = true
			}
		}
		if !cached {
			missing = append(missing, s)
		}
	}
	if len(missing) == 0 {
		return
	}
	var related []source.Related
	for _, s := range missing {
		related = append(related, s.Related()...)
	}
	p.Report(analyzer.Finding{
		Span: d.NameSpan(),
		Message: "try_files looks each candidate up on disk on every request, and no open_file_cache applies here to " +
			"keep the answers; on a busy server add open_file_cache (with open_file_cache_errors on) to the http block",
		Related: related,
	})
}

// reachesHTTP tells whether the levels walked include a loaded http block.
func reachesHTTP(levels []inherit.Level) bool {
	for _, l := range levels {
		if l.Context == "http" && l.Block != nil {
			return true
		}
	}
	return false
}
