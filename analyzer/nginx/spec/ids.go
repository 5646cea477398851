package spec

// NameID numbers the directive names the table knows, from 1 in name
// order; NoID is a name it does not know. The parser keeps each
// directive's number, so that the lookups the rules make for every
// directive (its entries at a release, its argument type, the rules that
// declared it) index a slice instead of hashing the name again.
type NameID uint16

// NoID is the number of a name the table does not know.
const NoID NameID = 0

var (
	idOf  map[string]NameID
	names []string       // names[id]; names[NoID] is ""
	byID  [][]*Directive // byID[id] is Lookup(names[id]), a run of all
	// argTypeByID holds argTypes by number, then family; ownParserByID
	// ownParsers and versionedParsers the same way.
	argTypeByID   [][]familyType
	ownParserByID [][]familyParser
)

// familyParser is a name's own parser in one family ("" for main).
type familyParser struct {
	family string
	parse  func(args []string, v Version) *Refusal
}

// familyType is a name's argument type in one family ("" for all).
type familyType struct {
	family string
	t      *ArgType
}

// numberNames numbers the names of the sorted table, once at init: a
// name's entries are one run of all, so byID[id] is a slice of it.
func numberNames() {
	n := 1
	for i := 1; i < len(all); i++ {
		if all[i].Name != all[i-1].Name {
			n++
		}
	}
	if n > int(^NameID(0)) {
		panic("spec: more directive names than a NameID can number")
	}
	idOf = make(map[string]NameID, n)
	names = make([]string, 1, n+1)
	byID = make([][]*Directive, 1, n+1)
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && all[j].Name == all[i].Name {
			j++
		}
		idOf[all[i].Name] = NameID(len(names))
		names = append(names, all[i].Name)
		byID = append(byID, all[i:j:j])
		i = j
	}
	// One array holds every name's entries: count them, then hand out
	// consecutive runs.
	counts := make([]int32, len(names))
	for k := range argTypes {
		counts[idOf[k.name]]++
	}
	types := make([]ArgType, 0, len(argTypes))
	flat := make([]familyType, len(argTypes))
	argTypeByID = make([][]familyType, len(names))
	next := 0
	for id, c := range counts {
		if c > 0 {
			argTypeByID[id] = flat[next : next : next+int(c)]
			next += int(c)
		}
	}
	for k, t := range argTypes {
		types = append(types, t)
		id := idOf[k.name]
		argTypeByID[id] = append(argTypeByID[id], familyType{k.family, &types[len(types)-1]})
	}
	ownParserByID = make([][]familyParser, len(names))
	for k, parse := range versionedParsers {
		ownParserByID[idOf[k.name]] = append(ownParserByID[idOf[k.name]], familyParser{k.family, parse})
	}
	for k, parse := range ownParsers {
		if _, both := versionedParsers[k]; !both { // the versioned one is asked first
			ownParserByID[idOf[k.name]] = append(ownParserByID[idOf[k.name]], familyParser{k.family,
				func(args []string, _ Version) *Refusal { return parse(args) }})
		}
	}
	// A name the table lacks would be filed under NoID and never looked
	// up: TestNameIDs checks that every name argTypes, ownParsers and
	// versionedParsers hold is numbered, and that NoID holds nothing.
	argTypeByID[NoID], ownParserByID[NoID] = nil, nil
}

// HasOwnParserID reports whether CheckOwnParser checks the numbered name.
func HasOwnParserID(id NameID) bool {
	return int(id) < len(ownParserByID) && len(ownParserByID[id]) > 0
}

// ID returns the number of a directive name, NoID when the table does not
// know it.
func ID(name string) NameID { return idOf[name] }

// NumIDs is one more than the largest NameID: a slice of this length
// indexes every name.
func NumIDs() int { return len(names) }

// NameOf returns the name a NameID numbers ("" for NoID).
func NameOf(id NameID) string {
	if int(id) >= len(names) {
		return ""
	}
	return names[id]
}

// LookupID is Lookup by the name's number: nil for NoID.
func LookupID(id NameID) []*Directive {
	if int(id) >= len(byID) {
		return nil
	}
	return byID[id]
}
