package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/internal/hugeheap"
)

// heapForInput, heapForReading and heapForLoaded, when set, prepare the
// process's heap for a lint: of the named paths before it loads them, of
// the bytes admitted so far while it reads them, and of the loaded
// workspace before its rules run. main sets them; tests that run the CLI
// in-process leave them nil, so that they never change their own
// process's heap.
var (
	heapForInput   func(paths []string)
	heapForReading func(total int64)
	heapForLoaded  func(ws *analyzer.Workspace)
)

// prepareHeap lets a large lint's heap use huge pages (see package
// hugeheap) when its inputs look large enough to gain from it: a region
// before loading, from a guess at the input's size, and more once the
// size is known, when the run will outgrow it. Only the one-shot
// commands call it, never the language server.
func prepareHeap(paths []string) {
	if hugeheap.Possible() {
		hugeheap.Prepare(inputEstimate(paths, hugeheap.MinInput))
	}
}

// growHeap is prepareHeap's second step, from the loaded files' size;
// it also lets the heap grow in proportion to them before the next
// collection (paceForLoaded).
func growHeap(ws *analyzer.Workspace) {
	var n int64
	for _, f := range ws.Files {
		n += int64(len(f.Src))
	}
	hugeheap.Grow(n)
	paceForLoaded(n)
}

// inputEstimate guesses how many bytes a lint of paths reads, stopping as
// soon as the guess reaches enough: the sizes of the folders named, and
// for a file, of the folder holding it, since the files a configuration
// includes live beside or below it (nginx resolves relative includes from
// its prefix, usually that folder). A file without the word include
// counts alone (nginx.MayInclude): a pre-commit hook names one small file
// whose folder may hold anything, and guessing from the folder there set
// up the huge heap for a four-line file, 6 to 11 ms of a 15 ms run. A
// walk skips hidden folders (.git) and stops after a few thousand
// entries; standard input and special files count for nothing.
func inputEstimate(paths []string, enough int64) int64 {
	var total int64
	seen := map[string]bool{}
	for _, p := range paths {
		if p == "-" {
			continue
		}
		fi, err := os.Stat(p)
		if err != nil {
			continue // the loader reports it
		}
		dir := p
		if !fi.IsDir() {
			if !fi.Mode().IsRegular() {
				continue // a device or a FIFO: the loader refuses it
			}
			if fi.Size() < enough-total && !nginx.MayInclude(p, enough-total) {
				total += fi.Size() // a file that includes nothing is all there is
				continue
			}
			dir = filepath.Dir(p)
		}
		if seen[dir] {
			continue
		}
		seen[dir] = true
		total += folderSize(dir, enough-total)
		if total >= enough {
			break
		}
	}
	return total
}

// maxEstimateEntries bounds the walk of one folder.
const maxEstimateEntries = 5000

// folderSize sums the sizes of the regular files under dir, stopping once
// it reaches enough or has looked at maxEstimateEntries entries.
func folderSize(dir string, enough int64) int64 {
	var total int64
	entries := 0
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		entries++
		if total >= enough || entries > maxEstimateEntries {
			return filepath.SkipAll
		}
		if d != nil && d.IsDir() && path != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir // .git and the like hold no configuration
		}
		// An unreadable entry counts for nothing: the loader reports it.
		if err == nil && d.Type().IsRegular() {
			if fi, ierr := d.Info(); ierr == nil {
				total += fi.Size()
			}
		}
		return nil
	})
	return total
}
