// Package editdist measures how far apart two names are, for the
// did-you-mean of unknown directives, variables, settings and upstream
// names. A leaf: standard library only.
package editdist

import (
	"unicode/utf8"
	"unsafe"
)

// short is the longest second name whose rows fit in distance's own
// arrays: a did-you-mean compares one name with every name of a table,
// and three allocations per comparison were most of its cost.
const short = 63

// Distance is the optimal-string-alignment edit distance of a and b in
// bytes (an insertion, deletion, substitution or exchange of two
// neighbours counts one), or limit+1 as soon as it is certain to exceed
// limit.
func Distance(a, b string, limit int) int {
	return distance(bytesOf(a), bytesOf(b), limit)
}

// Runes is Distance counted in characters rather than bytes: a name with
// letters beyond ASCII is compared letter by letter. For ASCII names it is
// Distance.
func Runes(a, b string, limit int) int {
	if isASCII(a) && isASCII(b) {
		return Distance(a, b, limit)
	}
	return distance([]rune(a), []rune(b), limit)
}

// bytesOf views s as bytes without copying; distance only reads them.
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// distance fills only the band of cells within limit of the diagonal:
// a cell further out is more than limit edits, and so is any alignment
// through it. Cells just outside the band hold limit+1.
func distance[E byte | rune](a, b []E, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	limit = max(limit, 0)
	inf := limit + 1
	var rows [3][short + 2]int
	var prev2, prev, cur []int
	if len(b) <= short {
		prev2, prev, cur = rows[0][:len(b)+2], rows[1][:len(b)+2], rows[2][:len(b)+2]
	} else {
		prev2, prev, cur = make([]int, len(b)+2), make([]int, len(b)+2), make([]int, len(b)+2)
	}
	for j := range prev {
		prev[j] = min(j, inf)
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-limit), min(len(b), i+limit)
		cur[lo-1] = inf
		if lo == 1 {
			cur[0] = min(i, inf)
		}
		rowMin := cur[lo-1]
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		cur[hi+1] = inf // read as the cell above by the next row
		if rowMin > limit {
			return inf
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], inf)
}
