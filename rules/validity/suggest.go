package validity

import (
	"strings"

	"github.com/ngxlint/ngxlint/analyzer/editdist"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
)

// closeName returns the first of names within two edits of name, letter
// case aside: the name probably meant.
func closeName(name string, names []string) (string, bool) {
	for _, n := range names {
		if editdist.Distance(strings.ToLower(name), strings.ToLower(n), 2) <= 2 {
			return n, true
		}
	}
	return "", false
}

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
		dist := editdist.Distance(name, cand, limit)
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
