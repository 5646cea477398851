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
	byID  [][]*Directive // byID[id] is Lookup(names[id])
	// argTypeByID is argTypeRefs by number, ownParserByID ownParserNames.
	argTypeByID   []map[string]*ArgType
	ownParserByID []bool
)

// numberNames numbers the names of the sorted table, once at init.
func numberNames() {
	idOf = make(map[string]NameID, len(byName))
	names = []string{""}
	byID = [][]*Directive{nil}
	for _, d := range all {
		if _, ok := idOf[d.Name]; ok {
			continue
		}
		if len(names) > int(^NameID(0)) {
			panic("spec: more directive names than a NameID can number")
		}
		idOf[d.Name] = NameID(len(names))
		names = append(names, d.Name)
		byID = append(byID, byName[d.Name])
	}
	argTypeByID = make([]map[string]*ArgType, len(names))
	ownParserByID = make([]bool, len(names))
	for id, name := range names {
		argTypeByID[id] = argTypeRefs[name]
		ownParserByID[id] = ownParserNames[name]
	}
	// TestNameIDs checks that every name argTypeRefs and ownParserNames
	// hold is numbered: one that is not could never be looked up.
}

// HasOwnParserID reports whether CheckOwnParser checks the numbered name.
func HasOwnParserID(id NameID) bool { return int(id) < len(ownParserByID) && ownParserByID[id] }

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
