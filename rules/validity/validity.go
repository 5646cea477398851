// Package validity holds the nginx rules about what nginx refuses or
// silently ignores: unknown directives, directives out of context, wrong
// argument counts and values, duplicates, deprecated and removed
// directives for the configured version, unknown variables (NGX3xx; see
// docs/rule-ids.md).
package validity

import "github.com/ngxlint/ngxlint/analyzer"

// All returns the family's rules; rules.All() merges every family's.
func All() []*analyzer.Rule { return registry.Rules() }

// registry collects the rules of this package; each rule file adds its own.
var registry analyzer.Registry
