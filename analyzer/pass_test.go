package analyzer_test

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

const dispatchConf = "events {}\nhttp {\n    server { listen 80; }\n    server { listen 81; zz_custom on; }\n}\n"

// Rules that declare directives are visited in one walk, each seeing only
// the names it asked for; a panicking visitor is stopped and reported
// without costing the others their findings.
func TestDispatchByDirective(t *testing.T) {
	// On one core the walk's tasks run one after the other, in walk
	// order, which this test reads; on more, only the findings keep an
	// order (rules/bench_test.go compares them).
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	ws := load(t, map[string]string{"nginx.conf": dispatchConf}, "nginx.conf")
	var seen []string
	listens := &analyzer.Rule{ID: "T010", Name: "listens", Severity: analyzer.Info,
		Directives: []string{"listen"},
		Visit: func(p *analyzer.Pass, d *nginx.Directive) {
			seen = append(seen, "listens:"+d.Name)
			p.Reportf(d.Args[0].Span(), "port %s", d.Args[0].Value)
		}}
	every := &analyzer.Rule{ID: "T011", Name: "every", Severity: analyzer.Info,
		Directives: []string{"*"},
		Visit:      func(p *analyzer.Pass, d *nginx.Directive) { seen = append(seen, "every:"+d.Name) }}
	boom := &analyzer.Rule{ID: "T012", Name: "boom", Severity: analyzer.Info,
		Directives: []string{"server"},
		Visit:      func(p *analyzer.Pass, d *nginx.Directive) { panic("visit failed") }}
	// A name the directive table does not know (a third-party module's)
	// is dispatched by name, not by the table's number.
	custom := &analyzer.Rule{ID: "T013", Name: "custom", Severity: analyzer.Info,
		Directives: []string{"zz_custom"},
		Visit:      func(p *analyzer.Pass, d *nginx.Directive) { seen = append(seen, "custom:"+d.Name) }}
	rules := []*analyzer.Rule{listens, every, boom, custom}
	fs, errs := analyzer.RunWith(ws, rules, rules, nil)
	want := "every:events every:http every:server listens:listen every:listen every:server listens:listen every:listen custom:zz_custom every:zz_custom"
	if got := strings.Join(seen, " "); got != want {
		t.Errorf("visits\n got %s\nwant %s", got, want)
	}
	if len(fs) != 2 || fs[0].Message != "port 80" || fs[1].Span.Start.Line != 4 {
		t.Errorf("findings %v", fs)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "boom") {
		t.Errorf("errs %v: want one for the panicking rule", errs)
	}
}

var computed int

var serverCount = &analyzer.Model[int]{Name: "server-count", Compute: func(ws *analyzer.Workspace) int {
	computed++
	n := 0
	ws.WalkNginx(func(d *nginx.Directive) {
		if d.Name == "server" {
			n++
		}
	})
	return n
}}

// A model is computed once per workspace however many rules ask, also
// when they ask at the same time.
func TestResultOfOncePerWorkspace(t *testing.T) {
	computed = 0
	ws := load(t, map[string]string{"nginx.conf": dispatchConf}, "nginx.conf")
	// The two rules may run at the same time (RunWith uses every core).
	var mu sync.Mutex
	var got []int
	record := func(p *analyzer.Pass) {
		n := analyzer.ResultOf(p.Workspace, serverCount)
		mu.Lock()
		got = append(got, n)
		mu.Unlock()
	}
	ask := &analyzer.Rule{ID: "T013", Name: "ask", Severity: analyzer.Info, Run: record}
	again := &analyzer.Rule{ID: "T014", Name: "again", Severity: analyzer.Info, Run: record}
	analyzer.RunWith(ws, []*analyzer.Rule{ask, again}, nil, nil)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); _ = analyzer.ResultOf(ws, serverCount) }()
	}
	wg.Wait()
	if computed != 1 || len(got) != 2 || got[0] != 2 || got[1] != 2 {
		t.Errorf("computed %d times, results %v", computed, got)
	}
	ws2 := load(t, map[string]string{"nginx.conf": dispatchConf}, "nginx.conf")
	if analyzer.ResultOf(ws2, serverCount); computed != 2 {
		t.Errorf("a new workspace must compute its own result (computed %d)", computed)
	}
}

// Options: the default unless the run's settings set the rule's option;
// CheckOption converts YAML values to the option's kind or refuses them.
func TestRuleOptions(t *testing.T) {
	var got []any
	r := &analyzer.Rule{ID: "T015", Name: "opts", Severity: analyzer.Info,
		Options: []analyzer.Option{
			{Name: "max", Default: 3},
			{Name: "hosts", Default: []string{"a"}},
			{Name: "strict", Default: false},
		},
		Run: func(p *analyzer.Pass) {
			got = append(got, p.IntOption("max"), strings.Join(p.ListOption("hosts"), ","), p.BoolOption("strict"))
		}}
	ws := load(t, map[string]string{"nginx.conf": dispatchConf}, "nginx.conf")
	analyzer.RunWith(ws, []*analyzer.Rule{r}, nil, nil)
	analyzer.RunWith(ws, []*analyzer.Rule{r}, nil, &analyzer.Settings{Options: map[string]map[string]any{
		"opts": {"max": 7, "hosts": []string{"x", "y"}},
	}})
	if want := []any{3, "a", false, 7, "x,y", false}; len(got) != len(want) || got[0] != want[0] || got[1] != want[1] ||
		got[3] != want[3] || got[4] != want[4] || got[5] != want[5] {
		t.Errorf("options %v, want %v", got, want)
	}
	for _, tc := range []struct {
		opt  analyzer.Option
		in   any
		fail bool
	}{
		{r.Options[0], 5, false}, {r.Options[0], "5", true},
		{r.Options[1], []any{"p", "q"}, false}, {r.Options[1], []any{"p", 1}, true}, {r.Options[1], "one", false},
		{r.Options[2], true, false}, {r.Options[2], "yes", true},
	} {
		_, err := tc.opt.CheckOption(tc.in)
		if (err != nil) != tc.fail {
			t.Errorf("CheckOption(%s, %#v) err=%v, want failure %v", tc.opt.Name, tc.in, err, tc.fail)
		}
	}
	// Reading an undeclared option is a bug in the rule: RunWith reports it.
	bad := &analyzer.Rule{ID: "T016", Name: "bad", Severity: analyzer.Info, Run: func(p *analyzer.Pass) { p.Option("nope") }}
	if _, errs := analyzer.RunWith(ws, []*analyzer.Rule{bad}, nil, nil); len(errs) != 1 {
		t.Errorf("undeclared option: errs %v", errs)
	}
}

// Models asked for in any order, from several goroutines at once, each
// get their own result, computed once: the results list grows as models
// are first asked for without losing one already there.
func TestResultOfManyModels(t *testing.T) {
	ws := load(t, map[string]string{"nginx.conf": dispatchConf}, "nginx.conf")
	const n = 40
	var calls [n]atomic.Int32
	models := make([]*analyzer.Model[int], n)
	for i := range models {
		models[i] = &analyzer.Model[int]{Name: fmt.Sprint("m", i), Compute: func(*analyzer.Workspace) int {
			calls[i].Add(1)
			return i * 10
		}}
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range n {
				i := (k*7 + g*13) % n
				if got := analyzer.ResultOf(ws, models[i]); got != i*10 {
					t.Errorf("model %d: %d, want %d", i, got, i*10)
				}
			}
		})
	}
	wg.Wait()
	for i := range calls {
		if c := calls[i].Load(); c != 1 {
			t.Errorf("model %d computed %d times", i, c)
		}
	}
}
