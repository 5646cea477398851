package hugeheap

import (
	"math/bits"
	"os"
	"testing"
)

func TestDecide(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	good := Inputs{THP: "always [madvise] never\n", Defrag: "always [defer] defer+madvise madvise never\n", Overcommit: "0\n", Env: env(), Input: MinInput, MemTotal: 24 << 30}
	compacts := "a fault would wait for the kernel to compact memory (defrag madvise); NGXLINT_HUGE_HEAP=1 marks anyway"
	with := func(f func(*Inputs)) Inputs { in := good; f(&in); return in }
	cases := []struct {
		name string
		in   Inputs
		bits int
		want string // "" means the region is prepared
	}{
		{"madvise mode, large input", good, 64, ""},
		{"overcommit heuristic (1)", with(func(in *Inputs) { in.Overcommit = "1" }), 64, ""},
		{"address limit far above", with(func(in *Inputs) { in.AddressLimit = 64 * Size }), 64, ""},
		{"memory unknown", with(func(in *Inputs) { in.MemTotal = 0 }), 64, ""},
		{"a small machine", with(func(in *Inputs) { in.MemTotal = Size }), 64, "more than half the machine's memory"},
		{"small input", with(func(in *Inputs) { in.Input = MinInput - 1 }), 64, "a small input"},
		{"always", with(func(in *Inputs) { in.THP = "[always] madvise never" }), 64, "transparent huge pages are not in madvise mode"},
		{"never", with(func(in *Inputs) { in.THP = "always madvise [never]" }), 64, "transparent huge pages are not in madvise mode"},
		{"no THP file", with(func(in *Inputs) { in.THP = "" }), 64, "transparent huge pages are not in madvise mode"},
		{"strict overcommit", with(func(in *Inputs) { in.Overcommit = "2\n" }), 64, "strict overcommit accounting"},
		{"ulimit -v", with(func(in *Inputs) { in.AddressLimit = 2 * Size }), 64, "an address-space limit (ulimit -v)"},
		{"32-bit", good, 32, "a 32-bit address space"},
		{"turned off", with(func(in *Inputs) { in.Env = env("NGXLINT_HUGE_HEAP", "0") }), 64, "NGXLINT_HUGE_HEAP=0"},
		{"defrag never", with(func(in *Inputs) { in.Defrag = "always defer defer+madvise madvise [never]" }), 64, ""},
		{"defrag madvise (Debian's default)", with(func(in *Inputs) { in.Defrag = "always defer defer+madvise [madvise] never" }), 64, compacts},
		{"defrag defer+madvise", with(func(in *Inputs) { in.Defrag = "always defer [defer+madvise] madvise never" }), 64,
			"a fault would wait for the kernel to compact memory (defrag defer+madvise); NGXLINT_HUGE_HEAP=1 marks anyway"},
		{"defrag always", with(func(in *Inputs) { in.Defrag = "[always] defer defer+madvise madvise never" }), 64,
			"a fault would wait for the kernel to compact memory (defrag always); NGXLINT_HUGE_HEAP=1 marks anyway"},
		{"no defrag file", with(func(in *Inputs) { in.Defrag = "" }), 64,
			"a fault would wait for the kernel to compact memory (defrag unknown); NGXLINT_HUGE_HEAP=1 marks anyway"},
		{"defrag madvise, turned on", with(func(in *Inputs) {
			in.Defrag, in.Env = "always defer defer+madvise [madvise] never", env("NGXLINT_HUGE_HEAP", "1")
		}), 64, ""},
		{"turned on, THP never", with(func(in *Inputs) { in.THP, in.Env = "always madvise [never]", env("NGXLINT_HUGE_HEAP", "1") }), 64,
			"transparent huge pages are not in madvise mode"},
		{"GOMEMLIMIT", with(func(in *Inputs) { in.Env = env("GOMEMLIMIT", "1GiB") }), 64, "GOMEMLIMIT is set"},
	}
	for _, c := range cases {
		d := decide(c.in, c.bits, 0, Size)
		if d.Reason != c.want {
			t.Errorf("%s: reason %q, want %q", c.name, d.Reason, c.want)
		}
		if wantSize := map[bool]int{true: Size}[c.want == ""]; d.Size != wantSize {
			t.Errorf("%s: size %d, want %d", c.name, d.Size, wantSize)
		}
	}
}

// A small input is turned down before anything is read from the system.
func TestPrepareSmallInputIsCheap(t *testing.T) {
	if d := Prepare(MinInput - 1); d.Size != 0 || d.Reason != "a small input" {
		t.Fatalf("Prepare(small) = %+v", d)
	}
}

// What is marked already counts toward the limits.
func TestDecideCountsWhatIsMarked(t *testing.T) {
	in := Inputs{THP: "[madvise]", Defrag: "[never]", Env: func(string) string { return "" }, Input: MinInput, MemTotal: 4 * Size}
	if d := decide(in, 64, 0, Size); d.Size != Size {
		t.Fatalf("first region refused: %+v", d)
	}
	if d := decide(in, 64, Size, 2*Size); d.Size != 0 {
		t.Fatalf("a region that makes the total three quarters of memory was allowed: %+v", d)
	}
}

func TestGrowNeedsMoreThanIsMarked(t *testing.T) {
	state.Lock()
	saved := state.marked
	state.marked = Size
	state.Unlock()
	defer func() { state.Lock(); state.marked = saved; state.Unlock() }()
	// 40 bytes of heap per byte of input: 10 MB needs less than is marked.
	if d := Grow(10 << 20); d.Size != 0 || d.Reason != "enough is marked" {
		t.Fatalf("Grow(10 MB) = %+v", d)
	}
}

// Possible is the policy's answer for a large input on this machine, and
// no whenever the environment says no.
func TestPossible(t *testing.T) {
	t.Setenv("NGXLINT_HUGE_HEAP", "0")
	if Possible() {
		t.Error("Possible with NGXLINT_HUGE_HEAP=0")
	}
	for _, env := range []string{"", "1"} {
		t.Setenv("NGXLINT_HUGE_HEAP", env)
		var sys Inputs
		readSystem(&sys)
		sys.Env, sys.Input = os.Getenv, 1<<30
		want := decide(sys, bits.UintSize, 0, Size).Size > 0
		if got := Possible(); got != want {
			t.Errorf("NGXLINT_HUGE_HEAP=%q: Possible() = %v, the policy for a 1 GB input says %v", env, got, want)
		}
	}
}
