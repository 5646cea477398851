package parallel

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// Every index is called exactly once, on one core and on several.
func TestEachCallsEveryIndexOnce(t *testing.T) {
	for _, procs := range []int{1, 4} {
		old := runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, 2, 1000} {
			calls := make([]atomic.Int32, n)
			Each(n, func(i int) { calls[i].Add(1) })
			for i := range calls {
				if c := calls[i].Load(); c != 1 {
					t.Errorf("GOMAXPROCS %d, n %d: index %d called %d times", procs, n, i, c)
				}
			}
		}
		runtime.GOMAXPROCS(old)
	}
}

// Pieces that wait for a later piece all finish: none holds a worker
// that the piece they wait for needs. (Each on two workers would hang
// here, with pieces 0 and 1 waiting for piece 3.)
func TestEachMayWaitLetsWaitingPiecesYield(t *testing.T) {
	old := runtime.GOMAXPROCS(2)
	defer runtime.GOMAXPROCS(old)
	const n = 4
	last := make(chan struct{})
	var calls [n]atomic.Int32
	done := make(chan struct{})
	go func() {
		EachMayWait(n, func(i int) {
			calls[i].Add(1)
			if i == n-1 {
				close(last)
				return
			}
			<-last
		})
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("pieces waiting for the last one kept it from running")
	}
	for i := range calls {
		if c := calls[i].Load(); c != 1 {
			t.Errorf("index %d called %d times", i, c)
		}
	}
}
