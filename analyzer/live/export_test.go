package live

import "sort"

// ProbedRules lists the rule names that have a probe, for tests outside
// the package.
func ProbedRules() []string {
	out := make([]string, 0, len(probes))
	for name := range probes {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}
