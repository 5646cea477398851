package spec_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/elastic/spec"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// TestCorpusKeysKnown reads every elasticsearch.yml / opensearch.yml of the
// shared corpus and looks up each key it sets. Keys the table does not know
// are printed with a did-you-mean hint, so that missing rows show up; at
// least 95% of the settings (occurrences) must be known.
func TestCorpusKeysKnown(t *testing.T) {
	dir := sharedtest.Path(t, "corpus", "elasticsearch")
	type unknown struct {
		files map[string]bool
		hint  string
	}
	unknowns := map[string]*unknown{}
	total, known, files := 0, 0, 0
	// What the newest release of each file's distribution makes of the
	// keys it knows, and of node.roles; printed, not asserted, except that
	// every status must be one Has can give for a known key.
	statuses := map[spec.Status]int{}
	removed := map[string]bool{}
	var roleProblems, violations []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		rel, _ := filepath.Rel(dir, path)
		s := elastic.Parse(source.NewFile(rel, path, source.KindElastic, src))
		p := spec.Elasticsearch
		if s.Flavor == elastic.OpenSearch {
			p = spec.OpenSearch
		}
		newest := spec.Release{Product: p}
		flat := map[string]string{}
		for _, st := range s.All {
			var vals []string
			for _, v := range st.Values {
				vals = append(vals, v.Text)
			}
			flat[st.Key] = strings.Join(vals, ",")
		}
		for _, v := range spec.CheckRequirements(flat, newest) {
			violations = append(violations, fmt.Sprintf("%s: %s (%s)", rel, v.Requirement.Name, v.Key))
		}
		for _, st := range s.All {
			total++
			if st.Key == "node.roles" {
				var roles []string
				for _, v := range st.Values {
					if !v.Null && !v.Placeholder {
						roles = append(roles, strings.TrimSpace(v.Text))
					}
				}
				for _, pr := range spec.CheckRoles(roles, newest) {
					roleProblems = append(roleProblems, fmt.Sprintf("%s: %s", rel, pr.Message))
				}
			}
			if spec.Lookup(st.Key, p) != nil {
				known++
				a := spec.Has(st.Key, newest)
				if a.Status == spec.Unknown || a.Setting == nil {
					t.Errorf("%s: %s is known to Lookup but Has says %v", rel, st.Key, a.Status)
				}
				statuses[a.Status]++
				if a.Status == spec.Removed || a.Status == spec.Deprecated {
					removed[a.Status.String()+" "+st.Key+" ("+p.String()+")"] = true
				}
				continue
			}
			id := st.Key + " (" + p.String() + ")"
			u := unknowns[id]
			if u == nil {
				u = &unknown{files: map[string]bool{}, hint: spec.Suggest(st.Key, p)}
				unknowns[id] = u
			}
			u.files[strings.SplitN(filepath.ToSlash(rel), "/", 2)[0]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 30 || total < 300 {
		t.Fatalf("corpus too small: %d files, %d settings", files, total)
	}
	ids := make([]string, 0, len(unknowns))
	for id := range unknowns {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var report strings.Builder
	for _, id := range ids {
		u := unknowns[id]
		repos := make([]string, 0, len(u.files))
		for r := range u.files {
			repos = append(repos, r)
		}
		sort.Strings(repos)
		hint := ""
		if u.hint != "" {
			hint = " (did you mean " + u.hint + "?)"
		}
		fmt.Fprintf(&report, "  %s%s in %s\n", id, hint, strings.Join(repos, ", "))
	}
	t.Logf("%d files, %d settings, %d known (%.1f%%); %d unknown keys:\n%s",
		files, total, known, 100*float64(known)/float64(total), len(ids), report.String())
	t.Logf("known keys in the newest release of their distribution: %d present, %d deprecated, %d removed, %d not yet",
		statuses[spec.Present], statuses[spec.Deprecated], statuses[spec.Removed], statuses[spec.NotYet])
	gone := make([]string, 0, len(removed))
	for k := range removed {
		gone = append(gone, k)
	}
	sort.Strings(gone)
	t.Logf("%d distinct keys removed or deprecated by then:\n  %s", len(gone), strings.Join(gone, "\n  "))
	t.Logf("start-up requirements broken (newest release): %d\n  %s", len(violations), strings.Join(violations, "\n  "))
	t.Logf("node.roles problems (newest release): %d\n  %s", len(roleProblems), strings.Join(roleProblems, "\n  "))
	if known*100 < total*95 {
		t.Errorf("only %d of %d corpus settings are known (want at least 95%%)", known, total)
	}
}
