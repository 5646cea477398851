package validity

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
)

var InvalidFlagValue = registry.Add(&analyzer.Rule{
	ID:         "NGX304",
	Name:       "invalid-flag-value",
	Severity:   analyzer.Error,
	Summary:    "an on/off directive with another value, so nginx refuses to start",
	Tags:       []analyzer.Tag{analyzer.TagValidity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixUnsafe,
	Aliases:    []string{"invalid_flag"},
	Directives: flagDirectives(),
	Visit:      visitFlagValue,
	Doc: `## What it does
Reports the argument of a directive that takes only ` + "`on`" + ` or ` + "`off`" + ` (` + "`gzip`" + `, ` + "`sendfile`" + `,
` + "`proxy_buffering`" + ` ...) when it is anything else. nginx compares without regard to case, so ` + "`On`" + `
is accepted. A variable is no exception: nginx reads the value when it loads the configuration, not
per request. Directives that take other words as well (` + "`server_tokens build`" + `, ` + "`gzip_static always`" + `,
` + "`proxy_redirect default`" + `) are not flags and are left to the value checks.

## Why is this bad?
nginx refuses to start with ` + "`invalid value \"yes\" in \"gzip\" directive, it must be \"on\" or \"off\"`" + `.

## Example
` + "```nginx" + `
gzip yes;
sendfile true;
` + "```" + `

## Use instead
` + "```nginx" + `
gzip on;
sendfile on;
` + "```" + `
A value that plainly means one of them (yes/no, true/false, 1/0, enable(d)/disable(d)) gets a fix
to ` + "`on`" + ` or ` + "`off`" + `; it is unsafe only in that it turns a configuration nginx refused into one that
runs.
`,
})

// flagSlots are directives declared as taking any one argument whose
// handler nonetheless accepts only on or off (nginx's flag slot), read
// in nginx's sources.
var flagSlots = map[string]bool{"uwsgi_cache_background_update": true}

// flagDirectives are the names the rule reads: those of table entries
// that take a flag, and flagSlots; no other directive can be reported,
// so the rule is not called for the rest (it was called for every
// directive).
func flagDirectives() []string {
	names := slices.Sorted(maps.Keys(flagSlots))
	for _, d := range spec.All() {
		if d.Args.Flag {
			names = append(names, d.Name)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

var flagMeanings = map[string]string{
	"yes": "on", "true": "on", "1": "on", "enable": "on", "enabled": "on",
	"no": "off", "false": "off", "0": "off", "disable": "off", "disabled": "off", "none": "off",
}

func visitFlagValue(p *analyzer.Pass, d *nginx.Directive) {
	if len(d.Args) != 1 {
		return // a count problem, or not a flag
	}
	val := strings.ToLower(d.Args[0].Value)
	if val == "on" || val == "off" {
		return
	}
	ds := spec.LookupAtID(d.NameID(), p.Settings.Nginx())
	cs := checkedSites(d)
	flag, other := false, false
	slot := flagSlots[d.Name]
	for i := range cs.sites {
		for _, e := range spec.AllowedAt(ds, cs.path(i)) {
			if e.Args.Flag || slot {
				flag = true
			} else {
				other = true
			}
		}
	}
	if !flag || other {
		return
	}
	f := analyzer.Finding{Span: d.Args[0].Span(), Message: fmt.Sprintf("invalid value %q in %q: it must be \"on\" or \"off\", so "+
		"nginx refuses to start", d.Args[0].Value, d.Name)}
	if to, ok := flagMeanings[val]; ok {
		f.Fix = &analyzer.Fix{Title: "write " + to, Edits: []analyzer.Edit{{Span: d.Args[0].Span(), NewText: to}}}
	}
	p.Report(f)
}
