package validity

import (
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
)

// suggest returns the directive nginx v has whose name is closest to name
// by edit distance, preferring one allowed at path; "" when nothing is
// close enough to be a likely typo (one edit for short names, two
// otherwise). extra are declared third-party directives.
func suggest(name string, path []string, v spec.Version, extra []string) string {
	limit := 2
	if len(name) <= 5 {
		limit = 1
	}
	best, bestDist, bestAllowed := "", limit+1, false
	consider := func(cand string, allowed bool) {
		if cand == name {
			return
		}
		dist := editDistance(name, cand, limit)
		if dist > limit {
			return
		}
		if dist < bestDist || dist == bestDist && allowed && !bestAllowed {
			best, bestDist, bestAllowed = cand, dist, allowed
		}
	}
	for _, d := range spec.All() {
		if !d.Has(v) || d.Source != "nginx" && !d.Current() {
			continue
		}
		ok, _ := d.AllowedIn(path)
		consider(d.Name, ok)
	}
	for _, e := range extra {
		consider(e, true)
	}
	return best
}

// editDistance is the Damerau-Levenshtein distance (adjacent swaps count
// one) of a and b, or limit+1 once it is certain to exceed limit.
func editDistance(a, b string, limit int) int {
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
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
