package validity

import (
	"strings"

	"github.com/ngxlint/ngxlint/analyzer/editdist"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
)

// closestVariable is the built-in variable of family ("http", "stream",
// "" for either) that name most likely misspells: one or two edits away
// (one for short names), and the only one at that distance; "" otherwise.
func closestVariable(name, family string) string {
	name = strings.ToLower(name)
	limit := 2
	if len(name) < 6 {
		limit = 1
	}
	best, bestD, ties := "", limit+1, 0
	for _, v := range spec.Variables() {
		if v.Prefix || v.Source != "nginx" || family == "stream" && !v.Stream() || family == "http" && v.Stream() {
			continue
		}
		d := editdist.Distance(name, v.Name, limit)
		switch {
		case d < bestD:
			best, bestD, ties = v.Name, d, 0
		case d == bestD && v.Name != best:
			ties++
		}
	}
	if best == "" || ties > 0 {
		return ""
	}
	return best
}
