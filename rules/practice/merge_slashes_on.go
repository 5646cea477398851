package practice

import (
	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

var MergeSlashesOn = registry.Add(&analyzer.Rule{
	ID:         "NGX509",
	Name:       "merge-slashes-on",
	Severity:   analyzer.Info,
	Summary:    "merge_slashes on makes nginx match locations on a path other than the one a proxied backend receives",
	Tags:       []analyzer.Tag{analyzer.TagPractice},
	Precision:  analyzer.PrecisionMedium,
	Fix:        analyzer.FixUnsafe,
	OptIn:      true,
	Aliases:    []string{"merge_slashes_on"},
	Directives: []string{"merge_slashes"},
	Visit:      visitMergeSlashesOn,
	Doc: `## What it does
Reports ` + "`merge_slashes on`" + ` written out. The rule is opt-in (` + "`--enable merge-slashes-on`" + `) and
informational: ` + "`on`" + ` is nginx's default, so the line changes nothing, and the alternative has its own
risk (below).

## Why is this bad?
With ` + "`on`" + `, nginx merges repeated slashes before it picks a location: ` + "`//api//users`" + ` is matched as
` + "`/api/users`" + `. But ` + "`proxy_pass`" + ` without a URI part sends the backend the path as the client wrote
it, slashes and all. nginx's location rules and the backend's router then look at two different
paths, the kind of disagreement path-confusion attacks are built on (a backend that does not merge
may route ` + "`//admin`" + ` elsewhere than nginx thought). Note that nginx reads the setting of the
default server of the address and port, before it knows the Host: a value in another server block
is not used for HTTP/1 requests.

## Example
` + "```nginx" + `
server {
    merge_slashes on;
    location / {
        proxy_pass http://app;
    }
}
` + "```" + `

## Use instead
Leave the default and make the backend normalise paths the same way, or turn merging off:
` + "```nginx" + `
server {
    merge_slashes off;
}
` + "```" + `

The fix writes ` + "`off`" + `. It is unsafe: with merging off, ` + "`//admin/`" + ` no longer matches
` + "`location /admin/`" + `, so an ` + "`allow`" + `/` + "`deny`" + ` or ` + "`auth_basic`" + ` placed on a prefix location can be
skipped with a doubled slash, and static files under paths with ` + "`//`" + ` are looked up as written.
Check every access rule that hangs on a prefix location before applying it.
`,
})

func visitMergeSlashesOn(p *analyzer.Pass, d *nginx.Directive) {
	if len(d.Args) != 1 || d.Args[0].Value != "on" {
		return
	}
	a := d.Args[0]
	p.Report(analyzer.Finding{
		Span: a.Span(),
		Message: "merge_slashes on (also the default) makes nginx pick locations on the path with repeated slashes merged, " +
			"while proxy_pass without a URI sends the backend the path as written (//admin), so nginx and the backend " +
			"can route one request differently; make the backend normalise paths the same way, or set it off after " +
			"checking that no access rule on a prefix location can then be skipped with a doubled slash",
		Fix: &analyzer.Fix{Title: "Set merge_slashes off (check prefix-location access rules first)",
			Edits: []analyzer.Edit{{Span: a.Span(), NewText: "off"}}},
	})
}
