// Package pcre parses the regular expressions nginx hands to PCRE (PCRE2
// since nginx 1.21.5) and answers the questions rules ask of them: how many
// captures and which names, whether the match is anchored, what characters
// a match can contain, and which loops backtrack exponentially.
//
// Go's regexp/syntax rejects PCRE constructs that nginx configurations use
// (lookarounds, atomic groups, possessive quantifiers, backreferences), so
// this is a parser of its own. It follows PCRE2 10.42 in 8-bit non-UTF mode,
// the way nginx compiles: where PCRE's verdict depends on build options or
// on the PCRE version, it accepts rather than rejects.
//
// # API
//
//   - Parse(pattern, caseInsensitive) returns a *Regex or an *Error. The
//     pattern is the argument's value as nginx sees it (quotes removed,
//     nginx's own escapes resolved, the ~ or ~* operator stripped);
//     caseInsensitive is true for ~*, ~* map keys and server_name regexes.
//   - Error.Offset is the byte offset in the pattern of the construct
//     PCRE2 rejects (usually where it starts; PCRE2 itself often reports
//     the byte after it). In analyzer/nginx, Regexes(d) lists a
//     directive's patterns and RegexArg.Span(e.Offset, e.Offset+1) is the
//     offending character in the file, through quotes and escapes.
//   - Regex.Captures and Regex.Names: $1..$n and the named groups that
//     become nginx variables; Regex.Group(i) is the group's node.
//   - Regex.AnchoredStart, Regex.AnchoredEnd: ^ or \A on every top-level
//     alternative, $ \z or \Z at the end of every one (not under (?m)).
//   - Regex.CanMatch(set) and Node.CanMatch(set): whether a match (or what
//     a group captures) can contain one of the characters, e.g. Newline or
//     Slash for a value that ends up in a header or a path.
//   - Regex.NestedQuantifiers(): the loops that can backtrack
//     exponentially, for a ReDoS rule; each a Repeat node with its span.
//   - Regex.VaryingLookbehinds: lookbehinds that only PCRE2 10.43 and
//     later compile.
//   - Regex.Walk and Node fields (Kind, Offset, End, Sub, ...) for anything
//     else; every node's [Offset, End) lies within its parent's.
//
// # Limits
//
//   - The aim is an error exactly when PCRE2 refuses the pattern. This is
//     checked against PCRE2 itself: nginx -t compiles the tables' forms
//     and the corpus and refuses the error cases; grep -P judges the error
//     cases and FuzzPCRE2's fuzzed patterns (and the rest without nginx). Where the verdict depends on PCRE2's
//     version, the parser accepts (see VaryingLookbehinds).
//   - Unicode property names (\p{..}) are read as PCRE2 10.42 reads them,
//     from its own property table (properties_gen.go), with the names a
//     newer PCRE2 adds accepted too (see NewerProperties). What they match
//     comes from Go's Unicode tables; one Go lacks (bidi classes, derived
//     properties) matches anything. Without (*UTF), case folding pairs
//     ASCII letters only, as PCRE's default tables do.
//   - \K inside a lookaround is accepted (PCRE2 10.38 and later refuse it
//     by default).
//   - CanMatch over-approximates: it looks at each consuming item, not at
//     whether the rest of the pattern can match around it.
//   - NestedQuantifiers finds exponential, not polynomial, backtracking
//     (.*a.*a.*a is not reported). It gives up, reporting nothing, on a
//     loop holding backreferences, subroutine calls, conditionals, atomic
//     groups or possessive quantifiers, on more than 128 consuming items in
//     one loop, and past fixed work budgets; lookarounds and anchors count
//     as always holding, which can over-report.
//   - Callouts and backtracking verbs are kept as Verb nodes and have no
//     effect on the answers.
package pcre

import "fmt"

// NodeKind tells what a Node is.
type NodeKind int

// Node kinds.
const (
	Empty        NodeKind = iota // matches the empty string
	Literal                      // one character: Rune (Lit is its UTF-8 text)
	Class                        // a set of characters: Ranges; [..], \d, \w, \s, \p{..}, \R ...
	Any                          // '.', \N, \C, \X: any character (DotAll says whether newline too)
	Start                        // ^ (Multiline: also after each newline)
	End                          // $ (end, or before a final newline; Multiline: before each newline)
	StartText                    // \A
	EndText                      // \z
	EndTextNL                    // \Z (end, or before a final newline)
	StartMatch                   // \G
	WordBoundary                 // \b, or \B when Negated
	ResetStart                   // \K
	Group                        // capturing group: Cap, Name
	NonCapture                   // (?:..), (?flags:..), (?|..) (Lit "?|")
	Lookaround                   // (?=..) (?!..) (?<=..) (?<!..): Behind, Negated
	Atomic                       // (?>..)
	Concat                       // Sub in order
	Alternate                    // Sub are the branches
	Repeat                       // Sub[0] repeated Min..Max times (Max -1: unbounded)
	Backref                      // \1, \k<n>, (?P=n): Cap (resolved), Name
	Call                         // subroutine call or recursion: (?1) (?&n) (?R) \g<1>: Cap, Name
	Conditional                  // (?(cond)yes|no): Sub[0] condition, Sub[1] yes, Sub[2] no (optional)
	Condition                    // the condition of a Conditional that is not an assertion: Lit
	Flags                        // a bare option setting such as (?i) or (?-s): Lit is the letters
	Verb                         // (*VERB), (*UTF), (*MARK:x): Lit is the text between ( and )
)

var kindNames = [...]string{
	"Empty", "Literal", "Class", "Any", "Start", "End", "StartText", "EndText", "EndTextNL",
	"StartMatch", "WordBoundary", "ResetStart", "Group", "NonCapture", "Lookaround", "Atomic",
	"Concat", "Alternate", "Repeat", "Backref", "Call", "Conditional", "Condition", "Flags",
	"Verb",
}

func (k NodeKind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("NodeKind(%d)", int(k))
}

// Range is an inclusive range of characters.
type Range struct{ Lo, Hi rune }

// Node is one element of the syntax tree. Offset and End are byte offsets
// into Regex.Source (End exclusive).
type Node struct {
	Kind        NodeKind
	Offset, End int
	Sub         []*Node

	// Repeat.
	Min, Max   int
	Lazy       bool
	Possessive bool

	// Group, Backref, Call, Condition: the capture index (1-based,
	// relative references made absolute; 0 for a call of the whole
	// pattern, (?R) or (?0)) and the name, if any.
	Cap  int
	Name string

	// Literal: the character and its text; other kinds: see NodeKind.
	Rune rune
	Lit  string

	// Class: the characters matched, sorted, merged, with case folding
	// and negation already applied. Negated records that the source said
	// [^..], \D, \P{..} and the like.
	Ranges  []Range
	Negated bool
	// Literal, Class: the match ignores case ((?i) or the caller's flag).
	Fold bool
	// Any: also matches a newline ((?s), \C, \X).
	DotAll bool
	// Start, End: (?m) was in effect.
	Multiline bool
	// Lookaround: a lookbehind (otherwise a lookahead).
	Behind bool
	// Backref, Call, Condition: the group referred to (for (?R) the whole
	// pattern); nil when unknown.
	Target *Node
}

// Regex is a parsed pattern.
type Regex struct {
	Source string
	Root   *Node
	// Captures is the number of capturing groups ($1 .. $Captures).
	Captures int
	// Names maps each named group to its capture index (1-based).
	Names map[string]int
	// AnchoredStart: every top-level alternative begins with ^ or \A, so a
	// match starts at the start of the subject.
	AnchoredStart bool
	// AnchoredEnd: every top-level alternative ends with $, \z or \Z.
	AnchoredEnd bool
	// CaseInsensitive: the caller asked for it (~*, ~* in map ...) or the
	// pattern starts with (?i).
	CaseInsensitive bool
	// VaryingLookbehinds are the lookbehinds with a branch whose length
	// varies within a bound, such as (?<=\d{1,3}) or (?<=(a|bc)). PCRE2
	// 10.43 and later accept them; 10.42 and earlier (Debian 12, Ubuntu
	// 24.04) refuse the pattern with "lookbehind assertion is not fixed
	// length". An unbounded branch is an Error in every version.
	VaryingLookbehinds []*Node
	// NewerProperties are the offsets of the \p and \P items whose name
	// PCRE2 10.42 does not know and a later release does (\p{Kawi},
	// Unicode 15): whether nginx compiles them depends on its PCRE2.
	NewerProperties []int

	groups []*Node // capturing groups by index-1 (first one seen for branch resets)
}

// Error is a pattern PCRE would refuse to compile.
type Error struct {
	// Offset is the byte offset in the pattern of the construct at fault.
	Offset int
	Msg    string
}

func (e *Error) Error() string { return fmt.Sprintf("at offset %d: %s", e.Offset, e.Msg) }

// Walk calls fn for each node in depth-first order, parents before
// children; when fn returns false the node's children are skipped.
func (r *Regex) Walk(fn func(*Node) bool) {
	if r != nil {
		r.Root.Walk(fn)
	}
}

// Walk is Regex.Walk from n down.
func (n *Node) Walk(fn func(*Node) bool) {
	if n == nil || !fn(n) {
		return
	}
	for _, s := range n.Sub {
		s.Walk(fn)
	}
}

// Group returns capturing group i (1-based), or nil. Under a branch reset
// (?|..) several groups share an index; the first one is returned.
func (r *Regex) Group(i int) *Node {
	if r == nil || i < 1 || i > len(r.groups) {
		return nil
	}
	return r.groups[i-1]
}

// Captures parses pattern (case-sensitively) and returns its number of
// capturing groups and its named groups.
func Captures(pattern string) (n int, names map[string]int, err error) {
	r, err := Parse(pattern, false)
	if err != nil {
		return 0, nil, err
	}
	return r.Captures, r.Names, nil
}
