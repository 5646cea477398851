package rules_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/rules"
)

// corpusLint is what `ngxlint lint` does with the corpus: load every file
// as one workspace, then run the rule set. The load is inside on purpose:
// models are memoised per workspace, so a reused one would hide their cost.
type corpusLint struct {
	root  string
	paths []string
}

func newCorpusLint(tb testing.TB) corpusLint {
	tb.Helper()
	root := sharedtest.Path(tb, "corpus")
	var paths []string
	for _, sub := range []string{"nginx", "elasticsearch"} {
		err := filepath.WalkDir(filepath.Join(root, sub), func(p string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				paths = append(paths, p)
			}
			return err
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return corpusLint{root, paths}
}

func (c corpusLint) run(tb testing.TB, set []*analyzer.Rule) int {
	ws, err := analyzer.Load(c.paths, analyzer.LoadOptions{WorkDir: c.root, Machine: sharedtest.Machine(tb)})
	if err != nil {
		tb.Fatal(err)
	}
	fs, errs := analyzer.Run(ws, set, rules.All())
	if len(errs) > 0 {
		tb.Fatal(errs[0])
	}
	return len(fs)
}

// defaultAndAll returns the default set and --enable all.
func defaultAndAll(tb testing.TB) (def, all []*analyzer.Rule) {
	def, err := analyzer.Select(rules.All(), nil, nil)
	if err != nil {
		tb.Fatal(err)
	}
	all, err = analyzer.Select(rules.All(), []string{"all"}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if len(all) <= len(def) {
		tb.Fatalf("--enable all selects %d rules, the default set %d: nothing is opt-in", len(all), len(def))
	}
	return def, all
}

// BenchmarkCorpusEnableAll lints the corpus with the default rules and with
// --enable all in turns, and reports the time of the second over the first
// as "all/default" (issue 11 asks for at most 2).
func BenchmarkCorpusEnableAll(b *testing.B) {
	c := newCorpusLint(b)
	def, all := defaultAndAll(b)
	var tDef, tAll time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		c.run(b, def)
		tDef += time.Since(start)
		start = time.Now()
		c.run(b, all)
		tAll += time.Since(start)
	}
	b.ReportMetric(float64(tAll)/float64(tDef), "all/default")
	b.ReportMetric(float64(tDef.Milliseconds())/float64(b.N), "default-ms/op")
	b.ReportMetric(float64(tAll.Milliseconds())/float64(b.N), "all-ms/op")
}

// TestEnableAllCost bounds what --enable all costs over the default set on
// the corpus by memory allocated, which does not depend on the machine's
// load the way the clock does: bytes and allocations per lint, averaged
// over a few runs, must stay below twice the default set's.
func TestEnableAllCost(t *testing.T) {
	if testing.Short() {
		t.Skip("lints the corpus several times")
	}
	c := newCorpusLint(t)
	def, all := defaultAndAll(t)
	measure := func(set []*analyzer.Rule) (bytes, allocs float64) {
		const runs = 2
		c.run(t, set) // warm: lazily built tables are not the rules' cost
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := 0; i < runs; i++ {
			c.run(t, set)
		}
		runtime.ReadMemStats(&after)
		return float64(after.TotalAlloc-before.TotalAlloc) / runs, float64(after.Mallocs-before.Mallocs) / runs
	}
	defBytes, defAllocs := measure(def)
	allBytes, allAllocs := measure(all)
	t.Logf("default %d rules: %.1f MB, %.0f allocations per lint; all %d rules: %.1f MB, %.0f allocations (x%.2f, x%.2f)",
		len(def), defBytes/1e6, defAllocs, len(all), allBytes/1e6, allAllocs, allBytes/defBytes, allAllocs/defAllocs)
	if defBytes == 0 || defAllocs == 0 {
		t.Fatal("the default set allocated nothing: the measure is broken")
	}
	if r := allBytes / defBytes; r > 2 {
		t.Errorf("--enable all allocates %.2f times the bytes of the default set (bound 2)", r)
	}
	if r := allAllocs / defAllocs; r > 2 {
		t.Errorf("--enable all makes %.2f times the allocations of the default set (bound 2)", r)
	}
}
