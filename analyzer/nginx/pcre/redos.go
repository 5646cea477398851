package pcre

import "unicode"

// NestedQuantifiers returns the repeats that a backtracking matcher such
// as PCRE can take exponential time on: loops in which one string can be
// matched along two different paths that both come back to the same
// point, e.g. (a+)+, (a|aa)+, (\w+\s?)*, (.*a){10}. Each returned node is a
// Repeat whose Max is above 1 or unbounded; when loops nest, only the
// innermost dangerous one is returned.
//
// The check is exact on the position automaton of the loop (a cycle of
// the product automaton through a pair of equal states that uses two
// different transitions), so (a+b)+, (foo|bar)+, (foo|fob)+, (\w+\.)+ and
// ([^/]+/)* are not reported. To stay precise it gives up (reports
// nothing) on loops whose body holds backreferences, subroutine calls,
// conditionals, atomic groups or possessive quantifiers, or is too large.
// Lookarounds and anchors are treated as if they always held.
func (r *Regex) NestedQuantifiers() []*Node {
	if r == nil {
		return nil
	}
	var out []*Node
	steps := 0
	var visit func(n *Node) bool // reports whether n or a descendant was flagged
	visit = func(n *Node) bool {
		flagged := false
		for _, s := range n.Sub {
			if visit(s) {
				flagged = true
			}
		}
		if flagged || n.Kind != Repeat || n.Possessive || (n.Max >= 0 && n.Max <= 1) {
			return flagged
		}
		if exponential(n, &steps) {
			out = append(out, n)
			return true
		}
		return false
	}
	visit(r.Root)
	return out
}

// Bounds on the work for one loop; beyond them the loop is not judged.
const (
	maxPositions = 128     // consuming items in one loop
	maxBuild     = 1 << 16 // sub-expressions visited while unrolling one loop
	maxSteps     = 1 << 20 // product-automaton edges tried, over the whole pattern
)

// glushkov builds the position automaton of a loop body. Each consuming
// item is a position; edges count the distinct ways (capped at 2) a
// backtracking matcher can go from one position to the next, because two
// ways are what make it try the same text twice.
type glushkov struct {
	pos    []*Node
	sets   [][]Range
	follow []map[int]int
	gaveUp bool
	work   int
	steps  *int // shared by every loop of one pattern
}

// frag is the part of the automaton built for one sub-expression.
type frag struct {
	null        int // number of ways to match the empty string (capped)
	first, last map[int]int
}

func capped(n int) int { return min(n, 2) }

func (g *glushkov) leaf(n *Node) frag {
	if len(g.pos) >= maxPositions {
		g.gaveUp = true
		return frag{null: 1}
	}
	i := len(g.pos)
	g.pos = append(g.pos, n)
	g.sets = append(g.sets, leafRanges(n))
	g.follow = append(g.follow, map[int]int{})
	return frag{first: map[int]int{i: 1}, last: map[int]int{i: 1}}
}

func (g *glushkov) link(from, to map[int]int) {
	for a, m := range from {
		for b, k := range to {
			g.follow[a][b] = capped(g.follow[a][b] + m*k)
		}
	}
}

// union adds b's entries, each multiplied by times, to a copy of a.
func union(a, b map[int]int, times int) map[int]int {
	out := make(map[int]int, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	if times == 0 {
		return out
	}
	for k, v := range b {
		out[k] = capped(out[k] + v*times)
	}
	return out
}

func (g *glushkov) concat(a, b frag) frag {
	g.link(a.last, b.first)
	return frag{
		null:  capped(a.null * b.null),
		first: union(a.first, b.first, a.null),
		last:  union(b.last, a.last, b.null),
	}
}

// loop closes f on itself: the body may follow itself.
func (g *glushkov) loop(f frag) frag {
	g.link(f.last, f.first)
	return f
}

func (g *glushkov) build(n *Node) frag {
	if g.work++; g.work > maxBuild {
		g.gaveUp = true
	}
	if g.gaveUp {
		return frag{null: 1}
	}
	switch n.Kind {
	case Literal, Class, Any:
		return g.leaf(n)
	case Group, NonCapture:
		return g.build(n.Sub[0])
	case Concat:
		f := frag{null: 1}
		for _, s := range n.Sub {
			f = g.concat(f, g.build(s))
		}
		return f
	case Alternate:
		f := frag{}
		for _, s := range n.Sub {
			b := g.build(s)
			f = frag{null: capped(f.null + b.null), first: union(f.first, b.first, 1), last: union(f.last, b.last, 1)}
		}
		return f
	case Repeat:
		return g.repeat(n)
	case Backref, Call, Conditional, Atomic:
		g.gaveUp = true
		return frag{null: 1}
	}
	// anchors, assertions, lookarounds, options, verbs: zero width
	return frag{null: 1}
}

// repeat unrolls X{n,m} as PCRE compiles it: n copies, then m-n nested
// optional copies (or a loop when m is unbounded).
func (g *glushkov) repeat(n *Node) frag {
	if n.Possessive {
		g.gaveUp = true
		return frag{null: 1}
	}
	body := n.Sub[0]
	f := frag{null: 1}
	required := n.Min
	if n.Max < 0 && required > 0 {
		required-- // the last required copy is the loop itself: X{2,} = X X+
	}
	for i := 0; i < required && !g.gaveUp; i++ {
		f = g.concat(f, g.build(body))
	}
	switch {
	case n.Max < 0:
		l := g.loop(g.build(body))
		if n.Min == 0 {
			// skipped, or entered and left empty: two ways when the body is nullable
			l.null = capped(1 + l.null)
		}
		return g.concat(f, l)
	case n.Max > n.Min:
		opt := g.optional(body, n.Max-n.Min)
		return g.concat(f, opt)
	}
	return f
}

// optional builds (X(X(X)?)?)? with k copies, innermost last.
func (g *glushkov) optional(body *Node, k int) frag {
	var copies []frag
	for i := 0; i < k && !g.gaveUp; i++ {
		copies = append(copies, g.build(body))
	}
	f := frag{null: 1}
	for i := len(copies) - 1; i >= 0; i-- {
		f = g.concat(copies[i], f)
		f.null = capped(f.null + 1)
	}
	return f
}

// exponential reports whether loop r can match some string along two
// different paths from a position back to itself.
func exponential(r *Node, steps *int) bool {
	g := &glushkov{steps: steps}
	body := g.build(r.Sub[0])
	g.loop(body)
	if g.gaveUp || len(g.pos) == 0 {
		return false
	}
	return g.ambiguousCycle()
}

// ambiguousCycle searches the product automaton (pairs of positions that
// can read the same character) for a strongly connected component that
// holds a pair (p, p) and an edge along which the two paths differ.
func (g *glushkov) ambiguousCycle() bool {
	n := len(g.pos)
	type edge struct {
		to        int
		divergent bool
	}
	overlap := make([][]bool, n)
	for i := range overlap {
		overlap[i] = make([]bool, n)
		for j := range overlap[i] {
			overlap[i][j] = intersects(g.sets[i], g.sets[j])
		}
	}
	adj := make([][]edge, n*n)
	for p := 0; p < n; p++ {
		for q := 0; q < n; q++ {
			if !overlap[p][q] {
				continue
			}
			for p2, m1 := range g.follow[p] {
				for q2 := range g.follow[q] {
					if *g.steps++; *g.steps > maxSteps {
						return false
					}
					if !overlap[p2][q2] {
						continue
					}
					div := p != q || p2 != q2 || m1 > 1
					adj[p*n+q] = append(adj[p*n+q], edge{p2*n + q2, div})
				}
			}
		}
	}
	// Tarjan's strongly connected components, iteratively.
	N := n * n
	index := make([]int, N)
	low := make([]int, N)
	comp := make([]int, N)
	onStack := make([]bool, N)
	for i := range index {
		index[i], comp[i] = -1, -1
	}
	var stack []int
	next, ncomp := 0, 0
	type frame struct{ v, e int }
	for root := 0; root < N; root++ {
		if index[root] >= 0 {
			continue
		}
		call := []frame{{root, 0}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(call) > 0 {
			top := &call[len(call)-1]
			v := top.v
			if top.e < len(adj[v]) {
				w := adj[v][top.e].to
				top.e++
				if index[w] < 0 {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					call = append(call, frame{w, 0})
				} else if onStack[w] {
					low[v] = min(low[v], index[w])
				}
				continue
			}
			if low[v] == index[v] {
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp[w] = ncomp
					if w == v {
						break
					}
				}
				ncomp++
			}
			call = call[:len(call)-1]
			if len(call) > 0 {
				u := call[len(call)-1].v
				low[u] = min(low[u], low[v])
			}
		}
	}
	diagonal := make([]bool, ncomp)
	for p := 0; p < n; p++ {
		diagonal[comp[p*n+p]] = true
	}
	for v, es := range adj {
		for _, e := range es {
			if e.divergent && comp[v] == comp[e.to] && diagonal[comp[v]] {
				return true
			}
		}
	}
	return false
}

// leafRanges is the set of characters a Literal, Class or Any matches.
func leafRanges(n *Node) []Range {
	switch n.Kind {
	case Literal:
		rs := []Range{{n.Rune, n.Rune}}
		if n.Fold {
			for o := unicode.SimpleFold(n.Rune); o != n.Rune; o = unicode.SimpleFold(o) {
				rs = append(rs, Range{o, o})
			}
		}
		return normalize(rs)
	case Class:
		return n.Ranges
	}
	if n.DotAll {
		return []Range{{0, unicode.MaxRune}}
	}
	return []Range{{0, '\n' - 1}, {'\n' + 1, unicode.MaxRune}}
}

// intersects reports whether two normalized range lists share a character.
func intersects(a, b []Range) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].Hi < b[j].Lo:
			i++
		case b[j].Hi < a[i].Lo:
			j++
		default:
			return true
		}
	}
	return false
}
