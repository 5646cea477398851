package main

import (
	"os"
	"path/filepath"
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

// While the files are read, the pace follows the bytes admitted: nothing
// for a small input, a raise for a large one, and none again until the
// total has grown by an eighth.
func TestPaceForReading(t *testing.T) {
	resetPace(t)
	runtime.GC()
	paceFor(startingHeap)
	target := func() uint64 {
		pace.Lock()
		defer pace.Unlock()
		return pace.target
	}
	paceForReading(1 << 20) // 24 MB: under the starting heap
	if got := target(); got != startingHeap {
		t.Fatalf("target after 1 MB read: %d, want the starting heap %d", got, startingHeap)
	}
	paceForReading(10 << 20)
	if got := target(); got != 10<<20*loadedHeapPerByte {
		t.Fatalf("target after 10 MB read: %d, want %d", got, 10<<20*loadedHeapPerByte)
	}
	paceForReading(11 << 20) // a tenth more: not asked again
	if got := target(); got != 10<<20*loadedHeapPerByte {
		t.Fatalf("target after 11 MB read: %d, want the 10 MB one kept", got)
	}
	paceForReading(12 << 20)
	if got := target(); got != 12<<20*loadedHeapPerByte {
		t.Fatalf("target after 12 MB read: %d, want %d", got, 12<<20*loadedHeapPerByte)
	}
}

// The lint command hands its load the reading hook, which hears the size
// of what it reads.
func TestLintPacesWhileReading(t *testing.T) {
	p := filepath.Join(t.TempDir(), "nginx.conf")
	text := "events {}\nhttp { server { listen 80; } }\n"
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	var last int64
	heapForReading = func(total int64) { last = total }
	t.Cleanup(func() { heapForReading = nil })
	if code, _, errw := ngx(t, "", "lint", p); code != 0 {
		t.Fatalf("exit %d: %s", code, errw)
	}
	if last != int64(len(text)) {
		t.Errorf("the reading hook last heard %d bytes, want %d", last, len(text))
	}
}
