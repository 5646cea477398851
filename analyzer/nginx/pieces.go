package nginx

import (
	"bytes"
	"runtime"
	"slices"
	"sync/atomic"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

// A large file is parsed in two pieces at once, so that a one-file
// configuration keeps both cores busy: while the parser reads the file
// from its start, a helper lexes ahead (about four times faster than a
// parse, since it builds nothing) to a directive inside a top-level block
// some way past the middle, and parses from there to that block's end.
// When the parser reaches that very directive at the same depth, it takes
// the helper's directives instead of reading them again.
//
// The result is the serial parse's, node for node: a piece is used only
// when the parser stands exactly where the piece began, at depth 1 with no
// stray brace pending, and only when the piece raised no diagnostic (its
// messages and their per-file cap depend on what came before). Anything
// else (the helper's guess wrong, the helper late, a diagnostic) and the
// parser just goes on reading, having lost nothing but the helper's time.
// A piece is parsed only when the file cannot reach the node budget, so
// that where a cut falls never depends on the pieces.

// twoPiecesFrom is the smallest file parsed in two pieces: below it the
// helper's start-up is not worth it. A variable for the tests.
var twoPiecesFrom = 1 << 20

// Test hooks: helperSync makes the parser wait for the helper before it
// decides, so that a test's piece is used whenever it can be; spliced is
// called with the offset of each piece used.
var (
	helperSync bool
	spliced    func(at int)
)

// pieceAt is where, as a fraction of the file, the helper starts looking
// for its directive: it lexes to there before it parses, so its piece is
// the smaller one.
const pieceAt = 0.6

// helper parses a later piece of a file.
type helper struct {
	// target is the offset from which the helper looks for a directive.
	target int
	// at is the piece's first offset once the helper has found it; 0
	// while it looks; -1 once the parser has gone past target without
	// one, which tells the helper to give up.
	at atomic.Int64
	// abandon stops a helper whose piece will not be used.
	abandon atomic.Bool
	done    chan struct{}
	piece   *piece
}

// piece is the helper's parse of [at, end): the directives at depth 1 up
// to the '}' closing their block (closed) or the end of the file.
type piece struct {
	at       int
	list     []*Directive
	end      int
	closed   bool
	used     int
	comments []source.Comment
	cur      cursor
	own      ownNames
	// outer is the context the piece's blocks' contexts were made in.
	outer []string
}

// startHelper starts a helper for f when f is large enough, there is a
// core for it, and the budget cannot run out in f; otherwise it returns
// nil.
func startHelper(f *source.File, cfg *Config, budget int) *helper {
	n := len(f.Src)
	if n < twoPiecesFrom || runtime.GOMAXPROCS(0) < 2 || budget < n/2+1 {
		return nil // every node takes at least two bytes: "a;", `""`
	}
	s := &helper{target: int(float64(n) * pieceAt), done: make(chan struct{})}
	go s.run(f, cfg, budget)
	return s
}

// run finds the piece's start and parses the piece.
func (s *helper) run(f *source.File, cfg *Config, budget int) {
	defer close(s.done)
	at, outer := findPieceStart(f, s.target, &s.abandon)
	if at < 0 || !s.at.CompareAndSwap(0, int64(at)) {
		return
	}
	lex := newLexer(f)
	lex.pos = at
	lex.cur.pos = f.Pos(at)
	src := f.Src[at:]
	p := &parser{lex: lex, cfg: cfg, left: budget, total: budget, cut: -1, abandon: &s.abandon,
		guess: bytes.Count(src, []byte{';'}) + bytes.Count(src, []byte{'{'}) + 1}
	// The piece's blocks get their contexts as they are read, from the
	// block the piece is found in (checked when it is spliced).
	guess := []string{outer}
	list, end, closed := p.block(&Directive{inner: &guess}, 1)
	if len(lex.diags) > 0 || len(p.tooDeep) > 0 || s.abandon.Load() {
		return
	}
	s.piece = &piece{at: at, list: list, end: end, closed: closed, used: budget - p.left, comments: lex.comments, cur: lex.cur, own: p.own, outer: guess}
}

// take returns the helper's piece when it starts at off, waiting for the
// helper to finish it, or nil when there is none to use. The parser asks
// once, at the first directive at depth 1 past target.
func (s *helper) take(off int) *piece {
	if helperSync {
		<-s.done
	}
	if s.at.CompareAndSwap(0, -1) || s.at.Load() != int64(off) {
		return nil // the helper is too late, or guessed another place
	}
	<-s.done
	return s.piece
}

// finish stops the helper if it is still at work and waits for it, so
// that no parse outlives the call that started it.
func (s *helper) finish() {
	s.abandon.Store(true)
	<-s.done
}

// splice puts the piece's directives into the block being read at depth 1
// (parent's) and moves the parser past them. It returns what block
// returns.
func (p *parser) splice(pc *piece, parent *Directive, from int) ([]*Directive, int, bool) {
	if spliced != nil {
		spliced(pc.at)
	}
	for _, d := range pc.list {
		d.Parent = parent
	}
	if !slices.Equal(pc.outer, *parent.inner) {
		// Not the block the helper thought (a nameless '{' before it):
		// the piece's contexts are made again, on this core.
		setInners(pc.list, *parent.inner)
	}
	p.dirStack = append(p.dirStack, pc.list...)
	p.left -= pc.used
	p.lex.comments = append(p.lex.comments, pc.comments...)
	p.own.join(&pc.own)
	p.lex.pos = pc.end
	p.lex.cur = pc.cur
	return p.dirList(from), pc.end, pc.closed
}

// findPieceStart returns the offset of the first directive at depth 1
// (inside a top-level block) that starts at or after target, and the name
// of that block, lexing from the start of f as the parser would but
// building nothing; -1 when there is none or the helper is abandoned. Lua
// bodies and template placeholders are skipped as the parser skips them;
// a wrong guess costs only time.
func findPieceStart(f *source.File, target int, abandon *atomic.Bool) (int, string) {
	l := newLexer(f)
	l.quiet = true
	ph := newPlaceholders(f.Src)
	depth := 0
	start := true         // the next word starts a directive
	lua := false          // the directive being read holds a Lua body
	name, outer := "", "" // the directive being read at depth 0; the block opened last there
	for n := 0; ; n++ {
		if n&4095 == 0 && abandon.Load() {
			return -1, ""
		}
		t := l.next()
		switch t.kind {
		case tEOF:
			return -1, ""
		case tWord:
			if start {
				if depth == 1 && t.start >= target {
					return t.start, outer
				}
				lua = isLuaBlock(t.value)
				if depth == 0 {
					name = t.value
				}
				start = false
			}
			if t.broken {
				start = true
			}
		case tSemi:
			start = true
		case tLBrace:
			switch end := ph.end(t.start); {
			case end > 0:
				l.pos = end
			case lua && !start:
				l.lua(t.start)
				start = true
			default:
				if depth == 0 {
					outer = name
					if start {
						outer = "" // a nameless '{'
					}
				}
				depth++
				start = true
			}
			lua = false
		case tRBrace:
			depth = max(depth-1, 0)
			start = true
		}
	}
}
