package pcre

import (
	"sort"
	"strings"
	"sync"
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
	neg := false
	if p.peekIs("^") {
		neg = true
		p.pos++
	}
	var chars, sets []Range // chars fold under (?i); sets (\d, \p{..}) do not
	first := true
	for {
		if p.eof() {
			p.fail(start, "missing terminating ] for character class")
		}
		c := p.src[p.pos]
		if c == ']' && !first {
			p.pos++
			break
		}
		// \E, an empty \Q\E and (?xx) space are not there: a ']' after
		// them can still be the class's first character
		if p.opt.extra && (c == ' ' || c == '\t') {
			p.pos++
			continue
		}
		if p.peekIs(`\E`) || p.peekIs(`\Q\E`) {
			p.pos += 2
			continue
		}
		first = false
		if p.peekIs(`\Q`) {
			p.pos += 2
			for !p.eof() && !p.peekIs(`\E`) {
				lo := p.char()
				chars = p.maybeRange(start, lo, chars)
			}
			if !p.eof() {
				p.pos += 2
			}
			continue
		}
		itemStart := p.pos
		set, isSet, lo := p.classItem(start)
		if isSet {
			if p.peekIs("-") && p.pos+1 < len(p.src) && p.src[p.pos+1] != ']' {
				p.fail(itemStart, "invalid range in character class")
			}
			sets = append(sets, set...)
			continue
		}
		chars = p.maybeRange(start, lo, chars)
	}
	if p.opt.caseless {
		chars = foldRanges(chars, p.utf)
	}
	n := p.classNode(start, append(chars, sets...), neg)
	n.Fold = p.opt.caseless
	return n
}

// maybeRange adds lo, or the range lo-hi when a '-' and an end follow.
func (p *parser) maybeRange(start int, lo rune, chars []Range) []Range {
	if !p.peekIs("-") || p.pos+1 >= len(p.src) || p.src[p.pos+1] == ']' {
		return append(chars, Range{lo, lo})
	}
	dash := p.pos
	p.pos++
	if p.peekIs(`\E`) || p.peekIs(`\Q`) { // PCRE ends the range attempt here
		p.pos = dash
		return append(chars, Range{lo, lo})
	}
	hiStart := p.pos
	_, isSet, hi := p.classItem(start)
	if isSet {
		p.fail(hiStart, "invalid range in character class")
	}
	if hi < lo {
		p.fail(hiStart, "range out of order in character class")
	}
	return append(chars, Range{lo, hi})
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

// property reads the name after \p or \P: one letter, or {name} with an
// optional leading ^.
func (p *parser) property(start int) (set []Range, neg bool) {
	if p.eof() {
		p.fail(start, `malformed \P or \p sequence`)
	}
	var name string
	if p.src[p.pos] == '{' {
		end := strings.IndexByte(p.src[p.pos:], '}')
		if end < 0 {
			p.fail(start, `malformed \P or \p sequence`)
		}
		name = p.src[p.pos+1 : p.pos+end]
		p.pos += end + 1
		if strings.HasPrefix(name, "^") {
			neg, name = true, name[1:]
		}
	} else {
		if c := p.src[p.pos]; c|0x20 < 'a' || c|0x20 > 'z' {
			p.fail(start, `malformed \P or \p sequence`)
		}
		name = p.src[p.pos : p.pos+1]
		p.pos++
	}
	set, ok := propertyRanges(name)
	if !ok {
		p.fail(start, `unknown property after \P or \p`)
	}
	return clip(set, p.maxChar()), neg
}

var (
	propOnce  sync.Once
	propTable map[string]*unicode.RangeTable
)

// looseName folds a property name the way PCRE2 compares them: case,
// white space, hyphens and underscores do not matter.
func looseName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r < 0x80 && isSpace(byte(r)) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

func propertyRanges(name string) ([]Range, bool) {
	propOnce.Do(func() {
		propTable = map[string]*unicode.RangeTable{}
		for k, t := range unicode.Categories {
			propTable[looseName(k)] = t
		}
		for k, t := range unicode.Scripts {
			propTable[looseName(k)] = t
		}
		// binary properties (PCRE2 10.40 and later), by name and alias;
		// the Other_ ones only feed derived properties
		for k, t := range unicode.Properties {
			if !strings.HasPrefix(k, "Other_") {
				propTable[looseName(k)] = t
			}
		}
		for alias, k := range propertyAliases {
			propTable[looseName(alias)] = unicode.Properties[k]
		}
	})
	switch key := looseName(name); key {
	case "":
		return nil, false
	case "any", "xuc":
		return []Range{{0, unicode.MaxRune}}, true
	case "l&", "lc":
		return tableRanges(unicode.Lu, unicode.Ll, unicode.Lt), true
	case "xan":
		return tableRanges(unicode.L, unicode.N), true
	case "xwd":
		return normalize(append(tableRanges(unicode.L, unicode.N), Range{'_', '_'})), true
	case "xps", "xsp":
		return normalize(append(tableRanges(unicode.Z), spaceRanges...)), true
	default:
		if t, ok := propTable[key]; ok {
			return tableRanges(t), true
		}
		// Newer PCRE2 releases know more properties (Bidi_Class=..) and
		// four-letter script codes (Grek, Latn); accept those spellings
		// as "anything".
		if scriptCodes[key] || len(name) == 4 && isLetters(strings.ToLower(name)) || typedProperty(key, name) || otherBinary[key] ||
			strings.HasPrefix(key, "bidi") && bidiClasses[key[4:]] {
			return []Range{{0, unicode.MaxRune}}, true
		}
		return nil, false
	}
}

// propertyAliases are the short names of the binary properties Go's
// tables hold (from Unicode's PropertyAliases.txt).
var propertyAliases = map[string]string{
	"AHex": "ASCII_Hex_Digit", "Bidi_C": "Bidi_Control", "Dep": "Deprecated",
	"Dia": "Diacritic", "Ext": "Extender", "Hex": "Hex_Digit",
	"IDSB": "IDS_Binary_Operator", "IDST": "IDS_Trinary_Operator", "Ideo": "Ideographic",
	"Join_C": "Join_Control", "LOE": "Logical_Order_Exception",
	"NChar": "Noncharacter_Code_Point", "Pat_Syn": "Pattern_Syntax",
	"Pat_WS": "Pattern_White_Space", "PCM": "Prepended_Concatenation_Mark",
	"QMark": "Quotation_Mark", "space": "White_Space", "RI": "Regional_Indicator", "SD": "Soft_Dotted",
	"STerm": "Sentence_Terminal", "Term": "Terminal_Punctuation",
	"UIdeo": "Unified_Ideograph", "VS": "Variation_Selector", "WSpace": "White_Space",
}

// typedProperty reports whether a loose name is one of the prefixed
// forms PCRE2 reads, Bidi_Class=L or sc:Greek, with a value.
func typedProperty(key, name string) bool {
	i := strings.IndexAny(key, "=:")
	if i < 0 || i == len(key)-1 {
		return false
	}
	value := key[i+1:]
	switch key[:i] {
	case "bc", "bidiclass":
		return bidiClasses[value]
	case "sc", "script", "scx", "scriptextensions":
		for name := range unicode.Scripts {
			if looseName(name) == value {
				return true
			}
		}
		// a code, spelled loosely as PCRE2 reads every name ("Gr ek" is
		// Grek); one newer than scriptCodes only as four plain letters
		raw := name[strings.IndexAny(name, "=:")+1:]
		return scriptCodes[value] || len(raw) == 4 && isLetters(strings.ToLower(raw))
	}
	return false
}

// otherBinary are the binary properties PCRE2 knows and Go's tables do
// not (derived ones), loosely spelled, with their short names.
var otherBinary = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`alphabetic alpha bidimirrored bidim caseignorable ci
		cased changeswhencasefolded cwcf changeswhencasemapped cwcm changeswhenlowercased cwl
		changeswhennfkccasefolded cwkcf changeswhentitlecased cwt changeswhenuppercased cwu
		defaultignorablecodepoint di emoji emojicomponent ecomp emojimodifier emod
		emojimodifierbase ebase emojipresentation epres extendedpictographic extpict
		graphemebase grbase graphemeextend grext graphemelink grlink idcontinue idc idstart ids
		lowercase lower math uppercase upper xidcontinue xidc xidstart xids ascii`) {
		otherBinary[n] = true
	}
}

// bidiClasses are the values of the Bidi_Class property, loosely spelled.
var bidiClasses = map[string]bool{
	"l": true, "r": true, "al": true, "en": true, "es": true, "et": true, "an": true,
	"cs": true, "nsm": true, "bn": true, "b": true, "s": true, "ws": true, "on": true,
	"lre": true, "lro": true, "rle": true, "rlo": true, "pdf": true, "lri": true,
	"rli": true, "fsi": true, "pdi": true,
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
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
