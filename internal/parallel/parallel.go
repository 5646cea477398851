// Package parallel runs independent pieces of work on all cores.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Each calls fn(i) for every i in [0, n), on up to GOMAXPROCS goroutines
// that take the next index as they finish one; on one core, or for one
// piece, it calls them in order on this goroutine. It returns when all
// calls have.
func Each(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				fn(i)
			}
		})
	}
	wg.Wait()
}

// EachMayWait is Each for pieces that may wait on one another, such as
// rules that wait for a model another rule is computing under a
// sync.Once: each piece gets its own goroutine, so that a waiting one
// leaves its core to another piece instead of holding it idle. On one
// core it calls them in order, as Each does; a piece may then wait only
// for work it would do itself, as a sync.Once's.
func EachMayWait(n int, fn func(i int)) {
	if runtime.GOMAXPROCS(0) <= 1 || n <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { fn(i) })
	}
	wg.Wait()
}
