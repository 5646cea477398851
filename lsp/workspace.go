package lsp

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// maxCandidates bounds the files one workspace folder contributes, so a
// folder full of unrelated *.conf files costs a bounded scan.
const maxCandidates = 256

// index finds, per workspace folder, the configuration files on disk that
// give an open file its context: main files (nginx.conf, *.conf at the
// folder's top or one level below) and the files each of them includes,
// and Elasticsearch/OpenSearch settings files. It is cached and dropped
// when the client reports file changes or a save.
type index struct {
	mu sync.Mutex
	// off disables the disk scan (the fuzz target: its inputs name
	// arbitrary folders, which would only slow it down).
	off   bool
	gen   int // bumped by invalidate, so a scan that raced it is not kept
	roots map[string]*rootIndex
}

type rootIndex struct {
	nginx, elastic []string
	// includes maps a candidate nginx file to every file it pulls in
	// (itself included), resolved from the disk.
	includes map[string]map[string]bool
}

func (ix *index) invalidate() {
	ix.mu.Lock()
	ix.roots = nil
	ix.gen++
	ix.mu.Unlock()
}

// context returns the closed files to load with the open ones: the
// candidate main files that include any of open, and every settings file.
// The disk is read without holding the lock, so that invalidate (called
// from the message loop) never waits for a scan.
func (ix *index) context(root string, open map[string]bool) []string {
	if root == "" || ix.off {
		return nil
	}
	ix.mu.Lock()
	ri, gen := ix.roots[root], ix.gen
	ix.mu.Unlock()
	if ri == nil {
		ri = scanRoot(root)
	}
	var out []string
	for _, cand := range ri.nginx {
		if open[cand] {
			continue
		}
		ix.mu.Lock()
		inc, ok := ri.includes[cand]
		ix.mu.Unlock()
		if !ok {
			inc = includedBy(cand)
			ix.mu.Lock()
			ri.includes[cand] = inc
			ix.mu.Unlock()
		}
		for abs := range open {
			if inc[abs] {
				out = append(out, cand)
				break
			}
		}
	}
	for _, es := range ri.elastic {
		if !open[es] {
			out = append(out, es)
		}
	}
	ix.mu.Lock()
	if ix.gen == gen {
		if ix.roots == nil {
			ix.roots = map[string]*rootIndex{}
		}
		ix.roots[root] = ri
	}
	ix.mu.Unlock()
	return out
}

// scanRoot lists the candidates at the folder's top and one level below,
// skipping hidden and dependency folders.
func scanRoot(root string) *rootIndex {
	ri := &rootIndex{includes: map[string]map[string]bool{}}
	add := func(path string, e os.DirEntry) {
		if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") || len(ri.nginx)+len(ri.elastic) >= maxCandidates {
			return
		}
		kind, ok := analyzer.Classify(path)
		switch {
		case !ok:
		case kind == source.KindElastic:
			ri.elastic = append(ri.elastic, path)
		default:
			ri.nginx = append(ri.nginx, path)
		}
	}
	top := readDir(root)
	dirs := 0
	for _, e := range top {
		path := filepath.Join(root, e.Name())
		if !e.IsDir() {
			add(path, e)
			continue
		}
		if skipDir(e.Name()) || dirs >= maxDirs {
			continue
		}
		dirs++
		for _, s := range readDir(path) {
			if !s.IsDir() {
				add(filepath.Join(path, s.Name()), s)
			}
		}
	}
	// nginx.conf first: it is the main file when there is one.
	sort.SliceStable(ri.nginx, func(i, j int) bool {
		return filepath.Base(ri.nginx[i]) == "nginx.conf" && filepath.Base(ri.nginx[j]) != "nginx.conf"
	})
	return ri
}

// Bounds on the scan, so that a workspace folder such as / or $HOME
// stays cheap.
const (
	maxDirs       = 64
	maxDirEntries = 1024
)

// readDir lists at most maxDirEntries entries of a folder, sorted.
func readDir(dir string) []os.DirEntry {
	// Stat first: opening a FIFO named as a folder would block.
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil
	}
	f, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer func() { _ = f.Close() }()
	entries, _ := f.ReadDir(maxDirEntries)
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	return entries
}

func skipDir(name string) bool {
	return strings.HasPrefix(name, ".") || name == "node_modules" || name == "vendor"
}

// includedBy loads one file from disk with its includes and returns the
// absolute paths of everything it pulled in.
func includedBy(abs string) map[string]bool {
	// Bounded like a document: the index reads files nobody opened.
	total := int64(0)
	l := &nginx.Loader{Display: func(a string) string { return a }, Admit: func(_ string, size int64) error {
		total += size
		if size > maxDocument || total > 4*maxDocument {
			return errIndexTooLarge
		}
		return nil
	}}
	if _, err := l.Load(abs); err != nil {
		return nil
	}
	l.Resolve()
	out := map[string]bool{}
	for _, c := range l.Configs() {
		if c.File.Abs != "" {
			out[c.File.Abs] = true
		}
	}
	return out
}

var errIndexTooLarge = errors.New("too large for the language server's index")
