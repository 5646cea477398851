package hugeheap

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"
	"testing"
	"unsafe"
)

// inFreshProcess runs the calling test again in a process of its own
// and reports whether the caller is that process. The package works on
// a process's heap once, at its start; a test run twice in one process
// (-count) would find the heap its first run left.
func inFreshProcess(t *testing.T) bool {
	t.Helper()
	if os.Getenv("HUGEHEAP_TEST_CHILD") == t.Name() {
		return true
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "HUGEHEAP_TEST_CHILD="+t.Name())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("in a fresh process: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "--- SKIP") {
		t.Skipf("in a fresh process:\n%s", out)
	}
	return false
}

// After Prepare, the run's next allocations must land in a mapping the
// kernel has marked for huge pages (VmFlags "hg" in /proc/self/smaps):
// that the runtime reuses the freed region is what the whole package
// relies on.
func TestPreparedRegionTakesAllocations(t *testing.T) {
	if !inFreshProcess(t) {
		return
	}
	if os.Getenv("GOMEMLIMIT") != "" || os.Getenv("NGXLINT_HUGE_HEAP") == "0" {
		t.Skip("huge heap turned off in this environment")
	}
	// The mechanism is tested wherever the kernel has huge pages on
	// request, whatever its defrag setting decides by default.
	t.Setenv("NGXLINT_HUGE_HEAP", "1")
	in := Inputs{Env: os.Getenv, Input: MinInput}
	readSystem(&in)
	if d := decide(in, 64, 0, Size); d.Size == 0 {
		t.Skipf("this machine does not qualify: %s (THP %q)", d.Reason, strings.TrimSpace(in.THP))
	}
	if d := Prepare(MinInput); d.Size != Size {
		t.Fatalf("Prepare = %+v, want a %d-byte region", d, Size)
	}
	// Blocks of 4 MiB, the runtime's chunk: a hole left among the
	// start-up's objects below the region could take a small one.
	var marked, total int
	keep := make([][]byte, 0, 8)
	for range 8 {
		b := make([]byte, 4<<20)
		keep = append(keep, b)
		flags, err := vmFlagsAt(uintptr(unsafe.Pointer(&b[0])))
		if err != nil {
			t.Fatal(err)
		}
		total++
		if strings.Contains(" "+flags+" ", " hg ") {
			marked++
		}
	}
	if marked != total {
		t.Fatalf("%d of %d new blocks are in a mapping marked for huge pages", marked, total)
	}
	_ = keep
}

// vmFlagsAt returns the VmFlags line of the mapping holding addr.
func vmFlagsAt(addr uintptr) (string, error) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	inside := false
	for sc.Scan() {
		line := sc.Text()
		var lo, hi uintptr
		if n, _ := fmt.Sscanf(line, "%x-%x ", &lo, &hi); n == 2 && strings.Contains(strings.Fields(line)[0], "-") {
			inside = addr >= lo && addr < hi
			continue
		}
		if inside && strings.HasPrefix(line, "VmFlags:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmFlags:")), nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", fmt.Errorf("no mapping holds %#x", addr)
}

// After alignHeap the next large block starts on a huge-page boundary:
// the run's first allocations in the marked region get huge pages too.
func TestAlignHeap(t *testing.T) {
	if !inFreshProcess(t) {
		return
	}
	old := debug.SetGCPercent(-1) // nothing freed between the steps
	defer debug.SetGCPercent(old)
	alignHeap()
	b := make([]byte, 4<<20)
	if a := uintptr(unsafe.Pointer(unsafe.SliceData(b))); a%hugePage != 0 {
		t.Fatalf("block after alignHeap at %#x, %d KiB past a huge-page boundary", a, a%hugePage>>10)
	}
}
