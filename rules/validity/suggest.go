package validity

import (
	"slices"
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
	consider := func(cand string, dist int, allowed bool) {
		if dist > limit {
			return
		}
		if dist < bestDist || dist == bestDist && allowed && !bestAllowed {
			best, bestDist, bestAllowed = cand, dist, allowed
		}
	}
	// Each name of the table once (its entries: modules, sources), only
	// when its length is in reach; its entries are asked about the
	// context only when it is close.
	usable := func(d *spec.Directive) bool { return d.Has(v) && (d.Source == "nginx" || d.Current()) }
	for id := spec.NoID + 1; int(id) < spec.NumIDs(); id++ {
		cand := spec.NameOf(id)
		if d := len(cand) - len(name); d > limit || -d > limit || cand == name {
			continue
		}
		entries := spec.LookupID(id)
		if !slices.ContainsFunc(entries, usable) {
			continue
		}
		dist := editdist.Distance(name, cand, limit)
		if dist > limit {
			continue
		}
		allowed := false
		for _, d := range entries {
			if usable(d) {
				ok, _ := d.AllowedIn(path)
				allowed = allowed || ok
			}
		}
		consider(cand, dist, allowed)
	}
	for _, e := range extra {
		if e != name {
			consider(e, editdist.Distance(name, e, limit), true)
		}
	}
	return best
}
