package lsp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
	"github.com/sourcegraph/go-lsp"
)

// snapshot is one open document as it was when a lint started.
type snapshot struct {
	doc     *document // identity: a reopened document is a new one
	uri     uri
	abs     string
	version int
	text    []byte
	onDisk  bool
}

// outcome is the result of linting a group of open documents together.
type outcome struct {
	findings map[uri][]analyzer.Finding // per open document
	files    map[uri]*source.File       // the text each was linted as
	// outer is the block path each one's top level sits in (see
	// outerOf), kept as a value: the next lint relinks the trees.
	outer map[uri][]string
	// byDisplay finds a file by the display path spans carry, for
	// related locations and fix edits that point at other files.
	byDisplay map[string]*source.File
	settings  *analyzer.Settings // the group's .ngxlint.yml, for hover and completion
	errs      []error
	// tooLarge are the documents not linted for their size, with it.
	tooLarge map[uri]int
}

// maxDocument bounds the text of a document the server lints. Linting
// costs a multiple of the text in memory on every edit; a larger buffer
// (a log opened by mistake, a generated file) gets one diagnostic saying
// why it is not linted. The CLI's limits are larger and configurable.
const maxDocument = 4 << 20

// tooLargeDiagnostic is the one diagnostic of a document over maxDocument.
func tooLargeDiagnostic(size int) diagnostic {
	return diagnostic{Diagnostic: lsp.Diagnostic{
		Severity: lsp.Information, Source: "ngxlint", Code: "too-large",
		Message: fmt.Sprintf("not linted: this document is %d bytes, over the %d-byte limit of the language server (ngxlint lint checks it, up to --max-file-size)", size, maxDocument),
	}}
}

// result is what a document keeps from its last lint, for code actions
// and hover.
type result struct {
	version   int
	file      *source.File
	outer     []string // see outerOf
	byDisplay map[string]*source.File
	findings  []analyzer.Finding
	settings  *analyzer.Settings
}

// lint loads the open documents of one workspace group (their unsaved
// text as overlay) together with the closed files that give them context,
// runs the rules the group's .ngxlint.yml and the editor select, applies
// the file's ignores and severities, and sorts the findings by document.
//
// A lint of a group whose documents are at the versions of its last lint,
// with nothing on disk changed since as far as the server was told
// (diskGen), hands back that lint's outcome: a hover right after an edit
// lints the new version, and the debounced lint of the same version that
// follows reuses it. Not in live mode, whose evidence is of its moment.
func (s *Server) lint(ctx context.Context, key, root string, docs []snapshot, choice ruleChoice, live bool) (*outcome, error) {
	live = live && s.opt.Live != nil
	cache, unlock := s.parseCache(root, live)
	defer unlock()
	// Read after the lock: a lint that held it may have just finished.
	st := s.stampOf(docs)
	if !live {
		s.mu.Lock()
		last := s.lastLint[key]
		s.mu.Unlock()
		if last != nil && last.stamp.equal(st) {
			return last.out, nil
		}
	}
	out, err := s.lintWith(ctx, cache, root, docs, choice, live)
	if err == nil && !live {
		s.mu.Lock()
		s.lastLint[key] = &lintMemo{stamp: st, out: out}
		s.mu.Unlock()
	}
	return out, err
}

// lintMemo is the last outcome of a group's lint and what it read.
type lintMemo struct {
	stamp lintStamp
	out   *outcome
}

// lintStamp is what a lint read that the server can tell changed: each
// document (the same document, not one closed and opened again) at its
// version, and the disk as of the last change the server heard of.
type lintStamp struct {
	diskGen uint64
	docs    []docVersion
}

type docVersion struct {
	doc     *document
	version int
}

func (s *Server) stampOf(docs []snapshot) lintStamp {
	s.mu.Lock()
	st := lintStamp{diskGen: s.diskGen}
	s.mu.Unlock()
	for _, d := range docs {
		st.docs = append(st.docs, docVersion{d.doc, d.version})
	}
	return st
}

func (a lintStamp) equal(b lintStamp) bool {
	return a.diskGen == b.diskGen && slices.Equal(a.docs, b.docs)
}

// lintWith is lint's work, with the group's parse cache held.
func (s *Server) lintWith(ctx context.Context, cache *nginx.ParseCache, root string, docs []snapshot, choice ruleChoice, live bool) (*outcome, error) {
	s.lints.Add(1)
	out := &outcome{
		findings:  map[uri][]analyzer.Finding{},
		files:     map[uri]*source.File{},
		outer:     map[uri][]string{},
		byDisplay: map[string]*source.File{},
		tooLarge:  map[uri]int{},
	}
	overlay := map[string][]byte{}
	open := map[string]bool{}
	byAbs := map[string]uri{}
	var paths []string
	var buffers []snapshot // no file on disk: loaded through the stdin path
	for _, d := range docs {
		if len(d.text) > maxDocument {
			out.tooLarge[d.uri] = len(d.text)
			continue
		}
		overlay[d.abs] = d.text
		open[d.abs] = true
		byAbs[d.abs] = d.uri
		if d.onDisk && isRegular(d.abs) {
			paths = append(paths, d.abs)
		} else {
			buffers = append(buffers, d)
		}
	}
	cfg := s.configs.forGroup(s, root, docs)
	ctxFiles := s.index.context(root, open, cfg.Main)
	rules, err := cfg.Select(s.opt.Rules, choice.enable, choice.disable)
	if err != nil { // an unknown rule in .ngxlint.yml: logged by forGroup's load
		rules, _ = analyzer.Select(s.opt.Rules, choice.enable, choice.disable)
	}

	var loads [][]string // each Load: paths, then at most one buffer
	var stdins []*snapshot
	first := append(append([]string{}, ctxFiles...), paths...)
	if len(buffers) == 0 {
		loads, stdins = append(loads, first), append(stdins, nil)
	}
	for i := range buffers {
		p := []string{"-"}
		if i == 0 {
			p = append(append([]string{}, first...), "-")
		}
		loads, stdins = append(loads, p), append(stdins, &buffers[i])
	}

	// The same pipeline as `ngxlint lint`: rules, ignore comments,
	// .ngxlint.yml, then live evidence when the editor asked for it.
	out.settings = cfg.Settings()
	// Only the open documents' diagnostics are published: the rules that
	// look at one directive at a time need not visit the closed files
	// that give them context (analyzer.RunFocused).
	var focus []string
	for abs := range open {
		focus = append(focus, abs)
	}
	pipe := &analyzer.Pipeline{Rules: rules, Known: s.known, Settings: out.settings, Policy: cfg.Apply, Focus: focus}
	if live {
		pipe.Stages = append(pipe.Stages, func(ctx context.Context, ws *analyzer.Workspace, fs []analyzer.Finding) ([]analyzer.Finding, error) {
			fs, err := s.opt.Live(ctx, ws, fs, rules)
			if err != nil {
				// Live evidence is a bonus in the editor: keep the
				// static findings.
				out.errs = append(out.errs, fmt.Errorf("live mode: %w", err))
			}
			return fs, nil
		})
	}
	// The closed files are the same from one edit to the next: their
	// trees come from the group's parse cache, relinked, and only the
	// edited document is parsed again. The cache is Exclusive (but in live
	// mode): the lints that use it take turns, and what a lint's results
	// keep of the links is copied out (outer).
	defer cache.Sweep()
	for i, paths := range loads {
		opt := analyzer.LoadOptions{Overlay: overlay, WorkDir: root, Prefix: cfg.Prefix, Root: cfg.Root, Parsed: cache}
		if b := stdins[i]; b != nil {
			opt.Stdin, opt.StdinName = bytes.NewReader(b.text), b.abs
		}
		ws, findings, errs, err := pipe.Lint(ctx, paths, opt)
		var ue *analyzer.UsageError
		if errors.As(err, &ue) && len(ctxFiles) > 0 && i == 0 {
			// A context file that cannot be read must not cost the open
			// documents their diagnostics.
			if b := stdins[i]; b != nil {
				opt.Stdin = bytes.NewReader(b.text)
			}
			ws, findings, errs, err = pipe.Lint(ctx, without(paths, ctxFiles), opt)
		}
		if err != nil {
			return nil, err
		}
		out.errs = append(out.errs, errs...)
		for _, f := range ws.Files {
			out.byDisplay[f.Path] = f
			if u, ok := byAbs[f.Abs]; ok {
				out.files[u] = f
			}
		}
		for _, c := range ws.Nginx {
			if u, ok := byAbs[c.File.Abs]; ok {
				out.outer[u] = outerOf(c)
			}
		}
		for _, f := range findings {
			file := ws.File(f.Span.File)
			if file == nil {
				continue
			}
			if u, ok := byAbs[file.Abs]; ok {
				out.findings[u] = append(out.findings[u], f)
			}
		}
	}
	return out, nil
}

func without(paths, drop []string) []string {
	skip := map[string]bool{}
	for _, d := range drop {
		skip[d] = true
	}
	var out []string
	for _, p := range paths {
		if !skip[p] {
			out = append(out, p)
		}
	}
	return out
}

func isRegular(abs string) bool {
	fi, err := os.Stat(abs)
	return err == nil && fi.Mode().IsRegular()
}

var errNotOpen = errors.New("document is not open")

// groupOf is the workspace folder a path belongs to: the deepest root
// that contains it, else its own folder (a file opened outside any
// workspace is linted with its neighbours).
func groupOf(roots []string, abs string) string {
	best := ""
	for _, r := range roots {
		if (abs == r || hasPathPrefix(abs, r)) && len(r) > len(best) {
			best = r
		}
	}
	if best == "" {
		best = filepath.Dir(abs)
	}
	return best
}

func hasPathPrefix(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !filepath.IsAbs(rel) && !startsWithDotDot(rel)
}

func startsWithDotDot(rel string) bool {
	return len(rel) >= 3 && rel[:2] == ".." && os.IsPathSeparator(rel[2])
}

// groupCache is the parse cache of the workspace groups of one root,
// with the lock their lints take in turn.
type groupCache struct {
	mu    sync.Mutex
	cache nginx.ParseCache
}

// parseCache returns the parse cache of a root, locked for the caller's
// lint, and the function that unlocks it. Lints of one root take turns:
// the cache hands out its own trees and relinks them (Exclusive). In live
// mode, where a lint waits for dials (a second or more), lints do not take
// turns, so that a hover need not wait for another lint's dials: the cache
// then hands out copies, as ParseCache does when not Exclusive.
func (s *Server) parseCache(root string, live bool) (*nginx.ParseCache, func()) {
	s.mu.Lock()
	if s.parsed == nil {
		s.parsed = map[string]*groupCache{}
	}
	g := s.parsed[root]
	if g == nil {
		g = &groupCache{cache: nginx.ParseCache{Exclusive: !live}}
		s.parsed[root] = g
	}
	s.mu.Unlock()
	if !g.cache.Exclusive {
		return &g.cache, func() {}
	}
	g.mu.Lock()
	return &g.cache, g.mu.Unlock
}

// outerOf is the block path c's top level sits in: the blocks around the
// include that pulled it in, or the context its content implies (a conf.d
// file of server blocks is in http). Full, so that an append copies.
func outerOf(c *nginx.Config) []string {
	outer := c.Implied
	if len(c.IncludedBy) > 0 {
		outer = c.IncludedBy[0].Context()
	}
	return slices.Clip(slices.Clone(outer))
}
