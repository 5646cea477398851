package pcre

import (
	"sort"
	"strings"
	"unicode"
)

// class parses a bracketed class from its '['.
func (p *parser) class() *Node {
	start := p.pos
	if rest := p.src[p.pos:]; len(rest) > 1 && strings.IndexByte(":.=", rest[1]) >= 0 && posixEnd(rest) > 0 {
		if rest[1] == ':' {
			p.fail(start, "POSIX named classes are supported only within a class")
		}
		p.fail(start, "POSIX collating elements are not supported")
	}
	p.pos++
	// PCRE2 first skips \E, an empty \Q\E, (?xx) space and one ^ (which
	// negates), in any order; the next character is the first member, so
	// a ']' there is a literal
	neg := false
	for !p.eof() {
		c := p.src[p.pos]
		switch {
		case p.peekIs(`\E`):
			p.pos += 2
		case p.peekIs(`\Q\E`):
			p.pos += 4
		case p.opt.extra && (c == ' ' || c == '\t'):
			p.pos++
		case c == '^' && !neg:
			neg = true
			p.pos++
		default:
			goto members
		}
	}
members:
	// Then each member, with PCRE2's range states: a literal may start a
	// range, a '-' after one starts it, the next literal ends it; \E and
	// \Q do not interrupt one, and inside \Q...\E a '-' is a literal.
	const (
		rangeNo = iota
		rangeOK
		rangeStarted
	)
	var chars, sets []Range // chars fold under (?i); sets (\d, \p{..}) do not
	state, inQ, first := rangeNo, false, true
	literal := func(at int, c rune) {
		if state == rangeStarted {
			lo := chars[len(chars)-1].Lo
			if c < lo {
				p.fail(at, "range out of order in character class")
			}
			chars[len(chars)-1].Hi = c
			state = rangeNo
			return
		}
		chars = append(chars, Range{c, c})
		state = rangeOK
	}
	for {
		if p.eof() {
			p.fail(start, "missing terminating ] for character class")
		}
		c := p.src[p.pos]
		if c == ']' && !first && !inQ {
			p.pos++
			break
		}
		first = false
		itemStart := p.pos
		switch {
		case inQ && p.peekIs(`\E`):
			inQ = false
			p.pos += 2
		case inQ:
			literal(itemStart, p.char())
		case p.opt.extra && (c == ' ' || c == '\t'):
			p.pos++
		case c == '-' && state == rangeOK:
			state = rangeStarted
			p.pos++
		case p.peekIs(`\Q`):
			inQ = true
			p.pos += 2
		case p.peekIs(`\E`):
			p.pos += 2
		default:
			if c == '[' && state == rangeStarted && strings.HasPrefix(p.src[p.pos+1:], ":") && posixEnd(p.src[p.pos:]) > 0 {
				p.fail(itemStart, "invalid range in character class")
			}
			set, isSet, r := p.classItem(start)
			if !isSet {
				literal(itemStart, r)
				continue
			}
			if state == rangeStarted {
				p.fail(itemStart, "invalid range in character class")
			}
			state = rangeNo
			if p.peekIs("-") && p.pos+1 < len(p.src) && p.src[p.pos+1] != ']' {
				p.fail(itemStart, "invalid range in character class")
			}
			sets = append(sets, set...)
		}
	}
	if state == rangeStarted { // "-]": the '-' is a member
		chars = append(chars, Range{'-', '-'})
	}
	if p.opt.caseless {
		chars = foldRanges(chars, p.utf)
	}
	n := p.classNode(start, append(chars, sets...), neg)
	n.Fold = p.opt.caseless
	return n
}

// classItem reads one element of a class: a set (POSIX class, \d ...) or
// one character.
func (p *parser) classItem(start int) (set []Range, isSet bool, r rune) {
	itemStart := p.pos
	switch {
	case p.peekIs("[:"):
		if end := posixEnd(p.src[p.pos:]); end > 0 {
			name := p.src[p.pos+2 : p.pos+end-2]
			p.pos += end
			neg := strings.HasPrefix(name, "^")
			rs, ok := posixClass(strings.TrimPrefix(name, "^"))
			if !ok {
				p.fail(itemStart, "unknown POSIX class name")
			}
			if p.opt.caseless && (name == "upper" || name == "lower") {
				rs = foldRanges(rs, p.utf)
			}
			if neg {
				rs = complement(rs, p.maxChar())
			}
			return rs, true, 0
		}
	case p.peekIs("[.") || p.peekIs("[="):
		if posixEnd(p.src[p.pos:]) > 0 {
			p.fail(itemStart, "POSIX collating elements are not supported")
		}
	case p.peekIs(`\`):
		p.pos++
		if p.eof() {
			p.fail(start, "missing terminating ] for character class")
		}
		if rs, neg, ok := p.setEscape(itemStart); ok {
			if neg {
				rs = complement(rs, p.maxChar())
			}
			return rs, true, 0
		}
		return nil, false, p.charEscape(itemStart, true)
	}
	return nil, false, p.char()
}

// posixEnd returns the length of a [:name:] (or [.x.], [=x=]) at the start
// of s, or 0 when s does not start with one. As in PCRE2, \] and \\ are
// skipped, and a ']' or a second opening such as "[:" ends the attempt.
func posixEnd(s string) int {
	if len(s) < 2 {
		return 0
	}
	term := s[1]
	for i := 2; i+1 < len(s); i++ {
		switch {
		case s[i] == '\\' && (s[i+1] == ']' || s[i+1] == '\\'):
			i++
		case s[i] == ']' || s[i] == '[' && s[i+1] == term:
			return 0
		case s[i] == term && s[i+1] == ']':
			return i + 2
		}
	}
	return 0
}

// setEscape reads an escape that stands for a set (p.pos after the
// backslash): \d \D \w \W \s \S \h \H \v \V \p{..} \P{..}. It returns the
// positive set and whether the escape negates it; ok is false (nothing
// read) for other escapes.
func (p *parser) setEscape(start int) (set []Range, neg, ok bool) {
	c := p.src[p.pos]
	max := p.maxChar()
	switch c | 0x20 {
	case 'd':
		set = []Range{{'0', '9'}}
	case 'w':
		set = wordRanges
	case 's':
		set = spaceRanges
	case 'h':
		set = clip([]Range{{'\t', '\t'}, {' ', ' '}, {0xa0, 0xa0}, {0x1680, 0x1680}, {0x180e, 0x180e},
			{0x2000, 0x200a}, {0x202f, 0x202f}, {0x205f, 0x205f}, {0x3000, 0x3000}}, max)
	case 'v':
		set = verticalSpace(max)
	case 'p':
		p.pos++
		set, neg = p.property(start)
		return set, (c == 'P') != neg, true
	default:
		return nil, false, false
	}
	p.pos++
	return set, c >= 'A' && c <= 'Z', true
}

var (
	wordRanges  = []Range{{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}}
	spaceRanges = []Range{{'\t', '\r'}, {' ', ' '}}
)

func verticalSpace(max rune) []Range {
	return clip([]Range{{'\n', '\r'}, {0x85, 0x85}, {0x2028, 0x2029}}, max)
}

// property reads what follows \p or \P as PCRE2 10.42 reads it (get_ucp
// in pcre2_compile.c): one letter, or {name} with an optional leading ^,
// where underscores, hyphens and white space are dropped, letters are
// folded to lower case and at most 49 characters remain. A name may be
// prefixed with bc= (Bidi_Class), sc= or scx= (Script, Script_Extensions),
// with = or :.
func (p *parser) property(start int) (set []Range, neg bool) {
	if p.eof() {
		p.fail(start, `malformed \P or \p sequence`)
	}
	var buf [49]byte
	name, sep := buf[:0], -1
	if p.src[p.pos] == '{' {
		p.pos++
		if !p.eof() && p.src[p.pos] == '^' {
			neg = true
			p.pos++
		}
		closed := false
		for len(name) < len(buf) {
			c, ok := p.nameByte()
			if !ok {
				p.fail(start, `malformed \P or \p sequence`)
			}
			if c == '}' {
				closed = true
				break
			}
			if (c == ':' || c == '=') && sep < 0 {
				sep = len(name)
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			name = append(name, c)
		}
		if !closed {
			p.fail(start, `malformed \P or \p sequence`)
		}
	} else {
		c := p.src[p.pos]
		if c|0x20 < 'a' || c|0x20 > 'z' {
			p.fail(start, `malformed \P or \p sequence`)
		}
		name = append(name, c|0x20)
		p.pos++
	}
	prop, key, ok := lookupProperty(string(name), sep)
	if !ok {
		p.fail(start, `unknown property after \P or \p`)
	}
	if _, newer := newerProperties[key]; newer {
		p.newerProps = append(p.newerProps, start)
	}
	return clip(prop.ranges(key), p.maxChar()), neg
}

// nameByte returns the next byte of a property name that counts, skipping
// the ones PCRE2 ignores; false at the end of the pattern or at a NUL.
func (p *parser) nameByte() (byte, bool) {
	for !p.eof() {
		c := p.src[p.pos]
		p.pos++
		switch {
		case c == '_' || c == '-' || isSpace(c):
			continue
		case c == 0:
			return 0, false
		}
		return c, true
	}
	return 0, false
}

// propKind is what a property name stands for in PCRE2's table.
type propKind uint8

const (
	kindSpecial   propKind = iota // Any, L&, Xan, Xps, Xsp, Xuc, Xwd
	kindCategory                  // a general category, one or two letters
	kindScript                    // a script without extensions
	kindScriptExt                 // a script that has extensions (scx differs from sc)
	kindBinary                    // a binary property such as Alphabetic
	kindBidi                      // a Bidi_Class value
)

// property is a row of PCRE2's property table: the kind and the value's
// name (as Go's unicode package spells it, where it has one).
type property struct {
	kind  propKind
	value string
}

// lookupProperty finds a folded name, split at sep when it has a prefix,
// and returns the table's key. Bidi_Class values are looked up as
// "bidi"+value in the whole table, as PCRE2 does (so bc=c is Bidi_Control);
// sc= and scx= accept scripts only. Names only a newer PCRE2 knows are
// accepted too: nginx may be linked with one.
func lookupProperty(name string, sep int) (property, string, bool) {
	key := name
	if sep >= 0 {
		key = name[sep+1:]
		switch name[:sep] {
		case "bidiclass", "bc":
			key = "bidi" + key
		case "script", "sc", "scriptextensions", "scx":
			prop, ok := findProperty(key)
			return prop, key, ok && (prop.kind == kindScript || prop.kind == kindScriptExt)
		default:
			return property{}, "", false
		}
	}
	prop, ok := findProperty(key)
	return prop, key, ok
}

func findProperty(key string) (property, bool) {
	if prop, ok := pcre2Properties[key]; ok {
		return prop, true
	}
	prop, ok := newerProperties[key]
	return prop, ok
}

// ranges are the characters a property matches, from Go's Unicode tables;
// a property they lack (bidi classes, Cn, derived binary properties, a
// script newer than Go's tables) is taken to match anything. Script
// extensions are read as the script itself.
func (prop property) ranges(key string) []Range {
	anything := []Range{{0, unicode.MaxRune}}
	var t *unicode.RangeTable
	switch prop.kind {
	case kindSpecial:
		switch key {
		case "l&", "lc":
			return tableRanges(unicode.Lu, unicode.Ll, unicode.Lt)
		case "xan":
			return tableRanges(unicode.L, unicode.N)
		case "xwd":
			return normalize(append(tableRanges(unicode.L, unicode.N), Range{'_', '_'}))
		case "xps", "xsp":
			return normalize(append(tableRanges(unicode.Z), spaceRanges...))
		case "xuc": // what a universal character name may stand for
			return []Range{{'$', '$'}, {'@', '@'}, {'`', '`'}, {0xA0, 0xD7FF}, {0xE000, unicode.MaxRune}}
		}
		return anything
	case kindCategory:
		t = unicode.Categories[prop.value]
	case kindScript, kindScriptExt:
		t = unicode.Scripts[prop.value]
	case kindBinary:
		t = unicode.Properties[prop.value]
	}
	if t == nil {
		return anything
	}
	return tableRanges(t)
}

func tableRanges(ts ...*unicode.RangeTable) []Range {
	var out []Range
	for _, t := range ts {
		for _, r := range t.R16 {
			out = appendStride(out, rune(r.Lo), rune(r.Hi), rune(r.Stride))
		}
		for _, r := range t.R32 {
			out = appendStride(out, rune(r.Lo), rune(r.Hi), rune(r.Stride))
		}
	}
	return normalize(out)
}

func appendStride(out []Range, lo, hi, stride rune) []Range {
	if stride == 1 {
		return append(out, Range{lo, hi})
	}
	for r := lo; r <= hi; r += stride {
		out = append(out, Range{r, r})
	}
	return out
}

func posixClass(name string) ([]Range, bool) {
	switch name {
	case "alpha":
		return []Range{{'A', 'Z'}, {'a', 'z'}}, true
	case "lower":
		return []Range{{'a', 'z'}}, true
	case "upper":
		return []Range{{'A', 'Z'}}, true
	case "alnum":
		return []Range{{'0', '9'}, {'A', 'Z'}, {'a', 'z'}}, true
	case "ascii":
		return []Range{{0, 0x7f}}, true
	case "blank":
		return []Range{{'\t', '\t'}, {' ', ' '}}, true
	case "cntrl":
		return []Range{{0, 0x1f}, {0x7f, 0x7f}}, true
	case "digit":
		return []Range{{'0', '9'}}, true
	case "graph":
		return []Range{{0x21, 0x7e}}, true
	case "print":
		return []Range{{0x20, 0x7e}}, true
	case "punct":
		return []Range{{0x21, 0x2f}, {0x3a, 0x40}, {0x5b, 0x60}, {0x7b, 0x7e}}, true
	case "space":
		return spaceRanges, true
	case "word":
		return wordRanges, true
	case "xdigit":
		return []Range{{'0', '9'}, {'A', 'F'}, {'a', 'f'}}, true
	}
	return nil, false
}

// classNode builds a Class node from the positive set and the negation.
func (p *parser) classNode(start int, set []Range, neg bool) *Node {
	set = normalize(set)
	if neg {
		set = complement(set, p.maxChar())
	}
	return &Node{Kind: Class, Offset: start, End: p.pos, Ranges: set, Negated: neg}
}

// normalize sorts and merges ranges.
func normalize(rs []Range) []Range {
	if len(rs) == 0 {
		return nil
	}
	rs = append([]Range(nil), rs...)
	sort.Slice(rs, func(i, j int) bool { return rs[i].Lo < rs[j].Lo })
	out := rs[:1]
	for _, r := range rs[1:] {
		last := &out[len(out)-1]
		if r.Lo <= last.Hi+1 {
			last.Hi = max(last.Hi, r.Hi)
			continue
		}
		out = append(out, r)
	}
	return out
}

// complement returns [0, max] minus the normalized set rs.
func complement(rs []Range, max rune) []Range {
	rs = normalize(rs)
	var out []Range
	next := rune(0)
	for _, r := range rs {
		if r.Lo > next {
			out = append(out, Range{next, min(r.Lo-1, max)})
		}
		next = r.Hi + 1
		if next > max {
			return clip(out, max)
		}
	}
	if next <= max {
		out = append(out, Range{next, max})
	}
	return clip(out, max)
}

func clip(rs []Range, max rune) []Range {
	var out []Range
	for _, r := range rs {
		if r.Lo > max {
			continue
		}
		out = append(out, Range{r.Lo, min(r.Hi, max)})
	}
	return out
}

// foldRanges adds the other case of every letter. Without (*UTF) PCRE's
// default tables pair ASCII letters only. Huge ranges already hold
// nearly every letter and are left as they are.
func foldRanges(rs []Range, utf bool) []Range {
	rs = normalize(rs)
	out := append([]Range(nil), rs...)
	for _, r := range rs {
		if r.Hi-r.Lo > 0x4000 {
			continue
		}
		for c := r.Lo; c <= r.Hi; c++ {
			if !utf {
				if c > 0x7f {
					break
				}
				if o := asciiOther(c); o != c {
					out = append(out, Range{o, o})
				}
				continue
			}
			for o := unicode.SimpleFold(c); o != c; o = unicode.SimpleFold(o) {
				out = append(out, Range{o, o})
			}
		}
	}
	return normalize(out)
}

func asciiOther(c rune) rune {
	switch {
	case c >= 'a' && c <= 'z':
		return c - 0x20
	case c >= 'A' && c <= 'Z':
		return c + 0x20
	}
	return c
}

// hasCase reports whether r has another case under PCRE's tables.
func hasCase(r rune, utf bool) bool {
	if !utf {
		return asciiOther(r) != r
	}
	return unicode.SimpleFold(r) != r
}

func inRanges(rs []Range, r rune) bool {
	i := sort.Search(len(rs), func(i int) bool { return rs[i].Hi >= r })
	return i < len(rs) && rs[i].Lo <= r
}
