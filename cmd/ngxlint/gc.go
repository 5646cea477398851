package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// startingHeap is the heap a run may grow to before the garbage collector
// goes back to Go's default pace. Linting the 300-host benchmark tree
// allocates about 45 MB in all and the collector, at the default GOGC=100,
// took a quarter of its CPU time collecting a heap that small again and
// again. The Go compiler does the same (cmd/compile's AdjustStartingHeap).
const startingHeap = 64 << 20

// adjustStartingHeap lets the heap grow to startingHeap before the first
// collections, then returns to the default once the live heap is half of
// it: peak memory is at most about max(startingHeap, twice the live heap),
// the same as before for large inputs. A GOGC in the environment is left
// alone.
func adjustStartingHeap() {
	if os.Getenv("GOGC") != "" {
		return
	}
	paceFor(startingHeap)
}

// sentinel is allocated for its finalizer, which runs after the
// collection that finds it unreachable; large enough to stay out of the
// tiny allocator, whose objects may never be finalized.
type sentinel struct {
	_ *byte
	_ [24]byte
}

// paceFor sets GOGC so that the next collection comes at heap bytes,
// and does so again after each collection until the live heap reaches half
// of it; then GOGC is 100.
func paceFor(heap uint64) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	live := uint64(4 << 20) // the runtime's smallest heap goal
	if sample[0].Value.Kind() == metrics.KindUint64 {
		live = max(live, sample[0].Value.Uint64())
	}
	if live*2 >= heap {
		debug.SetGCPercent(100)
		return
	}
	debug.SetGCPercent(int(heap*100/live) - 100)
	runtime.SetFinalizer(&sentinel{}, func(*sentinel) { paceFor(heap) })
}
