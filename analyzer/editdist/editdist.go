// Package editdist measures how far apart two names are, for the
// did-you-mean of unknown directives, variables and settings. A leaf:
// standard library only.
package editdist

// short is the longest second name whose rows fit in Distance's own
// arrays: a did-you-mean compares one name with every name of a table,
// and three allocations per comparison were most of its cost.
const short = 63

// Distance is the optimal-string-alignment edit distance of a and b (an
// insertion, deletion, substitution or exchange of two neighbours counts
// one), or limit+1 as soon as it is certain to exceed limit.
func Distance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	var rows [3][short + 1]int
	var prev2, prev, cur []int
	if len(b) <= short {
		prev2, prev, cur = rows[0][:len(b)+1], rows[1][:len(b)+1], rows[2][:len(b)+1]
	} else {
		prev2, prev, cur = make([]int, len(b)+1), make([]int, len(b)+1), make([]int, len(b)+1)
	}
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
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
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], limit+1)
}
