package spec

// NameMap maps directive names to values, for the questions rules ask of
// every directive they visit ("is this one of the directives that take
// their arguments literally?"): a name the table numbers is looked up by
// its NameID in a slice, and only a name it does not know is hashed.
// Read-only once made, so safe for concurrent use.
type NameMap[V any] struct {
	byID   []V
	has    []bool
	others map[string]V
}

// NewNameMap makes a NameMap holding m's entries. Call it after package
// initialisation has numbered the names (a package-level var of a package
// importing spec is fine).
func NewNameMap[V any](m map[string]V) *NameMap[V] {
	t := &NameMap[V]{byID: make([]V, NumIDs()), has: make([]bool, NumIDs())}
	for name, v := range m {
		if id := ID(name); id != NoID {
			t.byID[id], t.has[id] = v, true
			continue
		}
		if t.others == nil {
			t.others = map[string]V{}
		}
		t.others[name] = v
	}
	return t
}

// NewNameSet is a NameMap of true for each name.
func NewNameSet(names ...string) *NameMap[bool] {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return NewNameMap(m)
}

// Get returns the value for a directive's name, given as its number and
// name (a directive's NameID() and Name, which must agree). A nil NameMap
// holds nothing.
func (t *NameMap[V]) Get(id NameID, name string) (V, bool) {
	if t == nil {
		var zero V
		return zero, false
	}
	if id != NoID && int(id) < len(t.has) {
		return t.byID[id], t.has[id]
	}
	v, ok := t.others[name]
	return v, ok
}

// Value is Get without the second result: the zero V when the name is
// not in the map.
func (t *NameMap[V]) Value(id NameID, name string) V {
	v, _ := t.Get(id, name)
	return v
}

// Of is Get for a name alone (hashed once to find its number).
func (t *NameMap[V]) Of(name string) (V, bool) { return t.Get(ID(name), name) }
