package security

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/internal/lazyre"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

var HeaderMultiline = registry.Add(&analyzer.Rule{
	ID:         "NGX407",
	Name:       "header-multiline",
	Severity:   analyzer.Warning,
	Summary:    "a header value written over several lines is sent with its line breaks",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixUnsafe,
	Aliases:    []string{"add_header_multiline"},
	Directives: []string{"add_header", "add_trailer", "more_set_headers", "more_set_input_headers", "proxy_set_header"},
	Visit:      visitMultiline,
	Doc: `## What it does
Finds a header value (` + "`add_header`" + `, ` + "`add_trailer`" + `, ` + "`proxy_set_header`" + `, headers-more's
` + "`more_set_headers`" + ` and ` + "`more_set_input_headers`" + `) that holds a line break, usually a long
` + "`Content-Security-Policy`" + ` split over lines for reading. The fix joins the lines with one
space; it is marked unsafe because the header's bytes change.

## Why is this bad?
nginx sends the value as written, line breaks included. A break followed by spaces is the
obsolete "line folding" that RFC 9112 forbids in responses: some clients join the lines, others
reject the response or drop the header, and a break without indentation ends the header, so the
next line is read as a header of its own.

## Example
` + "```nginx" + `
add_header Content-Security-Policy "default-src 'self';
    script-src 'self' cdn.example.com;";
` + "```" + `

## Use instead
` + "```nginx" + `
add_header Content-Security-Policy "default-src 'self'; script-src 'self' cdn.example.com;";
` + "```" + `
`,
})

// lineBreak is a line break in the source with the indentation after it.
var lineBreak = lazyre.New(`[ \t]*\r?\n[ \t]*`)

func visitMultiline(p *analyzer.Pass, d *nginx.Directive) {
	for i, a := range d.Args {
		if d.Name == "add_header" || d.Name == "add_trailer" || d.Name == "proxy_set_header" {
			if i != 1 {
				continue
			}
		}
		if !strings.ContainsAny(a.Value, "\r\n") {
			continue
		}
		f := analyzer.Finding{
			Span: a.Span(),
			Message: fmt.Sprintf("this %s value spans %d lines, and nginx sends the line breaks: clients reject "+
				"folded header lines or read the next line as a header of its own; write the value on one line",
				d.Name, strings.Count(a.Value, "\n")+1),
		}
		if strings.ContainsAny(a.Raw(), "\n") && !strings.Contains(a.Raw(), `\n`) && !strings.Contains(a.Raw(), `\r`) {
			f.Fix = &analyzer.Fix{
				Title: "Join the value's lines with one space",
				Edits: []analyzer.Edit{{Span: a.Span(), NewText: lineBreak.Re().ReplaceAllString(a.Raw(), " ")}},
			}
		}
		p.Report(f)
	}
}
