package validity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var MapDuplicateKey = registry.Add(&analyzer.Rule{
	ID:         "NGX325",
	Name:       "map-duplicate-key",
	Severity:   analyzer.Error,
	Summary:    "a map gives one key twice, or two defaults: nginx refuses to start",
	Tags:       []analyzer.Tag{analyzer.TagValidity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"map"},
	Visit:      visitMapDuplicateKey,
	Doc: `## What it does
Reads the entries of every ` + "`map`" + ` block (with the files its ` + "`include`" + ` lines pull in) and reports
an entry whose key an earlier entry of the same block already gave, and a second ` + "`default`" + `. Keys
are compared as nginx compares them: quotes removed, without regard to letter case, whatever
the values. With ` + "`hostnames`" + `, ` + "`.example.com`" + ` stands for both ` + "`example.com`" + ` and
` + "`*.example.com`" + `, so it collides with either. Regular expressions (` + "`~`" + `, ` + "`~*`" + `) are tried in
order and may repeat; they are not reported.

## Why is this bad?
nginx refuses to start: ` + "`conflicting parameter \"a.example\"`" + ` (or ` + "`duplicate default map\nparameter`" + `), naming the second entry. Long maps generated from lists, and maps that two
people extend at once, are where it happens; an entry that differs only in case counts too.

## Example
` + "```nginx" + `
map $host $backend {
    default        app;
    shop.example   shop;
    Shop.example   shop_v2;
}
` + "```" + `

## Use instead
Keep one entry per key:
` + "```nginx" + `
map $host $backend {
    default        app;
    shop.example   shop_v2;
}
` + "```" + `
`,
})

func visitMapDuplicateKey(p *analyzer.Pass, d *nginx.Directive) {
	if !d.HasBlock || len(d.Args) != 2 {
		return
	}
	// entries with included files' in their place; an include that did
	// not resolve hides entries: the rest are judged
	var entries []*nginx.Directive
	nginx.AtLevel(d.Block, func(e *nginx.Directive) bool {
		entries = append(entries, e)
		return true
	})
	hostnames := false
	for _, e := range entries {
		if e.Name == "hostnames" && len(e.Args) == 0 {
			hostnames = true
		}
	}
	seen := map[string]*nginx.Directive{}
	var firstDefault *nginx.Directive
	for _, e := range entries {
		switch {
		case e.Name == "default" && len(e.Args) == 1:
			if firstDefault == nil {
				firstDefault = e
				continue
			}
			p.Report(analyzer.Finding{
				Span: e.NameSpan(),
				Message: fmt.Sprintf("this map already has a default (line %d): nginx refuses to start "+
					"(\"duplicate default map parameter\"); keep one default", firstDefault.Span().Start.Line),
				Related: []source.Related{{Span: firstDefault.NameSpan(), Message: "first default"}},
			})
			continue
		case len(e.Args) != 1 || e.Name == "include" || e.Name == "hostnames" || e.Name == "volatile":
			continue // a parameter, or not an entry nginx accepts (another rule's concern)
		}
		for _, k := range mapKeys(e.Name, hostnames) {
			first, dup := seen[k]
			if !dup {
				seen[k] = e
				continue
			}
			p.Report(analyzer.Finding{
				Span: e.NameSpan(),
				Message: fmt.Sprintf("map key %q is already given at %s (%q): nginx refuses to start "+
					"(\"conflicting parameter\"), since keys are compared without regard to case%s; keep one of the two entries",
					e.Name, placeFrom(first.Span(), e.Span()), first.Name, hostnameNote(hostnames)),
				Related: []source.Related{{Span: first.NameSpan(), Message: "first given here"}},
			})
			break
		}
	}
}

// placeFrom names the line of first as seen from a finding at at: "line
// 5", or "maps/hosts.map:1" when an include brought it from another file.
func placeFrom(first, at source.Span) string {
	if first.File != at.File {
		return fmt.Sprintf("%s:%d", first.File, first.Start.Line)
	}
	return fmt.Sprintf("line %d", first.Start.Line)
}

func hostnameNote(hostnames bool) string {
	if hostnames {
		return ` and, with hostnames, ".name" stands for "name" and "*.name"`
	}
	return ""
}

// mapKeys returns the keys nginx files an entry under: none for a regex;
// with hostnames, those of nginx.HostKeys (none for a name nginx refuses
// outright, which is not a duplicate).
func mapKeys(key string, hostnames bool) []string {
	if strings.HasPrefix(key, "~") {
		return nil
	}
	key = strings.TrimPrefix(key, `\`)
	if !hostnames {
		return []string{"=" + strings.ToLower(key)}
	}
	keys, _ := nginx.HostKeys(key)
	return keys
}
