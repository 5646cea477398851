package rules_test

import (
	"os"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/rules"
)

// TestReadmeListsEveryRule keeps the README's rule table in step with
// rules.All(): every rule appears with its ID, name, severity and summary.
func TestReadmeListsEveryRule(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, r := range rules.All() {
		row := "| " + r.ID + " | " + r.Name + " | " + r.Severity.String() + " | " + r.Summary + " |"
		if !strings.Contains(readme, row) {
			t.Errorf("README.md lacks the row:\n%s", row)
		}
	}
}
