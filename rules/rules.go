// Package rules lists every ngxlint check. The checks live in one package
// per family under rules/ (syntax, connectivity, elastic, ...), each rule
// an analyzer.Rule value whose Doc is its reference page; docs/rule-ids.md
// says which family and ID range a new rule takes.
package rules

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/rules/connectivity"
	"github.com/ngxlint/ngxlint/rules/crosscheck"
	"github.com/ngxlint/ngxlint/rules/elastic"
	"github.com/ngxlint/ngxlint/rules/practice"
	"github.com/ngxlint/ngxlint/rules/security"
	"github.com/ngxlint/ngxlint/rules/syntax"
	"github.com/ngxlint/ngxlint/rules/validity"
)

// family is one package of rules; name is its folder under rules/, or
// "analyzer" for the rule the engine itself owns.
type family struct {
	name  string
	rules []*analyzer.Rule
}

func families() []family {
	return []family{
		{"syntax", syntax.All()},
		{"analyzer", []*analyzer.Rule{analyzer.BadSuppression}},
		{"connectivity", connectivity.All()},
		{"elastic", elastic.All()},
		{"security", security.All()},
		{"validity", validity.All()},
		{"crosscheck", crosscheck.All()},
		{"practice", practice.All()},
	}
}

// idPrefixes are the ID prefixes of docs/rule-ids.md, in listing order.
var idPrefixes = []string{"NGX", "ES", "XC"}

// All returns every rule, in ID order: by prefix as idPrefixes lists them,
// then by number.
func All() []*analyzer.Rule { return slices.Clone(sortedRules()) }

// sortedRules is All's list, sorted once: a run asks for it several times
// (selection, the known rules, the configuration), and sorting compared
// the IDs' parts by text each time, a fifth of a one-line lint's work.
var sortedRules = sync.OnceValue(func() []*analyzer.Rule {
	var all []*analyzer.Rule
	for _, f := range families() {
		all = append(all, f.rules...)
	}
	slices.SortStableFunc(all, func(a, b *analyzer.Rule) int {
		pa, na := splitID(a.ID)
		pb, nb := splitID(b.ID)
		return cmp.Or(cmp.Compare(prefixRank(pa), prefixRank(pb)), cmp.Compare(na, nb))
	})
	return all
})

// splitID splits "NGX101" into "NGX" and "101"; the digits compare as
// text, which orders them because every ID has three.
func splitID(id string) (prefix, number string) {
	i := strings.IndexAny(id, "0123456789")
	if i < 0 {
		return id, ""
	}
	return id[:i], id[i:]
}

// prefixRank places an unknown prefix last (the ID test reports it).
func prefixRank(p string) int {
	if i := slices.Index(idPrefixes, p); i >= 0 {
		return i
	}
	return len(idPrefixes)
}
