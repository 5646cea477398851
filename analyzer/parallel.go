package analyzer

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/ngxlint/ngxlint/analyzer/nginx"
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
	var tasks []func(*taskResult)
	var visiting []*Rule
	for _, r := range rules {
		if r.Run != nil {
			tasks = append(tasks, func(res *taskResult) {
				res.err = runOne(&Pass{Rule: r, Workspace: ws, Settings: settings, report: res.add})
			})
		}
		if r.Visit != nil && len(r.Directives) > 0 {
			visiting = append(visiting, r)
		}
	}
	nRun := len(tasks)
	workers := runtime.GOMAXPROCS(0)
	if len(visiting) > 0 {
		// The walk is cut into contiguous runs of the pre-order list of
		// every file's directives: one large file is shared out too.
		var dirs []*nginx.Directive
		visit := focusedOn(ws, focus)
		for _, c := range ws.Nginx {
			nginx.Walk(c, func(d *nginx.Directive) bool {
				if visit == nil || visit(d) {
					dirs = append(dirs, d)
				}
				return true
			})
		}
		for _, chunk := range chunks(dirs, workers) {
			tasks = append(tasks, func(res *taskResult) {
				var vs []*visitor
				for _, r := range visiting {
					vs = append(vs, &visitor{rule: r, pass: &Pass{Rule: r, Workspace: ws, Settings: settings, report: res.add}})
				}
				newDispatcher(vs).visitAll(chunk)
				for _, v := range vs {
					if v.err != nil {
						if res.errs == nil {
							res.errs = map[*Rule]error{}
						}
						res.errs[v.rule] = v.err
					}
				}
			})
		}
	}

	results := make([]taskResult, len(tasks))
	if workers <= 1 || len(tasks) <= 1 {
		for i, t := range tasks {
			t(&results[i])
		}
	} else {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range min(workers, len(tasks)) {
			wg.Go(func() {
				for {
					i := int(next.Add(1)) - 1
					if i >= len(tasks) {
						return
					}
					tasks[i](&results[i])
				}
			})
		}
		wg.Wait()
	}

	var findings []Finding
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

// focusedOn returns which directives the walk visits when only the
// findings in the files focus names (absolute paths) are wanted, as in an
// editor: the directives of those files, and the blocks and include
// directives that enclose them at any inclusion site (a rule visiting a
// server block reads the snippet files it includes). nil means all.
// TestFocusedRunAgrees holds the findings in the focused files to those
// of a whole run.
func focusedOn(ws *Workspace, focus []string) func(*nginx.Directive) bool {
	if focus == nil {
		return nil
	}
	files := map[*nginx.Config]bool{}
	chain := map[*nginx.Directive]bool{}
	for _, c := range ws.Nginx {
		if !slices.Contains(focus, c.File.Abs) {
			continue
		}
		files[c] = true
		for _, s := range c.Sites() {
			for _, inc := range s.Via {
				for d := inc; d != nil && !chain[d]; d = d.Parent {
					chain[d] = true
				}
			}
		}
	}
	return func(d *nginx.Directive) bool { return files[d.Config] || chain[d] }
}
