package pcre

import (
	"errors"
	"flag"
	"regexp/syntax"
	"strings"
	"testing"
)

// FuzzParse: Parse never panics, every offset lies within the pattern,
// and the facts can be asked of whatever parses. The seed corpus is in
// testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, tt := range formCases {
		f.Add(tt.pattern, tt.ci)
	}
	for _, tt := range errorCases {
		f.Add(tt.pattern, false)
	}
	f.Fuzz(func(t *testing.T, pattern string, ci bool) {
		r, err := Parse(pattern, ci)
		if why, start, end := SharedErrorAt(pattern, ci); start < 0 || start > end || end > len(pattern) ||
			(why != "" && (err == nil || start == end)) || (why == "" && start+end != 0) {
			t.Fatalf("%q: SharedErrorAt gives %q at [%d, %d), the parse %v", pattern, why, start, end, err)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%q: error %T is not *Error", pattern, err)
			}
			if e.Offset < 0 || e.Offset > len(pattern) || e.Msg == "" {
				t.Fatalf("%q: error %+v out of range", pattern, e)
			}
			return
		}
		checkOffsets(t, r)
		if r.Captures < 0 || r.Captures > len(pattern) {
			t.Fatalf("%q: %d captures", pattern, r.Captures)
		}
		for name, i := range r.Names {
			if g := r.Group(i); g == nil || g.Cap != i || name == "" {
				t.Fatalf("%q: name %q -> %d has no group", pattern, name, i)
			}
		}
		// Where Go's parser accepts the pattern too, the two count the
		// same groups and names: the syntax they share numbers alike.
		if g, err := syntax.Parse(pattern, syntax.Perl); err == nil {
			if g.MaxCap() != r.Captures {
				t.Fatalf("%q: %d captures; Go's regexp/syntax counts %d", pattern, r.Captures, g.MaxCap())
			}
			for i, name := range g.CapNames() {
				if name != "" && r.Names[name] != i {
					t.Fatalf("%q: group %q is %d; Go's regexp/syntax says %d", pattern, name, r.Names[name], i)
				}
			}
		}
		for i := 1; i <= r.Captures; i++ {
			if r.Group(i) == nil {
				t.Fatalf("%q: no group %d of %d", pattern, i, r.Captures)
			}
		}
		r.CanMatch(Newline)
		for _, n := range r.VaryingLookbehinds {
			if n.Kind != Lookaround || !n.Behind {
				t.Fatalf("%q: varying lookbehind is a %v", pattern, n.Kind)
			}
		}
		for _, n := range r.NestedQuantifiers() {
			if n.Kind != Repeat || n.Offset < 0 || n.End > len(pattern) {
				t.Fatalf("%q: bad nested quantifier %+v", pattern, n)
			}
		}
	})
}

// FuzzPCRE2 compares Parse's verdict with PCRE2's own (grep -P): a pattern
// is refused by both or by neither. It skips without grep -P. Fuzzing it
// runs one grep per input, so it is slow (a few hundred inputs a second)
// but it is what finds the corners where the parser and PCRE2 disagree.
func FuzzPCRE2(f *testing.F) {
	// the forms are checked by TestAgreesWith*; they seed fuzzing only,
	// sparing a grep each in a plain test run
	if fz := flag.Lookup("test.fuzz"); fz != nil && fz.Value.String() != "" {
		for _, tt := range formCases {
			f.Add(tt.pattern)
		}
	}
	for _, tt := range errorCases {
		f.Add(tt.pattern)
	}
	// every letter escaped, in and out of a class, and before a brace
	for c := 'A'; c <= 'z'; c++ {
		if c <= 'Z' || c >= 'a' {
			e := `\` + string(c)
			f.Add(e)
			f.Add(e + `{1}`)
			f.Add(`[` + e + `]`)
			f.Add(`[x` + e + `y]`)
		}
	}
	var pcre2 func(string) string
	f.Fuzz(func(t *testing.T, pattern string) {
		if pcre2 == nil {
			if pcre2 = grepP(t); pcre2 == nil {
				t.Skip("grep -P is not available")
			}
		}
		r, err := Parse(pattern, false)
		msg := pcre2(pattern)
		switch {
		case strings.ContainsAny(pattern, "\n\x00"): // grep cannot take them
		case err == nil && versionDependent(r, msg):
		case err != nil && msg == "":
			t.Errorf("%q: we refuse it (%v); PCRE2 compiles it", pattern, err)
		case err == nil && msg != "":
			t.Errorf("%q: we accept it; PCRE2 says %s", pattern, msg)
		}
	})
}

// versionDependent reports whether PCRE2 refused a pattern we accept on
// purpose, because other PCRE2 releases accept it (see the package doc).
func versionDependent(r *Regex, msg string) bool {
	switch {
	case strings.Contains(msg, "lookbehind assertion is not fixed length"):
		return len(r.VaryingLookbehinds) > 0
	case strings.Contains(msg, `\K is not allowed in lookarounds`):
		return true
	case strings.Contains(msg, "unknown property"):
		return len(r.NewerProperties) > 0
	}
	return false
}
