package practice

import (
	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

var ErrorLogOff = registry.Add(&analyzer.Rule{
	ID:         "NGX501",
	Name:       "error-log-off",
	Severity:   analyzer.Warning,
	Summary:    "error_log off writes the error log to a file named \"off\" instead of turning it off",
	Tags:       []analyzer.Tag{analyzer.TagPractice},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixUnsafe,
	Aliases:    []string{"error_log_off"},
	Directives: []string{"error_log"},
	Visit:      visitErrorLogOff,
	Doc: `## What it does
Reports ` + "`error_log off`" + `.

## Why is this bad?
Unlike ` + "`access_log off`" + `, ` + "`error_log`" + ` has no ` + "`off`" + ` value: nginx takes the word as a file
name and writes the error log to a file called ` + "`off`" + ` in its prefix folder (often
` + "`/usr/share/nginx/off`" + ` or ` + "`/etc/nginx/off`" + `). The log is not silenced, it grows where nobody
looks, and the errors that explain a 502 are not in the place operators search.

## Example
` + "```nginx" + `
error_log off;
` + "```" + `

## Use instead
Send it to a file people read, or, to really discard it, to ` + "`/dev/null`" + ` at the highest level:
` + "```nginx" + `
error_log /dev/null emerg;
` + "```" + `

The fix writes ` + "`/dev/null emerg`" + `. It is unsafe: it discards the messages that ` + "`off`" + ` was
collecting, which is what the line meant but not what it did.
`,
})

func visitErrorLogOff(p *analyzer.Pass, d *nginx.Directive) {
	if len(d.Args) == 0 || d.Args[0].Value != "off" {
		return
	}
	a := d.Args[0]
	f := analyzer.Finding{
		Span: a.Span(),
		Message: "error_log has no off value: nginx writes the error log to a file named \"off\" in its prefix folder, " +
			"where nobody looks for it; name a real file, or write `error_log /dev/null emerg;` to discard it",
	}
	if len(d.Args) == 1 {
		f.Fix = &analyzer.Fix{Title: "Discard the error log with /dev/null", Edits: []analyzer.Edit{{Span: a.Span(), NewText: "/dev/null emerg"}}}
	}
	p.Report(f)
}
