package lsp

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
	lsp "github.com/sourcegraph/go-lsp"
)

// Bounds on the search of a workspace folder for the main files that
// include an open one, so that a folder such as / or $HOME stays cheap.
// The README's editor section documents them.
const (
	// maxDepth is how many folders below the workspace folder the search
	// goes (docker/rootfs/etc/nginx/nginx.conf is 4 deep).
	maxDepth = 8
	// maxEntries bounds the folder entries read in all.
	maxEntries = 20000
	// maxDirEntries bounds the entries read from any one folder.
	maxDirEntries = 1024
	// maxCandidates bounds the configuration files the search keeps.
	maxCandidates = 512
	// scanBudget bounds the time of one search, git's listing included;
	// what is found by then is used.
	scanBudget = 2 * time.Second
	// maxProbeBytes bounds what is read of a candidate to tell whether it
	// includes anything at all.
	maxProbeBytes = 1 << 20
)

// index finds, per workspace folder, the configuration files on disk that
// give an open file its context: candidate main files anywhere in the
// folder (within the bounds above, skipping what git ignores and hidden
// and vendored folders), the files each of them includes, and the
// Elasticsearch/OpenSearch settings files at the folder's top or one level
// below. The list of candidates is cached until a file is created or
// deleted; what each candidate includes, until any watched file changes.
type index struct {
	mu sync.Mutex
	// off disables the disk scan (the fuzz target: its inputs name
	// arbitrary folders, which would only slow it down).
	off   bool
	gen   int // bumped by invalidate, so a scan that raced it is not kept
	roots map[string]*rootIndex
	// scans counts disk searches, for tests.
	scans int
}

type rootIndex struct {
	nginx, elastic []string
	known          map[string]bool // nginx and elastic, for touched
	// includes maps a candidate nginx file to every file it pulls in
	// (itself included), resolved from the disk.
	includes map[string]map[string]bool
}

// invalidate drops everything: the next lint searches the disk again.
func (ix *index) invalidate() {
	ix.mu.Lock()
	ix.roots = nil
	ix.gen++
	ix.mu.Unlock()
}

// touched is told that the files at paths changed content: what each
// candidate includes is resolved again, and the search runs again only if
// one of them is not a known candidate (a new file, or one the client
// reports before the search saw it).
func (ix *index) touched(paths []string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.gen++
	for root, ri := range ix.roots {
		for _, p := range paths {
			if !ri.known[p] && within(root, p) {
				delete(ix.roots, root)
				break
			}
		}
	}
	for _, ri := range ix.roots {
		ri.includes = map[string]map[string]bool{}
	}
}

// watched applies a workspace/didChangeWatchedFiles: changed files are
// touched; a created or deleted one (or a URI that is not a file) starts
// the search again.
func (ix *index) watched(events []lsp.FileEvent) {
	var paths []string
	for _, e := range events {
		p, ok := uriToPath(e.URI)
		if !ok || e.Type != int(lsp.Changed) {
			ix.invalidate()
			return
		}
		paths = append(paths, p)
	}
	ix.touched(paths)
}

func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// context returns the closed files to load with the open ones: the
// candidate main files that include any of open, and every settings file.
// mains, the .ngxlint.yml's nginx.main, replaces the search for nginx
// candidates when set. The disk is read without holding the lock, so that
// invalidate (called from the message loop) never waits for a scan.
func (ix *index) context(root string, open map[string]bool, mains []string) []string {
	if root == "" || ix.off {
		return nil
	}
	ix.mu.Lock()
	ri, gen := ix.roots[root], ix.gen
	ix.mu.Unlock()
	if ri == nil {
		ri = scanRoot(root)
		ix.mu.Lock()
		ix.scans++
		ix.mu.Unlock()
	}
	cands := ri.nginx
	if len(mains) > 0 {
		cands = mains
	}
	var out []string
	for _, cand := range cands {
		if open[cand] {
			continue
		}
		ix.mu.Lock()
		inc, ok := ri.includes[cand]
		ix.mu.Unlock()
		if !ok {
			inc = includedBy(cand)
			ix.mu.Lock()
			if ix.gen == gen { // else a file changed while it was read
				ri.includes[cand] = inc
			}
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

// scanRoot searches the folder breadth first, so that files near the top
// come first and a bound cuts off the deepest ones.
func scanRoot(root string) *rootIndex {
	ctx, cancel := context.WithTimeout(context.Background(), scanBudget)
	defer cancel()
	ri := &rootIndex{known: map[string]bool{}, includes: map[string]map[string]bool{}}
	ignored := gitIgnored(ctx, root)
	type folder struct {
		path, rel string
		depth     int
	}
	queue := []folder{{root, "", 0}}
	entries := 0
	for len(queue) > 0 && entries < maxEntries && ctx.Err() == nil && len(ri.nginx) < maxCandidates {
		dir := queue[0]
		queue = queue[1:]
		for _, e := range readDir(dir.path) {
			if entries++; entries > maxEntries {
				break
			}
			name := e.Name()
			path, rel := filepath.Join(dir.path, name), dir.rel+name
			if strings.HasPrefix(name, ".") {
				continue
			}
			if e.IsDir() {
				if !skipDir(name) && dir.depth < maxDepth && !ignored[rel+"/"] {
					queue = append(queue, folder{path, rel + "/", dir.depth + 1})
				}
				continue
			}
			if !e.Type().IsRegular() || ignored[rel] {
				continue
			}
			kind, ok := analyzer.Classify(path)
			switch {
			case !ok:
			case kind == source.KindElastic:
				// Settings files join every lint of the folder: only those
				// near the top, as before the deep search.
				if dir.depth <= 1 {
					ri.elastic = append(ri.elastic, path)
					ri.known[path] = true
				}
			case len(ri.nginx) < maxCandidates:
				ri.nginx = append(ri.nginx, path)
				ri.known[path] = true
			}
		}
	}
	// nginx.conf first: it is the main file when there is one. The rest
	// keep the breadth-first order.
	sort.SliceStable(ri.nginx, func(i, j int) bool {
		return filepath.Base(ri.nginx[i]) == "nginx.conf" && filepath.Base(ri.nginx[j]) != "nginx.conf"
	})
	return ri
}

// gitIgnored lists what git ignores under root (folders with a trailing
// slash, paths relative to root with forward slashes), or nothing when
// root is not in a git work tree or git is missing: then every folder is
// searched. Tracked files are never listed, whatever .gitignore says.
func gitIgnored(ctx context.Context, root string) map[string]bool {
	git, err := exec.LookPath("git")
	if err != nil {
		return nil
	}
	cmd := exec.CommandContext(ctx, git, "-C", root, "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory")
	cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0")
	out, err := cmd.Output()
	if err != nil {
		return nil
	}
	set := map[string]bool{}
	for _, p := range bytes.Split(out, []byte{0}) {
		if len(p) > 0 {
			set[string(p)] = true
		}
	}
	return set
}

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
// absolute paths of everything it pulled in. A file without the word
// "include" pulls in nothing and is not parsed.
func includedBy(abs string) map[string]bool {
	if !nginx.MayInclude(abs, maxProbeBytes) {
		return map[string]bool{abs: true}
	}
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
