package vars

import "strings"

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
	for n, defs := range ix.defs {
		if !strings.EqualFold(n, name) {
			continue
		}
		for _, df := range defs {
			if sameFamily(df.family, fam) {
				return true
			}
		}
	}
	for n, rs := range ix.named {
		if !strings.EqualFold(n, name) {
			continue
		}
		for _, r := range rs {
			if sameFamily(family(r.d.Context()), fam) {
				return true
			}
		}
	}
	return false
}
