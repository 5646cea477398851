// Package security holds the nginx rules about unsafe configuration
// (NGX4xx; see docs/rule-ids.md): headers lost by inheritance, and the
// injection and traversal checks to come.
package security

import "github.com/ngxlint/ngxlint/analyzer"

// All returns the family's rules; rules.All() merges every family's.
func All() []*analyzer.Rule { return registry.Rules() }

// registry collects the rules of this package; each rule file adds its own.
var registry analyzer.Registry
