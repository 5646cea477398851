package rules_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/rules"
	"github.com/ngxlint/ngxlint/rules/practice"
	"github.com/ngxlint/ngxlint/rules/security"
)

// TestAliasesSelectTheirRule walks every alias of every rule through the
// three places a user types one: FindRule (`ngxlint rule X`), --enable /
// --disable (Select), and `# ngxlint:ignore X`. An alias that another rule
// also claims, or that shadows another rule's ID or name, resolves to the
// wrong rule and fails here.
func TestAliasesSelectTheirRule(t *testing.T) {
	all := rules.All()
	type pair struct {
		rule  *analyzer.Rule
		alias string
	}
	var pairs []pair
	for _, r := range all {
		for _, a := range r.Aliases {
			pairs = append(pairs, pair{r, a})
		}
	}
	if len(pairs) < 30 {
		t.Fatalf("only %d aliases in the rule set", len(pairs))
	}
	for _, p := range pairs {
		if got := analyzer.FindRule(all, p.alias); got != p.rule {
			t.Errorf("alias %q of %s resolves to %v", p.alias, p.rule.Name, got)
			continue
		}
		if got := analyzer.FindRule(all, strings.ToUpper(p.alias)); got != p.rule {
			t.Errorf("alias %q of %s is not matched case-insensitively", p.alias, p.rule.Name)
		}
		on, err := analyzer.Select(all, []string{p.alias}, nil)
		if err != nil || !slices.Contains(on, p.rule) {
			t.Errorf("--enable %s does not run %s (err %v)", p.alias, p.rule.Name, err)
		}
		only, err := analyzer.Select(all, []string{p.alias}, []string{"all"})
		if err != nil || len(only) != 1 || only[0] != p.rule {
			t.Errorf("--disable all --enable %s runs %d rules (err %v), want just %s", p.alias, len(only), err, p.rule.Name)
		}
		off, err := analyzer.Select(all, []string{"all"}, []string{p.alias})
		if err != nil || slices.Contains(off, p.rule) || len(off) != len(all)-1 {
			t.Errorf("--enable all --disable %s leaves %d of %d rules (err %v)", p.alias, len(off), len(all), err)
		}
	}

	// One file: each alias in an ignore comment alone on its line, which
	// silences the line below it.
	var b strings.Builder
	for _, p := range pairs {
		fmt.Fprintf(&b, "# ngxlint:ignore %s -- migrated from a peer tool\nworker_processes 1;\n", p.alias)
	}
	path := filepath.Join(t.TempDir(), "nginx.conf")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ws, err := analyzer.Load([]string{path}, analyzer.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ws.Files) != 1 {
		t.Fatalf("loaded %d files", len(ws.Files))
	}
	file := ws.Files[0]
	for i, p := range pairs {
		at := func(line int) analyzer.Finding {
			f := analyzer.Finding{Rule: p.rule, Severity: p.rule.Severity, Message: "x"}
			f.Span.File, f.Span.Start.Line, f.Span.Start.Col = file.Path, int32(line), 1
			return f
		}
		covered, beyond := at(2*i+2), at(2*i+3)
		left := analyzer.Suppress(ws, all, []analyzer.Finding{covered, beyond})
		for _, f := range left {
			if f.Rule == analyzer.BadSuppression {
				t.Errorf("# ngxlint:ignore %s: %s", p.alias, f.Message)
			}
		}
		if slices.ContainsFunc(left, func(f analyzer.Finding) bool { return f.Rule == p.rule && int(f.Span.Start.Line) == 2*i+2 }) {
			t.Errorf("# ngxlint:ignore %s does not silence %s", p.alias, p.rule.Name)
		}
		// Only the line below the comment: the next comment's own line
		// names another rule (or the same one, when a rule has two
		// aliases side by side).
		if i+1 < len(pairs) && pairs[i+1].rule != p.rule &&
			!slices.ContainsFunc(left, func(f analyzer.Finding) bool { return int(f.Span.Start.Line) == 2*i+3 }) {
			t.Errorf("# ngxlint:ignore %s silences line %d too", p.alias, 2*i+3)
		}
	}
}

// TestPeerAliasesAreInTheNotes holds the security and practice rules'
// aliases to the peers' plugin names as ../shared/notes/peers.md spells
// them, so a user migrating from gixy finds the check under its name.
func TestPeerAliasesAreInTheNotes(t *testing.T) {
	notes, err := os.ReadFile(sharedtest.Path(t, "notes", "peers.md"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range append(security.All(), practice.All()...) {
		for _, a := range r.Aliases {
			n++
			// the whole word: not a longer plugin name that contains it
			if !regexp.MustCompile(`(^|[^a-z0-9_])` + regexp.QuoteMeta(a) + `($|[^a-z0-9_])`).Match(notes) {
				t.Errorf("%s: alias %q is not a peer check named in notes/peers.md", r.Name, a)
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d peer aliases in security and practice", n)
	}
}
