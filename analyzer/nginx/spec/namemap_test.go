package spec

import "testing"

// A NameMap answers as the map it was made from, for names the table
// numbers and names it does not know alike.
func TestNameMapAnswersAsItsMap(t *testing.T) {
	m := map[string]int{"proxy_pass": 1, "root": 2, "lua_no_such_directive": 3}
	nm := NewNameMap(m)
	if ID("lua_no_such_directive") != NoID || ID("proxy_pass") == NoID {
		t.Fatal("the cases need one name the table lacks and one it has")
	}
	for _, name := range []string{"proxy_pass", "root", "lua_no_such_directive", "alias", "other_unknown", ""} {
		want, wantOK := m[name]
		if got, ok := nm.Get(ID(name), name); got != want || ok != wantOK {
			t.Errorf("Get(%q) = %d, %v; want %d, %v", name, got, ok, want, wantOK)
		}
		if got, ok := nm.Of(name); got != want || ok != wantOK {
			t.Errorf("Of(%q) = %d, %v; want %d, %v", name, got, ok, want, wantOK)
		}
		if got := nm.Value(ID(name), name); got != want {
			t.Errorf("Value(%q) = %d, want %d", name, got, want)
		}
	}
	var none *NameMap[int]
	if v, ok := none.Get(ID("root"), "root"); v != 0 || ok {
		t.Error("a nil NameMap holds something")
	}
	s := NewNameSet("root", "x_unknown")
	if !s.Value(ID("root"), "root") || !s.Value(NoID, "x_unknown") || s.Value(ID("alias"), "alias") {
		t.Error("NewNameSet does not hold exactly its names")
	}
}
