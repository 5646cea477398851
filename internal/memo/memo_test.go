package memo

import (
	"sync"
	"sync/atomic"
	"testing"
)

// Get computes a key once when asked in turn, and returns the kept value
// to every caller, from many goroutines at once (run with -race), also
// when compute asks the Map itself.
func TestGet(t *testing.T) {
	var m Map[string, int]
	var calls atomic.Int32
	compute := func() int { calls.Add(1); return 7 }
	if m.Get("a", compute) != 7 || m.Get("a", func() int { return 8 }) != 7 || calls.Load() != 1 {
		t.Fatalf("a second Get computed again or changed the value (%d calls)", calls.Load())
	}
	if got := m.Get("b", func() int { return m.Get("a", compute) + 1 }); got != 8 {
		t.Errorf("nested Get = %d, want 8", got)
	}
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			if got := m.Get("c", func() int { return 3 }); got != 3 {
				t.Errorf("goroutine %d: %d", i, got)
			}
		})
	}
	wg.Wait()
}
