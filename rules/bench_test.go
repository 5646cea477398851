package rules_test

import (
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/pcre"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/report"
	"github.com/ngxlint/ngxlint/internal/benchgen"
	"github.com/ngxlint/ngxlint/internal/cputime"
	"github.com/ngxlint/ngxlint/rules"
)

// ruleSets are the two selections the benchmarks run: what `ngxlint lint`
// runs without flags, and `--enable all`.
func ruleSets(tb testing.TB) map[string][]*analyzer.Rule {
	def, err := analyzer.Select(rules.All(), nil, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return map[string][]*analyzer.Rule{"default": def, "all": rules.All()}
}

// lint is one whole run as the CLI does it: load, rules, suppressions,
// sorting.
func lint(tb testing.TB, paths []string, sel []*analyzer.Rule) ([]analyzer.Finding, *analyzer.Workspace) {
	return lintWithin(tb, paths, sel, analyzer.Limits{})
}

// lintWithin is lint with other limits than the CLI's defaults.
func lintWithin(tb testing.TB, paths []string, sel []*analyzer.Rule, limits analyzer.Limits) ([]analyzer.Finding, *analyzer.Workspace) {
	ws, err := analyzer.Load(paths, analyzer.LoadOptions{WorkDir: filepath.Dir(paths[0]), Limits: limits})
	if err != nil {
		tb.Fatal(err)
	}
	// The CLI always names a release (the newest the table knows when
	// none is configured), so the benchmark does too.
	fs, errs := analyzer.RunWith(ws, sel, rules.All(), &analyzer.Settings{NginxVersion: spec.Latest.String()})
	if len(errs) > 0 {
		tb.Fatal(errs)
	}
	return fs, ws
}

// TestGeneratedInputsAreClean checks that the generated inputs the
// benchmarks time parse without syntax or include problems, so that a
// benchmark measures a realistic run and not error recovery.
func TestGeneratedInputsAreClean(t *testing.T) {
	dir := t.TempDir()
	main, _, err := benchgen.WriteTree(filepath.Join(dir, "tree"), 20, benchgen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	single := filepath.Join(dir, "single", "nginx.conf")
	if err := os.MkdirAll(filepath.Dir(single), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(single, []byte(benchgen.SingleFile(200_000, benchgen.Options{})), 0o644); err != nil {
		t.Fatal(err)
	}
	es, err := benchgen.WriteElastic(filepath.Join(dir, "es"), 5)
	if err != nil {
		t.Fatal(err)
	}
	shapes, err := benchgen.WriteShapes(filepath.Join(dir, "shapes"), 50)
	if err != nil {
		t.Fatal(err)
	}
	inputs := [][]string{{main}, {single}, es}
	for _, p := range shapes {
		inputs = append(inputs, []string{p})
	}
	for _, paths := range inputs {
		fs, ws := lint(t, paths, rules.All())
		if d := ws.Diagnostics(); len(d) > 0 {
			t.Errorf("%s: loader diagnostics: %v", paths[0], d[0])
		}
		for _, f := range fs {
			if slices.Contains([]string{"nginx-syntax", "include-not-found", "yaml-syntax"}, f.Rule.Name) {
				t.Errorf("%s: %s", f.Rule.Name, f.Message)
			}
		}
	}
	if ws := mustLoad(t, main); len(ws.Files) != 22 {
		t.Errorf("tree of 20 hosts loaded %d files, want 22 (main, mime.types, 20 hosts)", len(ws.Files))
	}
}

func mustLoad(t *testing.T, p string) *analyzer.Workspace {
	ws, err := analyzer.Load([]string{p}, analyzer.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func benchLint(b *testing.B, paths []string, size int64) {
	for name, sel := range ruleSets(b) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			defer cputime.PerOp(b)()
			checked := false
			for b.Loop() {
				pcre.ResetCache() // each run parses its regexes, as a new process does
				_, ws := lintWithin(b, paths, sel, whole)
				if !checked {
					mustBeWhole(b, ws)
					checked = true
				}
			}
		})
	}
}

// whole lifts the node budget and the size limits, as `--max-nodes 0`
// and bench/compare.sh do: a benchmark times the whole input, not the part
// before the budget's cut (the 10 MB file has some 700,000 nodes, the
// default budget 500,000).
var whole = analyzer.Limits{MaxNodes: 1 << 30, MaxTotalSize: -1, MaxFileSize: -1}

// mustBeWhole fails a benchmark whose input was cut short (by the node
// budget or the nesting bound: the parse's not-analysed diagnostic).
func mustBeWhole(b *testing.B, ws *analyzer.Workspace) {
	for _, c := range ws.Nginx {
		for _, d := range c.Diagnostics {
			if d.Code == nginx.NotAnalysedCode {
				b.Fatalf("%s: %s", d.Span, d.Message)
			}
		}
	}
}

// BenchmarkTree300 lints the 300-virtual-host tree (nginx.conf including
// conf.d/*.conf, about 1.3 MB).
func BenchmarkTree300(b *testing.B) {
	main, size, err := benchgen.WriteTree(b.TempDir(), 300, benchgen.Options{})
	if err != nil {
		b.Fatal(err)
	}
	benchLint(b, []string{main}, size)
}

// BenchmarkSingle10MB lints one 10 MB configuration.
func BenchmarkSingle10MB(b *testing.B) { benchSingle(b, 10<<20) }

// BenchmarkSingle1MB is the same shape at a tenth of the size: the two
// side by side show whether one large file is linear.
func BenchmarkSingle1MB(b *testing.B) { benchSingle(b, 1<<20) }

func benchSingle(b *testing.B, size int) {
	p := filepath.Join(b.TempDir(), "nginx.conf")
	src := benchgen.SingleFile(size, benchgen.Options{})
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		b.Fatal(err)
	}
	benchLint(b, []string{p}, int64(len(src)))
}

// BenchmarkReport10MB writes the 10 MB file's report (about 12,700
// findings) in each format, to nowhere: the report comes after the rules,
// on one core, so its time adds to the lint's whole.
func BenchmarkReport10MB(b *testing.B) {
	p := filepath.Join(b.TempDir(), "nginx.conf")
	if err := os.WriteFile(p, []byte(benchgen.SingleFile(10<<20, benchgen.Options{})), 0o644); err != nil {
		b.Fatal(err)
	}
	fs, ws := lintWithin(b, []string{p}, rules.All(), whole)
	formats := map[string]func() error{
		"text":       func() error { return report.Text(io.Discard, ws, fs, report.Options{}) },
		"json":       func() error { return report.JSON(io.Discard, fs, report.Options{}) },
		"sarif":      func() error { return report.SARIF(io.Discard, ws, fs, report.SARIFOptions{}) },
		"checkstyle": func() error { return report.Checkstyle(io.Discard, ws, fs) },
		"github":     func() error { return report.GitHub(io.Discard, fs) },
	}
	for _, name := range slices.Sorted(maps.Keys(formats)) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			defer cputime.PerOp(b)()
			for b.Loop() {
				if err := formats[name](); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(fs)), "findings")
		})
	}
}

// BenchmarkShapes lints each of benchgen's shapes, one construct repeated
// 1,000 and 4,000 times, with every rule, and reports the CPU time per
// instance: a rule or model that compares every instance with every other
// shows as a figure four times larger at 4,000. (It found add-header-dropped
// and proxy-set-header-dropped listing every lost line in every location's
// finding: 10,000 of each took 494 and 167 seconds.)
func BenchmarkShapes(b *testing.B) {
	dir := b.TempDir()
	for _, n := range []int{1000, 4000} {
		paths, err := benchgen.WriteShapes(filepath.Join(dir, fmt.Sprint(n)), n)
		if err != nil {
			b.Fatal(err)
		}
		for _, name := range slices.Sorted(maps.Keys(paths)) {
			p := paths[name]
			st, err := os.Stat(p)
			if err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("%s/%d", name, n), func(b *testing.B) {
				b.SetBytes(st.Size())
				start, _ := cputime.Process()
				for b.Loop() {
					_, ws := lintWithin(b, []string{p}, rules.All(), whole)
					mustBeWhole(b, ws)
				}
				if end, ok := cputime.Process(); ok {
					b.ReportMetric(float64((end-start).Microseconds())/float64(b.N*n), "cpu-µs/item")
				}
			})
		}
	}
}

// BenchmarkElastic200 lints 200 elasticsearch.yml files.
func BenchmarkElastic200(b *testing.B) {
	paths, err := benchgen.WriteElastic(b.TempDir(), 200)
	if err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, p := range paths {
		st, _ := os.Stat(p)
		size += st.Size()
	}
	benchLint(b, paths, size)
}

// BenchmarkScaling lints generated trees of 1 MB and 16 MB with every
// rule (64 MB too with NGXLINT_BENCH_64=1) and reports the CPU time per
// MB at each size and the ratio of the largest to the smallest (1.0 is
// linear). CPU time, not wall time: the run may use both cores, and the
// machine is shared. Run with -benchtime=3x or so; the best of the runs
// is kept per size. Each lint starts after a collection that also hands
// the free memory back to the kernel, so that every lint pays for the
// memory it touches as a fresh process does: after a mere collection a
// small lint reuses pages the heap already holds while the 64 MB one
// must fault in new ones (10 µs a fault on some machines), and the ratio
// read 1.7 to 2.2 where fresh processes of the CLI measured 1.07. The
// 1 MB tree, the noisiest, is linted five times per round. The node
// budget (nginx.MaxNodes), which would stop the parse of the large trees
// part way, is lifted, and the size limits with it: each tree is linted
// whole.
func BenchmarkScaling(b *testing.B) {
	sizes := []int{1 << 20, 16 << 20}
	if os.Getenv("NGXLINT_BENCH_64") == "1" {
		sizes = append(sizes, 64<<20)
	}
	type input struct {
		main string
		mb   float64
		best time.Duration
	}
	var ins []*input
	for _, s := range sizes {
		main, n, err := benchgen.WriteTree(filepath.Join(b.TempDir(), fmt.Sprint(s)), benchgen.HostsFor(s), benchgen.Options{})
		if err != nil {
			b.Fatal(err)
		}
		ins = append(ins, &input{main: main, mb: float64(n) / (1 << 20)})
	}
	all := rules.All()
	for b.Loop() {
		for _, in := range ins {
			reps := 1
			if in.mb < 4 {
				reps = 5
			}
			for range reps {
				pcre.ResetCache()
				debug.FreeOSMemory()
				start, _ := cputime.Process()
				_, ws := lintWithin(b, []string{in.main}, all, whole)
				if end, _ := cputime.Process(); in.best == 0 || end-start < in.best {
					in.best = end - start
				}
				mustBeWhole(b, ws)
			}
		}
	}
	perMB := func(in *input) float64 { return float64(in.best.Microseconds()) / 1000 / in.mb }
	for _, in := range ins {
		b.ReportMetric(perMB(in), fmt.Sprintf("cpu-ms/MB@%.0fMB", in.mb))
	}
	b.ReportMetric(perMB(ins[len(ins)-1])/perMB(ins[0]), "ratio")
}

// TestParallelMatchesSequential lints the generated tree (and the corpus
// when it is there) on one core and on four, and wants the same findings
// in the same order: the rules run concurrently, the output must not
// show it.
func TestParallelMatchesSequential(t *testing.T) {
	main, _, err := benchgen.WriteTree(t.TempDir(), 40, benchgen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	inputs := [][]string{{main}}
	if root, ok := sharedCorpus(); ok {
		inputs = append(inputs, corpusPaths(root))
	}
	render := func(paths []string, procs int) []string {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		fs, _ := lint(t, paths, rules.All())
		var out []string
		for _, f := range fs {
			out = append(out, fmt.Sprintf("%s:%d:%d %s %s", f.Span.File, f.Span.Start.Line, f.Span.Start.Col, f.Rule.Name, f.Message))
		}
		return out
	}
	for _, paths := range inputs {
		seq, par := render(paths, 1), render(paths, 4)
		if len(seq) == 0 {
			t.Fatalf("%s: no findings at all; the comparison would prove nothing", paths[0])
		}
		if !slices.Equal(seq, par) {
			for i := range min(len(seq), len(par)) {
				if seq[i] != par[i] {
					t.Fatalf("%s: finding %d differs:\n sequential %s\n parallel   %s", paths[0], i, seq[i], par[i])
				}
			}
			t.Fatalf("%s: %d findings sequentially, %d in parallel", paths[0], len(seq), len(par))
		}
	}
}

func sharedCorpus() (string, bool) {
	root := filepath.Join("..", "..", "shared", "corpus")
	if st, err := os.Stat(root); err == nil && st.IsDir() {
		return root, true
	}
	return "", false
}

func corpusPaths(root string) []string {
	var paths []string
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && (strings.Contains(p, "/nginx/") || strings.Contains(p, "/elasticsearch/")) {
			paths = append(paths, p)
		}
		return err
	})
	return paths
}
