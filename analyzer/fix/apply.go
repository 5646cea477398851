// Package fix applies findings' fixes as byte-range edits on the original
// text, renders the change as a unified diff, and writes files atomically.
package fix

import (
	"fmt"
	"sort"

	"github.com/ngxlint/ngxlint/analyzer"
)

// Skipped is a fix that Apply left out, with the reason.
type Skipped struct {
	Index  int // position in the fixes given to Apply
	Reason string
}

// Apply applies fixes to src, all of whose edits must belong to this one
// file. Fixes are taken in order: a fix with an edit that overlaps an edit
// of a fix already taken, overlaps itself or lies outside src is skipped
// whole (half a fix can be worse than none), and said so in skipped. An
// edit that rewrites text to itself changes nothing, so Apply on its own
// output with the same fixes re-derived is a no-op.
func Apply(src []byte, fixes []*analyzer.Fix) (out []byte, applied []int, skipped []Skipped) {
	var taken changes // sorted by start, then end
	for i, fx := range fixes {
		if fx == nil || len(fx.Edits) == 0 {
			skipped = append(skipped, Skipped{i, "the fix has no edits"})
			continue
		}
		var mine changes
		reason := ""
		for _, e := range fx.Edits {
			s, t := e.Span.Start.Offset, e.Span.End.Offset
			if s < 0 || t < s || t > len(src) {
				reason = fmt.Sprintf("an edit [%d,%d) lies outside the file (%d bytes)", s, t, len(src))
				break
			}
			cand := change{s, t, e.NewText}
			o, ok, _ := taken.clash(cand)
			if !ok {
				o, ok, _ = mine.clash(cand)
			}
			if ok {
				reason = fmt.Sprintf("it overlaps another fix at bytes [%d,%d)", o.start, o.end)
				break
			}
			mine.insert(cand)
		}
		if reason != "" {
			skipped = append(skipped, Skipped{i, reason})
			continue
		}
		for _, e := range mine {
			taken.insert(e)
		}
		applied = append(applied, i)
	}
	// In that order an insertion at the start of a replaced range goes
	// before the replacement, whichever fix came first (in the order the
	// fixes came, such a pair once cut the text backwards and panicked).
	out = make([]byte, 0, len(src))
	at := 0
	for _, e := range taken {
		out = append(out, src[at:e.start]...)
		out = append(out, e.text...)
		at = e.end
	}
	out = append(out, src[at:]...)
	return out, applied, skipped
}

// change is one replacement of the bytes [start, end).
type change struct {
	start, end int
	text       string
}

type changes []change

// clash returns an edit of es that overlaps e, if one does, and how
// many edits it compared e with. es is sorted by start, then end, and
// holds no two edits that overlap, so only the edit before e's place and
// the few after it that start within e can: one that starts strictly
// inside e overlaps it, and the walk stops there. A file with thousands
// of fixes is checked in linear time, not each edit against every other.
func (es changes) clash(e change) (o change, ok bool, compared int) {
	i := es.place(e)
	if i > 0 {
		compared++
		if overlaps(e.start, e.end, es[i-1].start, es[i-1].end) {
			return es[i-1], true, compared
		}
	}
	for ; i < len(es) && es[i].start <= e.end; i++ {
		compared++
		if overlaps(e.start, e.end, es[i].start, es[i].end) {
			return es[i], true, compared
		}
	}
	return change{}, false, compared
}

// place is where e goes in es, sorted by start, then end.
func (es changes) place(e change) int {
	return sort.Search(len(es), func(i int) bool {
		return es[i].start > e.start || es[i].start == e.start && es[i].end >= e.end
	})
}

// insert adds e in its place; fixes come in file order, so it is mostly
// an append.
func (es *changes) insert(e change) {
	i := es.place(e)
	*es = append(*es, change{})
	copy((*es)[i+1:], (*es)[i:])
	(*es)[i] = e
}

// overlaps reports whether [a,b) and [c,d) conflict. Two ranges that
// merely touch do not; two insertions at the same offset do (their order
// would be arbitrary), as does an insertion strictly inside a range.
func overlaps(a, b, c, d int) bool {
	if a == b && c == d {
		return a == c
	}
	if a == b {
		return c < a && a < d
	}
	if c == d {
		return a < c && c < b
	}
	return a < d && c < b
}
