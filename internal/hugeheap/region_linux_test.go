package hugeheap

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
	"unsafe"
)

// After Prepare, the run's next allocations must land in a mapping the
// kernel has marked for huge pages (VmFlags "hg" in /proc/self/smaps):
// that the runtime reuses the freed region is what the whole package
// relies on.
func TestPreparedRegionTakesAllocations(t *testing.T) {
	if os.Getenv("GOMEMLIMIT") != "" || os.Getenv("NGXLINT_HUGE_HEAP") == "0" {
		t.Skip("huge heap turned off in this environment")
	}
	in := Inputs{Env: os.Getenv, Input: MinInput}
	readSystem(&in)
	if d := decide(in, 64, 0, Size); d.Size == 0 {
		t.Skipf("this machine does not qualify: %s (THP %q)", d.Reason, strings.TrimSpace(in.THP))
	}
	if d := Prepare(MinInput); d.Size != Size {
		t.Fatalf("Prepare = %+v, want a %d-byte region", d, Size)
	}
	// Several medium blocks, as a parse allocates them.
	var marked, total int
	keep := make([][]byte, 0, 16)
	for range 16 {
		b := make([]byte, 1<<20)
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
