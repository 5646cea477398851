package rules_test

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/rules"
)

// corpusFindings lints every file of ../shared/corpus as one workspace
// (includes between them resolved) with every rule, and returns the
// findings by rule name, keyed by corpus-relative file.
func corpusFindings(t *testing.T) (map[string]map[string]int, []string) {
	t.Helper()
	c := newCorpusLint(t) // the corpus's files, as the cost test reads them
	return lintCorpus(t, c.root, c.paths), c.paths
}

// lintCorpus lints paths (files or folders under root) with every rule
// and returns the findings by rule name, keyed by corpus-relative file
// (with " (info)" for info findings).
func lintCorpus(t *testing.T, root string, paths []string) map[string]map[string]int {
	t.Helper()
	ws, err := analyzer.Load(paths, analyzer.LoadOptions{WorkDir: root, Machine: sharedtest.Machine(t)})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	all, err := analyzer.Select(rules.All(), []string{"all"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	findings, errs := analyzer.Run(ws, all, rules.All())
	for _, e := range errs {
		t.Errorf("rule failed on the corpus: %v", e)
	}
	byRule := map[string]map[string]int{}
	for _, f := range findings {
		if f.Span.Start.Line < 1 || f.Span.Start.Col < 1 {
			t.Errorf("%s: finding without a position: %s", f.Span.File, f.Message)
		}
		if byRule[f.Rule.Name] == nil {
			byRule[f.Rule.Name] = map[string]int{}
		}
		key := f.Span.File
		if f.Severity == analyzer.Info {
			key += " (info)"
		}
		byRule[f.Rule.Name][key]++
	}
	return byRule
}

// TestCorpusAsOneFolder lints the corpus as `ngxlint lint corpus/` does:
// one named folder of many projects, whose files the folder walk finds by
// their names. It may find less than the named files give (it skips
// names it does not know), never more at warning or error: such a finding
// would come from pairing one project's files with another's. (A file
// whose includer the walk skips is linted on its own, and may get info
// findings that say they cannot tell.)
func TestCorpusAsOneFolder(t *testing.T) {
	byFile, _ := corpusFindings(t)
	c := newCorpusLint(t)
	byFolder := lintCorpus(t, c.root, []string{c.root})
	for rule, files := range byFolder {
		for file, n := range files {
			if !strings.HasSuffix(file, " (info)") && n > byFile[rule][file] {
				t.Errorf("%s: %d findings in %s when the corpus is linted as one folder, %d when its files are named",
					rule, n, file, byFile[rule][file])
			}
		}
	}
}

// TestCorpus holds the real-world corpus to precision: every file loads,
// and each rule fires exactly where it should.
func TestCorpus(t *testing.T) {
	byRule, paths := corpusFindings(t)
	if len(paths) < 400 {
		t.Fatalf("only %d corpus files found", len(paths))
	}

	// upstream-localhost against an independent oracle: the corpus's own
	// regex flags (FEATURES.tsv), which were made without ngxlint.
	flagged := featureFiles(t, "upstream_server_localhost", "pass_to_localhost")
	got := map[string]bool{}
	for file := range byRule["upstream-localhost"] {
		got[file] = true
	}
	for file := range flagged {
		if !got[file] {
			t.Errorf("upstream-localhost missed %s (FEATURES.tsv flags it)", file)
		}
	}
	for file := range got {
		if !flagged[file] {
			t.Errorf("upstream-localhost fired on %s, which FEATURES.tsv does not flag", file)
		}
	}

	checkCorpusGoldens(t, byRule)

	// A missing include is a warning only where the corpus copied a file
	// without the files it includes; nowhere else.
	for file := range byRule["include-not-found"] {
		if strings.HasSuffix(file, " (info)") {
			continue
		}
		if !strings.Contains(file, "/tree/") || strings.Contains(file, "Fleshgrinder__nginx-configuration") || strings.Contains(file, "certbot__certbot") ||
			strings.Contains(file, "lynt-smitka__WP-nginx-config") {
			continue // single files or partial trees: their includes were not copied
		}
		t.Errorf("include-not-found warning in a complete tree: %s", file)
	}
}

// updateCorpus rewrites the counts of testdata/corpus-findings, keeping
// the reasons: go test ./rules -run TestCorpus -update-corpus.
var updateCorpus = flag.Bool("update-corpus", false, "rewrite the counts of testdata/corpus-findings/*.tsv")

const corpusGoldens = "../testdata/corpus-findings"

// goldenRow is one line of a rule's corpus golden: the rule fires count
// times at level in file, for the reason a person wrote after reading
// each finding.
type goldenRow struct {
	file, level string
	count       int
	reason      string
}

// checkCorpusGoldens holds every rule to its golden summary: a rule
// without a golden file fires nowhere on the corpus; a rule with one fires
// exactly on the files listed, at the level and count listed, each with a
// reason. -update-corpus rewrites files and counts and leaves new rows
// without a reason, which fails until one is written.
func checkCorpusGoldens(t *testing.T, byRule map[string]map[string]int) {
	t.Helper()
	for _, r := range rules.All() {
		got := map[[2]string]int{}
		for key, n := range byRule[r.Name] {
			file, level := key, r.Severity.String()
			if f, ok := strings.CutSuffix(key, " (info)"); ok {
				file, level = f, "info"
			}
			got[[2]string{file, level}] += n
		}
		path := filepath.Join(corpusGoldens, r.Name+".tsv")
		want, err := readGolden(path)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if *updateCorpus {
			writeGolden(t, path, want, got)
			continue
		}
		for _, w := range want {
			k := [2]string{w.file, w.level}
			switch {
			case got[k] == 0:
				t.Errorf("%s: no longer fires at %s in %s (%s): update %s", r.Name, w.level, w.file, w.reason, path)
			case got[k] != w.count:
				t.Errorf("%s: fires %d times at %s in %s, the golden says %d: read them, then -update-corpus", r.Name, got[k], w.level, w.file, w.count)
			case strings.TrimSpace(w.reason) == "":
				t.Errorf("%s: %s has no reason in %s: read its findings and write why they are right", r.Name, w.file, path)
			}
			delete(got, k)
		}
		var extra []string
		for k, n := range got {
			extra = append(extra, fmt.Sprintf("%s: fires %d times at %s in %s, which %s does not list", r.Name, n, k[1], k[0], path))
		}
		sort.Strings(extra)
		for _, e := range extra {
			t.Error(e)
		}
	}
}

func readGolden(path string) ([]goldenRow, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rows []goldenRow
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.SplitN(line, "\t", 4)
		if len(cols) != 4 {
			return nil, fmt.Errorf("%s: %q: want file, level, count, reason", path, line)
		}
		n, err := strconv.Atoi(cols[2])
		if err != nil {
			return nil, fmt.Errorf("%s: %q: count: %w", path, line, err)
		}
		rows = append(rows, goldenRow{cols[0], cols[1], n, cols[3]})
	}
	return rows, nil
}

func writeGolden(t *testing.T, path string, old []goldenRow, got map[[2]string]int) {
	t.Helper()
	reasons := map[string]string{}
	for _, r := range old {
		reasons[r.file+"\x00"+r.level] = r.reason
		if _, ok := reasons[r.file]; !ok {
			reasons[r.file] = r.reason
		}
	}
	var rows []string
	for k, n := range got {
		reason, ok := reasons[k[0]+"\x00"+k[1]]
		if !ok {
			reason = reasons[k[0]]
		}
		rows = append(rows, fmt.Sprintf("%s\t%s\t%d\t%s", k[0], k[1], n, reason))
	}
	if len(rows) == 0 {
		if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		return
	}
	sort.Strings(rows)
	text := "# file\tlevel\tcount\treason (read every finding before writing one)\n" + strings.Join(rows, "\n") + "\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// featureFiles returns the corpus files whose FEATURES.tsv flags include
// any of the given flags.
func featureFiles(t *testing.T, flags ...string) map[string]bool {
	t.Helper()
	f, err := os.Open(sharedtest.Path(t, "corpus", "FEATURES.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 3 {
			continue
		}
		for _, fl := range strings.Split(cols[2], ",") {
			for _, want := range flags {
				if fl == want {
					out[cols[0]] = true
				}
			}
		}
	}
	return out
}

// BenchmarkCorpus lints the whole corpus (about 1 MB, 440 files).
func BenchmarkCorpus(b *testing.B) {
	root := sharedtest.Path(b, "corpus")
	var paths []string
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && (strings.Contains(p, "/nginx/") || strings.Contains(p, "/elasticsearch/")) {
			paths = append(paths, p)
		}
		return err
	})
	for b.Loop() {
		ws, err := analyzer.Load(paths, analyzer.LoadOptions{WorkDir: root, Machine: sharedtest.Machine(b)})
		if err != nil {
			b.Fatal(err)
		}
		analyzer.Run(ws, rules.All(), rules.All())
	}
}
