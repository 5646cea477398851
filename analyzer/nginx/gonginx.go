package nginx

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/tufanbarisyildirim/gonginx/config"
	gparser "github.com/tufanbarisyildirim/gonginx/parser"
)

// runGonginx parses src with gonginx: unknown (third-party) directives are
// accepted, includes are not followed (the Loader does that), comments are
// dropped (the lexer records them). A panic inside gonginx becomes an
// error: a linter must survive its dependencies.
func runGonginx(src []byte) (cfg *config.Config, err error) {
	defer func() {
		if r := recover(); r != nil {
			cfg, err = nil, fmt.Errorf("gonginx panicked: %v", r)
		}
	}()
	p := gparser.NewStringParser(string(src), gparser.WithSkipValidDirectivesErr(), gparser.WithSkipComments())
	return p.Parse()
}

// Node is gonginx's view of this directive, joined by position; nil when
// gonginx failed or disagreed with the tokenizer. The join is lazy and
// as small as it can be: a directive inside an upstream, server or
// location block is joined by parsing that block alone with gonginx (once
// per block), anything else by parsing the whole file (once per file).
// Safe for concurrent use: a block is parsed outside the file's lock, so
// that the blocks of one large file can be parsed on all cores.
func (d *Directive) Node() config.IDirective {
	c := d.Config
	if c == nil {
		return nil
	}
	u := joinUnit(d)
	c.joinMu.RLock()
	if c.joinedAll || u != nil && c.joinedUnits[u] {
		n := c.nodes[d]
		c.joinMu.RUnlock()
		return n
	}
	c.joinMu.RUnlock()

	c.joinMu.Lock()
	if u == nil {
		if !c.joinedAll {
			c.joinedAll = true
			joinGonginx(c)
		}
	} else if !c.joinedAll && !c.joinedUnits[u] {
		if wait, busy := c.joining[u]; busy {
			c.joinMu.Unlock()
			<-wait // another caller is parsing the block
			c.joinMu.Lock()
		} else {
			c.joinAlone(u)
		}
	}
	n := c.nodes[d]
	c.joinMu.Unlock()
	return n
}

// joinAlone joins block u, parsing it with the lock (held on entry and on
// return) released, and marks it joined. Those waiting for it are let go
// once its nodes are in.
func (c *Config) joinAlone(u *Directive) {
	done := make(chan struct{})
	if c.joining == nil {
		c.joining = map[*Directive]chan struct{}{}
	}
	c.joining[u] = done
	if c.neutral == nil {
		c.neutral = neutralise(c.File.Src, c.tooDeep)
	}
	neutral := c.neutral
	c.joinMu.Unlock()
	g, line := parseUnit(c, u, neutral)
	c.joinMu.Lock()
	if g != nil && !c.joinedAll { // a whole-file join since has joined u too
		joinBlock(c, []*Directive{u}, g.GetDirectives(), line)
	}
	if c.joinedUnits == nil {
		c.joinedUnits = make(map[*Directive]bool)
	}
	c.joinedUnits[u] = true
	delete(c.joining, u)
	close(done)
}

// GonginxErr is gonginx's own error on the whole file, if any; it parses
// the file with gonginx on first use.
func (c *Config) GonginxErr() error {
	c.joinMu.Lock()
	defer c.joinMu.Unlock()
	if !c.joinedAll {
		c.joinedAll = true
		joinGonginx(c)
	}
	return c.gonginxErr
}

// joinUnit is the innermost complete upstream, server or location block
// at or above d in its file: gonginx reads each of those standalone with
// the same typed view it gives inside the whole file.
func joinUnit(d *Directive) *Directive {
	for x := d; x != nil; x = x.Parent {
		switch x.Name {
		case "upstream", "server", "location":
			if x.HasBlock && x.Terminated && x.Lua() == nil {
				return x
			}
		}
	}
	return nil
}

// parseUnit parses block u of c alone with gonginx, from neutral (c's
// source with the skipped ranges blanked), and returns the parse and the
// line u starts on less one, or nil when the block is not to be joined
// alone. It reads nothing the join writes.
func parseUnit(c *Config, u *Directive, neutral []byte) (*config.Config, int) {
	src := neutral[u.Start():u.End()]
	if c.cutDepth > 0 && u.End() > c.tooDeep[len(c.tooDeep)-1][0] {
		return nil, 0 // the node budget cut this block: leave it to the whole-file join
	}
	if gonginxDepth(src) > MaxDepth+1 {
		return nil, 0 // gonginx must never recurse past the limit
	}
	g, ok := c.joins.get(src)
	if !ok {
		var err error
		if g, err = runGonginx(src); err != nil {
			g = nil
		}
		c.joins.put(src, g)
	}
	if g == nil || g.Block == nil {
		return nil, 0
	}
	return g, int(u.Span().Start.Line) - 1
}

// joinMemo keeps gonginx's parses of blocks by their text, for the
// language server: an edit re-parses the edited file, and all but one of
// its upstream, server and location blocks read as before. The parse
// depends on the text alone (joinBlock is told the block's line), and its
// nodes are only read once joined, as copies of a tree already share them.
// A nil memo keeps nothing. Safe for concurrent use.
type joinMemo struct {
	mu  sync.Mutex
	m   map[string]*joinedText
	gen int
}

type joinedText struct {
	g   *config.Config // nil: gonginx failed on the text
	gen int            // the generation that last used it (see sweep)
}

func (jm *joinMemo) get(src []byte) (*config.Config, bool) {
	if jm == nil {
		return nil, false
	}
	jm.mu.Lock()
	defer jm.mu.Unlock()
	e := jm.m[string(src)]
	if e == nil {
		return nil, false
	}
	e.gen = jm.gen
	return e.g, true
}

func (jm *joinMemo) put(src []byte, g *config.Config) {
	if jm == nil {
		return
	}
	jm.mu.Lock()
	defer jm.mu.Unlock()
	if jm.m == nil {
		jm.m = map[string]*joinedText{}
	}
	jm.m[string(src)] = &joinedText{g: g, gen: jm.gen}
}

// sweep forgets the texts no join asked for since the last sweep.
func (jm *joinMemo) sweep() {
	jm.mu.Lock()
	defer jm.mu.Unlock()
	for k, e := range jm.m {
		if e.gen != jm.gen {
			delete(jm.m, k)
		}
	}
	jm.gen++
}

// joinGonginx parses the file with gonginx and attaches its nodes to ours.
func joinGonginx(c *Config) {
	src := neutralise(c.File.Src, c.tooDeep)
	if c.cutDepth > 0 {
		// Close the blocks the cut left open where our tree ends them, so
		// that the join finds them on the same line.
		cut := c.tooDeep[len(c.tooDeep)-1][0]
		for i, n := cut, c.cutDepth; i < len(src) && n > 0; i++ {
			if src[i] == ' ' {
				src[i] = '}'
				n--
			}
		}
	}
	// The limit is MaxDepth+1: a skipped block keeps its own braces.
	if d := gonginxDepth(src); d > MaxDepth+1 {
		// Our lexer and gonginx's disagree on quotes and "${": measure
		// the nesting as gonginx will see it, and never let it recurse
		// past the limit (a stack overflow is fatal, not a panic).
		c.gonginxErr = fmt.Errorf("not handed to gonginx: blocks nest %d deep as it reads them, more than %d", d, MaxDepth+1)
		return
	}
	g, err := runGonginx(src)
	c.gonginxErr = err
	c.gonginx = g
	if err != nil || g == nil || g.Block == nil {
		return
	}
	joinBlock(c, c.Directives, g.GetDirectives(), 0)
}

// neutralise returns src with the given ranges blanked (line breaks kept,
// so that lines still match), or src itself when there are none. gonginx
// then never sees nesting deeper than MaxDepth.
func neutralise(src []byte, ranges [][2]int) []byte {
	if len(ranges) == 0 {
		return src
	}
	out := bytes.Clone(src)
	for _, r := range ranges {
		for i := r[0]; i < r[1]; i++ {
			if out[i] != '\n' {
				out[i] = ' '
			}
		}
	}
	return out
}

// gonginxDepth returns the deepest block nesting gonginx's lexer would
// produce on src, reading braces, quotes, comments, "${...}" and Lua code
// by its rules (a backslash escapes only the delimiter, a NUL byte is its
// end of file). It counts every '{' token, so it is an upper bound on its
// parser's recursion.
func gonginxDepth(src []byte) int {
	depth, deepest := 0, 0
	// lastWord is the previous token when it was a keyword, so that a '{'
	// after "*_by_lua_block" switches to Lua code as gonginx does.
	lastWord, lastIsWord := "", false
	for i := 0; i < len(src); {
		c := src[i]
		word := false
		switch c {
		case 0:
			return deepest
		case ' ', '\t':
			i++
			continue
		case '\r', '\n', ';':
			i++
		case '{':
			i++
			depth++
			deepest = max(deepest, depth)
			if lastIsWord && isLuaBlock(lastWord) {
				i = skipGonginxLua(src, i)
			}
		case '}':
			i++
			depth = max(0, depth-1)
		case '#':
			for i < len(src) && src[i] != '\n' && src[i] != '\r' && src[i] != 0 {
				i++
			}
		case '"', '\'', '`':
			i++
			for i < len(src) && src[i] != 0 && src[i] != c {
				if src[i] == '\\' && i+1 < len(src) && src[i+1] == c {
					i++
				}
				i++
			}
			if i >= len(src) || src[i] == 0 {
				return deepest
			}
			i++
		default:
			start := i
			prev := c
			i++
			inVar := false
			for i < len(src) {
				ch := src[i]
				if ch == 0 || ch == ' ' || ch == '\t' || ch == ';' || ch == '\r' || ch == '\n' {
					break
				}
				if ch == '{' {
					if prev != '$' && !inVar {
						break
					}
					inVar = true
					i++
					continue
				}
				if ch == '}' {
					if !inVar {
						break
					}
					inVar = false
					i++
					continue
				}
				prev = ch
				i++
			}
			lastWord, word = string(src[start:i]), true
		}
		lastIsWord = word
	}
	return deepest
}

// skipGonginxLua skips Lua code the way gonginx's lexer does: braces are
// counted, '#' starts a comment, and the first unmatched '}' ends it.
func skipGonginxLua(src []byte, i int) int {
	open := 0
	for i < len(src) && src[i] != 0 {
		switch src[i] {
		case '#':
			for i < len(src) && src[i] != '\n' && src[i] != '\r' && src[i] != 0 {
				i++
			}
			continue
		case '{':
			open++
		case '}':
			if open == 0 {
				return i
			}
			open--
		}
		i++
	}
	return i
}

// joinKey identifies a directive the way gonginx can: its name as written
// and the line of its terminating ';' or '}' (gonginx's GetLine(), plus
// the line a standalone block started on).
type joinKey struct {
	name string
	line int32
}

func keyOf(d *Directive) joinKey {
	return joinKey{d.rawName(), d.file().Pos(d.End()).Line}
}

// joinBlock matches gonginx's children of one block to ours. Matching per
// block (not per file) makes the join immune to gonginx moving servers
// after the other children of http and upstream: within one key, the
// order is the source order on both sides.
func joinBlock(c *Config, ours []*Directive, theirs []config.IDirective, lineOffset int) {
	byKey := make(map[joinKey][]*Directive, len(ours))
	for _, d := range ours {
		if d.Terminated {
			k := keyOf(d)
			byKey[k] = append(byKey[k], d)
		}
	}
	for _, n := range theirs {
		if n == nil {
			continue
		}
		k := joinKey{n.GetName(), int32(n.GetLine() + lineOffset)}
		cands := byKey[k]
		if len(cands) == 0 {
			continue // a disagreement: our tree wins, Node stays nil
		}
		d := cands[0]
		if argsDisagree(d, n) != "" {
			continue // e.g. gonginx's "a\\" mis-lex: leave both unmatched
		}
		byKey[k] = cands[1:]
		if c.nodes == nil {
			c.nodes = map[*Directive]config.IDirective{}
		}
		c.nodes[d] = n
		if _, ok := n.(*config.Include); ok || d.Lua() != nil {
			continue
		}
		if b := n.GetBlock(); b != nil && d.Block != nil {
			joinBlock(c, d.Block, b.GetDirectives(), lineOffset)
		}
	}
}

// argsDisagree compares our arguments with gonginx's on a normalised
// basis: gonginx keeps quotes (so compare Raw), drops the parameters of
// http and server blocks, keeps only the name of an upstream, and
// regenerates upstream server parameters (sorted, flags last, duplicates
// collapsed), so those are compared after the same regeneration.
func argsDisagree(d *Directive, node config.IDirective) string {
	switch n := node.(type) {
	case *config.HTTP, *config.Server:
		return ""
	case *config.Upstream:
		if len(d.Args) == 0 || n.UpstreamName != d.Args[0].Raw() {
			return fmt.Sprintf("upstream name %q vs ours %q", n.UpstreamName, rawArgs(d))
		}
		return ""
	case *config.UpstreamServer:
		if sameUpstreamServer(d, n) {
			return "" // every upstream server is checked: no copies when they agree
		}
		return upstreamServerDiff(d, n)
	case *config.LuaBlock:
		if d.Lua() == nil || len(d.Args) == 0 && strings.TrimSpace(d.Lua().Value) != n.LuaCode {
			return "Lua code differs"
		}
	}
	// The common case, compared in place: this runs for every directive.
	ps := node.GetParameters()
	same := len(ps) == len(d.Args)
	for i := 0; same && i < len(ps); i++ {
		same = ps[i].Value == d.Args[i].Raw()
	}
	if !same {
		return fmt.Sprintf("args %q vs gonginx %q", rawArgs(d), paramValues(ps))
	}
	return ""
}

// upstreamServerDiff compares an upstream server's arguments with
// gonginx's view the long way: gonginx's reading of our arguments against
// its reading of the file, as the parameter lists it writes back.
func upstreamServerDiff(d *Directive, n *config.UpstreamServer) string {
	syn := &config.Directive{Name: "server"}
	for _, a := range d.Args {
		syn.Parameters = append(syn.Parameters, config.Parameter{Value: a.Raw()})
	}
	us, _ := config.NewUpstreamServer(syn)
	ours, theirs := paramValues(us.GetParameters()), paramValues(n.GetParameters())
	if !slices.Equal(ours, theirs) {
		return fmt.Sprintf("args %q vs gonginx %q", ours, theirs)
	}
	return ""
}

// sameUpstreamServer reports, without allocating, that gonginx read d's
// arguments as ours do: the address first, each name=value parameter (its
// map keeps the last of a repeated name) and the flags in order. A false
// leaves the verdict and its message to the slow comparison.
func sameUpstreamServer(d *Directive, n *config.UpstreamServer) bool {
	if len(d.Args) == 0 || n.Address != d.Args[0].Raw() {
		return false
	}
	params, flags := 0, 0
	args := d.Args[1:]
	for i, a := range args {
		if k, v, ok := strings.Cut(a.Raw(), "="); ok {
			if got, have := n.Parameters[k]; !have || got != v || repeatsName(args[:i], k) {
				// A repeated name leaves the verdict to the slow path: counted
				// twice, it could make up for a name gonginx has and we lack
				// (a control byte our lexer skips and gonginx keeps in a word).
				return false
			}
			params++
			continue
		}
		if flags >= len(n.Flags) || n.Flags[flags] != a.Raw() {
			return false
		}
		flags++
	}
	return params == len(n.Parameters) && flags == len(n.Flags)
}

// repeatsName reports whether one of args is a name=value parameter
// called name. Upstream servers have a handful of arguments.
func repeatsName(args []*Arg, name string) bool {
	for _, a := range args {
		if k, _, ok := strings.Cut(a.Raw(), "="); ok && k == name {
			return true
		}
	}
	return false
}

func rawArgs(d *Directive) []string {
	out := make([]string, len(d.Args))
	for i, a := range d.Args {
		out[i] = a.Raw()
	}
	return out
}

func paramValues(ps []config.Parameter) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Value
	}
	return out
}

// Upstream returns gonginx's typed view of an `upstream` block, or nil.
func (d *Directive) Upstream() *config.Upstream {
	u, _ := d.Node().(*config.Upstream)
	return u
}

// UpstreamServer returns gonginx's typed view of a `server` directive
// without a block (an upstream member), or nil. Its Parameters map loses
// order and duplicates: use d.Args for those.
func (d *Directive) UpstreamServer() *config.UpstreamServer {
	s, _ := d.Node().(*config.UpstreamServer)
	return s
}

// Server returns gonginx's typed view of a `server` block, or nil.
func (d *Directive) Server() *config.Server {
	s, _ := d.Node().(*config.Server)
	return s
}

// Location returns gonginx's typed view of a `location` block (Modifier,
// Match), or nil.
func (d *Directive) Location() *config.Location {
	l, _ := d.Node().(*config.Location)
	return l
}

// HTTP returns gonginx's typed view of the `http` block, or nil.
func (d *Directive) HTTP() *config.HTTP {
	h, _ := d.Node().(*config.HTTP)
	return h
}

// LuaBlock returns gonginx's typed view of a *_by_lua_block, or nil.
func (d *Directive) LuaBlock() *config.LuaBlock {
	l, _ := d.Node().(*config.LuaBlock)
	return l
}
