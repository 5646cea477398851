package analyzer

import (
	"runtime"
	"slices"

	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/internal/parallel"
)

// runRules runs every rule over the workspace on all cores and returns
// the findings in an order that does not depend on the schedule: the Run
// rules' findings in rule order, then the walk's, in walk order. Each task
// reports into its own list, so no rule shares a Pass with another
// goroutine; after the stable sort by file, position and rule the output
// is what a sequential run gives (a rule's own findings keep their order).
// Models are shared through ResultOf, which computes each once.
//
// A rule that panics is reported once (its first panic, in task order);
// its findings so far are kept, and the walk of other files goes on
// calling it.
func runRules(ws *Workspace, rules []*Rule, settings *Settings, focus []string) ([]Finding, []error) {
	fset := focusedOn(ws, focus)
	var tasks []func(*taskResult)
	var visiting []*Rule
	for _, r := range rules {
		if r.Run != nil {
			tasks = append(tasks, func(res *taskResult) {
				res.err = runOne(&Pass{Rule: r, Workspace: ws, Settings: settings, report: res.add, focus: fset})
			})
		}
		if r.Visit != nil && len(r.Directives) > 0 {
			visiting = append(visiting, r)
		}
	}
	nRun := len(tasks)
	results := make([]taskResult, nRun)
	// The walk's list is made while the Run rules start (listing a 10 MB
	// file's directives took 6 ms with the other core idle): when there
	// is a walk, it is one more task, which then runs the walk's own.
	n := nRun
	if len(visiting) > 0 {
		n++
	}
	var walked []taskResult
	parallel.EachMayWait(n, func(i int) {
		if i < nRun {
			tasks[i](&results[i])
			return
		}
		walked = walk(ws, visiting, settings, fset)
	})
	results = append(results, walked...)

	total := 0
	for i := range results {
		total += len(results[i].findings)
	}
	var findings []Finding // nil when there are none, as before
	if total > 0 {
		findings = make([]Finding, 0, total)
	}
	var errs []error
	for i := range results {
		findings = append(findings, results[i].findings...)
		if i < nRun && results[i].err != nil {
			errs = append(errs, results[i].err)
		}
	}
	for _, r := range visiting {
		for i := nRun; i < len(results); i++ {
			if err := results[i].errs[r]; err != nil {
				errs = append(errs, err)
				break
			}
		}
	}
	return findings, errs
}

// walk hands every directive to the rules that visit it, on all cores:
// the pre-order list of every file's directives is cut into contiguous
// runs (one large file is shared out too), each walked with its own
// visitors, and their results are returned in list order.
func walk(ws *Workspace, visiting []*Rule, settings *Settings, fset *focusSet) []taskResult {
	// Sized first: grown by appends, the list's copies were a megabyte
	// of fresh memory per lint of the 300-host tree.
	n := 0
	for _, c := range ws.Nginx {
		if fset == nil || fset.files[c] {
			n += c.NumDirectives()
		}
	}
	var dirs []*nginx.Directive
	if len(ws.Nginx) == 1 && (fset == nil || fset.files[ws.Nginx[0]]) {
		dirs = ws.Nginx[0].PreOrder() // one file walked whole: its own list, read only
	} else {
		dirs = make([]*nginx.Directive, 0, n)
		for _, c := range ws.Nginx {
			dirs = fset.directives(c, dirs)
		}
	}
	routes := newRoutes(visiting)
	parts := chunks(dirs, runtime.GOMAXPROCS(0))
	results := make([]taskResult, len(parts))
	parallel.EachMayWait(len(parts), func(i int) {
		res := &results[i]
		var vs []*visitor
		for _, r := range visiting {
			vs = append(vs, &visitor{rule: r, pass: &Pass{Rule: r, Workspace: ws, Settings: settings, report: res.add, focus: fset}})
		}
		(&dispatcher{routes: routes, visitors: vs}).visitAll(parts[i])
		for _, v := range vs {
			if v.err != nil {
				if res.errs == nil {
					res.errs = map[*Rule]error{}
				}
				res.errs[v.rule] = v.err
			}
		}
	})
	return results
}

// taskResult is what one task found.
type taskResult struct {
	findings []Finding
	err      error           // a Run rule's panic
	errs     map[*Rule]error // a walk task's: the rules that panicked
}

func (res *taskResult) add(f Finding) {
	res.findings = append(res.findings, f)
}

// chunks splits the walk into contiguous runs, a few per worker so that
// a slow run does not leave the other cores idle for long.
func chunks(dirs []*nginx.Directive, workers int) [][]*nginx.Directive {
	n := min(len(dirs), workers*4)
	if n <= 1 {
		return [][]*nginx.Directive{dirs}
	}
	out := make([][]*nginx.Directive, 0, n)
	for i := range n {
		out = append(out, dirs[i*len(dirs)/n:(i+1)*len(dirs)/n])
	}
	return out
}

// focusSet is what a focused run visits (see RunFocused): the directives
// of the focused files, and the blocks and include directives that
// enclose them at any inclusion site (a rule visiting a server block
// reads the snippet files it includes). The nil set holds everything.
// TestFocusedRunAgrees holds the findings in the focused files to those
// of a whole run.
type focusSet struct {
	files map[*nginx.Config]bool
	chain map[*nginx.Directive]bool
	// roots are the files whose top level holds something in focus.
	roots map[*nginx.Config]bool
}

func focusedOn(ws *Workspace, focus []string) *focusSet {
	if focus == nil {
		return nil
	}
	f := &focusSet{files: map[*nginx.Config]bool{}, chain: map[*nginx.Directive]bool{}, roots: map[*nginx.Config]bool{}}
	for _, c := range ws.Nginx {
		if !slices.Contains(focus, c.File.Abs) {
			continue
		}
		f.files[c], f.roots[c] = true, true
		for _, s := range c.Sites() {
			for _, inc := range s.Via {
				for d := inc; d != nil && !f.chain[d]; d = d.Parent {
					f.chain[d] = true
					if d.Parent == nil {
						f.roots[d.Config] = true
					}
				}
			}
		}
	}
	return f
}

func (f *focusSet) has(d *nginx.Directive) bool {
	return f == nil || f.files[d.Config] || f.chain[d]
}

func (f *focusSet) reaches(c *nginx.Config) bool { return f == nil || f.roots[c] }

// directives lists, in pre-order, the directives of c the walk visits:
// all of a focused file's, only the enclosing chain of another's.
func (f *focusSet) directives(c *nginx.Config, out []*nginx.Directive) []*nginx.Directive {
	if f == nil || f.files[c] {
		nginx.Walk(c, func(d *nginx.Directive) bool { out = append(out, d); return true })
		return out
	}
	if !f.roots[c] {
		return out
	}
	var in func(list []*nginx.Directive)
	in = func(list []*nginx.Directive) {
		for _, d := range list {
			if f.chain[d] {
				out = append(out, d)
				in(d.Block)
			}
		}
	}
	in(c.Directives)
	return out
}
