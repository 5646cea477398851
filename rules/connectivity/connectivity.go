// Package connectivity holds the nginx rules about whether traffic reaches
// where the configuration says: upstream peers and *_pass targets, read
// statically (NGX1xx) or confirmed by the running system through live mode
// and the error log (NGX2xx; see docs/rule-ids.md).
package connectivity

import "github.com/ngxlint/ngxlint/analyzer"

// All returns the family's rules; rules.All() merges every family's.
func All() []*analyzer.Rule { return registry.Rules() }

// registry collects the rules of this package; each rule file adds its own.
var registry analyzer.Registry
