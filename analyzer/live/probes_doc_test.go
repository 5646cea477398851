package live_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/live"
	"github.com/ngxlint/ngxlint/rules"
)

// Every probe is keyed by the name of a rule that exists (a misspelt key
// would silently never run) and listed in the README's live-mode table;
// the rules that only resolve, ask a nameserver or bind say on their
// page what --live does.
func TestProbesAreRulesAndDocumented(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*analyzer.Rule{}
	for _, r := range rules.All() {
		byName[r.Name] = r
	}
	names := live.ProbedRules()
	for _, want := range []string{"host-resolved-once", "upstream-name-typo", "resolver-public-for-private", "listen-dual-stack-conflict"} {
		if !slices.Contains(names, want) {
			t.Errorf("%s has no probe", want)
		}
		if r := byName[want]; r == nil || !strings.Contains(r.Doc, "With `--live`") {
			t.Errorf("%s: its doc does not say what --live does", want)
		}
	}
	for _, name := range names {
		r := byName[name]
		if r == nil {
			t.Errorf("probe %q: no rule has that name", name)
			continue
		}
		if !strings.Contains(string(readme), "| "+name+" |") && !strings.Contains(string(readme), "| "+name+",") &&
			!strings.Contains(string(readme), ", "+name+" |") {
			t.Errorf("%s: not in the README's live-mode table", name)
		}
	}
}
