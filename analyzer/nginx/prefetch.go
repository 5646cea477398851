package nginx

import (
	"runtime"
	"sync"
)

// prefetched is a file read (and, when it could be, parsed) ahead.
type prefetched struct {
	src  []byte
	cfg  *Config
	used int // nodes the parse built (see MaxNodes)
	err  error
	// notConfig is notConfig(src), worked out beside the parse when
	// checked is set (the loader asks it of every included file, on one
	// core: a millisecond of the 300-host tree's load).
	notConfig string
	checked   bool
}

// prefetch reads (in order, on this goroutine: reading admits the file
// against the run's size budget) and parses, on all cores while the
// reading goes on, the files of
// one include that are not loaded yet. Only the bytes and the tree are
// made here: adding
// a file to the loader, linking includes and reporting cycles and read
// errors stay in includeFile, in the include's order, so the result is
// the same as a sequential load (Parse depends on the file alone).
func (l *Loader) prefetch(paths []string) {
	workers := runtime.GOMAXPROCS(0)
	if workers <= 1 || len(paths) < 2 {
		return
	}
	type job struct {
		abs, display string
		out          prefetched
	}
	var jobs []*job
	queued := make(map[string]bool, len(paths))
	for _, p := range paths {
		if _, ok := l.byAbs[p]; ok || queued[p] {
			continue // a file named twice is read once, as Load would
		}
		if _, ok := l.pre[p]; ok {
			continue
		}
		queued[p] = true
		jobs = append(jobs, &job{abs: p, display: l.display(p)})
	}
	if len(jobs) < 2 {
		return
	}
	// Files are read here in order, and parsed by the workers as they
	// come: reading is mostly waiting on the system, so it overlaps the
	// parsing of the files read before.
	ready := make(chan *job, len(jobs))
	var wg sync.WaitGroup
	for range min(workers, len(jobs)) {
		wg.Go(func() {
			for j := range ready {
				if j.out.err == nil {
					j.out.cfg, j.out.used = l.Cache.parse(j.display, j.abs, j.out.src, l.budget(), l.budget())
					j.out.notConfig, j.out.checked = l.Cache.notConfig(j.abs, j.out.src), true
				}
			}
		})
	}
	for _, j := range jobs {
		j.out.src, j.out.err = l.read(j.abs)
		ready <- j
	}
	close(ready)
	wg.Wait()
	if l.pre == nil {
		l.pre = make(map[string]prefetched, len(jobs))
	}
	for _, j := range jobs {
		l.pre[j.abs] = j.out
	}
}
