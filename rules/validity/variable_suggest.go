package validity

import (
	"strings"

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
		d := varEditDistance(name, v.Name, limit)
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

// varEditDistance is the Levenshtein distance of a and b, counting an
// exchange of two neighbours as one edit; any value above limit is
// limit+1.
func varEditDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			low = min(low, cur[j])
		}
		if low > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], limit+1)
}
