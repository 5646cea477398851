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
	type edit struct {
		start, end int
		text       string
	}
	var taken []edit
	for i, fx := range fixes {
		if fx == nil || len(fx.Edits) == 0 {
			skipped = append(skipped, Skipped{i, "the fix has no edits"})
			continue
		}
		var mine []edit
		reason := ""
		for _, e := range fx.Edits {
			s, t := e.Span.Start.Offset, e.Span.End.Offset
			if s < 0 || t < s || t > len(src) {
				reason = fmt.Sprintf("an edit [%d,%d) lies outside the file (%d bytes)", s, t, len(src))
				break
			}
			cand := edit{s, t, e.NewText}
			for _, o := range append(append([]edit{}, taken...), mine...) {
				if overlaps(cand.start, cand.end, o.start, o.end) {
					reason = fmt.Sprintf("it overlaps another fix at bytes [%d,%d)", o.start, o.end)
					break
				}
			}
			if reason != "" {
				break
			}
			mine = append(mine, cand)
		}
		if reason != "" {
			skipped = append(skipped, Skipped{i, reason})
			continue
		}
		taken = append(taken, mine...)
		applied = append(applied, i)
	}
	sort.SliceStable(taken, func(a, b int) bool { return taken[a].start < taken[b].start })
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
