package lazyre

import (
	"sync"
	"testing"
)

func TestCompilesOnceOnFirstUse(t *testing.T) {
	r := New(`^a(b+)$`)
	if r.String() != `^a(b+)$` {
		t.Errorf("pattern %q", r.String())
	}
	var wg sync.WaitGroup
	got := make([]any, 8)
	for i := range got {
		wg.Go(func() { got[i] = r.Re() })
	}
	wg.Wait()
	for _, g := range got {
		if g != got[0] {
			t.Fatal("concurrent first uses compiled the pattern more than once")
		}
	}
	if m := r.Re().FindStringSubmatch("abbb"); len(m) != 2 || m[1] != "bbb" {
		t.Errorf("match %q", m)
	}
	found := false
	for _, a := range All() {
		found = found || a == r
	}
	if !found {
		t.Error("All does not list the new expression")
	}
}

func TestBadPatternPanicsAtFirstUse(t *testing.T) {
	r := New(`(`) // declaring it must not panic
	defer func() {
		if recover() == nil {
			t.Error("a pattern that does not compile must panic when used")
		}
	}()
	r.Re()
}
