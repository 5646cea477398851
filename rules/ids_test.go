package rules

import (
	"fmt"
	"go/build"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
)

const idsDoc = "../docs/rule-ids.md"

// idScheme is docs/rule-ids.md read back: the prefixes (and whether their
// rules carry the elasticsearch tag) and, per range such as "NGX1", the
// families and tags a rule in it may have.
type idScheme struct {
	prefixes []string
	esTag    map[string]bool
	ranges   map[string]idRange
}

type idRange struct {
	families []string
	tags     []analyzer.Tag
}

// readTable returns the cells of the Markdown table that follows the line
// holding marker, header and separator rows left out.
func readTable(doc, marker string) ([][]string, error) {
	_, after, ok := strings.Cut(doc, marker)
	if !ok {
		return nil, fmt.Errorf("no %q marker", marker)
	}
	var rows [][]string
	lines := strings.Split(after, "\n")[1:]
	for i, line := range lines {
		if !strings.HasPrefix(line, "|") {
			break
		}
		if i < 2 {
			continue // header and |---|
		}
		var cells []string
		for _, c := range strings.Split(strings.Trim(line, "|"), "|") {
			cells = append(cells, strings.TrimSpace(c))
		}
		rows = append(rows, cells)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("no table rows after %q", marker)
	}
	return rows, nil
}

func splitCell(c string) []string {
	var out []string
	for _, s := range strings.Split(c, ",") {
		out = append(out, strings.Trim(strings.TrimSpace(s), "`"))
	}
	return out
}

var rangeRE = regexp.MustCompile(`^([A-Z]+)([0-9])xx$`)

func parseIDScheme(doc string) (idScheme, error) {
	s := idScheme{esTag: map[string]bool{}, ranges: map[string]idRange{}}
	rows, err := readTable(doc, "<!-- id-prefixes")
	if err != nil {
		return s, err
	}
	for _, r := range rows {
		if len(r) < 3 || (r[1] != "yes" && r[1] != "no") {
			return s, fmt.Errorf("bad prefix row %q", r)
		}
		s.prefixes = append(s.prefixes, r[0])
		s.esTag[r[0]] = r[1] == "yes"
	}
	if rows, err = readTable(doc, "<!-- id-ranges"); err != nil {
		return s, err
	}
	for _, r := range rows {
		m := rangeRE.FindStringSubmatch(r[0])
		if len(r) < 4 || m == nil || !slices.Contains(s.prefixes, m[1]) {
			return s, fmt.Errorf("bad range row %q", r)
		}
		key := m[1] + m[2]
		if _, dup := s.ranges[key]; dup {
			return s, fmt.Errorf("range %s listed twice", r[0])
		}
		var rg idRange
		rg.families = splitCell(r[1])
		for _, t := range splitCell(r[2]) {
			if !analyzer.Tag(t).Valid() {
				return s, fmt.Errorf("range %s: tag %q is not declared in analyzer.Tags", r[0], t)
			}
			rg.tags = append(rg.tags, analyzer.Tag(t))
		}
		s.ranges[key] = rg
	}
	return s, nil
}

var idRE = regexp.MustCompile(`^([A-Z]+)([0-9])([0-9]{2})$`)

// checkID returns what is wrong with rule r of family fam under scheme s.
func (s idScheme) checkID(r *analyzer.Rule, fam string) []string {
	m := idRE.FindStringSubmatch(r.ID)
	if m == nil {
		return []string{fmt.Sprintf("ID %q is not a prefix and three digits", r.ID)}
	}
	prefix, key := m[1], m[1]+m[2]
	if !slices.Contains(s.prefixes, prefix) {
		return []string{fmt.Sprintf("ID %s: prefix %s is not in docs/rule-ids.md", r.ID, prefix)}
	}
	var errs []string
	if r.HasTag(analyzer.TagElasticsearch) != s.esTag[prefix] {
		errs = append(errs, fmt.Sprintf("ID %s: %s rules carry the elasticsearch tag if and only if the table says yes", r.ID, prefix))
	}
	rg, ok := s.ranges[key]
	if !ok {
		return append(errs, fmt.Sprintf("ID %s: range %s%sxx is not in docs/rule-ids.md", r.ID, prefix, m[2]))
	}
	if !slices.Contains(rg.families, fam) {
		errs = append(errs, fmt.Sprintf("ID %s: %s%sxx rules live in %s, not in %s", r.ID, prefix, m[2], strings.Join(rg.families, " or "), fam))
	}
	if !slices.ContainsFunc(r.Tags, func(t analyzer.Tag) bool { return slices.Contains(rg.tags, t) }) {
		errs = append(errs, fmt.Sprintf("ID %s: tags %v include none of %v", r.ID, r.Tags, rg.tags))
	}
	return errs
}

// TestRuleIDs holds every rule to docs/rule-ids.md: its ID in a listed
// range, its family package and tags those of the range, IDs unique, and
// idPrefixes (which orders All) the documented prefixes.
func TestRuleIDs(t *testing.T) {
	b, err := os.ReadFile(idsDoc)
	if err != nil {
		t.Fatal(err)
	}
	s, err := parseIDScheme(string(b))
	if err != nil {
		t.Fatalf("docs/rule-ids.md: %v", err)
	}
	if !slices.Equal(s.prefixes, idPrefixes) {
		t.Errorf("idPrefixes %v differ from docs/rule-ids.md's %v", idPrefixes, s.prefixes)
	}
	byID := map[string]string{}
	for _, f := range families() {
		for _, r := range f.rules {
			if other, dup := byID[r.ID]; dup {
				t.Errorf("%s: ID %s is also %s's", r.Name, r.ID, other)
			}
			byID[r.ID] = r.Name
			for _, e := range s.checkID(r, f.name) {
				t.Errorf("%s: %s", r.Name, e)
			}
		}
	}
}

// The checks above must be able to fail: a rule filed in the wrong family,
// with a tag of another range, or in an undocumented range is caught.
func TestRuleIDsCatchMisfiledRules(t *testing.T) {
	b, err := os.ReadFile(idsDoc)
	if err != nil {
		t.Fatal(err)
	}
	s, err := parseIDScheme(string(b))
	if err != nil {
		t.Fatal(err)
	}
	ok := &analyzer.Rule{ID: "NGX105", Tags: []analyzer.Tag{analyzer.TagConnectivity}}
	if errs := s.checkID(ok, "connectivity"); len(errs) != 0 {
		t.Errorf("a well-filed rule is reported: %v", errs)
	}
	for _, c := range []struct {
		rule *analyzer.Rule
		fam  string
		want string
	}{
		{ok, "elastic", "live in connectivity"},
		{&analyzer.Rule{ID: "NGX105", Tags: []analyzer.Tag{analyzer.TagSecurity}}, "connectivity", "include none of"},
		{&analyzer.Rule{ID: "NGX905", Tags: []analyzer.Tag{analyzer.TagSecurity}}, "security", "range NGX9xx is not"},
		{&analyzer.Rule{ID: "ES105", Tags: []analyzer.Tag{analyzer.TagConnectivity}}, "elastic", "elasticsearch tag"},
		{&analyzer.Rule{ID: "NG101", Tags: []analyzer.Tag{analyzer.TagConnectivity}}, "connectivity", "prefix NG is not"},
		{&analyzer.Rule{ID: "NGX1", Tags: []analyzer.Tag{analyzer.TagConnectivity}}, "connectivity", "three digits"},
	} {
		errs := strings.Join(s.checkID(c.rule, c.fam), "; ")
		if !strings.Contains(errs, c.want) {
			t.Errorf("%s in %s: got %q, want an error containing %q", c.rule.ID, c.fam, errs, c.want)
		}
	}
}

// All lists every family's rules once each, in ID order.
func TestAllIsEveryFamilyInIDOrder(t *testing.T) {
	all := All()
	n := 0
	for _, f := range families() {
		n += len(f.rules)
		for _, r := range f.rules {
			if c := slices.Index(all, r); c < 0 || slices.Index(all[c+1:], r) >= 0 {
				t.Errorf("%s (family %s) is not in All() exactly once", r.Name, f.name)
			}
		}
	}
	if n != len(all) {
		t.Errorf("All() has %d rules, the families %d", len(all), n)
	}
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		pa, na := splitID(a.ID)
		pb, nb := splitID(b.ID)
		if prefixRank(pa) > prefixRank(pb) || pa == pb && na >= nb {
			t.Errorf("All() lists %s before %s", a.ID, b.ID)
		}
	}
}

// Every package under rules/ is a family that families() lists (else its
// rules would be missing from All), and no family imports rules or
// another family, so a rule's helpers stay in its own package.
func TestFamilyPackages(t *testing.T) {
	listed := map[string]bool{}
	for _, f := range families() {
		listed[f.name] = true
	}
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	const self = "github.com/ngxlint/ngxlint/rules"
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "internal" || e.Name() == "testdata" { // testdata: FuzzRules's inputs, never a package
			continue
		}
		if !listed[e.Name()] {
			t.Errorf("rules/%s is not listed in families()", e.Name())
		}
		delete(listed, e.Name())
		pkg, err := build.ImportDir(e.Name(), 0)
		if err != nil {
			t.Errorf("rules/%s: %v", e.Name(), err)
			continue
		}
		for _, imp := range pkg.Imports {
			if imp == self || strings.HasPrefix(imp, self+"/") {
				t.Errorf("rules/%s imports %s", e.Name(), imp)
			}
		}
	}
	delete(listed, "analyzer")
	for name := range listed {
		t.Errorf("families() lists %s, which has no folder under rules/", name)
	}
}
