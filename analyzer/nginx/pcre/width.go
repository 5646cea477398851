package pcre

// Lookbehinds: PCRE2 needs to know how far back each branch of a
// lookbehind starts. Before 10.43 every branch must have one fixed length;
// since 10.43 a branch may vary within a bound (255 characters by
// default). A branch of unbounded length is refused by every version.

// maxLookbehind is PCRE2's default bound on a variable-length branch.
const maxLookbehind = 255

// width is the least and the greatest number of characters a node can
// match; max is -1 when unbounded. unknown: a reference to an
// unresolved group leaves it open.
type width struct {
	min, max int
	unknown  bool
	// varies: a repeat with a choice of counts, which PCRE2 10.42 counts
	// as varying even when what it repeats is empty
	varies bool
}

// widthCap keeps sums and products of large counted repeats from
// overflowing; it is far above any length the checks compare with.
const widthCap = 1 << 24

func addWidth(a, b width) width {
	w := width{min: min(a.min+b.min, widthCap), unknown: a.unknown || b.unknown, varies: a.varies || b.varies}
	if a.max < 0 || b.max < 0 {
		w.max = -1
	} else {
		w.max = min(a.max+b.max, widthCap)
	}
	return w
}

// either is the width of a choice between a and b.
func either(a, b width) width {
	w := width{min: min(a.min, b.min), max: a.max, unknown: a.unknown || b.unknown, varies: a.varies || b.varies}
	if a.max >= 0 && (b.max < 0 || b.max > a.max) {
		w.max = b.max
	}
	return w
}

// widther computes widths inside one lookbehind.
type widther struct {
	src     string          // the pattern: \X and \R can match more than one character
	lb      *Node           // the lookbehind
	calling map[*Node]bool  // groups being entered through calls
	done    map[*Node]width // groups measured already: calls can fan out
}

// of computes the width of n.
func (w *widther) of(n *Node) width {
	switch n.Kind {
	case Literal:
		return width{min: 1, max: 1}
	case Class:
		if w.src[n.Offset:n.End] == `\R` { // \r\n counts as one match of \R
			return width{min: 1, max: 2}
		}
		return width{min: 1, max: 1}
	case Any:
		if w.src[n.Offset:n.End] == `\X` { // a grapheme cluster: any length
			return width{min: 1, max: -1}
		}
		return width{min: 1, max: 1}
	case Group, NonCapture, Atomic:
		return w.of(n.Sub[0])
	case Concat:
		sum := width{}
		for _, s := range n.Sub {
			sum = addWidth(sum, w.of(s))
		}
		return sum
	case Alternate:
		alt := w.of(n.Sub[0])
		for _, s := range n.Sub[1:] {
			alt = either(alt, w.of(s))
		}
		return alt
	case Conditional:
		// PCRE2 measures a group by its written branches: an absent
		// no-branch (which matches the empty string) is not one of them
		if len(n.Sub) > 2 {
			return either(w.of(n.Sub[1]), w.of(n.Sub[2]))
		}
		return w.of(n.Sub[1])
	case Repeat:
		if n.Sub[0].Kind == Lookaround {
			// a repeated assertion is still one, but PCRE2 10.42 counts a
			// lookbehind with a choice of counts as varying
			return width{varies: n.Sub[0].Behind && n.Min != n.Max}
		}
		b := w.of(n.Sub[0])
		r := width{min: min(b.min*n.Min, widthCap), unknown: b.unknown, varies: b.varies || n.Min != n.Max}
		switch {
		case n.Max < 0:
			r.max = -1 // even of an empty group
		case n.Max == 0 || b.max == 0:
			r.max = 0
		case b.max < 0:
			r.max = -1
		default:
			r.max = min(b.max*n.Max, widthCap)
		}
		return r
	case Backref, Call: // a backreference matches what its group matched
		t := n.Target
		if t == nil {
			return width{unknown: true}
		}
		// a group that holds the lookbehind, or one already being
		// entered, recurses: no bound on the length
		if w.calling[t] || t.Offset <= w.lb.Offset && w.lb.End <= t.End {
			return width{max: -1}
		}
		if r, ok := w.done[t]; ok {
			return r
		}
		w.calling[t] = true
		r := w.of(t)
		delete(w.calling, t)
		w.done[t] = r
		return r
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
		ws := &widther{src: p.src, lb: n, calling: map[*Node]bool{}, done: map[*Node]width{}}
		vary := false
		for _, b := range branches {
			w := ws.of(b)
			switch {
			case w.unknown:
			case w.max < 0, w.max != w.min && w.max > maxLookbehind:
				p.fail(n.Offset, "lookbehind assertion is not fixed length")
			case w.max != w.min || w.varies:
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
