package pcre

import "unicode"

// CharSet is a set of characters a rule cares about, spelled as a string
// of those characters.
type CharSet string

// Character sets rules ask about.
const (
	Newline CharSet = "\r\n"
	Slash   CharSet = "/"
	Dot     CharSet = "."
)

// Matches reports whether a Literal, Class or Any node matches r; other
// kinds match no single character.
func (n *Node) Matches(r rune) bool {
	switch n.Kind {
	case Literal:
		if r == n.Rune {
			return true
		}
		if n.Fold {
			for o := unicode.SimpleFold(n.Rune); o != n.Rune; o = unicode.SimpleFold(o) {
				if o == r {
					return true
				}
			}
		}
	case Class:
		return inRanges(n.Ranges, r)
	case Any:
		return n.DotAll || r != '\n'
	}
	return false
}

// CanMatch reports whether some match of the pattern can contain a
// character of set. Text seen only by lookarounds is not part of a match
// and does not count. The answer over-approximates: it is true when any
// character-consuming item that can take part in a match accepts one of
// the characters, even if the rest of the pattern could never match
// around it.
func (r *Regex) CanMatch(set CharSet) bool {
	if r == nil {
		return false
	}
	return r.Root.CanMatch(set)
}

// CanMatch is Regex.CanMatch for the text n matches, for example a
// capturing group (Regex.Group) whose value a rule follows into $1.
// Backreferences and subroutine calls count with the group they name.
func (n *Node) CanMatch(set CharSet) bool {
	return canMatch(n, set, map[*Node]bool{})
}

func canMatch(n *Node, set CharSet, seen map[*Node]bool) bool {
	if n == nil || seen[n] {
		return false
	}
	seen[n] = true
	switch n.Kind {
	case Literal, Class, Any:
		for _, c := range set {
			if n.Matches(c) {
				return true
			}
		}
		return false
	case Lookaround:
		return false
	case Repeat:
		if n.Max == 0 {
			return false
		}
	case Conditional:
		// Sub[0] is the condition: a lookaround or a reference test
		for _, s := range n.Sub[1:] {
			if canMatch(s, set, seen) {
				return true
			}
		}
		return false
	case Backref, Call:
		return canMatch(n.Target, set, seen)
	}
	for _, s := range n.Sub {
		if canMatch(s, set, seen) {
			return true
		}
	}
	return false
}
