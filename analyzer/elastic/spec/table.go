package spec

import (
	_ "embed" // settings.txt is the table
	"fmt"
	"strings"
	"sync"

	"github.com/ngxlint/ngxlint/analyzer/editdist"
)

// settingsText is the hand-written table; its header says the format.
//
//go:embed settings.txt
var settingsText string

type table struct {
	all      []*Setting
	exact    map[string][]*Setting
	patterns []*Setting
	// byFirst holds, for each literal first segment of a pattern, the
	// patterns a key starting with it can match (those with that segment
	// or a `*` first), in table order; starFirst those for any other key.
	byFirst   map[string][]*Setting
	starFirst []*Setting
	// errs holds rows that did not parse; a test keeps it empty. At run
	// time a bad row is skipped rather than stopping the linter.
	errs []error
}

var (
	loadOnce sync.Once
	loaded   *table
)

func tbl() *table {
	loadOnce.Do(func() { loaded = parseTable(settingsText) })
	return loaded
}

// All returns every row, in table order. Callers must not modify them.
func All() []*Setting { return tbl().all }

func parseTable(text string) *table {
	t := &table{exact: map[string][]*Setting{}}
	aliases := map[string]string{}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '@' {
			name, val, ok := strings.Cut(line, " ")
			if !ok {
				t.errs = append(t.errs, fmt.Errorf("line %d: source alias without text", n+1))
				continue
			}
			aliases[name] = strings.TrimSpace(val)
			continue
		}
		s, err := parseRow(line, aliases)
		if err != nil {
			t.errs = append(t.errs, fmt.Errorf("line %d: %w", n+1, err))
			continue
		}
		t.all = append(t.all, s)
		if strings.Contains(s.Key, "*") {
			t.patterns = append(t.patterns, s)
		} else {
			t.exact[s.Key] = append(t.exact[s.Key], s)
		}
	}
	t.byFirst = map[string][]*Setting{}
	for _, s := range t.patterns {
		if first, _, _ := strings.Cut(s.Key, "."); first != "*" {
			t.byFirst[first] = nil
		}
	}
	for _, s := range t.patterns {
		first, _, _ := strings.Cut(s.Key, ".")
		if first == "*" {
			t.starFirst = append(t.starFirst, s)
		}
		for f := range t.byFirst {
			if first == "*" || first == f {
				t.byFirst[f] = append(t.byFirst[f], s)
			}
		}
	}
	return t
}

// Row columns, separated by `|`.
const (
	colKey = iota
	colProduct
	colType
	colDefault
	colFallback
	colScope
	colSince
	colUntil
	colDeprecated
	colReplacement
	colNote
	colSource
	nCols
)

func parseRow(line string, aliases map[string]string) (*Setting, error) {
	f := strings.Split(line, "|")
	if len(f) != nCols {
		return nil, fmt.Errorf("%d columns, want %d", len(f), nCols)
	}
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	s := &Setting{Key: f[colKey], Default: f[colDefault], Replacement: f[colReplacement], Note: f[colNote]}
	if s.Key == "" || strings.ContainsAny(s.Key, " \t") || strings.Contains(s.Key, "..") {
		return nil, fmt.Errorf("bad key %q", s.Key)
	}
	switch f[colProduct] {
	case "both":
		s.Product = Both
	case "es":
		s.Product = Elasticsearch
	case "os":
		s.Product = OpenSearch
	default:
		return nil, fmt.Errorf("%s: product %q, want es, os or both", s.Key, f[colProduct])
	}
	typ, enum, err := parseType(f[colType])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Key, err)
	}
	s.Type, s.Enum = typ, enum
	if f[colFallback] != "" {
		s.Fallback = strings.Split(f[colFallback], ",")
	}
	switch f[colScope] {
	case "d":
		s.Dynamic = true
	case "s":
	default:
		return nil, fmt.Errorf("%s: scope %q, want s or d", s.Key, f[colScope])
	}
	for _, c := range []struct {
		col int
		v   *Version
	}{{colSince, &s.Since}, {colUntil, &s.Until}, {colDeprecated, &s.Deprecated}} {
		if f[c.col] == "" {
			continue
		}
		if *c.v, err = ParseVersion(f[c.col]); err != nil {
			return nil, fmt.Errorf("%s: %w", s.Key, err)
		}
	}
	if f[colSource] == "" {
		return nil, fmt.Errorf("%s: no source", s.Key)
	}
	var src []string
	for _, name := range strings.Fields(f[colSource]) {
		if !strings.HasPrefix(name, "@") {
			src = append(src, name)
			continue
		}
		v, ok := aliases[name]
		if !ok {
			return nil, fmt.Errorf("%s: unknown source alias %s", s.Key, name)
		}
		src = append(src, v)
	}
	s.Source = strings.Join(src, "; ")
	return s, nil
}

func parseType(t string) (Type, []string, error) {
	if rest, ok := strings.CutPrefix(t, "enum:"); ok {
		vals := strings.Split(rest, ",")
		for _, v := range vals {
			if v == "" {
				return 0, nil, fmt.Errorf("empty enum value in %q", t)
			}
		}
		return Enum, vals, nil
	}
	for i, n := range typeNames {
		if n == t && Type(i) != Enum {
			return Type(i), nil, nil
		}
	}
	return 0, nil, fmt.Errorf("unknown type %q", t)
}

// Lookup returns the row for a flat key as product p knows it, or nil. A
// key such as transport.profiles.client.port matches the row
// transport.profiles.*.port. Among several rows (a key whose default or
// type changed between releases) it prefers p's own row, then the newest.
// p = Both accepts rows of either product.
func Lookup(key string, p Product) *Setting {
	return pick(candidates(key, p), p, Version{})
}

// LookupIn is Lookup for release v of p: it prefers the row that exists
// in v, falling back to Lookup's choice.
func LookupIn(key string, p Product, v Version) *Setting {
	return pick(candidates(key, p), p, v)
}

func candidates(key string, p Product) []*Setting {
	t := tbl()
	var out []*Setting
	for _, s := range t.exact[key] {
		if p.matches(s.Product) {
			out = append(out, s)
		}
	}
	if len(out) > 0 {
		return out
	}
	// Legacy numbered list items (path.data.0, path.data.1) set the list.
	if i := strings.LastIndexByte(key, '.'); i > 0 && isDigits(key[i+1:]) {
		for _, s := range candidates(key[:i], p) {
			if s.Type == List {
				out = append(out, s)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	best := -1
	for _, s := range t.patternRows(key) {
		if !p.matches(s.Product) {
			continue
		}
		lit, ok := matchPattern(s.Key, key)
		if !ok || lit < best {
			continue
		}
		if lit > best {
			best, out = lit, out[:0]
		}
		out = append(out, s)
	}
	return out
}

// patternRows are the pattern rows that key can match: those whose first
// segment is key's or a `*`, in table order.
func (t *table) patternRows(key string) []*Setting {
	first, _, _ := strings.Cut(key, ".")
	if rows, ok := t.byFirst[first]; ok {
		return rows
	}
	return t.starFirst
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func pick(c []*Setting, p Product, v Version) *Setting {
	if len(c) == 0 {
		return nil
	}
	score := func(s *Setting) int {
		n := 0
		if !v.IsZero() && s.InProduct(p, v) {
			n += 8
		}
		if s.Product == p {
			n += 4
		}
		if s.Until.IsZero() {
			n += 2
		}
		return n
	}
	best := c[0]
	for _, s := range c[1:] {
		if sc, bs := score(s), score(best); sc > bs || sc == bs && best.Since.Less(s.Since) {
			best = s
		}
	}
	return best
}

// matchPattern matches a key against a row key with `*` segments and
// returns how many literal segments the pattern has (more is more
// specific).
func matchPattern(pattern, key string) (int, bool) {
	return walkPattern(pattern, key, nil)
}

// walkPattern matches key against pattern segment by segment, without
// splitting either (Lookup tries every pattern row for a key the exact
// rows do not know, and the requirements every key of every file). It
// counts the literal segments and, when caps is not nil, appends the
// segments the inner stars took; a trailing `*` takes the rest.
func walkPattern(pattern, key string, caps *[]string) (int, bool) {
	lit := 0
	for {
		seg, prest, pmore := strings.Cut(pattern, ".")
		k, krest, kmore := strings.Cut(key, ".")
		if k == "" {
			return 0, false
		}
		switch {
		case seg == "*" && !pmore:
			return lit, true
		case seg == "*":
			if caps != nil {
				*caps = append(*caps, k)
			}
		case seg != k:
			return 0, false
		default:
			lit++
		}
		if !pmore || !kmore {
			if pmore || kmore {
				return 0, false // one ran out first
			}
			return lit, true
		}
		pattern, key = prest, krest
	}
}

// Suggest returns the known key nearest to an unknown one, for a
// "did you mean" hint, or "" when key is known or nothing is close. Keys
// of p's own product win ties, then keys that still exist. A key known
// only through a catch-all group row (xpack.monitoring.*) still gets a
// suggestion when a listed key is one edit away, so that typos inside
// such namespaces are caught.
func Suggest(key string, p Product) string {
	if key == "" {
		return ""
	}
	limit := min(max(len(key)/5, 1), 3)
	literalOnly := false
	if s := Lookup(key, p); s != nil {
		if !IsGroup(s) {
			return ""
		}
		limit, literalOnly = 1, true
	}
	type cand struct {
		key  string
		dist int
		rank int
	}
	var best *cand
	for _, s := range tbl().all {
		if !p.matches(s.Product) || literalOnly && strings.Contains(s.Key, "*") {
			continue
		}
		k := instantiate(s.Key, key)
		d := editdist.Distance(k, key, limit)
		if d > limit {
			continue
		}
		rank := 0
		if s.Product != p {
			rank++
		}
		if !s.Until.IsZero() {
			rank++
		}
		c := cand{k, d, rank}
		if best == nil || c.dist < best.dist || c.dist == best.dist && (c.rank < best.rank || c.rank == best.rank && c.key < best.key) {
			best = &c
		}
	}
	if best == nil {
		return ""
	}
	return best.key
}

// IsGroup reports whether a row is a catch-all for a namespace (its key
// ends in `.*`): knowing a key through it says little about the key.
func IsGroup(s *Setting) bool { return strings.HasSuffix(s.Key, ".*") }

// instantiate fills a row key's `*` segments with the corresponding
// segments of key, so that transport.profiles.*.prot is compared with
// transport.profiles.client.port rather than with a literal star.
func instantiate(pattern, key string) string {
	if !strings.Contains(pattern, "*") {
		return pattern
	}
	ps := strings.Split(pattern, ".")
	ks := strings.Split(key, ".")
	for i, seg := range ps {
		if seg != "*" {
			continue
		}
		switch {
		case i >= len(ks):
			ps[i] = "name"
		case i == len(ps)-1:
			ps[i] = strings.Join(ks[i:], ".")
		default:
			ps[i] = ks[i]
		}
	}
	return strings.Join(ps, ".")
}
