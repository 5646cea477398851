package rules_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/config"
	"github.com/ngxlint/ngxlint/rules"
)

// casesDir holds one folder per rule name; each file in it is a case
// loaded on its own, and each sub-folder a case loaded as a folder (for
// includes and cross-file rules). A line that must be reported carries
// `# want "regexp"` (several may follow one another; `# want[info] "..."`
// also pins the severity); a case without one must produce no finding of
// that rule. A case whose findings carry fixes has a golden file beside it,
// x.conf.fixed (or a folder dir.fixed/ for a folder case), holding the text
// after every fix is applied (fix_golden_test.go).
const casesDir = "../testdata/rules"

var wantRE = regexp.MustCompile(`#\s*want(?:\[(error|warning|info)\])?((?:\s+"(?:[^"\\]|\\.)*")+)`)
var quotedRE = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

type want struct {
	file string
	line int
	re   *regexp.Regexp
	// severity, when written as `# want[info] "..."`, must match too.
	severity string
	hit      bool
}

func TestRuleCases(t *testing.T) {
	dirs, err := os.ReadDir(casesDir)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	fixes := fixTally{}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		rule := analyzer.FindRule(rules.All(), d.Name())
		if rule == nil || rule.Name != d.Name() {
			t.Errorf("testdata/rules/%s: no rule has this name", d.Name())
			continue
		}
		cases, err := os.ReadDir(filepath.Join(casesDir, d.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			if isGolden(c.Name()) {
				if _, err := os.Stat(filepath.Join(casesDir, d.Name(), strings.TrimSuffix(c.Name(), goldenSuffix))); err != nil {
					t.Errorf("testdata/rules/%s/%s: a golden without its case", d.Name(), c.Name())
				}
				continue
			}
			seen[rule.Name] = true
			fixes.of(rule.Name).cases++
			path := filepath.Join(casesDir, d.Name(), c.Name())
			t.Run(d.Name()+"/"+c.Name(), func(t *testing.T) {
				ws, findings := runCase(t, rule, path)
				checkFixes(t, rule, path, ws, findings, fixes)
			})
		}
	}
	for _, r := range rules.All() {
		if !seen[r.Name] {
			t.Errorf("rule %s has no cases under testdata/rules/%s", r.Name, r.Name)
		}
	}
	checkDeclaredFixes(t, fixes)
}

// runCase lints the case at path with rule and checks its findings against
// the `# want` comments; it returns the workspace and the rule's findings.
func runCase(t *testing.T, rule *analyzer.Rule, path string) (*analyzer.Workspace, []analyzer.Finding) {
	ws, err := analyzer.Load([]string{path}, analyzer.LoadOptions{WorkDir: casesDir})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	findings, errs := analyzer.RunWith(ws, []*analyzer.Rule{rule}, rules.All(), caseSettings(t, path))
	for _, e := range errs {
		t.Errorf("rule error: %v", e)
	}
	var wants []*want
	for _, f := range ws.Files {
		wants = append(wants, parseWants(t, f.Path, string(f.Src))...)
	}
	var mine []analyzer.Finding
	for _, f := range findings {
		if f.Rule != rule {
			continue
		}
		mine = append(mine, f)
		if f.Span.Start.Line < 1 || f.Span.Start.Col < 1 || f.Span.End.Offset < f.Span.Start.Offset {
			t.Errorf("%s: malformed span %+v", f.Span, f.Span)
		}
		matched := false
		for _, w := range wants {
			if !w.hit && w.file == f.Span.File && w.line == int(f.Span.Start.Line) && w.re.MatchString(f.Message) &&
				(w.severity == "" || w.severity == f.Severity.String()) {
				w.hit, matched = true, true
				break
			}
		}
		if !matched {
			t.Errorf("%s: unexpected finding: %s", f.Span, f.Message)
		}
	}
	for _, w := range wants {
		if !w.hit {
			t.Errorf("%s:%d: no finding matched %q", w.file, w.line, w.re)
		}
	}
	return ws, mine
}

// caseSettings reads a folder case's own .ngxlint.yml (versions, links,
// node files), or returns nil.
func caseSettings(t *testing.T, path string) *analyzer.Settings {
	cfg := filepath.Join(path, ".ngxlint.yml")
	if _, err := os.Stat(cfg); err != nil {
		return nil
	}
	c, err := config.Load(cfg, cfg, rules.All())
	if err != nil {
		t.Fatalf("%v", err)
	}
	return c.Settings()
}

func parseWants(t *testing.T, file, src string) []*want {
	var out []*want
	for i, line := range strings.Split(src, "\n") {
		m := wantRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for _, q := range quotedRE.FindAllString(m[2], -1) {
			s, err := strconv.Unquote(q)
			if err != nil {
				t.Fatalf("%s:%d: bad want %s: %v", file, i+1, q, err)
			}
			out = append(out, &want{file: file, line: i + 1, re: regexp.MustCompile(s), severity: m[1]})
		}
	}
	return out
}

// TestRuleMetadata holds every rule to the documentation standard: a
// unique ID and name, a one-line summary, and a Doc with every section.
func TestRuleMetadata(t *testing.T) {
	ids, names := map[string]bool{}, map[string]bool{}
	nameRE := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	for _, r := range rules.All() {
		if ids[r.ID] || names[r.Name] {
			t.Errorf("%s %s: duplicate ID or name", r.ID, r.Name)
		}
		ids[r.ID], names[r.Name] = true, true
		if !nameRE.MatchString(r.Name) {
			t.Errorf("%s: name %q is not kebab-case", r.ID, r.Name)
		}
		if r.Summary == "" || strings.Contains(r.Summary, "\n") {
			t.Errorf("%s: summary must be one line", r.Name)
		}
		for _, s := range []string{"## What it does", "## Why is this bad?", "## Example", "## Use instead"} {
			if !strings.Contains(r.Doc, s) {
				t.Errorf("%s: Doc lacks %q", r.Name, s)
			}
		}
		if p := unclosedCode(r.Doc); p != "" {
			t.Errorf("%s: Doc has a code span that does not close: %q", r.Name, p)
		}
		if r.Run == nil && (r.Visit == nil || len(r.Directives) == 0) && r != analyzer.BadSuppression {
			t.Errorf("%s: neither Run nor Visit with Directives", r.Name)
		}
		for _, err := range r.CheckMetadata() {
			t.Error(err)
		}
		if r.Severity < analyzer.Info || r.Severity > analyzer.Error {
			t.Errorf("%s: bad severity %d", r.Name, r.Severity)
		}
	}
}

// unclosedCode returns the first paragraph of a Markdown doc, outside
// fenced blocks, with an odd number of backticks (a code span that runs
// on to the end of the paragraph), or a stand-in quote mark left for one.
func unclosedCode(doc string) string {
	var para []string
	fenced := false
	check := func() string {
		p := strings.Join(para, "\n")
		para = para[:0]
		if strings.Count(p, "`")%2 != 0 || strings.ContainsAny(p, "‹›") {
			return p
		}
		return ""
	}
	for _, line := range strings.Split(doc+"\n", "\n") {
		switch {
		case strings.HasPrefix(strings.TrimSpace(line), "```"):
			if p := check(); p != "" {
				return p
			}
			fenced = !fenced
		case fenced:
		case strings.TrimSpace(line) == "":
			if p := check(); p != "" {
				return p
			}
		default:
			para = append(para, line)
		}
	}
	return check()
}

// All is sorted once, but each caller gets a list of its own.
func TestAllIsACopy(t *testing.T) {
	a := rules.All()
	first := a[0]
	a[0] = nil
	if b := rules.All(); b[0] != first || len(b) != len(a) {
		t.Error("changing one All() list changed the next")
	}
}
