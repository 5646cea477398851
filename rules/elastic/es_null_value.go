package elastic

import (
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
)

var ESNullValue = registry.Add(&analyzer.Rule{
	ID:        "ES303",
	Name:      "es-null-value",
	Severity:  analyzer.Error,
	Summary:   "a setting without a value: the node refuses to start on a null setting",
	Tags:      []analyzer.Tag{analyzer.TagValidity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionVeryHigh,
	Run:       runESNullValue,
	Doc: `## What it does
Reports a setting whose value is empty, ` + "`~`" + ` or ` + "`null`" + `: ` + "`node.roles:`" + ` with nothing after it, or
` + "`network.host: #site#`" + `, where ` + "`#`" + ` starts a YAML comment and leaves the key without a value. A null
item inside a list is reported too.

## Why is this bad?
The node does not accept null values in its settings file and exits at start-up
(` + "`null-valued setting found for key [...]`" + `), so every client gets connection refused.

## Example
` + "```yaml" + `
node.roles:
network.host: #site#
` + "```" + `

## Use instead
` + "```yaml" + `
node.roles: []            # a coordinating-only node
network.host: _site_      # the _..._ form; #...# only works on the command line
` + "```" + `
`,
})

func runESNullValue(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		for _, st := range s.All {
			for _, v := range st.Values {
				if !v.Null {
					continue
				}
				hint := ""
				// What follows the key on its line: a comment that was meant as a value?
				rest := ""
				if !st.Env { // an environment entry's text is in the compose file
					rest, _, _ = strings.Cut(string(s.File.Src[st.KeySpan.End.Offset:]), "\n")
				}
				if _, after, ok := strings.Cut(rest, ":"); ok && !st.Nested {
					if f := strings.Fields(after); len(f) > 0 && strings.HasPrefix(f[0], "#") && strings.HasSuffix(f[0], "#") && len(f[0]) > 2 {
						t := f[0]
						hint = "; " + t + " is a YAML comment: write the special value as _" + strings.Trim(t, "#") + "_"
					}
				}
				if st.Key == "node.roles" && !st.List {
					hint += "; for a node without roles write node.roles: []"
				}
				p.Reportf(st.KeySpan, "setting [%s] has no value (null): the node refuses to start on a null setting%s",
					st.Key, hint)
				break
			}
		}
	}
}
