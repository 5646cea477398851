package fix

import (
	"fmt"
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
	ops := myers(a, b)
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

// myers computes a shortest edit script (E. Myers, "An O(ND) Difference
// Algorithm and Its Variations", 1986). Fixes change a few lines of long
// files, so D is small and this is fast where an LCS table would not be.
func myers(a, b []string) []op {
	// Common prefix and suffix need no search.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	n, m := len(ma), len(mb)
	max := n + m
	off := max + 1
	v := make([]int, 2*max+3)
	var trace [][]int
	found := false
	for d := 0; d <= max && !found; d++ {
		trace = append(trace, append([]int(nil), v...))
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
		k := x - y
		var prevK int
		if k == -d || (k != d && vd[off+k-1] < vd[off+k+1]) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := vd[off+prevK]
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x, y = x-1, y-1
			rev = append(rev, op{opEqual, pre + x, pre + y})
		}
		if d == 0 {
			break
		}
		if x == prevX {
			y--
			rev = append(rev, op{opInsert, pre + x, pre + y})
		} else {
			x--
			rev = append(rev, op{opDelete, pre + x, pre + y})
		}
	}
	ops := make([]op, 0, pre+len(rev)+suf)
	for i := 0; i < pre; i++ {
		ops = append(ops, op{opEqual, i, i})
	}
	for i := len(rev) - 1; i >= 0; i-- {
		ops = append(ops, rev[i])
	}
	for i := 0; i < suf; i++ {
		ops = append(ops, op{opEqual, len(a) - suf + i, len(b) - suf + i})
	}
	return ops
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
