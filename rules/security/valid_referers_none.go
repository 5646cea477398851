package security

import (
	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

var ValidReferersNone = registry.Add(&analyzer.Rule{
	ID:         "NGX406",
	Name:       "valid-referers-none",
	Severity:   analyzer.Warning,
	Summary:    "valid_referers none accepts every request that carries no Referer",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"valid_referers"},
	Directives: []string{"valid_referers"},
	Visit:      visitValidReferers,
	Doc: `## What it does
Finds the ` + "`none`" + ` parameter of ` + "`valid_referers`" + ` and points at it.

## Why is this bad?
` + "`none`" + ` makes a request without a ` + "`Referer`" + ` header valid (` + "`$invalid_referer`" + ` empty). Any
client can leave the header out (` + "`curl`" + `, a page with ` + "`<meta name=\"referrer\" content=\"no-referrer\">`" + `,
` + "`rel=\"noreferrer\"`" + ` links), so a check that is meant to stop other sites from hot-linking or
framing a resource, or to protect an action against cross-site requests, lets them all through.

## Example
` + "```nginx" + `
location /images/ {
    valid_referers none blocked server_names *.example.com;
    if ($invalid_referer) {
        return 403;
    }
}
` + "```" + `

## Use instead
` + "```nginx" + `
location /images/ {
    valid_referers server_names *.example.com;
    if ($invalid_referer) {
        return 403;
    }
}
` + "```" + `
Keep ` + "`none`" + ` only where requests without the header (direct visits, privacy-minded browsers)
must be served, and do not rely on the check for anything that matters then.
`,
})

func visitValidReferers(p *analyzer.Pass, d *nginx.Directive) {
	for _, a := range d.Args {
		if a.Value == "none" {
			p.Report(analyzer.Finding{
				Span: a.Span(),
				Message: "valid_referers none counts a request without a Referer header as valid, and any client can " +
					"leave the header out: the referer check stops nobody who wants past it; remove none",
			})
		}
	}
}
