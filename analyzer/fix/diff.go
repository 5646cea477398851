package fix

import (
	"fmt"
	"sort"
	"strings"
)

// Context is the number of unchanged lines a hunk shows around a change.
const Context = 3

// Diff returns a unified diff from old to new with Context lines of
// context, "--- a/name" / "+++ b/name" headers (as git writes them; no
// prefixes for an absolute name), or ""
// when the texts are equal. A last line without a newline is marked
// "\ No newline at end of file", as diff(1) does.
func Diff(name string, old, new []byte) string {
	if string(old) == string(new) {
		return ""
	}
	a, b := splitLines(string(old)), splitLines(string(new))
	ops := diffLines(a, b)
	var out strings.Builder
	if strings.HasPrefix(name, "/") {
		// An absolute path gets no a/ b/ prefixes (as git diff --no-index).
		fmt.Fprintf(&out, "--- %s\n+++ %s\n", name, name)
	} else {
		fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n", name, name)
	}
	for _, h := range hunks(ops) {
		writeHunk(&out, h, a, b)
	}
	return out.String()
}

// splitLines keeps each line's "\n", so that a missing final newline is a
// difference like any other.
func splitLines(s string) []string {
	var out []string
	for len(s) > 0 {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

type opKind byte

const (
	opEqual opKind = iota
	opDelete
	opInsert
)

// op is one line of the edit script: a[ai] kept or deleted, or b[bi]
// inserted.
type op struct {
	kind   opKind
	ai, bi int
}

// maxCost bounds the edit script myers searches for: the lines deleted
// plus the lines inserted. Its search keeps a row of progress per cost
// step, so a script of cost D takes about D² words (8 MB here); without
// the bound, reindenting a 15,000-line file took 14 GB and 47 seconds.
const maxCost = 1024

// maxDepth bounds how often diffLines splits a range at its anchors.
const maxDepth = 4

// diffLines returns an edit script from a to b: the shortest one (Myers)
// when it costs at most maxCost, else one found by splitting the texts at
// lines that occur once in each (the anchors of a patience diff) and
// diffing the pieces between them the same way, a piece without anchors
// being replaced whole. A fix or a reformatting that changes a few lines
// of a long file gets the shortest script; one that changes thousands gets
// a correct one in about linear time.
func diffLines(a, b []string) []op {
	var ops []op
	diffRange(a, b, 0, len(a), 0, len(b), 0, &ops)
	return ops
}

// diffRange appends the script from a[a0:a1] to b[b0:b1].
func diffRange(a, b []string, a0, a1, b0, b1, depth int, ops *[]op) {
	// A common prefix and suffix need no search.
	for a0 < a1 && b0 < b1 && a[a0] == b[b0] {
		*ops = append(*ops, op{opEqual, a0, b0})
		a0, b0 = a0+1, b0+1
	}
	suf := 0
	for suf < a1-a0 && suf < b1-b0 && a[a1-1-suf] == b[b1-1-suf] {
		suf++
	}
	a1, b1 = a1-suf, b1-suf
	if !myers(a, b, a0, a1, b0, b1, ops) {
		anchors := uniqueAnchors(a, b, a0, a1, b0, b1)
		if depth >= maxDepth || len(anchors) == 0 {
			for i := a0; i < a1; i++ {
				*ops = append(*ops, op{opDelete, i, b0})
			}
			for j := b0; j < b1; j++ {
				*ops = append(*ops, op{opInsert, a1, j})
			}
		} else {
			x, y := a0, b0
			for _, an := range anchors {
				diffRange(a, b, x, an[0], y, an[1], depth+1, ops)
				*ops = append(*ops, op{opEqual, an[0], an[1]})
				x, y = an[0]+1, an[1]+1
			}
			diffRange(a, b, x, a1, y, b1, depth+1, ops)
		}
	}
	for i := range suf {
		*ops = append(*ops, op{opEqual, a1 + i, b1 + i})
	}
}

// myers appends a shortest edit script from a[a0:a1] to b[b0:b1] (E.
// Myers, "An O(ND) Difference Algorithm and Its Variations", 1986), or
// appends nothing and returns false when every script costs more than
// maxCost.
func myers(a, b []string, a0, a1, b0, b1 int, ops *[]op) bool {
	ma, mb := a[a0:a1], b[b0:b1]
	n, m := len(ma), len(mb)
	max := n + m
	off := max + 1
	v := make([]int, 2*max+3)
	// trace[d] holds v as it stood before step d, for the diagonals
	// -d-1 to d+1, the only ones the walk back reads at that step.
	var trace [][]int
	found := false
	for d := 0; d <= max && !found; d++ {
		if d > maxCost {
			return false
		}
		trace = append(trace, append([]int(nil), v[off-d-1:off+d+2]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1] // down: an insertion
			} else {
				x = v[off+k-1] + 1 // right: a deletion
			}
			y := x - k
			for x < n && y < m && ma[x] == mb[y] {
				x, y = x+1, y+1
			}
			v[off+k] = x
			if x >= n && y >= m {
				found = true
				break
			}
		}
	}
	// Walk the trace back from (n, m) to (0, 0).
	var rev []op
	x, y := n, m
	for d := len(trace) - 1; d >= 0; d-- {
		vd := trace[d]
		at := func(k int) int { return vd[k+d+1] }
		k := x - y
		var prevK int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := at(prevK)
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x, y = x-1, y-1
			rev = append(rev, op{opEqual, a0 + x, b0 + y})
		}
		if d == 0 {
			break
		}
		if x == prevX {
			y--
			rev = append(rev, op{opInsert, a0 + x, b0 + y})
		} else {
			x--
			rev = append(rev, op{opDelete, a0 + x, b0 + y})
		}
	}
	for i := len(rev) - 1; i >= 0; i-- {
		*ops = append(*ops, rev[i])
	}
	return true
}

// uniqueAnchors returns the pairs of indexes (i, j) with a[i] == b[j] a
// line that occurs once in a[a0:a1] and once in b[b0:b1], the longest
// run of them that is in order on both sides (patience sorting).
func uniqueAnchors(a, b []string, a0, a1, b0, b1 int) [][2]int {
	type seen struct{ na, nb, i, j int }
	lines := make(map[string]*seen)
	for i := a0; i < a1; i++ {
		s := lines[a[i]]
		if s == nil {
			s = &seen{}
			lines[a[i]] = s
		}
		s.na++
		s.i = i
	}
	for j := b0; j < b1; j++ {
		if s := lines[b[j]]; s != nil {
			s.nb++
			s.j = j
		}
	}
	var pairs [][2]int
	for i := a0; i < a1; i++ {
		if s := lines[a[i]]; s.na == 1 && s.nb == 1 {
			pairs = append(pairs, [2]int{i, s.j})
		}
	}
	// The longest run increasing in j: tops[l] is the pair ending the
	// best run of length l+1 found so far, back[p] the pair before p.
	var tops []int
	back := make([]int, len(pairs))
	for p, pr := range pairs {
		l := sort.Search(len(tops), func(l int) bool { return pairs[tops[l]][1] >= pr[1] })
		back[p] = -1
		if l > 0 {
			back[p] = tops[l-1]
		}
		if l == len(tops) {
			tops = append(tops, p)
		} else {
			tops[l] = p
		}
	}
	if len(tops) == 0 {
		return nil
	}
	run := make([][2]int, len(tops))
	for p, l := tops[len(tops)-1], len(tops)-1; l >= 0; p, l = back[p], l-1 {
		run[l] = pairs[p]
	}
	return run
}

// hunks groups the script into runs of changes with up to Context equal
// lines either side; changes closer than 2*Context lines share a hunk.
func hunks(ops []op) [][]op {
	var out [][]op
	i := 0
	for i < len(ops) {
		// Find the next change.
		for i < len(ops) && ops[i].kind == opEqual {
			i++
		}
		if i == len(ops) {
			break
		}
		start := i - Context
		if start < 0 {
			start = 0
		}
		end := i
		for {
			for end < len(ops) && ops[end].kind != opEqual {
				end++
			}
			// end is at an equal line (or the end): count the run.
			run := end
			for run < len(ops) && ops[run].kind == opEqual {
				run++
			}
			if run < len(ops) && run-end <= 2*Context {
				end = run // the next change is close: same hunk
				continue
			}
			end += Context
			if end > len(ops) {
				end = len(ops)
			}
			break
		}
		out = append(out, ops[start:end])
		i = end
	}
	return out
}

func writeHunk(out *strings.Builder, h []op, a, b []string) {
	aStart, bStart, aLen, bLen := -1, -1, 0, 0
	for _, o := range h {
		switch o.kind {
		case opEqual:
			aLen++
			bLen++
		case opDelete:
			aLen++
		case opInsert:
			bLen++
		}
		if aStart < 0 && o.kind != opInsert {
			aStart = o.ai
		}
		if bStart < 0 && o.kind != opDelete {
			bStart = o.bi
		}
	}
	// An empty side is written as the line before it, with length 0.
	if aStart < 0 {
		aStart = h[0].ai - 1
	}
	if bStart < 0 {
		bStart = h[0].bi - 1
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", rangeOf(aStart, aLen), rangeOf(bStart, bLen))
	for _, o := range h {
		var prefix byte
		var line string
		switch o.kind {
		case opEqual:
			prefix, line = ' ', a[o.ai]
		case opDelete:
			prefix, line = '-', a[o.ai]
		case opInsert:
			prefix, line = '+', b[o.bi]
		}
		out.WriteByte(prefix)
		out.WriteString(line)
		if !strings.HasSuffix(line, "\n") {
			out.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// rangeOf writes a hunk range: 1-based start, and the length unless it is 1.
func rangeOf(start0, n int) string {
	if n == 1 {
		return fmt.Sprintf("%d", start0+1)
	}
	if n == 0 {
		return fmt.Sprintf("%d,0", start0+1)
	}
	return fmt.Sprintf("%d,%d", start0+1, n)
}
