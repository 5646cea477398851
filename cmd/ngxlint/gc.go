package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// startingHeap is the heap a run may grow to before the garbage collector
// goes back to Go's default pace. Linting the 300-host benchmark tree
// allocates about 45 MB in all and the collector, at the default GOGC=100,
// took a quarter of its CPU time collecting a heap that small again and
// again. The Go compiler does the same (cmd/compile's AdjustStartingHeap).
const startingHeap = 64 << 20

// loadedHeapPerByte is the heap, per byte of loaded input, that a run may
// grow to before its next collection once its files are loaded. When it
// was chosen a byte of configuration became about 10 bytes of tree and 15
// of live heap once the models were built, and a lint allocated about 28
// in all (the generated 10 MB file: 164 MB live at the end, 284 MB
// allocated); at the default pace that lint collected at 57, 127 and
// 244 MB with 71, 140 and 164 MB live: three marks of a tree that was
// still almost all in use. At this pace it collected once. Since the
// parsed tree keeps offsets instead of positions (2026-12-03), the same
// lint holds 6 bytes of tree and 10 of live heap per byte and allocates
// about 16 in all, under this pace: it is never collected, and its peak
// is what it allocates.
const loadedHeapPerByte = 24

// adjustStartingHeap lets the heap grow to startingHeap before the first
// collections, then returns to the default once the live heap is half of
// it: peak memory is at most about max(startingHeap, twice the live heap),
// or with paceForLoaded max(startingHeap, loadedHeapPerByte times the
// input, twice the live heap). A GOGC in the environment is left alone.
func adjustStartingHeap() {
	if os.Getenv("GOGC") != "" {
		return
	}
	paceFor(startingHeap)
}

// paceForLoaded raises the heap allowed before the next collection to
// loadedHeapPerByte times the loaded input, when that is more than the
// starting heap: the bound on peak memory becomes max(that, twice the
// live heap).
func paceForLoaded(input int64) {
	if os.Getenv("GOGC") != "" || input <= 0 {
		return
	}
	paceFor(min(uint64(input), 1<<40) * loadedHeapPerByte)
}

// paceForReading is paceForLoaded while the files are read, with the
// bytes admitted so far: the loader admits a file before it parses it, so
// the target stays ahead of the trees being built and no collection comes
// during the load, where it would find almost nothing to free (the trees
// are live). Paced only after the loaded size, the 64 MB tree was
// collected five times in its load (57 to 808 MB of heap, 15% of its
// CPU), each marking the whole tree so far. Each raise is at least an
// eighth, so a tree of thousands of files asks a few dozen times.
func paceForReading(total int64) {
	heap := min(uint64(max(total, 0)), 1<<40) * loadedHeapPerByte
	pace.Lock()
	small := heap <= startingHeap || heap <= pace.target+pace.target/8
	pace.Unlock()
	if !small {
		paceForLoaded(total)
	}
}

// sentinel is allocated for its finalizer, which runs after the
// collection that finds it unreachable; large enough to stay out of the
// tiny allocator, whose objects may never be finalized.
type sentinel struct {
	_ *byte
	_ [24]byte
}

// pace is the collector's target: the heap at which the next collection
// comes while the live heap is under half of it.
var pace struct {
	sync.Mutex
	target  uint64
	waiting bool // a sentinel's finalizer will call repace
}

// paceFor raises the target to heap (a lower one is kept) and sets GOGC
// so that the next collection comes there. After each collection GOGC is
// set again, until the live heap reaches half the target; then GOGC is
// 100.
func paceFor(heap uint64) {
	pace.Lock()
	defer pace.Unlock()
	pace.target = max(pace.target, heap)
	repace()
}

func repace() {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	live := uint64(4 << 20) // the runtime's smallest heap goal
	if sample[0].Value.Kind() == metrics.KindUint64 {
		live = max(live, sample[0].Value.Uint64())
	}
	if live*2 >= pace.target {
		debug.SetGCPercent(100)
		return
	}
	debug.SetGCPercent(int(pace.target*100/live) - 100)
	if !pace.waiting {
		pace.waiting = true
		runtime.SetFinalizer(&sentinel{}, func(*sentinel) {
			pace.Lock()
			defer pace.Unlock()
			pace.waiting = false
			repace()
		})
	}
}
