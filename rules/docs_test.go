package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/rules/internal/gendocs"
)

const docsDir = "../docs/rules"

// TestRuleDocsAreCurrent fails when a page in docs/rules is missing, stale
// or left over from a rule that no longer exists.
func TestRuleDocsAreCurrent(t *testing.T) {
	want := gendocs.Files(All())
	for name, b := range want {
		got, err := os.ReadFile(filepath.Join(docsDir, name))
		switch {
		case err != nil:
			t.Errorf("docs/rules/%s is missing: run go generate ./rules", name)
		case string(got) != string(b):
			t.Errorf("docs/rules/%s is stale: run go generate ./rules", name)
		}
	}
	have, _ := filepath.Glob(filepath.Join(docsDir, "*.md"))
	for _, p := range have {
		if _, ok := want[filepath.Base(p)]; !ok {
			t.Errorf("docs/rules/%s belongs to no rule: run go generate ./rules", filepath.Base(p))
		}
	}
}

// Each rule's URL, which SARIF helpUri and the JSON rule list carry, names
// its generated page.
func TestRuleURLsNameTheirPages(t *testing.T) {
	for _, r := range All() {
		if !strings.HasPrefix(r.URL(), analyzer.DocsBase) || !strings.HasSuffix(r.URL(), "/docs/rules/"+r.Name+".md") {
			t.Errorf("%s: URL %s does not name docs/rules/%s.md", r.Name, r.URL(), r.Name)
		}
		page := string(gendocs.Page(r))
		for _, want := range []string{r.ID, r.Name, r.Severity.String(), strings.TrimPrefix(r.Summary, r.Summary[:min(1, len(r.Summary))])} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: page lacks %q", r.Name, want)
			}
		}
		if r.Doc != "" && !strings.Contains(page, strings.TrimSpace(r.Doc)) {
			t.Errorf("%s: page lacks the rule's Doc", r.Name)
		}
	}
}
