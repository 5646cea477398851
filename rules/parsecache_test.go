package rules_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
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
			ws, err := analyzer.Load(in.paths, analyzer.LoadOptions{WorkDir: in.root, Parsed: cache})
			if err != nil {
				t.Fatalf("%s: %v", in.name, err)
			}
			fs, _ := analyzer.RunWith(ws, all, rules.All(), in.settings)
			var b strings.Builder
			for _, f := range fs {
				fmt.Fprintf(&b, "%s %s %s %v\n", f.Span, f.Rule.Name, f.Message, f.Related)
			}
			return dumpWorkspace(ws), b.String()
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
			fmt.Fprintf(&b, "  included by %s\n", d.Span)
		}
		for _, s := range c.Sites() {
			fmt.Fprintf(&b, "  site %s via %d\n", s.Root.File.Path, len(s.Via))
		}
		nginx.Walk(c, func(d *nginx.Directive) bool {
			fmt.Fprintf(&b, "  %s %v %v block=%v/%d term=%v ctx=%v lua=%v parent=%v", d.Name, d.NameSpan, d.Span, d.HasBlock,
				len(d.Block), d.Terminated, d.Context(), d.Lua != nil, d.Parent != nil && d.Parent.Config == c)
			for _, a := range d.Args {
				fmt.Fprintf(&b, " [%s|%s|%c|%v]", a.Value, a.Raw, a.Quote, a.Span)
			}
			for _, inc := range d.Includes {
				fmt.Fprintf(&b, " -> %s", inc.File.Path)
			}
			fmt.Fprintf(&b, " node=%T\n", d.Node())
			return true
		})
	}
	return b.String()
}
