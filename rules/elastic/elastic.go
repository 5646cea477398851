// Package elastic holds the rules that read Elasticsearch / OpenSearch
// settings once they have loaded (ES1xx and up; the YAML loader rules, ES0xx,
// are in package syntax; see docs/rule-ids.md).
package elastic

import "github.com/ngxlint/ngxlint/analyzer"

// All returns the family's rules; rules.All() merges every family's.
func All() []*analyzer.Rule { return registry.Rules() }

// registry collects the rules of this package; each rule file adds its own.
var registry analyzer.Registry
