package main

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// gcPercent reads GOGC's current value without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// The pace is loose while the live heap is small and back to the default
// once it is half the starting heap.
func TestPaceForStartingHeap(t *testing.T) {
	defer debug.SetGCPercent(gcPercent())
	runtime.GC()
	paceFor(startingHeap)
	if p := gcPercent(); p <= 100 {
		t.Fatalf("GOGC after paceFor with a small heap: %d, want more than 100", p)
	}
	live := make([]byte, startingHeap/2+(1<<20))
	for i := range live {
		live[i] = byte(i)
	}
	deadline := time.Now().Add(10 * time.Second)
	for gcPercent() != 100 {
		if time.Now().After(deadline) {
			t.Fatalf("GOGC still %d with %d MB live", gcPercent(), len(live)>>20)
		}
		runtime.GC() // the sentinel's finalizer runs after a collection
		time.Sleep(time.Millisecond)
	}
	runtime.KeepAlive(live)
}
