// Package crosscheck holds the rules that read an nginx configuration and
// the settings of the Elasticsearch or OpenSearch nodes it proxies to
// together: ports, schemes and addresses the two disagree on (XC1xx; see
// docs/rule-ids.md).
package crosscheck

import "github.com/ngxlint/ngxlint/analyzer"

// All returns the family's rules; rules.All() merges every family's.
func All() []*analyzer.Rule { return registry.Rules() }

// registry collects the rules of this package; each rule file adds its own.
var registry analyzer.Registry
