package vars

import (
	"slices"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/pcre"
)

// maxDepth bounds how far a value is followed through the variables it
// is made of (set $a $b; set $b $c; ...).
const maxDepth = 24

// query carries the state of one At call through its recursion.
type query struct {
	ix    *Index
	depth int
	seen  map[seenKey]bool
	// memo holds the values already worked out in this query, so that
	// maps reading maps reading maps stay linear. (An answer cut by
	// maxDepth is Unknown, which is never wrong, so it is kept.)
	// The first answer kept sits in one, without a map: most queries
	// keep one answer at most, and a map for it was a tenth of the bytes
	// the rules allocate.
	memo   map[memoKey]Value
	one    memoKey
	oneV   Value
	hasOne bool
	// cuts lists the cycles met and not yet closed, by the key of the
	// node they went back to: an answer worked out while a cycle to a
	// node outside it is open is partial and is not kept.
	cuts []seenKey
	// inner is set once the outermost value call has begun: its own
	// answer ends the query and is not kept (most queries are one
	// built-in variable, and need no map at all).
	inner bool
}

// recall returns the answer kept for k.
func (q *query) recall(k memoKey) (Value, bool) {
	if q.hasOne && q.one == k {
		return q.oneV, true
	}
	v, ok := q.memo[k]
	return v, ok
}

// keep keeps v as the answer for k.
func (q *query) keep(k memoKey, v Value) {
	switch {
	case !q.hasOne:
		q.one, q.oneV, q.hasOne = k, v, true
	case q.one == k:
		q.oneV = v
	default:
		if q.memo == nil {
			q.memo = map[memoKey]Value{}
		}
		q.memo[k] = v
	}
}

// mark records key as being worked out.
func (q *query) mark(key seenKey) {
	if q.seen == nil {
		q.seen = map[seenKey]bool{}
	}
	q.seen[key] = true
}

// close drops the cuts that went back to k, now that k is worked out.
func (q *query) close(k seenKey) {
	out := q.cuts[:0]
	for _, c := range q.cuts {
		if c != k {
			out = append(out, c)
		}
	}
	q.cuts = out
}

type memoKey struct {
	d    *nginx.Directive
	name string
	root *nginx.Config
	via  int
	last *nginx.Directive
}

func keyOf(d *nginx.Directive, site nginx.Site, name string) memoKey {
	k := memoKey{d: d, name: name, root: site.Root, via: len(site.Via)}
	if len(site.Via) > 0 {
		k.last = site.Via[len(site.Via)-1]
	}
	return k
}

type seenKey struct {
	d    *nginx.Directive
	name string
}

// cycleKey is the key a variable read at d is met again by: the block
// whose definitions d sees (its own, an if block counting with the block
// around it, as in inScope), so that every line of that block reading
// the variable is the same node. Keyed by d itself, ten lines of
// `set $v "a$v";` made the query walk every order of them (8 lines: a
// second; 10: over a minute). At the top of a file, d is its own key: what it
// sees depends on where the file is included.
func cycleKey(d *nginx.Directive, name string) seenKey {
	if b := scopeBlock(d); b != nil {
		return seenKey{b, name}
	}
	return seenKey{d, name}
}

// scopeBlock is the block whose requests run d: the first block around
// it that is not an if (an if's lines count with the block around it);
// nil at the top of a file.
func scopeBlock(d *nginx.Directive) *nginx.Directive {
	b := d.Parent
	for b != nil && b.Name == "if" {
		b = b.Parent
	}
	return b
}

// blockWide reports a variable whose value is the same for every line
// of a block: one no capture names (a capture depends on the regexes
// before the line).
func (ix *Index) blockWide(name string) bool {
	return !isCaptureName(name) && len(ix.named[name]) == 0
}

// At answers what $name can hold when directive d runs at site (one of
// d's file's Sites; the zero Site means the first): the variable's
// origin, its properties and the directives that provide it. name is
// written with or without '$' ("host", "arg_id", "1"). It never fails:
// a variable nothing defines has Origin Undefined, one computed by code
// has Props Unknown.
func (ix *Index) At(d *nginx.Directive, site nginx.Site, name string) Value {
	name = strings.TrimPrefix(name, "$")
	if d == nil || ix == nil {
		// nowhere: only the built-in table can answer
		v := Value{Name: name}
		if b, p := LookupBuiltin(name, ""); b != nil {
			v.Origin, v.Builtin, v.Props = Builtin, b, p
		}
		return v
	}
	if site.Root == nil && d.Config != nil {
		site = d.Config.Sites()[0]
	}
	q := &query{ix: ix}
	if ix.blockWide(name) && len(ix.defs[name]) > 0 {
		// A defined variable's answer is shared by the run's queries
		// from the same block (see value): a block of n lines that each
		// read and set it was n queries of n definitions.
		return ix.values.Get(keyOf(cycleKey(d, name).d, site, name), func() Value { return q.value(d, site, name) })
	}
	return q.value(d, site, name)
}

// Ref is At for a reference found by DirectiveRefs or Refs.
func (ix *Index) Ref(d *nginx.Directive, site nginx.Site, r Ref) Value {
	return ix.At(d, site, r.Name)
}

// Defined reports whether anything defines $name in family ("http",
// "stream"; "" for either): a built-in variable, a definition or a
// named capture. A numbered capture is always defined.
func (ix *Index) Defined(name, fam string) bool {
	if isCaptureName(name) {
		return true
	}
	if v, _ := LookupBuiltin(name, fam); v != nil {
		return true
	}
	if ix == nil {
		return false
	}
	for _, df := range ix.defs[name] {
		if sameFamily(df.family, fam) {
			return true
		}
	}
	for _, rs := range ix.named[name] {
		if sameFamily(family(rs.d.Context()), fam) {
			return true
		}
	}
	return false
}

func sameFamily(a, b string) bool { return a == "" || b == "" || a == b }

func isCaptureName(name string) bool { return len(name) == 1 && name[0] >= '1' && name[0] <= '9' }

// familyAt is the block family (http, stream) d is in at site.
// A fragment's implied context is a guess (a log_format snippet may be
// meant for stream as well as http), so there the family is "".
func familyAt(d *nginx.Directive, site nginx.Site) string {
	if site.Root == nil {
		if d.Config == nil {
			return family(d.Context())
		}
		site = d.Config.Sites()[0]
	}
	if len(site.Root.Implied) > 0 {
		return ""
	}
	return family(d.ContextIn(site))
}

func (q *query) value(d *nginx.Directive, site nginx.Site, name string) Value {
	k := keyOf(d, site, name)
	if q.ix.blockWide(name) {
		// Without captures, what d sees of name is what every line of
		// its block sees (see cycleKey): one answer for all of them, so
		// that a block whose lines all read and set one variable is
		// worked out once, not once per line.
		k.d = cycleKey(d, name).d
	}
	if v, ok := q.recall(k); ok {
		return v
	}
	outermost := !q.inner
	q.inner = true
	open := len(q.cuts)
	v := q.compute(d, site, name)
	q.close(cycleKey(d, name))
	if !outermost && len(q.cuts) <= open {
		q.keep(k, v)
	}
	return v
}

// computed, when set, is called for each value and each definition's
// value worked out (a test hook: it counts the work queries do).
var computed func()

func (q *query) compute(d *nginx.Directive, site nginx.Site, name string) Value {
	if computed != nil {
		computed()
	}
	if isCaptureName(name) {
		return q.numbered(d, site, int(name[0]-'0'))
	}
	fam := familyAt(d, site)
	v := Value{Name: name, Origin: Undefined}
	bv, bp := LookupBuiltin(name, fam)
	defs, scoped := q.ix.defsInScope(d, site, name, fam)
	named := q.ix.namedIn(name, fam)
	props := Number // the identity of Join: nothing seen yet
	if bv != nil {
		v.Origin, v.Builtin = Builtin, bv
		props = bp
	}
	if len(defs) > 0 {
		if scoped || bv == nil {
			// a built-in that nothing here overrides stays a built-in
			v.Origin = defs[0].origin
		}
		var from names
		for _, df := range defs {
			v.Providers = append(v.Providers, df.d)
			p, f := q.defProps(df, d, site)
			props = Join(props, p)
			from.add(f...)
		}
		v.From = from.list
	}
	if len(named) > 0 {
		cv := q.named(d, site, name, named)
		if v.Origin == Undefined || v.Origin == Builtin {
			v.Origin = Capture
		}
		v.Providers = append(v.Providers, cv.Providers...)
		props = Join(props, cv.Props)
	}
	if v.Origin == Undefined {
		return v
	}
	v.Props = props
	return v
}

// names collects names in order, each once: by a scan while there are
// few, by a set past smallNames (a template of thousands of variables
// was quadratic).
type names struct {
	list []string
	seen map[string]bool
}

const smallNames = 16

func (n *names) add(more ...string) {
	for _, s := range more {
		if n.seen != nil {
			if !n.seen[s] {
				n.seen[s] = true
				n.list = append(n.list, s)
			}
			continue
		}
		if slices.Contains(n.list, s) {
			continue
		}
		n.list = append(n.list, s)
		if len(n.list) > smallNames {
			n.seen = make(map[string]bool, 2*len(n.list))
			for _, x := range n.list {
				n.seen[x] = true
			}
		}
	}
}

// smallDefs is the number of definitions of a variable up to which they
// are all read for each query; more are looked up by block (defScopes).
var smallDefs = 8 // a variable for the test that compares the two ways

// defsInScope returns name's definitions of family fam that run for a
// request reaching d at site, in the index's order, as inScope keeps
// them (scoped false: none does, and all are returned). A variable set
// in each of thousands of locations is looked up by the blocks around d
// instead of read whole for each query.
func (ix *Index) defsInScope(d *nginx.Directive, site nginx.Site, name, fam string) ([]def, bool) {
	all := ix.defs[name]
	var out []def
	if len(all) <= smallDefs {
		for _, df := range all {
			if sameFamily(df.family, fam) {
				out = append(out, df)
			}
		}
		if len(out) == 0 {
			return nil, false
		}
		return ix.inScope(d, site, out)
	}
	sc := ix.scopes.Get(name, func() *defScopes { return scopesOf(all) })
	vis := map[*nginx.Directive]bool{}
	var idx []int
	for _, lv := range ix.levels(d, site) {
		if lv.block != nil && !vis[lv.block] {
			vis[lv.block] = true
			idx = append(idx, sc.byBlock[lv.block]...)
		}
	}
	for _, i := range sc.rest {
		if df := all[i]; df.origin != Set && df.origin != Module || visible(df.d, d, vis) {
			idx = append(idx, i)
		}
	}
	slices.Sort(idx)
	for _, i := range idx {
		if sameFamily(all[i].family, fam) {
			out = append(out, all[i])
		}
	}
	if len(out) > 0 {
		return out, true
	}
	for _, df := range all {
		if sameFamily(df.family, fam) {
			out = append(out, df)
		}
	}
	return out, false
}

// defScopes sorts a variable's definitions (by index) for defsInScope:
// the set and module lines by the block whose requests run them (the
// first block around them that is not an if, which visible reaches
// exactly when it is around d), and the rest (map, geo and the like, in
// scope everywhere, and lines at a file's top, which depend on where the
// file is included).
type defScopes struct {
	byBlock map[*nginx.Directive][]int
	rest    []int
}

func scopesOf(all []def) *defScopes {
	sc := &defScopes{byBlock: map[*nginx.Directive][]int{}}
	for i, df := range all {
		if df.origin == Set || df.origin == Module {
			if b := scopeBlock(df.d); b != nil {
				sc.byBlock[b] = append(sc.byBlock[b], i)
				continue
			}
		}
		sc.rest = append(sc.rest, i)
	}
	return sc
}

// inScope keeps the definitions that run for a request reaching d: those
// in d's own block or a block around it (an if block counts with the
// block it is in, since its body may have run). When none is, every
// definition may have given the value before an internal redirect, and
// all are kept (scoped is then false). Blocks defined at the http level
// (map, geo) are always in scope.
func (ix *Index) inScope(d *nginx.Directive, site nginx.Site, defs []def) ([]def, bool) {
	vis := map[*nginx.Directive]bool{}
	for _, lv := range ix.levels(d, site) {
		if lv.block != nil {
			vis[lv.block] = true
		}
	}
	var out []def
	for _, df := range defs {
		if df.origin != Set && df.origin != Module || visible(df.d, d, vis) {
			out = append(out, df)
		}
	}
	if len(out) == 0 {
		return defs, false
	}
	return out, true
}

func visible(p, d *nginx.Directive, vis map[*nginx.Directive]bool) bool {
	for b := p.Parent; b != nil; b = b.Parent {
		if vis[b] {
			return true
		}
		if b.Name != "if" {
			return false
		}
	}
	if p.Config == d.Config {
		return true
	}
	// p is at the top of an included file: visible where an include of
	// it is
	if p.Config != nil {
		for _, inc := range p.Config.IncludedBy {
			if inc.Parent != nil && vis[inc.Parent] {
				return true
			}
		}
	}
	return false
}

// siteOf is the site to read p's own variables at: d's when p is in the
// same file, else p's file's first.
func siteOf(p, d *nginx.Directive, site nginx.Site) nginx.Site {
	if p.Config == d.Config || p.Config == nil {
		return site
	}
	return p.Config.Sites()[0]
}

// defProps is what a definition gives its variable, and the variables it
// reads.
func (q *query) defProps(df def, at *nginx.Directive, site nginx.Site) (Props, []string) {
	s := siteOf(df.d, at, site)
	k := keyOf(df.d, s, "\x00def")
	if v, ok := q.recall(k); ok {
		return v.Props, v.From
	}
	open := len(q.cuts)
	p, from := q.defPropsAt(df, s)
	if len(q.cuts) <= open {
		q.keep(k, Value{Props: p, From: from})
	}
	return p, from
}

// defPropsAt is defProps with d's own variables read at site s.
func (q *query) defPropsAt(df def, s nginx.Site) (Props, []string) {
	if computed != nil {
		computed()
	}
	d := df.d
	switch df.origin {
	case Set:
		return q.template(d, s, df.value)
	case Map:
		// the result is one of the values; a value is a template that
		// may read the source through the key regex's captures
		var from []string
		if len(d.Args) > 0 {
			_, from = splitTemplate(d.Args[0].Value)
		}
		p := Number
		for _, e := range blockEntries(d) {
			if len(e.Args) == 0 || e.Name == "hostnames" || e.Name == "volatile" || e.Name == "include" {
				continue
			}
			ep, _ := q.template(e, siteOf(e, d, s), e.Args[len(e.Args)-1].Value)
			p = Join(p, ep)
		}
		return p, from
	case Geo, SplitClients:
		var from []string
		switch {
		case df.origin == Geo && len(d.Args) == 1:
			from = []string{"remote_addr"} // geo's default source
		case df.origin == Geo && len(d.Args) == 2 || df.origin == SplitClients && len(d.Args) > 0:
			_, from = splitTemplate(d.Args[0].Value)
		}
		p := Number
		for _, e := range blockEntries(d) {
			switch e.Name {
			case "ranges", "proxy", "proxy_recursive", "delete", "include":
				continue
			}
			if len(e.Args) > 0 {
				p = Join(p, literalProps(e.Args[len(e.Args)-1].Value))
			}
		}
		return p, from
	case Module:
		if strings.HasPrefix(innerBlock(d), "geoip2") { // looked up in a database
			return 0, nil
		}
		return Unknown, nil
	}
	return Unknown, nil
}

// blockEntries lists the entries of a map, geo or split_clients block,
// with the entries of files it includes.
func blockEntries(d *nginx.Directive) []*nginx.Directive {
	return flatten(d.Block, 0)
}

// template is what a template of d (an argument's value) holds: its
// literal text and the variables it reads, joined; with the names read.
func (q *query) template(d *nginx.Directive, site nginx.Site, text string) (Props, []string) {
	lits, refs := splitTemplate(text) // each name once
	p := literalProps(lits)
	for _, r := range refs {
		key := cycleKey(d, r)
		if q.seen[key] || q.depth >= maxDepth {
			if q.seen[key] {
				q.cuts = append(q.cuts, key) // a cycle: partial until key is done
			}
			if q.depth >= maxDepth {
				p = Join(p, Unknown)
			}
			continue // a cycle adds nothing new
		}
		q.mark(key)
		q.depth++
		v := q.value(d, site, r)
		q.depth--
		delete(q.seen, key)
		if v.Origin == Undefined {
			continue // nginx would not start; nothing to add
		}
		p = Join(p, v.Props)
	}
	return p, refs
}

// splitTemplate separates a template's literal text from the names of
// the variables it reads, each once.
func splitTemplate(s string) (string, []string) {
	var lit strings.Builder
	var read names
	last := 0
	for _, r := range scan(s, false) {
		lit.WriteString(s[last:r.from])
		read.add(r.name)
		last = r.to
	}
	lit.WriteString(s[last:])
	return lit.String(), read.list
}

// level is one block around a directive: the block (nil for the top of
// the root file), its children with includes expanded, and the index of
// the child that leads to the directive.
type level struct {
	block *nginx.Directive
	kids  []*nginx.Directive
	idx   int
}

// levels lists the blocks around d at site, innermost first, crossing
// includes. Each block's expanded children come from the Index's memo:
// the http block of a tree includes every virtual host, and expanding it
// per query made a run quadratic in the number of hosts.
func (ix *Index) levels(d *nginx.Directive, site nginx.Site) []level {
	var out []level
	cur := d
	vi := len(site.Via)
	for n := 0; n < 256; n++ {
		x := cur
		for x.Parent == nil && vi > 0 {
			x = site.Via[vi-1]
			vi--
		}
		var lv level
		var fl *flat
		if x.Parent == nil {
			if x.Config != nil {
				fl = ix.flatOf(x.Config, x.Config.Directives)
			}
		} else {
			lv.block = x.Parent
			fl = ix.flatOf(x.Parent, x.Parent.Block)
		}
		if fl != nil {
			lv.kids = fl.kids
			lv.idx = fl.index(cur)
		}
		out = append(out, lv)
		if lv.block == nil {
			break
		}
		cur = lv.block
	}
	return out
}

// flat is a block's children with includes expanded, and where each
// child is (for long lists only; a short one is scanned).
type flat struct {
	kids []*nginx.Directive
	pos  map[*nginx.Directive]int
}

const indexFrom = 32

func (f *flat) index(d *nginx.Directive) int {
	if f.pos != nil {
		if i, ok := f.pos[d]; ok {
			return i
		}
		return len(f.kids)
	}
	for i, k := range f.kids {
		if k == d {
			return i
		}
	}
	return len(f.kids)
}

// flatOf returns the memoised flat form of list, owned by key (a block
// directive or a file's Config). An Index not made by Build memoises
// nothing.
func (ix *Index) flatOf(key any, list []*nginx.Directive) *flat {
	if ix == nil {
		return newFlat(list)
	}
	return ix.flats.Get(key, func() *flat { return newFlat(list) })
}

func newFlat(list []*nginx.Directive) *flat {
	f := &flat{kids: flatten(list, 0)}
	if len(f.kids) > indexFrom {
		f.pos = make(map[*nginx.Directive]int, len(f.kids))
		for i, k := range f.kids {
			if _, ok := f.pos[k]; !ok {
				f.pos[k] = i
			}
		}
	}
	return f
}

// flatten expands include directives into the directives of the files
// they include.
func flatten(list []*nginx.Directive, depth int) []*nginx.Directive {
	hasInclude := false
	for _, d := range list {
		if d.Name == "include" && len(d.Includes()) > 0 {
			hasInclude = true
			break
		}
	}
	if !hasInclude || depth > 16 {
		return list
	}
	out := make([]*nginx.Directive, 0, len(list))
	for _, d := range list {
		if d.Name == "include" && len(d.Includes()) > 0 {
			for _, c := range d.Includes() {
				out = append(out, flatten(c.Directives, depth+1)...)
			}
			continue
		}
		out = append(out, d)
	}
	return out
}

// rewritePhase are the directives nginx runs in order, one after the
// other, in the rewrite phases (the rewrite module and the modules that
// hook into its script engine).
var rewritePhase = map[string]bool{
	"rewrite": true, "set": true, "if": true, "return": true, "break": true,
	"set_by_lua": true, "set_by_lua_block": true, "set_by_lua_file": true,
}

// candidate is a regex whose captures may be in force at a directive;
// definite: it certainly matched after every other candidate.
type candidate struct {
	rs       *regexSite
	definite bool
}

// candidates lists the regexes whose captures may be those in force
// when d runs, most recent first, ending at the first that certainly
// matched and took stop's interest. complete is false when nginx's
// order cannot be followed (a server-level directive that runs after
// whichever location matched).
func (ix *Index) candidates(d *nginx.Directive, site nginx.Site, stop func(*regexSite) bool) (out []candidate, complete bool) {
	// a directive that reads its own regex's captures
	if rs := ix.regexOf[d]; rs != nil && d.Name != "if" && d.Name != "location" && d.Name != "server_name" {
		return []candidate{{rs, true}}, true
	}
	if innerBlock(d) == "map" {
		return nil, false // evaluated wherever the map's result is read
	}
	lvls := ix.levels(d, site)
	inRewrite := rewritePhase[d.Name]
	maybe := func(x *nginx.Directive) {
		ix.rewriteRegexes(x, &out)
	}
	for li, lv := range lvls {
		b := lv.block
		if b == nil {
			return out, li > 0 && out != nil
		}
		switch b.Name {
		case "if":
			if inRewrite {
				for i := lv.idx - 1; i >= 0; i-- {
					maybe(lv.kids[i])
				}
			} else if li == 0 {
				out = append(out, ix.kidsRegexes(b, lv.kids)...)
			}
			if rs := ix.regexOf[b]; rs != nil && rs.positive && stop(rs) {
				out = append(out, candidate{rs, true})
				if inRewrite {
					return out, true
				}
			}
		case "location":
			if inRewrite {
				for i := lv.idx - 1; i >= 0; i-- {
					maybe(lv.kids[i])
				}
			} else {
				out = append(out, ix.kidsRegexes(b, lv.kids)...)
			}
			if rs := ix.regexOf[b]; rs != nil && stop(rs) {
				out = append(out, candidate{rs, true})
				return out, true
			}
			// a prefix location: the server's rewrites ran before it;
			// an outer location's did not
			for _, up := range lvls[li+1:] {
				if up.block != nil && up.block.Name == "server" {
					out = append(out, ix.kidsRegexes(up.block, up.kids)...)
					out = append(out, ix.serverNameCands(up.block)...)
					return out, true
				}
			}
			return out, true
		case "server":
			if !inRewrite {
				// runs after whichever location matched
				return out, false
			}
			for i := lv.idx - 1; i >= 0; i-- {
				maybe(lv.kids[i])
			}
			out = append(out, ix.serverNameCands(b)...)
			return out, true
		default:
			return out, inRewrite
		}
	}
	return out, true
}

func (ix *Index) serverNameCands(srv *nginx.Directive) []candidate {
	var out []candidate
	for _, rs := range ix.serverNames[srv] {
		out = append(out, candidate{rs, false})
	}
	return out
}

// kidsRegexes is what rewriteRegexes finds in each of kids, the
// expanded children of block b, in order: worked out once per block, as
// the directives of a location read all of it (a location of thousands of
// if blocks was read again for each of their captures).
func (ix *Index) kidsRegexes(b *nginx.Directive, kids []*nginx.Directive) []candidate {
	return ix.kidRegexes.Get(b, func() []candidate {
		var out []candidate
		for _, k := range kids {
			ix.rewriteRegexes(k, &out)
		}
		return slices.Clip(out)
	})
}

// rewriteRegexes appends the regexes a rewrite-phase directive x (and,
// for an if, its body) may run, most recent first.
func (ix *Index) rewriteRegexes(x *nginx.Directive, out *[]candidate) {
	switch x.Name {
	case "rewrite":
		if rs := ix.regexOf[x]; rs != nil {
			*out = append(*out, candidate{rs, false})
		}
	case "if":
		kids := flatten(x.Block, 0)
		for i := len(kids) - 1; i >= 0; i-- {
			ix.rewriteRegexes(kids[i], out)
		}
		if rs := ix.regexOf[x]; rs != nil {
			*out = append(*out, candidate{rs, false})
		}
	}
}

// dedupe keeps the first (most recent) mention of each regex: a
// content-phase directive meets an if block's regex both from inside the
// block and from the location around it.
func dedupe(cands []candidate) []candidate {
	seen := map[*regexSite]bool{}
	out := cands[:0:0]
	for _, c := range cands {
		if !seen[c.rs] {
			seen[c.rs] = true
			out = append(out, c)
		}
	}
	return out
}

// numbered answers $n.
func (q *query) numbered(d *nginx.Directive, site nginx.Site, n int) Value {
	v := Value{Name: string(rune('0' + n)), Origin: Capture}
	stop := func(rs *regexSite) bool { return rs.captures() != 0 }
	cands, complete := q.ix.candidates(d, site, stop)
	cands = dedupe(cands)
	props := Number
	has := false
	for _, c := range cands {
		if c.rs.captures() == 0 {
			continue // a regex without groups leaves the captures alone
		}
		v.Providers = append(v.Providers, c.rs.d)
		if c.rs.captures() < 0 || c.rs.captures() >= n {
			has = true
		}
		props = Join(props, q.groupProps(c.rs, site, d, n, ""))
	}
	if !complete {
		props = Join(props, Unknown)
		has = true
	}
	v.NoGroup = !has
	v.Props = props
	return v
}

// named answers a named capture from the regexes that have it.
func (q *query) named(d *nginx.Directive, site nginx.Site, name string, all []*regexSite) Value {
	v := Value{Name: name, Origin: Capture}
	has := func(rs *regexSite) bool {
		if !rs.ok {
			for _, n := range q.ix.named[name] {
				if n == rs {
					return true
				}
			}
			return false
		}
		return rs.names[name] > 0
	}
	cands, _ := q.ix.candidates(d, site, has)
	cands = dedupe(cands)
	var use []*regexSite
	for _, c := range cands {
		if has(c.rs) {
			use = append(use, c.rs)
		}
	}
	if len(use) == 0 {
		use = all // set elsewhere, before an internal redirect, or empty
	}
	props := Number
	for _, rs := range use {
		v.Providers = append(v.Providers, rs.d)
		props = Join(props, q.groupProps(rs, site, d, 0, name))
	}
	v.Props = props
	return v
}

// groupProps is what group n (or the group called name) of rs holds:
// what the regex's subject holds, narrowed by what the group can match.
func (q *query) groupProps(rs *regexSite, site nginx.Site, at *nginx.Directive, n int, name string) Props {
	if !rs.ok {
		return Unknown
	}
	if name != "" {
		n = rs.names[name]
	}
	g := rs.group(n)
	if g == nil {
		return Number // no such group: empty
	}
	subj := q.subject(rs, siteOf(rs.d, at, site))
	if onlyChars(g, "0123456789.") {
		p := Number
		if subj.May(Client) {
			p |= Client
		}
		return p
	}
	p := subj &^ (CRLF | Slash)
	if subj.May(CRLF) && g.CanMatch(pcre.Newline) {
		p |= CRLF
	}
	if subj.May(Slash) && g.CanMatch(pcre.Slash) {
		p |= Slash
	}
	return p
}

// uriProps is what the normalised, decoded URI holds.
const uriProps = Client | Slash | CRLF

// subject is what the text a regex is matched against holds.
func (q *query) subject(rs *regexSite, site nginx.Site) Props {
	d := rs.d
	switch rs.kind {
	case "location", "rewrite", "fastcgi_split_path_info":
		return uriProps
	case "server_name":
		return Client // the validated host name
	case "proxy_redirect", "proxy_cookie_path", "proxy_cookie_domain":
		return Upstream | Slash
	case "if":
		if len(d.Args) > 0 {
			op := strings.TrimPrefix(d.Args[0].Value, "(")
			if op == "" && len(d.Args) > 1 {
				op = d.Args[1].Value
			}
			if strings.HasPrefix(op, "$") {
				q.depth++
				v := q.value(d, site, strings.Trim(op[1:], "{}"))
				q.depth--
				if v.Origin != Undefined {
					return v.Props
				}
			}
		}
		return Unknown
	case "map":
		m := d.Parent
		if m == nil {
			m = d.EnclosingIn(site, "map") // an entry in an included file
		}
		if m != nil && len(m.Args) > 0 {
			key := seenKey{m, "\x00source"}
			if q.depth >= maxDepth {
				return Unknown
			}
			if q.seen[key] {
				q.cuts = append(q.cuts, key)
				return Number
			}
			q.mark(key)
			q.depth++
			p, _ := q.template(m, siteOf(m, d, site), m.Args[0].Value)
			q.depth--
			delete(q.seen, key)
			q.close(key)
			return p
		}
	}
	return Unknown
}

// onlyChars reports whether every character n can match is in set.
func onlyChars(n *pcre.Node, set string) bool {
	ok := true
	n.Walk(func(x *pcre.Node) bool {
		if !ok {
			return false
		}
		switch x.Kind {
		case pcre.Literal:
			if !strings.ContainsRune(set, x.Rune) {
				ok = false
			}
		case pcre.Class:
			for _, r := range x.Ranges {
				for c := r.Lo; c <= r.Hi; c++ {
					if !strings.ContainsRune(set, c) {
						ok = false
						return false
					}
				}
			}
		case pcre.Any, pcre.Backref, pcre.Call:
			ok = false
		case pcre.Lookaround:
			return false
		}
		return ok
	})
	return ok
}
