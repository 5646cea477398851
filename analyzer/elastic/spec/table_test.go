package spec

import (
	"slices"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/editdist"
)

// TestTableParses keeps settings.txt well formed and self-consistent: every
// row parses and names a source, defaults pass their own type check, and
// every replacement or fallback key is itself in the table.
func TestTableParses(t *testing.T) {
	tb := parseTable(settingsText)
	for _, err := range tb.errs {
		t.Error(err)
	}
	if n := len(tb.all); n < 300 {
		t.Errorf("only %d rows", n)
	}
	for _, s := range tb.all {
		if s.Source == "" {
			t.Errorf("%s: no source", s.Key)
		}
		if s.Default != "" {
			if err := CheckValue(s, s.Default); err != nil && s.Type != List {
				t.Errorf("%s: default %q fails its own type: %v", s.Key, s.Default, err)
			}
		}
		for _, k := range append(append([]string{}, s.Fallback...), s.Replacement) {
			if k == "" {
				continue
			}
			if prefix, ok := strings.CutSuffix(k, "*"); ok && hasPrefixRow(tb, prefix) {
				continue
			}
			if Lookup(strings.ReplaceAll(k, "*", "x"), s.Product) == nil {
				t.Errorf("%s: fallback or replacement %s is not in the table", s.Key, k)
			}
		}
		if !s.Until.IsZero() && !s.Since.IsZero() && !s.Since.Less(s.Until) {
			t.Errorf("%s: since %s is not before until %s", s.Key, s.Since, s.Until)
		}
	}
}

func hasPrefixRow(tb *table, prefix string) bool {
	for _, s := range tb.all {
		if strings.HasPrefix(s.Key, prefix) {
			return true
		}
	}
	return false
}

// TestNoOverlappingRows: two rows of one key and product must cover
// disjoint release ranges, or Lookup's choice would be arbitrary.
func TestNoOverlappingRows(t *testing.T) {
	seen := map[string][]*Setting{}
	for _, s := range All() {
		id := s.Key + "/" + s.Product.String()
		for _, o := range seen[id] {
			if overlaps(o, s) {
				t.Errorf("%s: rows overlap (%s-%s and %s-%s)", id, o.Since, o.Until, s.Since, s.Until)
			}
		}
		seen[id] = append(seen[id], s)
	}
}

func overlaps(a, b *Setting) bool {
	// [since, until) with zero meaning unbounded.
	aEndsBeforeB := !a.Until.IsZero() && !b.Since.IsZero() && !b.Since.Less(a.Until)
	bEndsBeforeA := !b.Until.IsZero() && !a.Since.IsZero() && !a.Since.Less(b.Until)
	return !aEndsBeforeB && !bEndsBeforeA
}

func TestParseTableErrors(t *testing.T) {
	for _, text := range []string{
		"a.b | es | bool | true | | s | | | | | | \n",          // no source
		"a.b | xx | bool | true | | s | | | | | | src\n",       // bad product
		"a.b | es | boolean | true | | s | | | | | | src\n",    // bad type
		"a.b | es | bool | true | | x | | | | | | src\n",       // bad scope
		"a.b | es | bool | true | | s | eight | | | | | src\n", // bad version
		"a.b | es | bool | true | s | src\n",                   // too few columns
		"a.b | es | bool | true | | s | | | | | | @NOPE\n",     // unknown alias
		"a b | es | bool | true | | s | | | | | | src\n",       // bad key
		"a.b | es | enum: | | | s | | | | | | src\n",           // empty enum
	} {
		if tb := parseTable(text); len(tb.errs) != 1 || len(tb.all) != 0 {
			t.Errorf("%q: %d errors, %d rows; want 1 error, 0 rows", text, len(tb.errs), len(tb.all))
		}
	}
	tb := parseTable("@S some/repo path@abc\na.*.c | os | enum:x,y | x | a.b | d | 1.0 | 2.0 | 1.5 | a.d | n | @S extra\n")
	if len(tb.errs) != 0 || len(tb.all) != 1 || len(tb.patterns) != 1 {
		t.Fatalf("good row: errs %v, %d rows", tb.errs, len(tb.all))
	}
	s := tb.all[0]
	if s.Product != OpenSearch || s.Type != Enum || len(s.Enum) != 2 || !s.Dynamic || s.Since != (Version{1, 0}) ||
		s.Until != (Version{2, 0}) || s.Deprecated != (Version{1, 5}) || s.Replacement != "a.d" ||
		s.Source != "some/repo path@abc; extra" || s.Fallback[0] != "a.b" || s.Note != "n" {
		t.Errorf("good row parsed as %+v", s)
	}
}

func TestMatchPattern(t *testing.T) {
	for _, c := range []struct {
		pattern, key string
		lit          int
		ok           bool
	}{
		{"transport.profiles.*.port", "transport.profiles.client.port", 3, true},
		{"transport.profiles.*.port", "transport.profiles.port", 0, false},
		{"transport.profiles.*.port", "transport.profiles.a.b.port", 0, false},
		{"node.attr.*", "node.attr.rack", 2, true},
		{"node.attr.*", "node.attr.rack.zone", 2, true},
		{"node.attr.*", "node.attr", 0, false},
		{"node.attr.*", "node.attr.", 0, false},
		{"a.*.*.d", "a.b.c.d", 2, true},
	} {
		lit, ok := matchPattern(c.pattern, c.key)
		if lit != c.lit || ok != c.ok {
			t.Errorf("matchPattern(%q, %q) = %d, %v; want %d, %v", c.pattern, c.key, lit, ok, c.lit, c.ok)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"network.host", "netwrok.host", 1}, // one transposition
		{"network.host", "network.host", 0},
		{"http.port", "http.prt", 1},
		{"http.port", "https.ports", 2},
		{"abc", "xyz", 3},
		{"short", "a much longer key", 4}, // cut off at limit+1
	} {
		if got := editdist.Distance(c.a, c.b, 3); got != c.want {
			t.Errorf("distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

// splitMatch is the plain reading of a pattern, with both sides split on
// dots: the reference that matchPattern and capture, which walk the
// segments without splitting, must agree with.
func splitMatch(pattern, key string) (lit int, caps []string, ok bool) {
	ps, ks := strings.Split(pattern, "."), strings.Split(key, ".")
	for i, seg := range ps {
		if i >= len(ks) || ks[i] == "" {
			return 0, nil, false
		}
		if seg == "*" {
			if i == len(ps)-1 {
				return lit, caps, true
			}
			caps = append(caps, ks[i])
			continue
		}
		if seg != ks[i] {
			return 0, nil, false
		}
		lit++
	}
	if len(ps) != len(ks) {
		return 0, nil, false
	}
	return lit, caps, true
}

// Every pattern the table and the requirements use, against keys made
// from it by filling, dropping, adding and emptying segments.
func TestPatternMatchersAgree(t *testing.T) {
	var patterns []string
	for _, s := range tbl().patterns {
		patterns = append(patterns, s.Key)
	}
	for _, q := range Requirements {
		patterns = append(patterns, q.If)
		patterns = append(patterns, q.Except...)
	}
	patterns = append(patterns, "*", "a.*", "*.b", "a.*.*.d", "")
	if len(patterns) < 20 {
		t.Fatalf("only %d patterns: the table did not load", len(patterns))
	}
	checked := 0
	for _, p := range patterns {
		filled := strings.ReplaceAll(p, "*", "x")
		keys := []string{p, filled, filled + ".y", filled + ".", "." + filled, "",
			strings.ReplaceAll(p, "*", "x.z"), strings.ReplaceAll(p, "*", "")}
		if i := strings.LastIndexByte(filled, '.'); i >= 0 {
			keys = append(keys, filled[:i], filled[:i]+".other")
		}
		for _, k := range keys {
			lit, caps, ok := splitMatch(p, k)
			if gl, gok := matchPattern(p, k); gok != ok || gok && gl != lit {
				t.Errorf("matchPattern(%q, %q) = %d, %v; want %d, %v", p, k, gl, gok, lit, ok)
			}
			if gc, gok := capture(p, k); gok != ok || gok && !slices.Equal(gc, caps) {
				t.Errorf("capture(%q, %q) = %q, %v; want %q, %v", p, k, gc, gok, caps, ok)
			}
			checked++
		}
	}
	t.Logf("%d patterns, %d pairs", len(patterns), checked)
}

// The first-segment index hands candidates the same pattern rows, in the
// same order, as a scan of every pattern row would: for the table, and
// for rows with a leading * (the table has none today).
func TestPatternIndex(t *testing.T) {
	synthetic := parseTable("*.port | es | bool | true | | s | | | | | | src\n" +
		"a.*.c | es | bool | true | | s | | | | | | src\n" +
		"a.b.* | es | bool | true | | s | | | | | | src\n" +
		"*.b.* | es | bool | true | | s | | | | | | src\n")
	if len(synthetic.errs) != 0 || len(synthetic.starFirst) != 2 {
		t.Fatalf("synthetic table: %v, %d rows with a leading *", synthetic.errs, len(synthetic.starFirst))
	}
	for _, tb := range []*table{tbl(), synthetic} {
		var keys []string
		for _, s := range tb.all {
			filled := strings.ReplaceAll(s.Key, "*", "x")
			keys = append(keys, s.Key, filled, filled+".y", "other."+filled, strings.ReplaceAll(s.Key, "*", "x.y"))
		}
		keys = append(keys, "", ".", "x", "*.x", "q.port", "q.b.c", "a.b.port")
		matched := 0
		for _, key := range keys {
			var want, got []*Setting
			for _, s := range tb.patterns {
				if _, ok := matchPattern(s.Key, key); ok {
					want = append(want, s)
				}
			}
			for _, s := range tb.patternRows(key) {
				if _, ok := matchPattern(s.Key, key); ok {
					got = append(got, s)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%q: the index gives %d pattern rows, a scan %d", key, len(got), len(want))
			}
			matched += len(want)
		}
		if len(tb.byFirst) == 0 || matched < len(tb.patterns) {
			t.Fatalf("%d first segments, %d matches for %d pattern rows", len(tb.byFirst), matched, len(tb.patterns))
		}
	}
}
