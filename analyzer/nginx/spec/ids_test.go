package spec

import (
	"slices"
	"testing"
)

// Every name of the table has a number that leads back to it and to the
// same entries as the name; a name the table lacks has none. The lookups
// by number give what the lookups by name gave before numbers existed:
// LookupAtID the entries a release has, ArgTypeOfID the argument type
// straight from argTypeRefs.
func TestNameIDs(t *testing.T) {
	if ID("no_such_directive") != NoID || LookupID(NoID) != nil || NameOf(NoID) != "" {
		t.Error("an unknown name must have NoID, and NoID no entries")
	}
	if LookupAtID(NameID(NumIDs()), Latest) != nil || LookupID(NameID(NumIDs())) != nil || ArgTypeOfID(NameID(NumIDs()), "http") != nil {
		t.Error("a number past the table must find nothing")
	}
	versions := []Version{{1, 0, 0}, {1, 18, 0}, {1, 25, 3}, Latest}
	seen := map[NameID]bool{}
	for _, d := range All() {
		id := ID(d.Name)
		if id == NoID || NameOf(id) != d.Name {
			t.Fatalf("%s: number %d names %q", d.Name, id, NameOf(id))
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		if !slices.Equal(LookupID(id), Lookup(d.Name)) {
			t.Errorf("%s: LookupID differs from Lookup", d.Name)
		}
		for _, v := range versions {
			var want []*Directive
			for _, e := range Lookup(d.Name) {
				if e.Has(v) {
					want = append(want, e)
				}
			}
			if got := LookupAtID(id, v); !slices.Equal(got, want) {
				t.Errorf("%s at %v: %d entries, want %d", d.Name, v, len(got), len(want))
			}
		}
		for _, fam := range []string{"", "http", "stream", "main"} {
			byFamily := argTypeRefs[d.Name]
			got := ArgTypeOfID(id, fam)
			if byFamily == nil && got != nil || got != nil && !slices.Contains(mapValues(byFamily), got) {
				t.Errorf("%s in %q: argument type not from its own entries", d.Name, fam)
			}
		}
		if HasOwnParserID(id) != ownParserNames[d.Name] {
			t.Errorf("%s: HasOwnParserID %v", d.Name, HasOwnParserID(id))
		}
	}
	if len(seen) != NumIDs()-1 {
		t.Errorf("%d names numbered, NumIDs %d", len(seen), NumIDs())
	}
	// Every name with an argument type or a parser of its own is numbered,
	// or the lookups by number would never find it.
	for _, name := range append(ArgTypeNames(), OwnParserNames()...) {
		if ID(name) == NoID {
			t.Errorf("%s has an argument type or an own parser, but no number", name)
		}
	}
	// In http, a name's type is its family-less entry, else its http one.
	for _, name := range ArgTypeNames() {
		want := argTypeRefs[name][""]
		if want == nil {
			want = argTypeRefs[name]["http"]
		}
		if got := ArgTypeOfID(ID(name), "http"); got != want {
			t.Errorf("%s in http: %v, want %v", name, got, want)
		}
	}
}

func mapValues(m map[string]*ArgType) []*ArgType {
	var out []*ArgType
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
