package spec

import (
	"reflect"
	"slices"
	"testing"
)

// Every name of the table has a number that leads back to it and to the
// same entries as the name; a name the table lacks has none. The lookups
// by number give what the lookups by name gave before numbers existed:
// LookupAtID the entries a release has, ArgTypeOfID the argument type
// straight from argTypes, HasOwnParserID the names of the parser tables.
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
			got := ArgTypeOfID(id, fam)
			if got != nil && !slices.ContainsFunc(argTypesOf(d.Name), func(t ArgType) bool { return sameArgType(t, *got) }) {
				t.Errorf("%s in %q: argument type not from its own entries", d.Name, fam)
			}
		}
		if HasOwnParserID(id) != hasOwnParser(d.Name) {
			t.Errorf("%s: HasOwnParserID %v", d.Name, HasOwnParserID(id))
		}
	}
	if len(seen) != NumIDs()-1 {
		t.Errorf("%d names numbered, NumIDs %d", len(seen), NumIDs())
	}
	// Every name with an argument type or a parser of its own is numbered,
	// or the lookups by number would never find it.
	// The keys of the tables themselves are read, not ArgTypeNames, which
	// lists what was numbered.
	var keys []argKey
	for k := range argTypes {
		keys = append(keys, k)
	}
	for k := range ownParsers {
		keys = append(keys, k)
	}
	for k := range versionedParsers {
		keys = append(keys, k)
	}
	for _, k := range keys {
		if ID(k.name) == NoID {
			t.Errorf("%s has an argument type or an own parser, but no number", k.name)
		}
	}
	if got, want := len(ArgTypeNames()), len(namesOf(argTypes)); got != want {
		t.Errorf("ArgTypeNames lists %d names, argTypes has %d", got, want)
	}
	if !slices.IsSorted(ArgTypeNames()) || !slices.IsSorted(OwnParserNames()) {
		t.Error("ArgTypeNames and OwnParserNames must be sorted")
	}
	// In http, a name's type is its family-less entry, else its http one.
	for name := range namesOf(argTypes) {
		want, ok := argTypes[argKey{name, ""}]
		if !ok {
			want, ok = argTypes[argKey{name, "http"}]
		}
		got := ArgTypeOfID(ID(name), "http")
		if ok != (got != nil) || ok && !sameArgType(*got, want) {
			t.Errorf("%s in http: %v, want %v", name, got, want)
		}
	}
}

// argTypesOf lists argTypes' entries for name, in any family.
func argTypesOf(name string) []ArgType {
	var out []ArgType
	for k, t := range argTypes {
		if k.name == name {
			out = append(out, t)
		}
	}
	return out
}

func hasOwnParser(name string) bool {
	for k := range ownParsers {
		if k.name == name {
			return true
		}
	}
	for k := range versionedParsers {
		if k.name == name {
			return true
		}
	}
	return false
}

func namesOf[V any](m map[argKey]V) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k.name] = true
	}
	return out
}

// sameArgType compares two argument types; a Check closure by its code.
func sameArgType(a, b ArgType) bool {
	fn := func(f func(int64) (bool, string)) uintptr {
		if f == nil {
			return 0
		}
		return reflect.ValueOf(f).Pointer()
	}
	return a.Kind == b.Kind && slices.Equal(a.Values, b.Values) && fn(a.Check) == fn(b.Check)
}

// CheckOwnParserID files each (name, family) handler under the name's
// number: it must give what the handler keyed by name and family gives,
// the versioned one first, and nothing in a family the name has none in.
func TestOwnParsersByID(t *testing.T) {
	samples := [][]string{{"x"}, {"1"}, {"0"}, {"auto"}, {"on"}, {"$v"}, {"1k"}, {"10s"}, {"127.0.0.1"}, {"a", "b"},
		{"301", "http://x"}, {"404", "=", "/x"}, {"unix:/s"}, {"[::1]:80"}, {"-5"}, {"http://a$b"}}
	v := Latest
	keys := map[argKey]bool{}
	for k := range ownParsers {
		keys[k] = true
	}
	for k := range versionedParsers {
		keys[k] = true
	}
	for k := range keys {
		for _, args := range samples {
			var want *Refusal
			if parse := versionedParsers[k]; parse != nil {
				want = parse(args, v)
			} else {
				want = ownParsers[k](args)
			}
			if got := CheckOwnParserID(ID(k.name), k.family, args, v); !reflect.DeepEqual(got, want) {
				t.Errorf("%s in %q with %q: %+v, want %+v", k.name, k.family, args, got, want)
			}
		}
		if other := "mail"; !keys[argKey{k.name, other}] && CheckOwnParserID(ID(k.name), other, []string{"x"}, v) != nil {
			t.Errorf("%s answers in %q, where it has no handler", k.name, other)
		}
	}
}
