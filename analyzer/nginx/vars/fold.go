package vars

import (
	"slices"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

// DefinedFold is Defined with the name compared without letter case, as
// nginx compares variable names: `set $Foo 1;` defines $foo, and $HOST is
// $host. (At and Defined match names exactly.)
func (ix *Index) DefinedFold(name, fam string) bool {
	if ix.Defined(name, fam) || ix.Defined(strings.ToLower(name), fam) {
		return true
	}
	if ix == nil {
		return false
	}
	f := ix.folded()
	if !source.IsASCIIString(name) {
		for _, e := range f.all {
			if sameFamily(e.family, fam) && strings.EqualFold(e.name, name) {
				return true
			}
		}
		return false
	}
	for _, family := range f.lower[strings.ToLower(name)] {
		if sameFamily(family, fam) {
			return true
		}
	}
	// A name with other letters may still fold to this one (the Kelvin
	// sign folds to k).
	for _, e := range f.other {
		if sameFamily(e.family, fam) && strings.EqualFold(e.name, name) {
			return true
		}
	}
	return false
}

// foldIndex is every defined name (set, map ... and named captures) with
// the block family it is defined in, for DefinedFold: the names written
// in ASCII by their lower case, the others in a list; and all of them,
// for a name asked in other letters. unknown-variable asks it of every
// reference it cannot resolve, and scanning every definition for each
// made 16,000 such references to as many variables take 5 s.
type foldIndex struct {
	lower map[string][]string
	other []foldEntry
	all   []foldEntry
}

type foldEntry struct{ name, family string }

// folded is the index's foldIndex, worked out on first use.
func (ix *Index) folded() *foldIndex {
	ix.foldOnce.Do(func() {
		f := &foldIndex{lower: map[string][]string{}}
		seen := map[foldEntry]bool{}
		add := func(name, family string) {
			e := foldEntry{name, family}
			if seen[e] {
				return
			}
			seen[e] = true
			f.all = append(f.all, e)
			if !source.IsASCIIString(name) {
				f.other = append(f.other, e)
				return
			}
			if k := strings.ToLower(name); !slices.Contains(f.lower[k], family) {
				f.lower[k] = append(f.lower[k], family)
			}
		}
		for n, defs := range ix.defs {
			for _, df := range defs {
				add(n, df.family)
			}
		}
		for n, rs := range ix.named {
			for _, r := range rs {
				add(n, family(r.d.Context()))
			}
		}
		ix.fold = f
	})
	return ix.fold
}
