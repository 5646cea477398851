// Package syntax holds the loader rules: each reports the diagnostics that
// analyzer/nginx and analyzer/elastic record while loading a file (parse
// errors, include problems, YAML errors and shape), so that they can be
// enabled, disabled and suppressed like any other finding. Their IDs are
// NGX0xx and ES0xx (docs/rule-ids.md).
package syntax

import "github.com/ngxlint/ngxlint/analyzer"

// All returns the family's rules; rules.All() merges every family's.
func All() []*analyzer.Rule { return registry.Rules() }

// registry collects the rules of this package; each rule file adds its own.
var registry analyzer.Registry
