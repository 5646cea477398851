package connectivity

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/editdist"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

// closestGroup, whose comparisons stop once they cannot beat the best
// distance so far, picks the group a full comparison with every group
// picks: random names of a small alphabet, so that many are
// one or two edits apart, some in other letters (ß, İ change length
// when lower-cased).
func TestClosestGroupAsComparingAll(t *testing.T) {
	r := rand.New(rand.NewSource(4))
	word := func() string {
		var b strings.Builder
		for range 3 + r.Intn(8) {
			b.WriteString([]string{"a", "b", "c", "A", "ß", "İ", "-"}[r.Intn(7)])
		}
		return b.String()
	}
	all := func(groups []*nginx.Group, name string) *nginx.Group {
		var best *nginx.Group
		bestDist := 3
		for _, g := range groups {
			dist := editdist.Runes(strings.ToLower(name), strings.ToLower(g.Name), 1<<20)
			if dist == 0 || dist*3 > len(name) {
				continue
			}
			if dist < bestDist {
				best, bestDist = g, dist
			}
		}
		return best
	}
	found := 0
	for round := range 3000 {
		groups := make([]*nginx.Group, 1+r.Intn(12))
		for i := range groups {
			groups[i] = &nginx.Group{Name: word()}
		}
		name := word()
		if r.Intn(2) == 0 { // one edit from a group's name
			g := []rune(groups[r.Intn(len(groups))].Name)
			g[r.Intn(len(g))] = 'c'
			name = string(g)
		}
		want, got := all(groups, name), closestGroup(groups, name)
		if got != want {
			t.Fatalf("round %d: %q among %v: got %v, comparing all gives %v", round, name, groups, got, want)
		}
		if got != nil {
			found++
		}
	}
	if found < 500 {
		t.Fatalf("only %d rounds found a group", found)
	}
}
