package cputime

import (
	"runtime"
	"testing"
	"time"
)

// Spinning shows as CPU time: the count moves forward while this
// goroutine works, and never back.
func TestProcessCountsWork(t *testing.T) {
	start, ok := Process()
	if !ok {
		t.Skipf("no CPU time on %s", runtime.GOOS)
	}
	last := start
	for began := time.Now(); last-start < 20*time.Millisecond; {
		if time.Since(began) > 10*time.Second {
			t.Fatalf("%v of CPU time counted in 10 s of spinning", last-start)
		}
		now, _ := Process()
		if now < last {
			t.Fatalf("CPU time went back from %v to %v", last, now)
		}
		last = now
	}
}
