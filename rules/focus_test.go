package rules_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/rules"
)

// The language server asks only for the findings of its open documents
// (analyzer.Pipeline.Focus): the per-directive rules then visit those
// files and the blocks that include them, not the whole workspace, and
// the Run rules that ask Pass.InFocus skip the rest. For every nginx file
// of every folder rule case and of the corpus, the findings located in
// that file must be the ones a whole run gives: with every rule on the
// cases and on one corpus file in five, with the walk's rules on every
// corpus file (the Run rules' cost on the whole corpus, per file, would
// make the test slow).
func TestFocusedRunAgrees(t *testing.T) {
	all, err := analyzer.Select(rules.All(), []string{"all"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var visiting []*analyzer.Rule
	for _, r := range all {
		if r.Run == nil {
			visiting = append(visiting, r)
		}
	}
	cases := folderCases(t)
	compared := 0
	check := func(name string, ws *analyzer.Workspace, settings *analyzer.Settings, set []*analyzer.Rule, every int) {
		whole, _ := analyzer.RunWith(ws, set, rules.All(), settings)
		for i, c := range ws.Nginx {
			if i%every != 0 {
				continue
			}
			focused, _ := analyzer.RunFocused(ws, set, rules.All(), settings, []string{c.File.Abs})
			want, got := in(whole, c.File.Path), in(focused, c.File.Path)
			if fmt.Sprint(want) != fmt.Sprint(got) {
				t.Errorf("%s: findings in %s\nwhole run:\n%s\nfocused on it:\n%s", name, c.File.Path, want, got)
			}
			compared++
		}
	}
	for _, dir := range cases {
		ws, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{WorkDir: casesDir})
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		check(dir, ws, caseSettings(t, dir), all, 1)
	}
	c := newCorpusLint(t)
	ws, err := analyzer.Load(c.paths, analyzer.LoadOptions{WorkDir: c.root, Machine: sharedtest.Machine(t)})
	if err != nil {
		t.Fatal(err)
	}
	check("corpus", ws, nil, visiting, 1)
	check("corpus", ws, nil, all, 5)
	t.Logf("%d files compared", compared)
}

// in lists the findings located in file, one line each.
func in(fs []analyzer.Finding, file string) []string {
	var out []string
	for _, f := range fs {
		if f.Span.File == file {
			out = append(out, fmt.Sprintf("%s %s %s\n", f.Span, f.Rule.Name, f.Message))
		}
	}
	return out
}

// folderCases are the rule cases that are folders (several files, a
// .ngxlint.yml), as opposed to one file each.
func folderCases(t *testing.T) []string {
	t.Helper()
	var cases []string
	dirs, _ := filepath.Glob(filepath.Join(casesDir, "*", "*"))
	for _, d := range dirs {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			cases = append(cases, d)
		}
	}
	if len(cases) < 50 {
		t.Fatalf("only %d folder cases under %s", len(cases), casesDir)
	}
	return cases
}
