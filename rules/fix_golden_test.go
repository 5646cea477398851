package rules_test

import (
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/fix"
	"github.com/ngxlint/ngxlint/rules"
)

// update rewrites the golden files: go test ./rules -run TestRuleCases -update
var update = flag.Bool("update", false, "rewrite the .fixed golden files of the rule cases")

// goldenSuffix names a case's golden: x.conf.fixed beside x.conf, or a
// folder dir.fixed/ beside a folder case dir/, holding each file the
// fixes change at the same relative path.
const goldenSuffix = ".fixed"

func isGolden(name string) bool { return strings.HasSuffix(name, goldenSuffix) }

// fixTally counts, per rule name, its cases and those that ran (a -run
// filter may skip some), the fixes they produced and the golden files
// that checked them.
type fixTally map[string]*fixCount

type fixCount struct{ cases, ran, fixes, goldens int }

func (ft fixTally) of(name string) *fixCount {
	if ft[name] == nil {
		ft[name] = &fixCount{}
	}
	return ft[name]
}

// checkFixes applies every fix of the case's findings, safe and unsafe
// (as analysistest.RunWithSuggestedFixes does), and compares each changed
// file with its golden; with -update it writes the goldens instead. A
// fix's safety must be what the rule declares.
func checkFixes(t *testing.T, rule *analyzer.Rule, casePath string, ws *analyzer.Workspace, findings []analyzer.Finding, tally fixTally) {
	t.Helper()
	tally.of(rule.Name).ran++
	byFile := map[string][]*analyzer.Fix{}
	var order []string
	for _, f := range findings {
		fx := f.Fix
		if fx == nil {
			continue
		}
		tally.of(rule.Name).fixes++
		if len(fx.Edits) == 0 {
			t.Errorf("%s: fix %q has no edits", f.Span, fx.Title)
			continue
		}
		if want := rule.Fix == analyzer.FixSafe; fx.Safe != want {
			t.Errorf("%s: fix %q has Safe=%v, but %s declares Fix %q", f.Span, fx.Title, fx.Safe, rule.Name, rule.Fix)
		}
		file := fx.Edits[0].Span.File
		for _, e := range fx.Edits {
			if e.Span.File != file {
				t.Errorf("%s: fix %q edits both %s and %s", f.Span, fx.Title, file, e.Span.File)
			}
		}
		if _, ok := byFile[file]; !ok {
			order = append(order, file)
		}
		byFile[file] = append(byFile[file], fx)
	}

	caseAbs, err := filepath.Abs(casePath)
	if err != nil {
		t.Fatal(err)
	}
	golden := casePath + goldenSuffix
	if *update {
		if err := os.RemoveAll(golden); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]bool{} // golden paths this case must have
	for _, name := range order {
		src := ws.File(name)
		if src == nil {
			t.Errorf("a fix edits %s, which the workspace does not hold", name)
			continue
		}
		out, _, skipped := fix.Apply(src.Src, byFile[name])
		for _, s := range skipped {
			t.Errorf("%s: fix %q not applied: %s", name, byFile[name][s.Index].Title, s.Reason)
		}
		rel, err := filepath.Rel(caseAbs, src.Abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			t.Errorf("a fix edits %s, outside the case %s", name, casePath)
			continue
		}
		path := filepath.Join(golden, rel) // rel is "." for a single-file case
		want[path] = true
		tally.of(rule.Name).goldens++
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, out, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			t.Errorf("%s: fixes change %s but the golden %s is missing: run go test ./rules -run TestRuleCases -update", casePath, name, path)
		case err != nil:
			t.Error(err)
		case string(got) != string(out):
			t.Errorf("%s: applying the fixes does not give the golden %s:\n%s", name, path, fix.Diff(path, got, out))
		}
	}
	// A golden that no fix produces is stale.
	_ = filepath.WalkDir(golden, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !want[p] {
			t.Errorf("%s: no fix of this case changes that file: remove it, or run with -update", p)
		}
		return nil
	})
}

// checkDeclaredFixes holds the rules' Fix metadata to their cases: a rule
// that declares a fix produces at least one, checked by a golden; a rule
// that declares none never produces one.
func checkDeclaredFixes(t *testing.T, tally fixTally) {
	t.Helper()
	for _, r := range rules.All() {
		n := tally.of(r.Name)
		if n.ran < n.cases {
			continue // some cases filtered out by -run: no verdict
		}
		switch {
		case r.Fix != analyzer.FixNone && n.fixes == 0:
			t.Errorf("%s declares Fix %q but none of its cases produces a fix", r.Name, r.Fix)
		case r.Fix != analyzer.FixNone && n.goldens == 0:
			t.Errorf("%s declares Fix %q but none of its cases has a %s golden", r.Name, r.Fix, goldenSuffix)
		case r.Fix == analyzer.FixNone && n.fixes > 0:
			t.Errorf("%s declares no fix but its cases produced %d", r.Name, n.fixes)
		}
	}
}
