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
	resetPace(t)
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

// resetPace starts a test from no target and puts GOGC back after it.
func resetPace(t *testing.T) {
	t.Helper()
	percent := gcPercent()
	setTarget := func(v uint64) {
		pace.Lock()
		pace.target = v
		pace.Unlock()
	}
	setTarget(0)
	t.Cleanup(func() {
		setTarget(0)
		debug.SetGCPercent(percent)
	})
}

// Once the input is known, a large one raises the pace beyond the
// starting heap's, and a smaller one never lowers it again.
func TestPaceForLoaded(t *testing.T) {
	resetPace(t)
	runtime.GC()
	paceFor(startingHeap)
	atStart := gcPercent()
	paceForLoaded(1 << 10) // 24 KB: less than the starting heap
	if p := gcPercent(); p != atStart {
		t.Fatalf("GOGC after a 1 KB input: %d, want the starting heap's %d", p, atStart)
	}
	paceForLoaded(64 << 20) // 1.5 GB before the next collection
	raised := gcPercent()
	if raised < 10*atStart {
		t.Fatalf("GOGC after a 64 MB input: %d, want at least ten times the starting heap's %d", raised, atStart)
	}
	paceFor(startingHeap)
	if p := gcPercent(); p != raised {
		t.Fatalf("GOGC after asking for the starting heap again: %d, want %d kept", p, raised)
	}
	t.Setenv("GOGC", "100")
	resetPace(t)
	debug.SetGCPercent(100)
	paceForLoaded(64 << 20)
	if p := gcPercent(); p != 100 {
		t.Fatalf("GOGC with GOGC=100 in the environment: %d, want it left alone", p)
	}
}
