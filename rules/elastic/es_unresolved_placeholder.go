package elastic

import (
	"strings"

	"github.com/ngxlint/ngxlint/internal/lazyre"

	"github.com/ngxlint/ngxlint/analyzer"
)

var ESUnresolvedPlaceholder = registry.Add(&analyzer.Rule{
	ID:        "ES307",
	Name:      "es-unresolved-placeholder",
	Severity:  analyzer.Warning,
	Summary:   "a ${...} placeholder names a setting the file does not set and has no default: the node refuses to start",
	Tags:      []analyzer.Tag{analyzer.TagValidity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionMedium,
	Run:       runESUnresolvedPlaceholder,
	Doc: `## What it does
Reports a ` + "`${name}`" + ` placeholder without a ` + "`:default`" + ` whose name looks like a setting (lower case,
with dots, such as ` + "`${node.name}`" + `) and that no setting of the file, or of the environment a compose
file in the run gives the node, defines. Upper-case names such as ` + "`${HOSTNAME}`" + ` are environment
variables, which only the host knows; they are left alone.

## Why is this bad?
A placeholder that is neither an environment variable nor another setting stops the node at
start-up (` + "`Could not resolve placeholder 'node.nmae'`" + `), usually after a typo or after the setting
it named was removed.

## Example
` + "```yaml" + `
node.name: es-1
path.data: /var/lib/es/${node.nmae}
` + "```" + `

## Use instead
` + "```yaml" + `
node.name: es-1
path.data: /var/lib/es/${node.name}
` + "```" + `
`,
})

var placeholderRE = lazyre.New(`\$\{([^}]*)\}`)

func runESUnresolvedPlaceholder(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		for _, st := range s.All {
			for _, v := range st.Values {
				for _, m := range placeholderRE.Re().FindAllStringSubmatch(v.Text, -1) {
					name := m[1]
					if strings.Contains(name, ":") || strings.HasPrefix(name, "prompt.") || strings.ToLower(name) != name ||
						!strings.Contains(name, ".") || s.Get(name) != nil {
						continue // a default, a prompt, an environment variable, or a setting that exists
					}
					p.Reportf(v.Span, "${%s} names no setting of this file and has no default: unless the node's environment "+
						"has a variable of that exact name, it refuses to start (Could not resolve placeholder '%s'); "+
						"set %s, fix the name, or add a default as ${%s:value}", name, name, name, name)
				}
			}
		}
	}
}
