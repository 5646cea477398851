package nginx

import (
	"bytes"
	"strings"
	"sync/atomic"

	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// Diagnostic codes set by this package.
const (
	SyntaxCode          = "nginx-syntax"
	IncludeErrorCode    = "include-error"
	IncludeNotFoundCode = "include-not-found"
	// NotAnalysedCode marks where the parse skipped text that passed one
	// of its bounds (MaxNodes, MaxDepth): ngxlint's limit, not nginx's.
	NotAnalysedCode = "not-analysed"
)

// MaxDepth bounds block nesting. The contents of a block deeper than this
// are skipped (one diagnostic at its '{'), and gonginx, whose parser
// recurses once per level and cannot be stopped by recover() when its
// stack overflows, is handed the file with those contents blanked out.
const MaxDepth = 1000

// Parse tokenizes and parses one nginx file. It never fails: problems
// become positioned diagnostics on the returned Config, and the tree holds
// every directive that could be recognised. gonginx parses the same bytes
// when a typed view is first asked for (see Directive.Node).
//
// Recovery rules, chosen so that a half-typed file still yields a useful
// tree:
//   - a '}' with no open block is reported and skipped; parsing goes on;
//   - a '}' or the end of file inside a directive ends that directive
//     (reported as a missing ';') and the '}' then closes the block;
//   - the end of file closes every open block (each is reported at its
//     '{');
//   - a quoted string whose closing quote never comes is cut at the end
//     of its line, and its directive ends there;
//   - a '{' with no directive name is reported and its contents are kept in
//     the enclosing block; its matching '}' is absorbed;
//   - control bytes (NUL, ...) are reported once per run and skipped like
//     white space.
func Parse(f *source.File) *Config {
	c, _ := parseWithin(f, MaxNodes, MaxNodes)
	return c
}

// ParseLimited is Parse with a node budget of its own: maxNodes
// directives and arguments, MaxNodes when 0.
func ParseLimited(f *source.File, maxNodes int) *Config {
	if maxNodes <= 0 {
		maxNodes = MaxNodes
	}
	c, _ := parseWithin(f, maxNodes, maxNodes)
	return c
}

// MaxNodes bounds the directives and arguments one run builds a tree for
// (each costs a few hundred bytes, with gonginx's twin): ten megabytes of
// "a;" would otherwise take two gigabytes. Real configurations hold tens
// of thousands. Past the limit the rest of the file is skipped, with one
// diagnostic where it starts.
const MaxNodes = 500_000

// parseWithin parses f building at most budget nodes, and returns how
// many it built; total is the run's whole budget, which the diagnostic
// at the cut names.
func parseWithin(f *source.File, budget, total int) (*Config, int) {
	c := &Config{File: f}
	p := &parser{lex: newLexer(f), cfg: c, left: max(budget, 0), total: total, cut: -1}
	if s := startHelper(f, c, p.left); s != nil {
		p.helper = s
		defer s.finish()
	}
	c.Directives, _, _ = p.block(nil, 0)
	f.Comments = p.lex.comments
	c.Diagnostics = p.lex.diags
	c.tooDeep = p.tooDeep
	if p.cut >= 0 {
		c.tooDeep = append(c.tooDeep, [2]int{p.cut, len(f.Src)})
		c.cutDepth = p.cutDepth
	}
	if p.lex.dropped > 0 {
		for i := len(c.Diagnostics) - 1; i >= 0; i-- {
			if c.Diagnostics[i].Code == SyntaxCode {
				c.Diagnostics[i].Message += " (and more syntax errors not shown)"
				break
			}
		}
	}
	c.parseDiags = len(c.Diagnostics)
	c.ownOnce.Do(func() { c.setOwn(&p.own) })
	c.innersSet = true // for no context around the file: see setInner
	link([]*Config{c})
	return c, max(budget, 0) - p.left
}

type parser struct {
	// total is the run's node budget, for the diagnostic at the cut.
	total int
	// left is how many more nodes (directives, arguments) may be built;
	// at zero the parse stops at cut, inside cutDepth open blocks, which
	// end there.
	left, cut, cutDepth int
	lex                 *lexer
	cfg                 *Config
	// tooDeep holds the byte ranges of block contents skipped past
	// MaxDepth: [after the '{', the closing '}' or the end of file).
	tooDeep [][2]int
	// args and dirs are the unused rest of the current node blocks.
	args  []Arg
	dirs  []Directive
	guess int
	// argStack and dirStack collect the arguments of the directives being
	// read and the children of the open blocks; a finished list is copied
	// into argLists or dirLists, exactly sized, instead of growing a slice
	// of its own by appends.
	argStack []*Arg
	dirStack []*Directive
	argLists []*Arg
	dirLists []*Directive
	// ph finds template placeholders (see placeholders), made at the
	// first '{' that might start one.
	ph *placeholders
	// helper parses a later piece of a large file (see
	// pieces.go), until the parser has asked for its piece.
	helper *helper
	// abandon, on a helper's parser, says its piece will not be used.
	abandon *atomic.Bool
	// own is what ownWalk would find in the tree, gathered as the
	// directives are made (in pre-order, as the walk meets them).
	own ownNames
	// inners holds the blocks' inner contexts made so far, by the
	// enclosing context and the block's name (see setInner).
	inners map[innerKey]*[]string
}

type innerKey struct {
	outer *[]string
	name  string
}

// setInner gives block d the context of its children, as link would at
// a file's top level with no context around it (the loader links again
// when the file turns out to be included): made as the block is read,
// rather than in a walk after the parse on one core. Blocks of one name
// in one context share the slice.
func (p *parser) setInner(d *Directive) {
	var outer *[]string
	if d.Parent != nil {
		outer = d.Parent.inner
	}
	k := innerKey{outer, d.Name}
	if in, ok := p.inners[k]; ok {
		d.inner = in
		return
	}
	var base []string
	if outer != nil {
		base = *outer
	}
	if p.inners == nil {
		p.inners = map[innerKey]*[]string{}
	}
	d.inner = innerOf(base, d.Name)
	p.inners[k] = d.inner
}

// block parses directives until the '}' that closes parent's block (or the
// end of file). It returns the children, the offset after the closing '}',
// and whether that brace was found.
func (p *parser) block(parent *Directive, depth int) (list []*Directive, end int, closed bool) {
	anon := 0 // '{' with no directive name, waiting for their '}'
	from := len(p.dirStack)
	for {
		t := p.lex.next()
		switch t.kind {
		case tEOF:
			return p.dirList(from), t.end, false
		case tRBrace:
			switch {
			case anon > 0:
				anon--
			case parent != nil:
				return p.dirList(from), t.end, true
			default:
				p.lex.diag(t.start, t.end, `unexpected "}": there is no open block to close`)
			}
		case tSemi:
			p.lex.diag(t.start, t.end, `unexpected ";": there is no directive for it to end`)
		case tLBrace:
			if end := p.placeholders().end(t.start); end > 0 {
				// A whole directive from a template ({{ extra }}): skip it
				// and the ';' that may follow.
				p.lex.diag(t.start, end, "%s", placeholderMessage(p.cfg.File.Src, t.start, end, nil))
				p.lex.pos = end
				if next := p.lex.next(); next.kind != tSemi {
					p.lex.unread(next)
				}
				continue
			}
			p.lex.diag(t.start, t.end, `unexpected "{": a block needs a directive name before it`)
			anon++
		case tWord:
			if depth == 1 && anon == 0 && p.helper != nil && t.start >= p.helper.target {
				s := p.helper
				p.helper = nil
				if pc := s.take(t.start); pc != nil {
					return p.splice(pc, parent, from)
				}
			}
			if !p.spend(t, depth) {
				return p.dirList(from), p.cut, false
			}
			d := p.directive(t, parent, depth)
			p.dirStack = append(p.dirStack, d)
			if p.cut >= 0 {
				return p.dirList(from), p.cut, false
			}
		}
	}
}

// spend accounts for one more node starting at t, or stops the parse there
// (one diagnostic) when the budget is spent.
func (p *parser) spend(t token, depth int) bool {
	if p.cut >= 0 {
		return false
	}
	if p.left > 0 {
		p.left--
		if p.abandon != nil && p.left&4095 == 0 && p.abandon.Load() {
			p.lex.pos, p.lex.peeked = len(p.lex.src), nil // end the helper's parse
		}
		return true
	}
	p.cut, p.cutDepth = t.start, depth
	p.lex.diagCode(NotAnalysedCode, t.start, t.end, "more than %d directives and arguments in this run; the rest of this file is not analysed "+
		"(the bound keeps a run's memory finite; ngxlint lint --max-nodes raises it, 0 lifts it)", p.total)
	return false
}

// directive parses one directive whose name token has been read.
func (p *parser) directive(name token, parent *Directive, depth int) *Directive {
	d := p.newDirective()
	// The span is the name's until the directive's end is known.
	*d = Directive{
		Name:    name.value,
		id:      spec.ID(name.value),
		nameLen: uint32(name.end - name.start),
		start:   uint32(name.start),
		end:     uint32(name.end),
		Parent:  parent,
		Config:  p.cfg,
	}
	p.own.add(d)
	if name.quote == 0 && strings.Contains(name.value, "}") {
		p.lex.diag(name.start, name.end, "%s", braceInRegex(name.value, parent))
	}
	last := name
	if name.broken {
		d.end = uint32(name.end)
		return d
	}
	// The arguments are read onto argStack and become d.Args before
	// anything reads them: at each return, before the body (whose
	// directives use the stack above them) and before a message.
	from := len(p.argStack)
	defer p.argList(d, from)
	for {
		t := p.lex.next()
		switch t.kind {
		case tWord:
			if !p.spend(t, depth) {
				d.end = uint32(last.end)
				return d
			}
			p.argStack = append(p.argStack, p.arg(t))
			if t.broken {
				// The unterminated quote was cut at the end of its line;
				// ending the directive there too keeps the next line's
				// directives apart.
				d.end = uint32(t.end)
				return d
			}
			last = t
		case tSemi:
			d.end = uint32(t.end)
			d.Terminated = true
			return d
		case tLBrace:
			if end := p.placeholders().end(t.start); end > 0 {
				last = p.placeholderArg(d, from, last, t.start, end)
				continue
			}
			p.argList(d, from)
			p.body(d, t, depth)
			return d
		default: // '}' or end of file: the ';' is missing
			// The span runs to the '}' or the end of the file, where
			// nginx notices the missing ';' and whose line it names
			// (`unexpected "}"`, `unexpected end of file`).
			p.argList(d, from)
			p.lex.diag(name.start, max(t.end, last.end), "%s", notTerminated(d, last, t))
			p.lex.unread(t)
			d.end = uint32(last.end)
			return d
		}
	}
}

// placeholderArg reports the template placeholder [start, end) in d's
// arguments and keeps it as (part of) an argument, glued to the words
// written against it as a rendered template would be, so that the rest
// of the directive still parses. It returns the token now last.
func (p *parser) placeholderArg(d *Directive, args int, last token, start, end int) token {
	src := p.cfg.File.Src
	p.lex.diag(start, end, "%s", placeholderMessage(src, start, end, d))
	p.lex.pos = end
	from := start
	if n := len(p.argStack); n > args && last.kind == tWord && last.quote == 0 && last.end == start && p.argStack[n-1].End() == start {
		from = last.start
		p.argStack = p.argStack[:n-1]
	}
	if next := p.lex.next(); next.kind == tWord && next.quote == 0 && next.start == end && !next.broken {
		end = next.end
	} else {
		p.lex.unread(next)
	}
	t := token{kind: tWord, start: from, end: end, value: unescape(string(src[from:end]))}
	p.argStack = append(p.argStack, p.arg(t))
	return t
}

// braceInRegex words the error for a directive name holding a '}', such
// as "2}$": no directive is named so, and it comes from an unquoted regex
// like ^/a{2}$, whose '{' nginx reads as the start of a block.
func braceInRegex(name string, parent *Directive) string {
	msg := `unknown directive "` + clip(name) + `"`
	if parent != nil && len(parent.Args) > 0 {
		before := parent.Args[len(parent.Args)-1].Raw()
		return msg + `: the "{" after "` + clip(before) + `" in "` + parent.Name + `" opened a block; quote a regex that holds braces ("` +
			clip(before+"{"+name) + `")`
	}
	return msg + `: an unquoted "{" opened a block here; quote a regex that holds braces`
}

// notTerminated words the missing-';' message, with a hint when a '}' was
// glued to the last word (nginx reads "80}" as one word).
func notTerminated(d *Directive, last token, next token) string {
	msg := `directive "` + d.Name + `" is not terminated by ";"`
	if next.kind == tEOF {
		msg += " before the end of file"
	}
	if last.quote == 0 && len(d.Args) > 0 && strings.HasSuffix(last.value, "}") {
		msg += ` (the "}" in "` + clip(last.value) + `" belongs to the word; put a ";" or a space before it)`
	}
	return msg
}

// body parses the block (or raw Lua body) of d, whose '{' is open.
func (p *parser) body(d *Directive, open token, depth int) {
	d.HasBlock = true
	if isLuaBlock(d.Name) {
		p.luaBody(d, open)
		return
	}
	p.setInner(d)
	if depth >= MaxDepth {
		p.lex.diagCode(NotAnalysedCode, open.start, open.end, "blocks are nested more than %d deep; the contents of %q are not analysed", MaxDepth, d.Name)
		d.Block = []*Directive{}
		d.Terminated = p.skipBlock()
		inner := p.lex.pos
		if d.Terminated {
			inner-- // keep the closing '}'
		}
		p.tooDeep = append(p.tooDeep, [2]int{open.end, inner})
		d.end = uint32(p.lex.pos)
		return
	}
	list, end, closed := p.block(d, depth+1)
	if list == nil {
		list = []*Directive{}
	}
	d.Block = list
	// A block the node budget cut ends at the cut (reported once there).
	d.Terminated = closed || p.cut >= 0
	if !closed && p.cut < 0 {
		p.lex.diag(open.start, open.end, `unexpected end of file: the "{" of %q is never closed by a "}"`, d.Name)
	}
	d.end = uint32(end)
}

// isLuaBlock reports whether a directive of that name holds a Lua body,
// not nginx directives, in its braces.
func isLuaBlock(name string) bool { return strings.HasSuffix(name, "_by_lua_block") }

// skipBlock consumes tokens up to the '}' matching an already read '{'
// and reports whether it was found.
func (p *parser) skipBlock() bool {
	for depth := 1; depth > 0; {
		switch p.lex.next().kind {
		case tEOF:
			return false
		case tLBrace:
			depth++
		case tRBrace:
			depth--
		}
	}
	return true
}

// luaBody stores the raw body of a *_by_lua_block directive.
func (p *parser) luaBody(d *Directive, open token) {
	closeAt, ok := p.lex.lua(open.start)
	body := p.lex.text[open.end:closeAt]
	lua := argAt(p.cfg.File, open.end, closeAt, body, 0)
	d.setLua(&lua)
	end := closeAt + 1
	d.Terminated = ok
	if !ok {
		p.lex.diag(open.start, open.end, `unexpected end of file in the Lua code of %q: the "{" opened here is never closed`, d.Name)
		end = closeAt
	}
	d.end = uint32(end)
}

func (p *parser) arg(t token) *Arg {
	a := p.newArg()
	*a = argAt(p.cfg.File, t.start, t.end, t.value, t.quote)
	return a
}

// argList makes the arguments on argStack from index from d.Args, and
// takes them off the stack; once done, a second call finds none.
func (p *parser) argList(d *Directive, from int) {
	if n := len(p.argStack) - from; n > 0 {
		d.Args = carve(&p.argLists, p.argStack[from:], 2*p.estimate(), 256)
		p.argStack = p.argStack[:from]
	}
}

// dirList takes the children on dirStack from index from off the stack,
// as one list (nil when there are none).
func (p *parser) dirList(from int) []*Directive {
	if len(p.dirStack) == from {
		return nil
	}
	list := carve(&p.dirLists, p.dirStack[from:], p.estimate(), 256)
	p.dirStack = p.dirStack[:from]
	return list
}

// carve copies items into the next entries of *free (see take).
func carve[T any](free *[]T, items []T, first, later int) []T {
	out := take(free, len(items), first, later)
	copy(out, items)
	return out
}

// newArg and newDirective hand out nodes from blocks allocated together:
// one allocation for many small ones. The first block is sized from the
// file (a directive ends in ';' or '{'; most have one or two arguments),
// later ones are small, so that little is left unused.
func (p *parser) newArg() *Arg { return nextNode(&p.args, 2*p.estimate(), 64) }

func (p *parser) newDirective() *Directive { return nextNode(&p.dirs, p.estimate(), 32) }

// nextNode takes the next node of the current block (see take).
func nextNode[T any](free *[]T, first, later int) *T {
	return &take(free, 1, first, later)[0]
}

// take hands out the next n entries of *free, with no room to grow (an
// append copies), allocating a new block when too few are left: of first
// entries the first time (at most maxBlockNodes), of later entries after
// that, and of n when n is more. first comes from the file's count of ';'
// and '{', which no file of the corpus has more directives than: a file
// of one small server block takes a block of its size, not of eight.
func take[T any](free *[]T, n, first, later int) []T {
	if len(*free) < n {
		size := later
		if *free == nil {
			size = min(first, maxBlockNodes)
		}
		*free = make([]T, max(n, size))
	}
	out := (*free)[:n:n]
	*free = (*free)[n:]
	return out
}

// maxBlockNodes bounds a first block: a huge file takes several.
const maxBlockNodes = 1 << 14

func (p *parser) placeholders() *placeholders {
	if p.ph == nil {
		p.ph = newPlaceholders(p.cfg.File.Src)
	}
	return p.ph
}

// estimate is the number of directives the file likely holds.
func (p *parser) estimate() int {
	if p.guess == 0 {
		src := p.cfg.File.Src
		p.guess = bytes.Count(src, []byte{';'}) + bytes.Count(src, []byte{'{'}) + 1
	}
	return p.guess
}
