package elastic

import (
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic/spec"
)

var ESInvalidValue = registry.Add(&analyzer.Rule{
	ID:        "ES304",
	Name:      "es-invalid-value",
	Severity:  analyzer.Error,
	Summary:   "a value the node cannot parse for its setting: a non-strict boolean, a bad port spec, a size or time without a unit",
	Tags:      []analyzer.Tag{analyzer.TagValidity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Fix:       analyzer.FixUnsafe,
	Run:       runESInvalidValue,
	Doc: `## What it does
Checks each value against its setting's type in the settings table, the way the node parses it at
start-up:
- booleans are strict: only ` + "`true`" + ` and ` + "`false`" + `; ` + "`yes`" + `, ` + "`on`" + `, ` + "`True`" + ` or ` + "`1`" + ` are refused;
- a port is a number from 0 to 65535 or a range such as ` + "`9200-9300`" + ` (first not after last), or a
  comma-separated list of those;
- sizes and times need a unit (` + "`512mb`" + `, ` + "`30s`" + `), integers and enumerations must be one;
- a secure setting (a password, a key's passphrase) belongs in the keystore, not in the file.
` + "`${VAR}`" + ` values are not checked: their value is not known. In a file written for a release
before 8.0 whose number is not configured, only ports are checked: booleans were lenient before
6.0 and plugins added values such as ` + "`discovery.type: ec2`" + `.

## Why is this bad?
The node exits at start-up on a value it cannot parse (` + "`Failed to parse value [yes] as only [true]\nor [false] are allowed`" + `), so every client and every proxy in front of it gets connection refused.

## Example
` + "```yaml" + `
bootstrap.memory_lock: yes
http.port: 9300-9200
` + "```" + `

## Use instead
` + "```yaml" + `
bootstrap.memory_lock: true
http.port: 9200-9300
` + "```" + `
A boolean written another way gets a fix to ` + "`true`" + ` or ` + "`false`" + ` (unsafe: check what was meant).
`,
})

// boolWords maps YAML 1.1 and other spellings of a boolean to the one the
// node accepts.
var boolWords = map[string]string{
	"true": "true", "yes": "true", "y": "true", "on": "true", "1": "true",
	"false": "false", "no": "false", "n": "false", "off": "false", "0": "false",
}

func runESInvalidValue(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		rel := releaseOf(p, s)
		for _, st := range s.All {
			if st.List || len(st.Values) != 1 || st.Values[0].Null {
				continue
			}
			row := spec.LookupIn(st.Key, rel.Product, rel.Version)
			if row == nil || spec.IsGroup(row) {
				continue
			}
			if rel.Before8 && row.Type != spec.Port {
				// An older release of unknown number: booleans were lenient
				// before 6.0 and plugins added values (discovery.type: ec2).
				continue
			}
			v := st.Values[0]
			err := spec.CheckValue(row, v.Text)
			if err == nil {
				continue
			}
			f := analyzer.Finding{Span: v.Span, Message: "setting [" + st.Key + "]: " + err.Error() + "; the node refuses to start"}
			if row.Type == spec.Bool {
				if want, ok := boolWords[strings.ToLower(v.Text)]; ok {
					f.Fix = &analyzer.Fix{Title: "write " + want, Edits: []analyzer.Edit{{Span: v.Span, NewText: want}}}
					f.Message += "; write " + want
				}
			}
			p.Report(f)
		}
	}
}
