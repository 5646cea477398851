package nginx

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// TestNodeBudget: past MaxNodes directives and arguments the parse stops
// with one diagnostic where it stopped, the blocks left open there are not
// reported as unclosed, and gonginx still parses what was kept.
func TestNodeBudget(t *testing.T) {
	src := "http {\n    server {\n" + strings.Repeat("        a b;\n", 40) + "    }\n}\n"
	c, used := parseWithin(source.NewFile("f.conf", "", source.KindNginx, []byte(src)), 30, 30)
	got := diags(c)
	if used != 30 || len(got) != 1 || !strings.Contains(got[0], "more than 30 directives and arguments in this run; the rest of this file is not analysed") {
		t.Fatalf("used %d, diagnostics %q", used, got)
	}
	if line := c.Diagnostics[0].Span.Start.Line; line != 17 {
		t.Errorf("stopped at line %d, want 17 (the 15th directive: 2 blocks and 14*2 nodes before it)", line)
	}
	if c.GonginxErr() != nil {
		t.Errorf("gonginx: %v", c.GonginxErr())
	}
	server := c.Directives[0].Block[0]
	if len(server.Block) != 14 || c.Directives[0].Node() == nil {
		t.Errorf("server keeps %d directives, http node %v", len(server.Block), c.Directives[0].Node())
	}
	if n := len(server.Block[13].Args); n != 1 || server.Block[13].Node() == nil {
		t.Errorf("last whole directive: %d args, node %v", n, server.Block[13].Node())
	}
}

// TestBudgetCutAfterManySyntaxErrors: the place the node budget cut the
// parse is reported even when the file's syntax errors filled their cap,
// and the note that more were not shown goes on the last syntax error.
func TestBudgetCutAfterManySyntaxErrors(t *testing.T) {
	src := strings.Repeat("a;\n;\n", maxDiagnostics+50)
	c, _ := parseWithin(source.NewFile("f.conf", "", source.KindNginx, []byte(src)), maxDiagnostics+20, maxDiagnostics+20)
	var syntax, cut int
	for _, d := range c.Diagnostics {
		switch d.Code {
		case SyntaxCode:
			syntax++
		case NotAnalysedCode:
			cut++
			if !strings.Contains(d.Message, "more than 220 directives") || strings.Contains(d.Message, "not shown") {
				t.Errorf("cut: %q", d.Message)
			}
		}
	}
	if syntax != maxDiagnostics || cut != 1 {
		t.Fatalf("%d syntax errors and %d cuts, want %d and 1", syntax, cut, maxDiagnostics)
	}
	last := c.Diagnostics[len(c.Diagnostics)-2]
	if last.Code != SyntaxCode || !strings.HasSuffix(last.Message, "(and more syntax errors not shown)") {
		t.Errorf("last syntax error: %+v", last)
	}
}

// TestControlBytesInQuotesLinear: a run of control bytes inside a quoted
// string was rescanned from each of its bytes (found by FuzzParseShapes:
// 60,000 NULs took 28 s). Quadrupling the run must cost about four times
// as much, not sixteen; a ratio, so that a loaded machine does not decide.
func TestControlBytesInQuotesLinear(t *testing.T) {
	cost := func(n int) time.Duration {
		src := []byte(strings.Repeat("\" {", 101) + strings.Repeat("\x00", n) + strings.Repeat("}", 101))
		best := time.Duration(1 << 62)
		for range 3 {
			start := time.Now()
			Parse(source.NewFile("f.conf", "", source.KindNginx, src))
			best = min(best, time.Since(start))
		}
		return best
	}
	small, large := cost(10_000), cost(40_000)
	if large > 10*small+5*time.Millisecond {
		t.Errorf("a run of 40,000 control bytes cost %v, of 10,000 %v: quadratic", large, small)
	}
}

// A loader's own budget (analyzer.Limits.MaxNodes) replaces MaxNodes, in
// the files named and those an include glob reads ahead alike.
func TestLoaderNodeBudget(t *testing.T) {
	files := map[string]string{"nginx.conf": "http { include conf.d/*.conf; }\n"}
	for _, n := range []string{"a", "b", "c"} {
		files["conf.d/"+n+".conf"] = strings.Repeat("server { listen 80; }\n", 5)
	}
	dir := sharedtest.Tree(t, files)
	for _, tc := range []struct {
		budget int
		cut    bool
	}{{0, false}, {1000, false}, {25, true}} {
		l := newLoader(dir)
		l.MaxNodes = tc.budget
		if _, err := l.Load(filepath.Join(dir, "nginx.conf")); err != nil {
			t.Fatal(err)
		}
		l.Resolve()
		var cuts []string
		for _, c := range l.Configs() {
			for _, d := range c.Diagnostics {
				if strings.Contains(d.Message, "not analysed") {
					cuts = append(cuts, d.Message)
				}
			}
		}
		// Each file the budget stops in says so where it stops.
		if tc.cut != (len(cuts) == 2) || tc.cut && !strings.Contains(cuts[0], "more than 25 ") {
			t.Errorf("budget %d: %q", tc.budget, cuts)
		}
	}
}

// take's first block is as large as the file's estimate, however small
// (a file of one server block is most of a dump or a sites-enabled
// folder), within maxBlockNodes; later blocks are of the later size, or of
// n when more is asked at once.
func TestTakeBlockSizes(t *testing.T) {
	for _, c := range []struct{ first, want int }{{3, 3}, {1, 1}, {40, 40}, {maxBlockNodes + 5, maxBlockNodes}} {
		var free []int
		got := len(take(&free, 1, c.first, 32)) + len(free)
		if got != c.want {
			t.Errorf("first block for an estimate of %d: %d entries, want %d", c.first, got, c.want)
		}
	}
	var free []int
	take(&free, 2, 2, 32)
	if out := take(&free, 1, 2, 32); len(out)+len(free) != 32 {
		t.Errorf("later block: %d entries, want 32", len(out)+len(free))
	}
	if out := take(&free, 40, 2, 32); len(out) != 40 || cap(out) != 40 {
		t.Errorf("a run of 40: len %d cap %d, want 40 and 40", len(out), cap(out))
	}
}
