package nginx

import (
	"runtime"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

// TestDeepNestingNoCrash: 700,000 levels of "a {" used to overflow
// gonginx's recursive parser (a fatal error that recover() cannot catch).
// Now the user gets one positioned error at the first brace past the
// limit, and gonginx never sees the deep part.
func TestDeepNestingNoCrash(t *testing.T) {
	const levels = 700_000
	src := strings.Repeat("a {", levels) + strings.Repeat("}", levels)
	c := Parse(source.NewFile("deep.conf", "", source.KindNginx, []byte(src)))
	got := diags(c)
	if len(got) != 1 || !strings.Contains(got[0], "nested more than 1000 deep") {
		t.Fatalf("diagnostics: %q", got)
	}
	want := c.File.Pos(3*MaxDepth + 2) // the '{' of level MaxDepth+1
	if d := c.Diagnostics[0]; d.Span.Start != want || d.Code != NotAnalysedCode {
		t.Errorf("%s at %v, want %s at %v", d.Code, d.Span.Start, NotAnalysedCode, want)
	}
	if !c.Incomplete() {
		t.Error("Incomplete() is false for a tree that lacks the skipped blocks")
	}
	if c.GonginxErr() != nil {
		t.Errorf("gonginx should parse the neutralised file: %v", c.GonginxErr())
	}
}

// TestDeepNestingGonginxOnly: input that our lexer reads as strings but
// gonginx reads as blocks (it lets a backslash escape only the quote) must
// not reach gonginx either.
func TestDeepNestingGonginxOnly(t *testing.T) {
	src := strings.Repeat(`x "\\" "{`+"\n", 300_000)
	c := Parse(source.NewFile("deep.conf", "", source.KindNginx, []byte(src)))
	if c.GonginxErr() == nil || !strings.Contains(c.GonginxErr().Error(), "not handed to gonginx") {
		t.Fatalf("gonginx err %v", c.GonginxErr())
	}
	if d := gonginxDepth([]byte(src)); d < 300_000 {
		t.Errorf("gonginxDepth = %d", d)
	}
}

// TestDeepNestingMemory: 100,000 levels (300 KB) used to cost over 200 MB
// in gonginx and 600,000 levels a gigabyte; the whole parse must now stay
// within 64 times the input.
func TestDeepNestingMemory(t *testing.T) {
	for _, levels := range []int{100_000, 600_000} {
		src := []byte(strings.Repeat("a {", levels) + strings.Repeat("}", levels))
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		c := Parse(source.NewFile("deep.conf", "", source.KindNginx, src))
		runtime.ReadMemStats(&after)
		alloc := after.TotalAlloc - before.TotalAlloc
		t.Logf("%d levels, %d bytes: allocated %d bytes (%.1fx)", levels, len(src), alloc, float64(alloc)/float64(len(src)))
		if alloc > uint64(64*len(src)) {
			t.Errorf("parsing %d levels allocated %.0fx the input", levels, float64(alloc)/float64(len(src)))
		}
		runtime.KeepAlive(c)
	}
}
