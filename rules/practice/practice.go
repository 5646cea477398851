// Package practice holds the nginx rules about configuration that works
// but wastes resources or hides problems: logs written nowhere useful,
// connection limits below what the workers need, maps that fall through
// to an empty value (NGX5xx; see docs/rule-ids.md).
package practice

import "github.com/ngxlint/ngxlint/analyzer"

// All returns the family's rules; rules.All() merges every family's.
func All() []*analyzer.Rule { return registry.Rules() }

// registry collects the rules of this package; each rule file adds its own.
var registry analyzer.Registry
