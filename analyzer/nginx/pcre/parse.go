package pcre

import (
	"strings"
	"unicode/utf8"
)

// Limits PCRE2 enforces at compile time.
const (
	maxNest    = 250   // parentheses nesting
	maxRepeat  = 65535 // {n,m} bounds
	maxNameLen = 32    // group names
	maxGroup   = 65535 // group numbers in references
	maxMarkLen = 255   // the name of (*MARK:name) and the like
)

// options are the (?imnsxJU) settings in force at a point of the pattern.
type options struct {
	caseless, multiline, dotall, extended, extra, noAutoCapture, dupnames, ungreedy bool
}

type parser struct {
	src  string
	pos  int
	opt  options
	utf  bool // (*UTF) at the start: characters are UTF-8 sequences, not bytes
	caps int  // capturing groups opened so far
	// total is a first estimate of the number of capturing groups, which
	// decides whether \10 is a backreference or an octal escape.
	total  int
	depth  int
	names  map[string]int
	groups []*Node
	refs   []*Node // Backref, Call and Condition nodes resolved at the end
	// optEnd is where the run of start-of-pattern options such as (*UTF)
	// that opens the pattern ends; another one is allowed only there.
	optEnd int
	// rnums are the (?(R2)...) conditions, judged once every group is
	// known.
	rnums []rnum
	// newerProps are the offsets of \p items whose name only a PCRE2
	// newer than 10.42 knows.
	newerProps []int
}

// bail carries an *Error out of the recursive descent.
type bail struct{ err *Error }

func (p *parser) fail(off int, msg string) {
	panic(bail{&Error{Offset: off, Msg: msg}})
}

// Parse parses pattern as nginx's PCRE would compile it; caseInsensitive
// is the caller's flag (the `~*` operators). The error, if any, is an
// *Error positioned at the construct PCRE rejects.
func Parse(pattern string, caseInsensitive bool) (re *Regex, err error) {
	p := &parser{src: pattern, names: map[string]int{}}
	p.opt.caseless = caseInsensitive
	p.total = countGroups(pattern)
	defer func() {
		if x := recover(); x != nil {
			b, ok := x.(bail)
			if !ok {
				panic(x)
			}
			re, err = nil, b.err
		}
	}()
	root := p.alternation(0, p.branches(false))
	if p.pos < len(p.src) { // only a ')' stops the top level early
		p.fail(p.pos, "unmatched closing parenthesis")
	}
	p.resolve(root)
	varying := p.checkLookbehinds(root)
	re = &Regex{
		VaryingLookbehinds: varying,
		NewerProperties:    p.newerProps,
		Source:             pattern,
		Root:               root,
		Captures:           p.caps,
		Names:              p.names,
		groups:             p.groups,
		CaseInsensitive:    caseInsensitive || startsCaseless(root),
	}
	re.AnchoredStart = anchoredAt(root, true)
	re.AnchoredEnd = anchoredAt(root, false)
	return re, nil
}

func (p *parser) eof() bool { return p.pos >= len(p.src) }

func (p *parser) peekIs(s string) bool { return strings.HasPrefix(p.src[p.pos:], s) }

// branches parses alternatives up to a ')' or the end. Under a branch
// reset (?|..) every alternative numbers its groups from the same start.
func (p *parser) branches(reset bool) []*Node {
	base, most := p.caps, p.caps
	var list []*Node
	for {
		if reset {
			p.caps = base
		}
		list = append(list, p.sequence())
		most = max(most, p.caps)
		if p.eof() || p.src[p.pos] != '|' {
			break
		}
		p.pos++
	}
	if reset {
		p.caps = most
	}
	return list
}

func (p *parser) alternation(start int, list []*Node) *Node {
	if len(list) == 1 {
		return list[0]
	}
	return &Node{Kind: Alternate, Offset: start, End: p.pos, Sub: list}
}

// sequence parses one alternative: atoms and their quantifiers.
func (p *parser) sequence() *Node {
	start := p.pos
	items := make([]*Node, 0, 8)
	last := -1 // index in items of the atom a quantifier would apply to
	for {
		p.skipInert()
		if p.eof() {
			break
		}
		c := p.src[p.pos]
		if c == '|' || c == ')' {
			break
		}
		if c == '*' || c == '+' || c == '?' || (c == '{' && p.quantifierAhead()) {
			if last < 0 {
				p.fail(p.pos, "quantifier does not follow a repeatable item")
			}
			items[last] = p.quantify(items[last])
			last = -1
			continue
		}
		if p.peekIs(`\Q`) {
			lits := p.quoted()
			items = append(items, lits...)
			if len(lits) > 0 {
				last = len(items) - 1
			}
			continue
		}
		n, repeatable := p.atom()
		items = append(items, n)
		last = -1
		if repeatable {
			last = len(items) - 1
		}
	}
	switch len(items) {
	case 0:
		return &Node{Kind: Empty, Offset: start, End: p.pos}
	case 1:
		return items[0]
	}
	return &Node{Kind: Concat, Offset: start, End: p.pos, Sub: items}
}

// skipInert skips what PCRE treats as absent between items: comments
// (?#..), \E, an empty \Q\E and, under (?x), white space and #-comments.
func (p *parser) skipInert() {
	for !p.eof() {
		switch {
		case p.peekIs("(?#"):
			end := strings.IndexByte(p.src[p.pos:], ')')
			if end < 0 {
				p.fail(p.pos, "missing ) after (?# comment")
			}
			p.pos += end + 1
		case p.peekIs(`\E`):
			p.pos += 2
		case p.peekIs(`\Q\E`):
			p.pos += 4
		case p.opt.extended && isSpace(p.src[p.pos]):
			p.pos++
		case p.opt.extended && p.src[p.pos] == '#':
			for !p.eof() && p.src[p.pos] != '\n' {
				p.pos++
			}
		default:
			return
		}
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// quantifierAhead reports whether the '{' at p.pos opens a valid
// quantifier ({n}, {n,}, {n,m}); any other '{' is a literal.
func (p *parser) quantifierAhead() bool {
	_, _, _, ok := p.braces()
	return ok
}

// braces reads {n}, {n,} or {n,m} at p.pos without moving.
func (p *parser) braces() (lo, hi, end int, ok bool) {
	s := p.src
	i := p.pos + 1
	d := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == d || i >= len(s) {
		return 0, 0, 0, false
	}
	lo = atoiCap(s[d:i])
	if s[i] == '}' {
		return lo, lo, i + 1, true
	}
	if s[i] != ',' {
		return 0, 0, 0, false
	}
	i++
	d = i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i >= len(s) || s[i] != '}' {
		return 0, 0, 0, false
	}
	if i == d {
		return lo, -1, i + 1, true
	}
	return lo, atoiCap(s[d:i]), i + 1, true
}

// atoiCap converts a digit string, saturating above maxRepeat so that
// the caller can report "too big" without overflow.
func atoiCap(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
		if n > maxRepeat {
			return maxRepeat + 1
		}
	}
	return n
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// quantify wraps n in the quantifier at p.pos.
// PCRE2's own words for a {} quantifier it refuses, whatever else the
// pattern holds; SharedError reports them.
const (
	msgRepeatTooBig     = "number too big in {} quantifier"
	msgRepeatOutOfOrder = "numbers out of order in {} quantifier"
)

func (p *parser) quantify(n *Node) *Node {
	qpos := p.pos
	r := &Node{Kind: Repeat, Offset: n.Offset, Sub: []*Node{n}}
	switch p.src[p.pos] {
	case '*':
		r.Min, r.Max = 0, -1
		p.pos++
	case '+':
		r.Min, r.Max = 1, -1
		p.pos++
	case '?':
		r.Min, r.Max = 0, 1
		p.pos++
	default:
		lo, hi, end, _ := p.braces()
		if lo > maxRepeat || hi > maxRepeat {
			p.fail(qpos, msgRepeatTooBig)
		}
		if hi >= 0 && hi < lo {
			p.fail(qpos, msgRepeatOutOfOrder)
		}
		r.Min, r.Max = lo, hi
		p.pos = end
	}
	r.Lazy = p.opt.ungreedy
	r.End = p.pos
	p.skipInert() // PCRE2 drops \E, comments and (?x) space before a + or ?
	if !p.eof() {
		switch p.src[p.pos] {
		case '+':
			r.Possessive, r.Lazy = true, false
			p.pos++
			r.End = p.pos
		case '?':
			r.Lazy = !r.Lazy
			p.pos++
			r.End = p.pos
		}
	}
	return r
}

// quoted reads \Q...\E (or to the end of the pattern) as literals.
func (p *parser) quoted() []*Node {
	p.pos += 2
	var out []*Node
	for !p.eof() && !p.peekIs(`\E`) {
		out = append(out, p.literalHere())
	}
	if !p.eof() {
		p.pos += 2
	}
	return out
}

// char reads one character of the pattern: a byte, or a UTF-8 sequence
// under (*UTF).
func (p *parser) char() rune {
	if p.utf {
		r, size := utf8.DecodeRuneInString(p.src[p.pos:])
		p.pos += size
		return r
	}
	c := p.src[p.pos]
	p.pos++
	return rune(c)
}

func (p *parser) literalHere() *Node {
	start := p.pos
	return p.literal(start, p.char())
}

// byteText holds the one-byte strings, so that a literal costs no
// allocation for its text.
var byteText = func() (t [256]string) {
	for i := range t {
		t[i] = string([]byte{byte(i)})
	}
	return t
}()

func (p *parser) literal(start int, r rune) *Node {
	var lit string
	switch {
	case !p.utf, r < utf8.RuneSelf:
		lit = byteText[byte(r)]
	default:
		lit = string(r)
	}
	return &Node{Kind: Literal, Offset: start, End: p.pos, Rune: r, Lit: lit, Fold: p.opt.caseless && hasCase(r, p.utf)}
}

// atom parses one item and says whether a quantifier may follow it.
func (p *parser) atom() (*Node, bool) {
	start := p.pos
	switch p.src[p.pos] {
	case '(':
		return p.group()
	case '[':
		if p.peekIs("[[:<:]]") || p.peekIs("[[:>:]]") {
			p.pos += 7 // PCRE's spelling of start and end of word
			return &Node{Kind: WordBoundary, Offset: start, End: p.pos}, false
		}
		return p.class(), true
	case '.':
		p.pos++
		return &Node{Kind: Any, Offset: start, End: p.pos, DotAll: p.opt.dotall}, true
	case '^':
		p.pos++
		return &Node{Kind: Start, Offset: start, End: p.pos, Multiline: p.opt.multiline}, false
	case '$':
		p.pos++
		return &Node{Kind: End, Offset: start, End: p.pos, Multiline: p.opt.multiline}, false
	case '\\':
		return p.escape()
	}
	return p.literalHere(), true
}

// group parses from '(' to its ')'.
func (p *parser) group() (*Node, bool) {
	start := p.pos
	p.pos++
	if p.peekIs("*") {
		return p.verb(start)
	}
	if !p.peekIs("?") {
		if p.opt.noAutoCapture {
			return p.body(start, &Node{Kind: NonCapture}, false), true
		}
		return p.capture(start, ""), true
	}
	p.pos++
	if p.eof() {
		p.fail(start, "missing closing parenthesis")
	}
	c := p.src[p.pos]
	switch {
	case c == ':':
		p.pos++
		return p.body(start, &Node{Kind: NonCapture}, false), true
	case c == '|':
		p.pos++
		return p.body(start, &Node{Kind: NonCapture, Lit: "?|"}, true), true
	case c == '>':
		p.pos++
		return p.body(start, &Node{Kind: Atomic}, false), true
	case c == '=' || c == '!':
		p.pos++
		return p.body(start, &Node{Kind: Lookaround, Negated: c == '!'}, false), true
	case c == '*': // (?* is the non-atomic lookahead of PCRE2 10.34
		p.pos++
		return p.body(start, &Node{Kind: Lookaround}, false), true
	case p.peekIs("<=") || p.peekIs("<!") || p.peekIs("<*"): // (?<* is non-atomic
		neg := p.src[p.pos+1] == '!'
		p.pos += 2
		return p.body(start, &Node{Kind: Lookaround, Behind: true, Negated: neg}, false), true
	case c == '<' || c == '\'':
		p.pos++
		return p.capture(start, p.name(closer(c))), true
	case c == 'P':
		p.pos++
		if p.eof() {
			p.fail(start, "missing closing parenthesis")
		}
		switch p.src[p.pos] {
		case '<':
			p.pos++
			return p.capture(start, p.name('>')), true
		case '=', '>':
			kind := Backref
			if p.src[p.pos] == '>' {
				kind = Call
			}
			p.pos++
			n := p.name(')')
			return p.ref(&Node{Kind: kind, Offset: start, End: p.pos, Name: n}), true
		}
		p.fail(p.pos, "unrecognized character after (?P")
	case c == '&':
		p.pos++
		n := p.name(')')
		return p.ref(&Node{Kind: Call, Offset: start, End: p.pos, Name: n}), true
	case c == 'R' && p.peekIs("R)"):
		p.pos += 2
		return p.ref(&Node{Kind: Call, Offset: start, End: p.pos, Lit: "R"}), true
	case isDigit(c) || ((c == '+' || c == '-') && p.pos+1 < len(p.src) && isDigit(p.src[p.pos+1])):
		n := p.number(start, ')')
		p.pos++
		return p.ref(&Node{Kind: Call, Offset: start, End: p.pos, Cap: n}), true
	case c == '(':
		return p.conditional(start), true
	case c == 'C':
		return p.callout(start), false
	}
	return p.options(start)
}

func closer(open byte) byte {
	if open == '<' {
		return '>'
	}
	return open
}

// body parses a group's alternatives and its ')', with the options that
// were in force restored afterwards.
func (p *parser) body(start int, n *Node, reset bool) *Node {
	p.depth++
	if p.depth > maxNest {
		p.fail(start, "parentheses are too deeply nested")
	}
	saved := p.opt
	inner := p.pos
	list := p.branches(reset)
	if p.eof() {
		p.fail(start, "missing closing parenthesis")
	}
	sub := p.alternation(inner, list)
	p.pos++ // ')'
	p.opt = saved
	p.depth--
	n.Offset, n.End, n.Sub = start, p.pos, []*Node{sub}
	if n.Kind == Conditional {
		n.Sub = list
	}
	return n
}

func (p *parser) capture(start int, name string) *Node {
	p.caps++
	n := &Node{Kind: Group, Cap: p.caps, Name: name}
	if name != "" {
		if prev, ok := p.names[name]; ok && prev != p.caps && !p.opt.dupnames {
			p.fail(start, "two named subpatterns have the same name (PCRE2_DUPNAMES not set)")
		} else if !ok {
			p.names[name] = p.caps
		}
	}
	if p.caps > len(p.groups) {
		p.groups = append(p.groups, n)
	}
	return p.body(start, n, false)
}

// name reads a group name ending with term.
func (p *parser) name(term byte) string {
	start := p.pos
	for !p.eof() && isWord(p.src[p.pos]) {
		p.pos++
	}
	n := p.src[start:p.pos]
	switch {
	case n == "":
		p.fail(start, "subpattern name expected")
	case isDigit(n[0]):
		p.fail(start, "subpattern name must start with a non-digit")
	case len(n) > maxNameLen:
		p.fail(start, "subpattern name is too long (maximum 32 code units)")
	case p.eof() || p.src[p.pos] != term:
		p.fail(p.pos, "syntax error in subpattern name (missing terminator?)")
	}
	p.pos++
	return n
}

func isWord(c byte) bool {
	return c == '_' || isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

// number reads an absolute or relative (+n, -n) group number followed by
// term, leaving p.pos on term; relative numbers are made absolute.
func (p *parser) number(start int, term byte) int {
	n := p.digits(start)
	if p.eof() || p.src[p.pos] != term {
		p.fail(p.pos, "digit expected after (?+ or (?-")
	}
	return n
}

// digits reads an absolute or relative (+n, -n) group number.
func (p *parser) digits(start int) int {
	sign := byte(0)
	if c := p.src[p.pos]; c == '+' || c == '-' {
		sign = c
		p.pos++
	}
	d := p.pos
	for !p.eof() && isDigit(p.src[p.pos]) {
		p.pos++
	}
	if d == p.pos {
		p.fail(d, "subpattern number expected")
	}
	n := atoiCap(p.src[d:p.pos])
	if n > maxGroup {
		p.fail(start, "subpattern number is too big")
	}
	if sign != 0 && n == 0 {
		p.fail(start, "a relative value of zero is not allowed")
	}
	switch sign {
	case '-':
		n = p.caps - n + 1
		if n <= 0 {
			p.fail(start, "reference to non-existent subpattern")
		}
	case '+':
		n += p.caps
	}
	return n
}

// ref records a reference to check once every group is known.
func (p *parser) ref(n *Node) *Node {
	p.refs = append(p.refs, n)
	return n
}

// verb parses (*VERB), (*VERB:NAME), a start-of-pattern option such as
// (*UTF), or an alphabetic assertion such as (*pla:...).
func (p *parser) verb(start int) (*Node, bool) {
	p.pos++ // '*'
	nameStart := p.pos
	for !p.eof() && (isWord(p.src[p.pos]) || p.src[p.pos] == '=') {
		p.pos++
	}
	word := p.src[nameStart:p.pos]
	if !p.eof() && p.src[p.pos] == ':' {
		if n := alphaAssertion(word); n != nil {
			p.pos++
			return p.body(start, n, false), true
		}
	}
	end := strings.IndexByte(p.src[p.pos:], ')')
	if end < 0 {
		p.fail(start, "missing closing parenthesis")
	}
	p.pos += end + 1
	text := p.src[start+1 : p.pos-1]
	n := &Node{Kind: Verb, Offset: start, End: p.pos, Lit: text}
	switch {
	case isStartOption(word) && end == 0:
		if start != p.optEnd {
			p.fail(start, "(*VERB) not recognized or malformed")
		}
		p.optEnd = p.pos
		if word == "UTF" || word == "UTF8" {
			p.utf = true
			for i, r := range p.src { // PCRE2 checks the whole pattern first
				if r == utf8.RuneError && !strings.HasPrefix(p.src[i:], "\uFFFD") {
					p.fail(i, "UTF-8 error: the pattern is not valid UTF-8")
				}
			}
		}
		return n, false
	case (word == "" || word == "MARK") && end <= 1: // no name, or an empty one
		p.fail(start, "(*MARK) must have an argument")
	case end-1 > maxMarkLen:
		p.fail(start, "name is too long in (*MARK), (*PRUNE), (*SKIP), or (*THEN)")
	case isVerb(word) && (end == 0 || p.src[p.pos-end-1] == ':'):
		return n, word == "ACCEPT" // PCRE2 lets only (*ACCEPT) be quantified
	}
	p.fail(start, "(*VERB) not recognized or malformed")
	return nil, false
}

func alphaAssertion(word string) *Node {
	switch word {
	case "pla", "positive_lookahead", "napla", "non_atomic_positive_lookahead":
		return &Node{Kind: Lookaround}
	case "nla", "negative_lookahead":
		return &Node{Kind: Lookaround, Negated: true}
	case "plb", "positive_lookbehind", "naplb", "non_atomic_positive_lookbehind":
		return &Node{Kind: Lookaround, Behind: true}
	case "nlb", "negative_lookbehind":
		return &Node{Kind: Lookaround, Behind: true, Negated: true}
	case "atomic":
		return &Node{Kind: Atomic}
	case "sr", "script_run", "asr", "atomic_script_run":
		return &Node{Kind: NonCapture, Lit: "*" + word}
	}
	return nil
}

func isVerb(word string) bool {
	switch word {
	case "", "ACCEPT", "FAIL", "F", "COMMIT", "PRUNE", "SKIP", "THEN", "MARK":
		return true
	}
	return false
}

// isStartOption: the settings PCRE2 accepts only at the very start.
func isStartOption(word string) bool {
	for _, pre := range []string{"LIMIT_MATCH=", "LIMIT_DEPTH=", "LIMIT_HEAP=", "LIMIT_RECURSION="} {
		if strings.HasPrefix(word, pre) {
			return limitNumber(word[len(pre):])
		}
	}
	switch word {
	case "UTF", "UTF8", "UCP", "NOTEMPTY", "NOTEMPTY_ATSTART", "NO_AUTO_POSSESS",
		"NO_DOTSTAR_ANCHOR", "NO_JIT", "NO_START_OPT", "CR", "LF", "CRLF", "ANYCRLF",
		"ANY", "NUL", "BSR_ANYCRLF", "BSR_UNICODE":
		return true
	}
	return false
}

// limitNumber reports whether s is a number PCRE2 takes in (*LIMIT_..=n):
// digits, stopping short of where one more digit could overflow 32 bits.
func limitNumber(s string) bool {
	c := uint32(0)
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) || c > 0xffffffff/10-1 {
			return false
		}
		c = c*10 + uint32(s[i]-'0')
	}
	return s != ""
}

// callout reads (?C), (?Cn) with n up to 255, and (?C"text") with one of
// the delimiters ` ' " ^ % # $ or {...}, a doubled end delimiter standing
// for itself, as PCRE2 reads them.
func (p *parser) callout(start int) *Node {
	p.pos++ // 'C'
	if p.eof() {
		p.fail(start, "missing closing parenthesis")
	}
	if c := p.src[p.pos]; c != ')' && !isDigit(c) {
		i := strings.IndexByte("`'\"^%#${", c)
		if i < 0 {
			p.fail(p.pos, "unrecognized string delimiter follows (?C")
		}
		end := "`'\"^%#$}"[i]
		from := p.pos
		for {
			p.pos++
			if p.eof() {
				p.fail(from, "missing terminating delimiter for callout with string argument")
			}
			if p.src[p.pos] == end {
				p.pos++
				if p.eof() || p.src[p.pos] != end {
					break
				}
			}
		}
	} else {
		n := 0
		for !p.eof() && isDigit(p.src[p.pos]) {
			if n = n*10 + int(p.src[p.pos]-'0'); n > 255 {
				p.fail(p.pos, "number after (?C is greater than 255")
			}
			p.pos++
		}
	}
	if p.eof() || p.src[p.pos] != ')' {
		p.fail(start, "closing parenthesis for (?C expected")
	}
	p.pos++
	return &Node{Kind: Verb, Offset: start, End: p.pos, Lit: p.src[start+1 : p.pos-1]}
}

// options parses (?imnsxJU-imnsx), (?^) and the (?flags:...) group.
func (p *parser) options(start int) (*Node, bool) {
	opt := p.opt
	on := true
	hyphenOK := true // one '-', and none after a leading '^'
	if !p.eof() && p.src[p.pos] == '^' {
		p.pos++
		opt.caseless, opt.multiline, opt.noAutoCapture, opt.dotall, opt.extended, opt.extra = false, false, false, false, false, false
		hyphenOK = false
	}
	for ; !p.eof(); p.pos++ {
		c := p.src[p.pos]
		switch c {
		case 'i':
			opt.caseless = on
		case 'm':
			opt.multiline = on
		case 'n':
			opt.noAutoCapture = on
		case 's':
			opt.dotall = on
		case 'x':
			opt.extended = on
			if p.pos+1 < len(p.src) && p.src[p.pos+1] == 'x' {
				opt.extra = on
				p.pos++
			} else if !on {
				opt.extra = false
			}
		case 'J':
			opt.dupnames = on
		case 'U':
			opt.ungreedy = on
		case '-':
			if !hyphenOK {
				p.fail(p.pos, "invalid hyphen in option setting")
			}
			on, hyphenOK = false, false
		case ')':
			p.pos++
			p.opt = opt
			return &Node{Kind: Flags, Offset: start, End: p.pos, Lit: p.src[start+2 : p.pos-1]}, false
		case ':':
			p.pos++
			n := &Node{Kind: NonCapture, Lit: p.src[start+2 : p.pos-1]}
			saved := p.opt
			p.opt = opt
			p.body(start, n, false)
			p.opt = saved
			return n, true
		default:
			p.fail(p.pos, "unrecognized character after (? or (?-")
		}
	}
	p.fail(start, "missing closing parenthesis")
	return nil, false
}

// conditional parses (?(condition)yes|no) from its second '('.
func (p *parser) conditional(start int) *Node {
	cstart := p.pos
	p.pos++
	var cond *Node
	if p.peekIs("?*") || p.peekIs("?<*") {
		p.fail(cstart, "assertion expected after (?( or (?(?C)")
	}
	if p.peekIs("?=") || p.peekIs("?!") || p.peekIs("?<=") || p.peekIs("?<!") || p.peekIs("*") {
		for _, w := range []string{"*napla:", "*naplb:", "*non_atomic_positive_look"} {
			if p.peekIs(w) {
				p.fail(cstart, "atomic assertion expected after (?( or (?(?C)")
			}
		}
		p.pos = cstart
		n, _ := p.group()
		if n.Kind != Lookaround {
			p.fail(cstart, "assertion expected after (?( or (?(?C)")
		}
		cond = n
	} else {
		cond = p.condition(cstart)
	}
	n := &Node{Kind: Conditional}
	p.body(start, n, false)
	if len(n.Sub) > 2 {
		p.fail(start, "conditional subpattern contains more than two branches")
	}
	if cond.Lit == "DEFINE" && len(n.Sub) > 1 {
		p.fail(start, "DEFINE subpattern contains more than one branch")
	}
	n.Sub = append([]*Node{cond}, n.Sub...)
	return n
}

// condition reads a reference condition: (1) (+1) (<name>) ('name') (R)
// (R1) (R&name) (DEFINE) or a bare name.
func (p *parser) condition(cstart int) *Node {
	n := &Node{Kind: Condition, Offset: cstart}
	if p.eof() {
		p.fail(cstart, "missing closing parenthesis")
	}
	c := p.src[p.pos]
	switch {
	case isDigit(c) || c == '+' || c == '-':
		n.Cap = p.digits(cstart)
		p.ref(n)
	case c == '<' || c == '\'':
		p.pos++
		n.Name = p.name(closer(c))
		p.ref(n)
	case p.peekIs("R&"):
		p.pos += 2
		n.Name = p.bareName()
		p.ref(n)
	case p.peekIs("DEFINE)"):
		p.pos += len("DEFINE")
	case p.peekIs("VERSION") && !p.peekIs("VERSION)"):
		p.version(cstart)
	case c == 'R':
		p.pos++
		num := 0
		for !p.eof() && isDigit(p.src[p.pos]) {
			num = min(num*10+int(p.src[p.pos]-'0'), 1<<20)
			p.pos++
		}
		switch {
		case !p.peekIs(")"): // a group name that starts with R
			p.pos = cstart + 1
			n.Name = p.bareName()
			p.ref(n)
		case p.pos > cstart+2:
			// (?(R2)...): a group named R2 if there is one, else a
			// recursion test of group 2, which must exist
			if num > 65535 {
				p.fail(p.pos, "subpattern number is too big")
			}
			p.rnums = append(p.rnums, rnum{n, p.src[cstart+1 : p.pos], num})
		}
	default:
		n.Name = p.bareName()
		p.ref(n)
	}
	if !p.peekIs(")") {
		p.fail(p.pos, "malformed number or name after (?(")
	}
	p.pos++
	n.End = p.pos
	n.Lit = p.src[cstart+1 : p.pos-1]
	return n
}

// version reads the VERSION>=10.3 or VERSION=10 of a version condition,
// leaving p.pos on the ')'.
func (p *parser) version(cstart int) {
	p.pos += len("VERSION")
	if p.peekIs(">") {
		p.pos++
	}
	if !p.peekIs("=") {
		p.fail(cstart, "syntax error or number too big in (?(VERSION condition")
	}
	p.pos++
	digits := func(most int) int {
		d := p.pos
		for !p.eof() && isDigit(p.src[p.pos]) && p.pos-d < most {
			p.pos++
		}
		return p.pos - d
	}
	// the major number is read as read_number reads it: any digits, up
	// to the value 1000
	major, ok := 0, false
	for !p.eof() && isDigit(p.src[p.pos]) {
		major = major*10 + int(p.src[p.pos]-'0')
		if major > 1000 {
			p.fail(cstart, "syntax error or number too big in (?(VERSION condition")
		}
		p.pos++
		ok = true
	}
	if ok && p.peekIs(".") {
		p.pos++
		ok = digits(2) > 0
	}
	if !ok || !p.peekIs(")") {
		p.fail(cstart, "syntax error or number too big in (?(VERSION condition")
	}
}

// bareName reads a name up to a ')', which it leaves unread.
func (p *parser) bareName() string {
	n := p.name(')')
	p.pos--
	return n
}

// rnum is a (?(Rdigits)...) condition: its node, the name as written and
// the number.
type rnum struct {
	n    *Node
	name string
	num  int
}

// resolve points each reference at its group and rejects references to
// groups that do not exist.
func (p *parser) resolve(root *Node) {
	for _, r := range p.rnums {
		if i, ok := p.names[r.name]; ok {
			r.n.Name, r.n.Cap, r.n.Target = r.name, i, p.groups[i-1]
		} else if r.num > p.caps {
			p.fail(r.n.Offset, "reference to non-existent subpattern")
		}
	}
	for _, n := range p.refs {
		if n.Name != "" {
			i, ok := p.names[n.Name]
			if !ok {
				p.fail(n.Offset, "reference to non-existent subpattern")
			}
			n.Cap = i
		}
		switch {
		case n.Kind == Call && (n.Lit == "R" || n.Cap == 0):
			n.Target = root // (?R), (?0), \g<0>: the whole pattern
		case n.Cap == 0 || n.Cap > p.caps:
			p.fail(n.Offset, "reference to non-existent subpattern")
		default:
			n.Target = p.groups[n.Cap-1]
		}
	}
}

// countGroups estimates the number of capturing groups before parsing,
// which PCRE needs to read \10 and above. Escapes and classes are skipped
// roughly; the estimate only decides backreference against octal.
func countGroups(s string) int {
	n := 0
	inClass := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			i++
		case inClass:
			inClass = c != ']'
		case c == '[':
			inClass = true
			if i+1 < len(s) && s[i+1] == ']' {
				i++
			}
		case c == '(':
			rest := s[i+1:]
			if !strings.HasPrefix(rest, "?") && !strings.HasPrefix(rest, "*") ||
				strings.HasPrefix(rest, "?<") && !strings.HasPrefix(rest, "?<=") && !strings.HasPrefix(rest, "?<!") && !strings.HasPrefix(rest, "?<*") ||
				strings.HasPrefix(rest, "?'") || strings.HasPrefix(rest, "?P<") {
				n++
			}
		}
	}
	return n
}

// escape parses a backslash sequence outside a class.
func (p *parser) escape() (*Node, bool) {
	start := p.pos
	p.pos++
	if p.eof() {
		p.fail(start, `\ at end of pattern`)
	}
	c := p.src[p.pos]
	zero := func(k NodeKind, neg bool) (*Node, bool) {
		p.pos++
		return &Node{Kind: k, Offset: start, End: p.pos, Negated: neg}, false
	}
	switch c {
	case 'b', 'B':
		return zero(WordBoundary, c == 'B')
	case 'A':
		return zero(StartText, false)
	case 'z':
		return zero(EndText, false)
	case 'Z':
		return zero(EndTextNL, false)
	case 'G':
		return zero(StartMatch, false)
	case 'K':
		return zero(ResetStart, false)
	case 'N':
		p.pos++
		if p.peekIs("{U+") {
			return p.literal(start, p.codePoint(start)), true
		}
		if !p.eof() && p.src[p.pos] == '{' && !p.quantifierAhead() {
			p.fail(start, `PCRE2 does not support \F, \L, \l, \N{name}, \U, or \u`)
		}
		return &Node{Kind: Any, Offset: start, End: p.pos}, true
	case 'C', 'X':
		p.pos++
		return &Node{Kind: Any, Offset: start, End: p.pos, DotAll: true}, true
	case 'R':
		p.pos++
		return p.classNode(start, verticalSpace(p.maxChar()), false), true
	case 'g':
		return p.gEscape(start), true
	case 'k':
		p.pos++
		if p.eof() || (p.src[p.pos] != '<' && p.src[p.pos] != '\'' && p.src[p.pos] != '{') {
			p.fail(start, `\k is not followed by a braced, angle-bracketed, or quoted name`)
		}
		open := p.src[p.pos]
		p.pos++
		term := closer(open)
		if open == '{' {
			term = '}'
		}
		n := p.name(term)
		return p.ref(&Node{Kind: Backref, Offset: start, End: p.pos, Name: n}), true
	}
	if isDigit(c) && c != '0' {
		d := p.pos
		for !p.eof() && isDigit(p.src[p.pos]) {
			p.pos++
		}
		n := atoiCap(p.src[d:p.pos])
		// \8 and \9 cannot start an octal escape. PCRE2 reads the number
		// with a bound of its own (INT_MAX/10-1); past it, the digits are
		// not a reference but characters.
		huge := p.pos-d > 9 || p.pos-d == 9 && p.src[d:p.pos] > "214748363"
		if !huge && (n < 10 || c == '8' || c == '9' || n <= p.total) {
			if n > maxGroup {
				p.fail(start, "subpattern number is too big")
			}
			return p.ref(&Node{Kind: Backref, Offset: start, End: p.pos, Cap: n}), true
		}
		p.pos = d // not a reference: an octal escape, read below
	}
	if set, neg, ok := p.setEscape(start); ok {
		return p.classNode(start, set, neg), true
	}
	r := p.charEscape(start, false)
	return p.literal(start, r), true
}

// gEscape parses \g{n} \gn \g{-n} \g{name} (references) and \g<..> \g'..'
// (subroutine calls).
func (p *parser) gEscape(start int) *Node {
	p.pos++ // 'g'
	if p.eof() {
		p.fail(start, `\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number`)
	}
	c := p.src[p.pos]
	kind := Backref
	var term byte
	switch c {
	case '{':
		term = '}'
	case '<', '\'':
		kind, term = Call, closer(c)
	default:
		if isDigit(c) || (c == '-' || c == '+') && p.pos+1 < len(p.src) && isDigit(p.src[p.pos+1]) {
			n := &Node{Kind: Backref, Offset: start}
			n.Cap = p.digits(start)
			n.End = p.pos
			return p.ref(n)
		}
		p.fail(start, `\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number`)
	}
	p.pos++
	n := &Node{Kind: kind, Offset: start}
	if !p.eof() && (isDigit(p.src[p.pos]) || p.src[p.pos] == '-' || p.src[p.pos] == '+') {
		n.Cap = p.number(start, term)
		p.pos++
	} else {
		n.Name = p.name(term)
	}
	n.End = p.pos
	return p.ref(n)
}

// maxChar is the largest character value: a byte unless (*UTF).
func (p *parser) maxChar() rune {
	if p.utf {
		return utf8.MaxRune
	}
	return 0xff
}

// charEscape reads an escape that stands for one character (p.pos after
// the backslash). Inside a class, digits are always octal and \b is a
// backspace.
func (p *parser) charEscape(start int, inClass bool) rune {
	c := p.src[p.pos]
	p.pos++
	switch c {
	case 'a':
		return 7
	case 'e':
		return 0x1b
	case 'f':
		return '\f'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'b':
		if inClass {
			return 8
		}
	case 'c':
		if p.eof() {
			p.fail(start, `\c at end of pattern`)
		}
		x := p.src[p.pos]
		if x < 0x20 || x > 0x7e {
			p.fail(start, `\c must be followed by a printable ASCII character`)
		}
		p.pos++
		if x >= 'a' && x <= 'z' {
			x -= 0x20
		}
		return rune(x ^ 0x40)
	case 'x':
		if !p.eof() && p.src[p.pos] == '{' {
			return p.braced(start, 16)
		}
		v := rune(0)
		for i := 0; i < 2 && !p.eof() && isHex(p.src[p.pos]); i++ {
			v = v*16 + hexVal(p.src[p.pos])
			p.pos++
		}
		return v
	case 'o':
		if p.eof() || p.src[p.pos] != '{' {
			p.fail(start, `missing opening brace after \o`)
		}
		return p.braced(start, 8)
	case '8', '9':
		return rune(c)
	}
	if c >= '0' && c <= '7' {
		v := rune(c - '0')
		for i := 0; i < 2 && !p.eof() && p.src[p.pos] >= '0' && p.src[p.pos] <= '7'; i++ {
			v = v*8 + rune(p.src[p.pos]-'0')
			p.pos++
		}
		if v > p.maxChar() {
			p.fail(start, `octal value is greater than \377 in 8-bit non-UTF-8 mode`)
		}
		return v
	}
	switch c {
	case 'L', 'l', 'U', 'u', 'F':
		p.fail(start, `PCRE2 does not support \F, \L, \l, \N{name}, \U, or \u`)
	}
	if c != '_' && isWord(c) { // a letter or digit with no meaning; \_ is "_"
		switch {
		case inClass && c == 'g': // no references in a class: a plain g
			return 'g'
		case inClass && c == 'N' && p.peekIs("{U+"):
			return p.codePoint(start)
		case inClass && c == 'N':
			p.fail(start, `\N is not supported in a class`)
		case inClass && strings.IndexByte("kzABCGKRXZ", c) >= 0:
			p.fail(start, "escape sequence is invalid in character class")
		}
		p.fail(start, `unrecognized character follows \`)
	}
	p.pos--
	return p.char()
}

// codePoint reads the {U+hhhh} of \N{U+hhhh} from the '{': a character
// by its Unicode code point, which PCRE2 takes in UTF mode only.
func (p *parser) codePoint(start int) rune {
	if !p.utf {
		p.fail(start, `\N{U+dddd} is supported only in Unicode (UTF) mode`)
	}
	p.pos += len("{U") // braced skips the '+' as it would a '{'
	return p.braced(start, 16)
}

// braced reads \x{...} or \o{...} from the '{'.
func (p *parser) braced(start int, base int) rune {
	p.pos++
	d := p.pos
	v := rune(0)
	for !p.eof() && p.src[p.pos] != '}' {
		c := p.src[p.pos]
		if base == 16 && !isHex(c) {
			p.fail(p.pos, "non-hex character in \\x{} (closing brace missing?)")
		}
		if base == 8 && (c < '0' || c > '7') {
			p.fail(p.pos, "non-octal character in \\o{} (closing brace missing?)")
		}
		if v <= utf8.MaxRune {
			v = v*rune(base) + hexVal(c)
		}
		p.pos++
	}
	if p.pos == d {
		p.fail(start, `digits missing in \x{} or \o{} or \N{U+}`)
	}
	if p.eof() {
		p.fail(start, "missing } after \\x{ or \\o{")
	}
	p.pos++
	if v > p.maxChar() {
		p.fail(start, `character code point value in \x{} or \o{} is too large`)
	}
	if p.utf && v >= 0xd800 && v <= 0xdfff { // a surrogate is not a character
		p.fail(start, "disallowed Unicode code point (>= 0xd800 && <= 0xdfff)")
	}
	return v
}

func isHex(c byte) bool { return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f') }

func hexVal(c byte) rune {
	if isDigit(c) {
		return rune(c - '0')
	}
	return rune(c|0x20-'a') + 10
}

func startsCaseless(root *Node) bool {
	n := root
	for n.Kind == Concat && len(n.Sub) > 0 {
		i := 0
		for i < len(n.Sub)-1 && n.Sub[i].Kind == Verb {
			i++
		}
		n = n.Sub[i]
	}
	if n.Kind != Flags {
		return false
	}
	on := strings.SplitN(strings.TrimPrefix(n.Lit, "^"), "-", 2)[0]
	return strings.Contains(on, "i")
}

// anchoredAt reports whether every way through n begins (start) or ends
// (!start) with an anchor to the subject's edge.
func anchoredAt(n *Node, start bool) bool {
	switch n.Kind {
	case Start:
		return start && !n.Multiline
	case StartText:
		return start
	case End:
		return !start && !n.Multiline
	case EndText, EndTextNL:
		return !start
	case Group, NonCapture, Atomic:
		return anchoredAt(n.Sub[0], start)
	case Repeat:
		return n.Min >= 1 && anchoredAt(n.Sub[0], start)
	case Alternate:
		for _, s := range n.Sub {
			if !anchoredAt(s, start) {
				return false
			}
		}
		return true
	case Concat:
		// options, verbs and lookarounds do not consume: look past them
		if start {
			for _, s := range n.Sub {
				if !inert(s) {
					return anchoredAt(s, start)
				}
			}
		} else {
			for i := len(n.Sub) - 1; i >= 0; i-- {
				if !inert(n.Sub[i]) {
					return anchoredAt(n.Sub[i], start)
				}
			}
		}
	}
	return false
}

func inert(n *Node) bool {
	return n.Kind == Flags || n.Kind == Verb || n.Kind == Lookaround || n.Kind == Empty
}
