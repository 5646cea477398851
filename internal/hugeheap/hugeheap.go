// Package hugeheap lets a short run's heap be backed by transparent huge
// pages where the kernel gives them only on request.
//
// A fresh ngxlint process spends much of its time in page faults: it
// allocates its whole heap once and touches every page of it for the
// first time, one 4 KiB fault at a time. On Linux with transparent huge
// pages in "madvise" mode (the default of many distributions) a region
// marked MADV_HUGEPAGE is faulted in 2 MiB at a time instead, 512 times
// fewer faults. The Go runtime no longer marks its heap itself, and a
// mark set before the runtime maps a region is lost when it does, so
// this package makes the runtime map a region first: it allocates one
// large block, marks it, and frees it again. The runtime's page allocator
// hands out the lowest free addresses first, so the run's allocations
// land in the marked region until it is used up. Nothing is touched: the
// block costs address space, not memory.
//
// Only a short-lived process should use it (the command line, not the
// language server): a huge page stays resident while any of it is in use.
// And only where a fault never waits for the kernel to compact memory
// into a huge page (see compactsOnFault), which is not the default of
// most distributions: there it is off unless NGXLINT_HUGE_HEAP=1.
package hugeheap

import (
	"math/bits"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"unsafe"
)

// Size is the region Prepare marks before a run loads anything: enough
// for the whole heap of a lint of a 10 MB configuration.
const Size = 512 << 20

// MinInput is the least input, in bytes, worth the set-up. Preparing
// costs a fresh process about 5 to 8 ms (mapping the region, one
// collection); a lint allocates some 16 bytes per byte of input (30
// before the parsed tree kept offsets, 2026-12-03), and a 4 KiB fault
// costs up to 10 µs on a virtual machine, so below a few hundred
// kilobytes of configuration there is less to save than to pay.
const MinInput = 256 << 10

// HeapPerInputByte is about how large a lint's heap grows per byte of
// input at its peak: 25 to 40 on the generated trees and files of
// bench/, from 1 to 61 MB, when it was measured; about 17 on the 10 MB
// file since the parsed tree keeps offsets (2026-12-03). Marking more
// than is used costs address space, not memory.
const HeapPerInputByte = 40

// minGrow is the least Grow adds: below it, the collection Grow needs
// costs more than the faults it saves.
const minGrow = 64 << 20

// Decision is what Prepare or Grow did, and why not when they did
// nothing: for tests, and for anyone asking why a run was not faster.
type Decision struct {
	Size   int    // bytes marked; 0 when nothing was done
	Reason string // why not, when Size is 0
}

// Inputs are what the policy reads from the system, gathered by the
// platform's code so that the policy itself is testable anywhere.
type Inputs struct {
	// THP is /sys/kernel/mm/transparent_hugepage/enabled, for example
	// "always [madvise] never".
	THP string
	// Defrag is /sys/kernel/mm/transparent_hugepage/defrag, for example
	// "always defer defer+madvise [madvise] never": what a fault in a
	// marked region does when no huge page is free.
	Defrag string
	// Overcommit is /proc/sys/vm/overcommit_memory: "2" is strict
	// accounting, where an untouched mapping is charged in full.
	Overcommit string
	// AddressLimit is RLIMIT_AS's soft limit; 0 when unlimited.
	AddressLimit uint64
	// MemTotal is the machine's memory in bytes (/proc/meminfo); 0 when
	// unknown.
	MemTotal uint64
	// Env reads the environment.
	Env func(string) string
	// Input is about how many bytes the run reads.
	Input int64
}

// decide is the policy for marking size more bytes when marked already
// are: only where it helps and costs nothing but address space.
func decide(in Inputs, pointerBits, marked, size int) Decision {
	if why := notWanted(in); why != "" {
		return Decision{Reason: why}
	}
	total := uint64(marked + size)
	switch {
	case pointerBits < 64:
		return Decision{Reason: "a 32-bit address space"}
	case selected(in.THP) != "madvise":
		// "always": every region gets huge pages already; "never": none
		// can.
		return Decision{Reason: "transparent huge pages are not in madvise mode"}
	case in.Env("NGXLINT_HUGE_HEAP") != "1" && compactsOnFault(in.Defrag):
		mode := selected(in.Defrag)
		if mode == "" {
			mode = "unknown"
		}
		return Decision{Reason: "a fault would wait for the kernel to compact memory (defrag " + mode + "); NGXLINT_HUGE_HEAP=1 marks anyway"}
	case strings.TrimSpace(in.Overcommit) == "2":
		// Strict accounting charges an untouched mapping in full.
		return Decision{Reason: "strict overcommit accounting"}
	case in.AddressLimit != 0 && in.AddressLimit < 4*total:
		return Decision{Reason: "an address-space limit (ulimit -v)"}
	case in.MemTotal != 0 && in.MemTotal < 2*total:
		// The kernel's heuristic refuses one mapping much larger than
		// the machine, and the runtime cannot survive a refusal.
		return Decision{Reason: "more than half the machine's memory"}
	}
	return Decision{Size: size}
}

// compactsOnFault reports whether a fault in a marked region that finds
// no free huge page waits while the kernel compacts memory for one: with
// defrag "always", "madvise" or "defer+madvise" (Debian's and Ubuntu's
// default is "madvise"), or when the setting cannot be read. Where other
// programs ran before (a CI job, a pre-commit hook) memory is fragmented
// and that wait costs more than the faults saved: with Gixy-Next run
// between lints, the 10 MB file took a median 0.86-0.96 s marked against
// 0.57-0.59 s unmarked, the 64 MB tree 5.1-6.9 s against 4.1-4.6 s
// (docs/performance-history.md). With "defer" or "never" a fault takes
// a small page at once instead.
func compactsOnFault(defrag string) bool {
	switch selected(defrag) {
	case "defer", "never":
		return false
	}
	return true
}

// selected is the bracketed choice of a setting such as
// "always defer defer+madvise [madvise] never", or "" when there is none.
func selected(setting string) string {
	_, rest, ok := strings.Cut(setting, "[")
	if !ok {
		return ""
	}
	choice, _, ok := strings.Cut(rest, "]")
	if !ok {
		return ""
	}
	return choice
}

// notWanted is the part of the policy that needs no system file read.
func notWanted(in Inputs) string {
	switch {
	case in.Env("NGXLINT_HUGE_HEAP") == "0":
		return "NGXLINT_HUGE_HEAP=0"
	case in.Env("GOMEMLIMIT") != "":
		// Free pages count against the limit: the runtime would work to
		// give the region back.
		return "GOMEMLIMIT is set"
	case in.Input < MinInput:
		return "a small input"
	}
	return ""
}

// state is what this process has marked, and what it read of the
// system (once).
var state struct {
	sync.Mutex
	marked int
	read   bool
	system Inputs
}

// Prepare marks a region of Size bytes when the input, about input bytes,
// is large enough and the system allows it. Call it before the run's heap
// grows: it collects garbage once, which is cheap while the heap is small.
func Prepare(input int64) Decision {
	return mark(input, Size)
}

// Possible reports whether Prepare could mark anything for a large
// enough input, from the environment and the system alone: a caller
// asks it before working out the input's size, which for a folder is a
// walk (a millisecond for the 300-host tree, on a machine whose policy
// says no whatever the size).
func Possible() bool {
	in := Inputs{Env: os.Getenv, Input: MinInput}
	if notWanted(in) != "" {
		return false
	}
	state.Lock()
	defer state.Unlock()
	return decideLocked(in, Size).Size > 0
}

// decideLocked is the policy for marking size more bytes with the system
// as read once per process; state is locked.
func decideLocked(in Inputs, size int) Decision {
	if !state.read {
		readSystem(&state.system)
		state.read = true
	}
	sys := state.system
	sys.Env, sys.Input = in.Env, in.Input
	return decide(sys, bits.UintSize, state.marked, size)
}

// Grow marks more once a run knows its input, input bytes, when the heap
// it will need (HeapPerInputByte per byte) outgrows what is marked by
// more than minGrow. Its collection walks the live heap, so it is for a
// large run, after it has loaded its files and before the rules run.
func Grow(input int64) Decision {
	state.Lock()
	marked := state.marked
	state.Unlock()
	need := min(input, 1<<36) * HeapPerInputByte // bounded: no overflow
	if need < int64(marked+minGrow) {
		return Decision{Reason: "enough is marked"}
	}
	return mark(input, int(need)-marked) // a 32-bit build is refused there
}

// mark maps and marks size more bytes of heap, if the policy (decide)
// allows it for this input.
func mark(input int64, size int) Decision {
	in := Inputs{Env: os.Getenv, Input: input}
	if why := notWanted(in); why != "" {
		return Decision{Reason: why} // decided without reading the system
	}
	state.Lock()
	defer state.Unlock()
	d := decideLocked(in, size)
	if d.Size == 0 {
		return d
	}
	// No collection while the block is live: it would only find it live.
	old := debug.SetGCPercent(-1)
	if state.marked == 0 {
		alignHeap()
	}
	block := make([]byte, d.Size)
	err := advise(block)
	debug.SetGCPercent(old)
	// block is dead from here (nothing reads it again), so this frees it;
	// its pages stay mapped, and marked.
	runtime.GC()
	if err != nil {
		return Decision{Reason: "madvise: " + err.Error()}
	}
	state.marked += d.Size
	return d
}

// hugePage is the size of a transparent huge page on the platforms that
// have them in madvise mode (x86-64, arm64 with 4 KiB pages).
const hugePage = 2 << 20

// minDirect is the smallest allocation the runtime takes straight from
// its page allocator (16 pages of 8 KiB; smaller ones come from a
// per-processor cache of pages, anywhere in the heap).
const minDirect = 128 << 10

// pads are kept allocated for the life of the process (see alignHeap).
var pads [][]byte

// alignHeap makes the next large allocation start on a huge-page
// boundary. The kernel gives a huge page only for a whole aligned 2 MiB
// inside a marked range, and the heap ends wherever start-up left it
// (2.5 MB into its first chunk before a lint), so without this the first
// 1.5 MB of the region, where the run's allocations start, would get
// 4 KiB pages. A small probe finds where the free pages begin; a pad
// fills them up to the boundary. Both come from pages never used, which
// the runtime knows are zero and does not touch, and both are kept: they
// cost address space, not memory.
func alignHeap() {
	// Both at least minDirect, so that the heap's page allocator places
	// them, first fit, and not a processor's cache of pages.
	probe := make([]byte, minDirect)
	end := uintptr(unsafe.Pointer(unsafe.SliceData(probe))) + uintptr(len(probe))
	pads = append(pads, probe)
	if gap := int((end+hugePage-1)&^(hugePage-1) - end); gap >= minDirect {
		pads = append(pads, make([]byte, gap))
	}
}
