package pcre

// Lookbehinds: PCRE2 needs to know how far back each branch of a
// lookbehind starts. Before 10.43 every branch must have one fixed length;
// since 10.43 a branch may vary within a bound (255 characters by
// default). A branch of unbounded length is refused by every version.

// maxLookbehind is PCRE2's default bound on a variable-length branch.
const maxLookbehind = 255

// width is the least and the greatest number of characters a node can
// match; max is -1 when unbounded. unknown: a backreference or a
// recursive call makes it depend on the subject.
type width struct {
	min, max int
	unknown  bool
}

// widthCap keeps sums and products of large counted repeats from
// overflowing; it is far above any length the checks compare with.
const widthCap = 1 << 24

func addWidth(a, b width) width {
	w := width{min: min(a.min+b.min, widthCap), unknown: a.unknown || b.unknown}
	if a.max < 0 || b.max < 0 {
		w.max = -1
	} else {
		w.max = min(a.max+b.max, widthCap)
	}
	return w
}

// either is the width of a choice between a and b.
func either(a, b width) width {
	w := width{min: min(a.min, b.min), max: a.max, unknown: a.unknown || b.unknown}
	if a.max >= 0 && (b.max < 0 || b.max > a.max) {
		w.max = b.max
	}
	return w
}

// widthOf computes the width of n; src is the pattern, to tell \X and \R
// (which can match more than one character) from other items.
func widthOf(n *Node, src string, calling map[*Node]bool) width {
	switch n.Kind {
	case Literal:
		return width{min: 1, max: 1}
	case Class:
		if src[n.Offset:n.End] == `\R` { // \r\n counts as one match of \R
			return width{min: 1, max: 2}
		}
		return width{min: 1, max: 1}
	case Any:
		if src[n.Offset:n.End] == `\X` { // a grapheme cluster: any length
			return width{min: 1, max: -1}
		}
		return width{min: 1, max: 1}
	case Group, NonCapture, Atomic:
		return widthOf(n.Sub[0], src, calling)
	case Concat:
		w := width{}
		for _, s := range n.Sub {
			w = addWidth(w, widthOf(s, src, calling))
		}
		return w
	case Alternate:
		w := widthOf(n.Sub[0], src, calling)
		for _, s := range n.Sub[1:] {
			w = either(w, widthOf(s, src, calling))
		}
		return w
	case Conditional:
		no := width{} // an absent no-branch matches the empty string
		if len(n.Sub) > 2 {
			no = widthOf(n.Sub[2], src, calling)
		}
		return either(widthOf(n.Sub[1], src, calling), no)
	case Repeat:
		b := widthOf(n.Sub[0], src, calling)
		w := width{min: min(b.min*n.Min, widthCap), unknown: b.unknown}
		switch {
		case n.Max == 0 || b.max == 0:
			w.max = 0
		case n.Max < 0 || b.max < 0:
			w.max = -1
		default:
			w.max = min(b.max*n.Max, widthCap)
		}
		return w
	case Backref:
		return width{unknown: true}
	case Call:
		if n.Target == nil || calling[n.Target] {
			return width{unknown: true}
		}
		calling[n.Target] = true
		w := widthOf(n.Target, src, calling)
		delete(calling, n.Target)
		return w
	}
	// anchors, assertions, lookarounds, options, verbs: zero width
	return width{}
}

// checkLookbehinds refuses a lookbehind with a branch of unbounded length,
// or of varying length above maxLookbehind, and returns those whose
// branches vary within the bound (accepted by PCRE2 10.43 and later only).
func (p *parser) checkLookbehinds(root *Node) []*Node {
	var varying []*Node
	root.Walk(func(n *Node) bool {
		if n.Kind != Lookaround || !n.Behind {
			return true
		}
		branches := n.Sub
		if len(n.Sub) == 1 && n.Sub[0].Kind == Alternate {
			branches = n.Sub[0].Sub
		}
		vary := false
		for _, b := range branches {
			w := widthOf(b, p.src, map[*Node]bool{})
			switch {
			case w.unknown:
			case w.max < 0, w.max != w.min && w.max > maxLookbehind:
				p.fail(n.Offset, "lookbehind assertion is not fixed length")
			case w.max != w.min:
				vary = true
			}
		}
		if vary {
			varying = append(varying, n)
		}
		return true
	})
	return varying
}
