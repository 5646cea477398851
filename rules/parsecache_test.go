package rules_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/internal/benchgen"
	"github.com/ngxlint/ngxlint/rules"
)

// The language server loads its workspace again on every edit with a
// parse cache (nginx.ParseCache): the unchanged files' trees are copied
// from the last load, with their gonginx joins, or with Exclusive are
// the last load's trees relinked. A load from the cache must give the
// workspace and the findings of a fresh load, for every folder rule case
// and the corpus.
func TestParseCacheGivesTheSameRun(t *testing.T) {
	all, err := analyzer.Select(rules.All(), []string{"all"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	type input struct {
		name, root string
		paths      []string
		settings   *analyzer.Settings
	}
	var inputs []input
	for _, d := range folderCases(t) {
		inputs = append(inputs, input{d, casesDir, []string{d}, caseSettings(t, d)})
	}
	c := newCorpusLint(t)
	inputs = append(inputs, input{"corpus", c.root, c.paths, nil})
	copies := 0
	for _, in := range inputs {
		lint := func(cache *nginx.ParseCache) (string, string) {
			return lintDump(t, in.root, in.paths, all, in.settings, cache)
		}
		tree, findings := lint(nil)
		// An Exclusive cache hands its own trees out again, relinked.
		for _, exclusive := range []bool{false, true} {
			cache := &nginx.ParseCache{Exclusive: exclusive}
			lint(cache) // fills the cache; the rules join what they view
			before := cache.Copies()
			for range 2 {
				cache.Sweep()
				gotTree, gotFindings := lint(cache)
				if gotTree != tree {
					t.Errorf("%s (exclusive %v): the workspace loaded from the cache differs:\n%s", in.name, exclusive, sharedtest.FirstDiff(tree, gotTree))
				}
				if gotFindings != findings {
					t.Errorf("%s (exclusive %v): the findings from the cache differ:\n%s", in.name, exclusive, sharedtest.FirstDiff(findings, gotFindings))
				}
			}
			copies += cache.Copies() - before
		}
	}
	if copies < 500 {
		t.Errorf("only %d trees were copied from the cache", copies)
	}
}

// lintDump loads paths (with cache, when not nil), runs the rules and
// returns the dump of the workspace and the findings.
func lintDump(t *testing.T, root string, paths []string, rs []*analyzer.Rule, settings *analyzer.Settings, cache *nginx.ParseCache) (tree, findings string) {
	t.Helper()
	ws, err := analyzer.Load(paths, analyzer.LoadOptions{WorkDir: root, Parsed: cache, Machine: sharedtest.Machine(t)})
	if err != nil {
		t.Fatalf("%v: %v", paths, err)
	}
	fs, _ := analyzer.RunWith(ws, rs, rules.All(), settings)
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s %s %s %v\n", f.Span, f.Rule.Name, f.Message, f.Related)
	}
	return dumpWorkspace(ws), b.String()
}

// An editor's workspace changes a line at a time, anywhere: in a host
// file, in the main file (an include or a block commented out, so that
// files leave the workspace, come back, or move to another context). An
// Exclusive cache, which relinks its trees and keeps the peer model's
// parts, must give after every edit what a fresh load gives. The edits
// toggle a '#' at the start of a random line of a random file, with a
// fixed seed.
func TestParseCacheFollowsEdits(t *testing.T) {
	all, err := analyzer.Select(rules.All(), []string{"all"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	main, _, err := benchgen.WriteTree(dir, 12, benchgen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	extra := map[string]string{
		"conf.d/zz-upstreams.conf": "upstream shared { server 10.0.0.1:80; server 10.0.0.2:80 backup; }\n" +
			"server { listen 8080; location / { proxy_pass http://shared; } location /b { proxy_pass http://app0001; } }\n",
		"streams.conf": "server { listen 9000; proxy_pass shared; }\nupstream shared { server 10.0.0.3:9000; }\n",
	}
	for name, text := range extra {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src, err := os.ReadFile(main)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(main, append(src, "stream {\n    include streams.conf;\n    include missing.conf;\n}\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "conf.d", "*.conf"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, main, main, main, filepath.Join(dir, "streams.conf")) // the main file more often
	base := time.Now().Add(-time.Hour)
	cache := &nginx.ParseCache{Exclusive: true}
	rng := rand.New(rand.NewPCG(13, 0))
	reused := 0
	for step := range 40 {
		if step > 0 {
			f := files[rng.IntN(len(files))]
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.SplitAfter(string(b), "\n")
			i := rng.IntN(len(lines) - 1)
			if strings.HasPrefix(lines[i], "#") {
				lines[i] = lines[i][1:]
			} else {
				lines[i] = "#" + lines[i]
			}
			if err := os.WriteFile(f, []byte(strings.Join(lines, "")), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		// Files look old to the cache, as in an editor: only what changed
		// is read again (its time moves on with every step).
		sharedtest.Date(t, base.Add(time.Duration(step)*time.Second), "", append(files, filepath.Join(dir, "mime.types"))...)
		before := cache.Copies()
		tree, findings := lintDump(t, dir, []string{main}, all, nil, cache)
		cache.Sweep()
		reused += cache.Copies() - before
		wantTree, wantFindings := lintDump(t, dir, []string{main}, all, nil, nil)
		if tree != wantTree {
			t.Fatalf("step %d: the workspace from the cache differs:\n%s", step, sharedtest.FirstDiff(wantTree, tree))
		}
		if findings != wantFindings {
			t.Fatalf("step %d: the findings from the cache differ:\n%s", step, sharedtest.FirstDiff(wantFindings, findings))
		}
	}
	if reused < 200 {
		t.Errorf("only %d trees came from the cache", reused)
	}
}

// dumpWorkspace writes what a load gives the rules about the nginx files:
// every directive with its spans, arguments, block, includes, contexts
// and typed view; every file's sites, includers and diagnostics.
func dumpWorkspace(ws *analyzer.Workspace) string {
	var b strings.Builder
	for _, c := range ws.Nginx {
		fmt.Fprintf(&b, "file %s opaque=%q implied=%v comments=%d\n", c.File.Path, c.File.Opaque, c.Implied, len(c.File.Comments))
		for _, d := range c.Diagnostics {
			fmt.Fprintf(&b, "  diag %s %s %s\n", d.Span, d.Code, d.Message)
		}
		for _, d := range c.IncludedBy {
			fmt.Fprintf(&b, "  included by %s\n", d.Span())
		}
		for _, s := range c.Sites() {
			fmt.Fprintf(&b, "  site %s via %d\n", s.Root.File.Path, len(s.Via))
		}
		nginx.Walk(c, func(d *nginx.Directive) bool {
			fmt.Fprintf(&b, "  %s %v %v block=%v/%d term=%v ctx=%v lua=%v parent=%v", d.Name, d.NameSpan(), d.Span(), d.HasBlock,
				len(d.Block), d.Terminated, d.Context(), d.Lua() != nil, d.Parent != nil && d.Parent.Config == c)
			for _, a := range d.Args {
				fmt.Fprintf(&b, " [%s|%s|%c|%v]", a.Value, a.Raw(), a.Quote, a.Span())
			}
			for _, inc := range d.Includes() {
				fmt.Fprintf(&b, " -> %s", inc.File.Path)
			}
			fmt.Fprintf(&b, " node=%T\n", d.Node())
			return true
		})
	}
	return b.String()
}
