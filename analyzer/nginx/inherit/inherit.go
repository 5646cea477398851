package inherit

import (
	"slices"
	"sync"
	"unsafe"

	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
)

// levelBlock reports the blocks nginx merges configuration through: each
// has its own copy of the module configurations, merged from the
// enclosing one. An `if` in a location and a `limit_except` are levels
// too (nginx gives each its own location configuration). A switch, not
// a map: it is asked for every block on the way out of every query.
func levelBlock(name string) bool {
	switch name {
	case "http", "server", "location", "if", "limit_except", "stream", "mail":
		return true
	}
	return false
}

// switchSince is the first release with add_header_inherit and
// add_trailer_inherit.
var switchSince = spec.Version{Major: 1, Minor: 29, Patch: 3}

// maxDepth bounds include expansion inside one level; the loader never
// links cyclic includes, this only keeps a bad tree from looping.
const maxDepth = 16

// Level is one configuration level on the way from a block out to the
// top.
type Level struct {
	// Block is the level's block directive; nil for the top of a
	// fragment root (a file linted in an implied context), whose level is
	// the innermost implied one.
	Block *nginx.Directive
	// Root is the fragment root when Block is nil.
	Root *nginx.Config
	// Context names the level: "http", "server", "location", "if", ...
	Context string
}

// Directives returns the level's own directives in the order nginx reads
// them: its children, with include directives replaced by the top level
// of the files they load (recursively). Nested blocks are listed, not
// entered. unresolved reports an include there that loaded no file, so
// the list may be missing lines.
func (l Level) Directives() (out []*nginx.Directive, unresolved bool) {
	return (*Index)(nil).Directives(l)
}

// Index memoises what queries over one workspace repeat: the expanded
// directive list of each level, which every add_header of a level and
// every site of a snippet asks for again. The zero of *Index (nil) works
// and memoises nothing. Safe for concurrent use.
type Index struct {
	dirs   memo[Level, levelDirs]
	owns   memo[ownKey, ownLines]
	levels memo[levelsKey, []Level]
}

// memo is a map safe for concurrent use, in shards with a lock each:
// every rule task asks it for every directive, and one mutex over the
// maps was most of what Levels cost on both cores (sync.Map, which boxes
// each key, was no faster). A key names its shard (shardKey). Two
// callers may compute one key at once; the values are equal.
type memo[K shardKey, V any] struct {
	shards [memoShards]shard[K, V]
}

// shardKey is a memo key that spreads itself over the shards.
type shardKey interface {
	comparable
	shard() uint
}

const memoShards = 32

type shard[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]V
	_  [48]byte // a cache line of its own: the shards are locked from both cores
}

func (m *memo[K, V]) get(k K) (V, bool) {
	s := &m.shards[k.shard()%memoShards]
	s.mu.Lock()
	v, ok := s.m[k]
	s.mu.Unlock()
	return v, ok
}

func (m *memo[K, V]) put(k K, v V) {
	s := &m.shards[k.shard()%memoShards]
	s.mu.Lock()
	if s.m == nil {
		s.m = map[K]V{}
	}
	s.m[k] = v
	s.mu.Unlock()
}

// hashOf spreads a level's block (or, for a fragment's implied level, its
// root) over the shards: Go's collector does not move objects, so an
// address is a stable hash.
func hashOf(block *nginx.Directive, root *nginx.Config) uint {
	p := uintptr(unsafe.Pointer(block))
	if block == nil {
		p = uintptr(unsafe.Pointer(root))
	}
	return uint((uint64(p) * 0x9E3779B97F4A7C15) >> 58)
}

func (l Level) shard() uint     { return hashOf(l.Block, l.Root) }
func (k levelsKey) shard() uint { return hashOf(k.block, k.root) }
func (k ownKey) shard() uint    { return k.level.shard() }

// levelsKey names a level list: every directive under the same innermost
// level block, at the same site, inherits through the same levels. A site
// is named by its root and its include chain's backing array, which
// Config.Sites keeps for the life of the trees (a copied chain is only a
// miss).
type levelsKey struct {
	block *nginx.Directive
	root  *nginx.Config
	via   **nginx.Directive
	n     int
}

type levelDirs struct {
	list       []*nginx.Directive
	unresolved bool
}

// NewIndex returns an empty Index; the loaded trees must not change while
// it is in use.
func NewIndex() *Index { return &Index{} }

// NewIndexFor is NewIndex for a workspace of about n directives: the
// memo of level lists is made at the size it will reach (a level block
// in about every six directives), not grown to it a doubling at a time.
func NewIndexFor(n int) *Index {
	x := &Index{}
	per := n / 6 / memoShards
	for i := range x.levels.shards {
		x.levels.shards[i].m = make(map[levelsKey][]Level, per)
	}
	return x
}

// Directives is Level.Directives, memoised. The slice is shared: do not
// modify it.
func (x *Index) Directives(l Level) (out []*nginx.Directive, unresolved bool) {
	if list, ok := plainLevel(l); ok {
		return list, false // nothing to expand: no copy, no lock
	}
	if x != nil {
		if e, ok := x.dirs.get(l); ok {
			return e.list, e.unresolved
		}
		defer func() { x.dirs.put(l, levelDirs{out, unresolved}) }()
	}
	list := l.children()
	unresolved = expand(list, 0, &out)
	return out, unresolved
}

func expand(list []*nginx.Directive, depth int, out *[]*nginx.Directive) (unresolved bool) {
	for _, d := range list {
		if d.Name != "include" {
			*out = append(*out, d)
			continue
		}
		if len(d.Includes()) == 0 || depth >= maxDepth {
			unresolved = true
			continue
		}
		for _, c := range d.Includes() {
			if expand(c.Directives, depth+1, out) {
				unresolved = true
			}
		}
	}
	return unresolved
}

// Levels returns the levels d inherits through at site s of its file,
// innermost first: d itself when it is a level block (a server, a
// location, an if ...), else the level d sits in, then each enclosing
// level, crossing the site's include chain. The walk ends at the top of
// the root file: at its implied level for a fragment root, at the main
// context (not a level) for a main file. s must be one of
// d.Config.Sites().
func Levels(d *nginx.Directive, s nginx.Site) []Level {
	return levelsFrom(innermost(d), s)
}

// Levels is the package's Levels, memoised: the rules and Resolve ask for
// the same few lists once per directive. The slice is shared: do not
// modify it.
func (x *Index) Levels(d *nginx.Directive, s nginx.Site) []Level {
	cur := innermost(d)
	if x == nil {
		return levelsFrom(cur, s)
	}
	k := levelsKey{block: cur, root: s.Root, n: len(s.Via)}
	if k.n > 0 {
		k.via = &s.Via[0]
	}
	if out, ok := x.levels.get(k); ok {
		return out
	}
	out := slices.Clip(levelsFrom(cur, s))
	x.levels.put(k, out)
	return out
}

// innermost is d when it is a level block, else the nearest enclosing
// level block in its file (nil at the file's top).
func innermost(d *nginx.Directive) *nginx.Directive {
	for ; d != nil; d = d.Parent {
		if isLevel(d) {
			return d
		}
	}
	return nil
}

// levelsFrom lists the levels from cur, the innermost level block, out
// to the top of s's root.
func levelsFrom(cur *nginx.Directive, s nginx.Site) []Level {
	out := make([]Level, 0, 4) // location, server, http and one more: one allocation
	via := len(s.Via)
	for {
		for ; cur != nil; cur = cur.Parent {
			if isLevel(cur) {
				out = append(out, Level{Block: cur, Context: cur.Name})
			}
		}
		if via == 0 {
			break
		}
		via--
		cur = s.Via[via].Parent
	}
	if s.Root != nil && len(s.Root.Implied) > 0 {
		if top := s.Root.Implied[len(s.Root.Implied)-1]; levelBlock(top) {
			out = append(out, Level{Root: s.Root, Context: top})
		}
	}
	return out
}

func isLevel(d *nginx.Directive) bool { return d.HasBlock && levelBlock(d.Name) }

// Result is the answer for one directive name at one level and site.
type Result struct {
	// Levels are the levels walked, innermost first (see Levels).
	Levels []Level
	// Effective lists the lines that apply at the innermost level, in
	// the order nginx applies them. It may be shared with other answers
	// of the same Index (the rules ask for it per directive and site, and
	// most lists are one level's own, memoised): do not modify it.
	Effective []*nginx.Directive
	// Drops lists, run by run, the lines set at outer levels that do not
	// apply here because a nearer level replaced them (Dropped lists them
	// one by one). A run's Lines may be shared with other answers: a
	// location that drops a server's thousand lines is handed the
	// server's list, not a copy of it.
	Drops []DropRun
	// Unresolved is true when a level held an include that loaded no
	// file: the answer may be missing lines.
	Unresolved bool
}

// DropRun is the outer lines one level stopped: Drop for each of Lines,
// with the same Level, By and Off. Lines must not be modified.
type DropRun struct {
	Lines []*nginx.Directive
	Level int
	By    *nginx.Directive
	Off   bool
}

// Dropped lists the lines of Drops one by one, in order.
func (r Result) Dropped() []Drop {
	var out []Drop
	for _, run := range r.Drops {
		for _, d := range run.Lines {
			out = append(out, Drop{Directive: d, Level: run.Level, By: run.By, Off: run.Off})
		}
	}
	return out
}

// Drop is one outer line that does not reach the innermost level.
type Drop struct {
	// Directive is the line that does not apply.
	Directive *nginx.Directive
	// Level is the index in Result.Levels of the level that stopped it:
	// the one that sets its own lines (or turns inheritance off).
	Level int
	// By is the first line of that level that stopped it: its own first
	// line of the group, or the add_header_inherit / add_trailer_inherit
	// that turned inheritance off.
	By *nginx.Directive
	// Off is true when inheritance was turned off on purpose
	// (add_header_inherit off), not replaced by the level's own lines.
	Off bool
}

// Effective returns the lines named name (with the rest of its group,
// see Group) that apply at block d, at site s of d's file, for nginx
// version v (zero: the newest stable release the table knows).
func Effective(d *nginx.Directive, s nginx.Site, name string, v spec.Version) []*nginx.Directive {
	return Resolve(d, s, name, v).Effective
}

// Resolve is Effective with the levels walked and the lines dropped on
// the way.
func Resolve(d *nginx.Directive, s nginx.Site, name string, v spec.Version) Result {
	return (*Index)(nil).Resolve(d, s, name, v)
}

// Resolve is the package's Resolve with the level lists memoised.
func (x *Index) Resolve(d *nginx.Directive, s nginx.Site, name string, v spec.Version) Result {
	if v.IsZero() {
		v = spec.Latest
	}
	r := Result{Levels: x.Levels(d, s)}
	members := newMembers(Group(name)) // inlined: Group's one-name slice stays on the stack
	kind := KindOf(name)
	sw := ""
	if !v.Less(switchSince) {
		sw = inheritSwitch[name]
	}
	mode, modeLine := "on", (*nginx.Directive)(nil)
	var eff []*nginx.Directive
	// nginx merges from the outside in: http into server, server into
	// location, location into a nested location or an if.
	for i := len(r.Levels) - 1; i >= 0; i-- {
		own, swDir, unresolved := x.own(r.Levels[i], name, &members, sw)
		r.Unresolved = r.Unresolved || unresolved
		switch kind {
		case Local:
			if i == 0 {
				eff = own
			}
			continue
		case Accumulated:
			eff = append(slices.Clip(eff), own...)
			continue
		case Scalar:
			if len(own) > 0 {
				r.drop(eff, i, own[0], false)
				eff = own
			}
			continue
		}
		if swDir != nil {
			switch m := swDir.Args[0].Value; m {
			case "on", "off", "merge":
				mode, modeLine = m, swDir
			}
		}
		switch {
		case mode == "off":
			if len(eff) > 0 {
				r.drop(eff, i, modeLine, true)
			}
			eff = own
		case len(own) == 0:
			// inherited as it is
		case mode == "merge":
			eff = append(slices.Clip(own), eff...)
		default:
			r.drop(eff, i, own[0], false)
			eff = own
		}
	}
	// eff may be a memoised list, shared with other answers (see Result):
	// clipped, an append by a caller copies it.
	r.Effective = slices.Clip(eff)
	return r
}

// own returns the lines of group set at level l itself and the first
// inheritance switch sw there, memoised per level and name: the http
// level of a tree lists every included virtual host, and filtering it
// again for every query made a run quadratic in the number of hosts.
func (x *Index) own(l Level, name string, group *members, sw string) (own []*nginx.Directive, swDir *nginx.Directive, unresolved bool) {
	k := ownKey{l, name, sw}
	if list, ok := plainLevel(l); ok {
		return ownIn(list, group, sw)
	}
	if x != nil {
		if e, ok := x.owns.get(k); ok {
			return e.own, e.sw, e.unresolved
		}
	}
	all, unresolved := x.Directives(l)
	own, swDir, _ = ownIn(all, group, sw)
	if x != nil {
		x.owns.put(k, ownLines{slices.Clip(own), swDir, unresolved})
	}
	return slices.Clip(own), swDir, unresolved
}

// children is the level's own list: the block's children, or the fragment
// root's top level.
func (l Level) children() []*nginx.Directive {
	if l.Block != nil {
		return l.Block.Block
	}
	if l.Root != nil {
		return l.Root.Directives
	}
	return nil
}

// smallLevel is the size up to which a level without includes is scanned
// on each question rather than remembered: a location's few lines are
// read faster than a shared map is locked, grown and searched.
const smallLevel = 64

// plainLevel returns a small level's directives when it has no include
// to expand (most location and server blocks).
func plainLevel(l Level) ([]*nginx.Directive, bool) {
	list := l.children()
	if len(list) > smallLevel {
		return nil, false // remembered: a large level is asked about often
	}
	for _, d := range list {
		if d.Name == "include" {
			return nil, false
		}
	}
	return list, true
}

// ownIn picks out of a level's directives the lines of group, and the
// first well-formed switch directive sw.
func ownIn(all []*nginx.Directive, group *members, sw string) (own []*nginx.Directive, swDir *nginx.Directive, unresolved bool) {
	for _, d := range all {
		switch {
		case group.has(d):
			own = append(own, d)
		case sw != "" && d.Name == sw && swDir == nil && len(d.Args) == 1:
			swDir = d
		}
	}
	return slices.Clip(own), swDir, false
}

// members is a merge group's names (Group), with their numbers when the
// table numbers every one: a level's directives are then matched by
// number, not by comparing names, on every question asked of the level.
type members struct {
	names []string
	ids   [4]spec.NameID
	byID  bool
}

func newMembers(group []string) members {
	m := members{names: group, byID: len(group) <= len(members{}.ids)}
	for i, n := range group {
		if !m.byID {
			break
		}
		m.ids[i] = spec.ID(n)
		m.byID = m.ids[i] != spec.NoID
	}
	return m
}

// has reports whether d is one of the group's directives.
func (m *members) has(d *nginx.Directive) bool {
	if !m.byID {
		return slices.Contains(m.names, d.Name)
	}
	id := d.NameID()
	for _, g := range m.ids[:len(m.names)] {
		if g == id {
			return true
		}
	}
	return false
}

type ownKey struct {
	level    Level
	name, sw string
}

type ownLines struct {
	own        []*nginx.Directive
	sw         *nginx.Directive
	unresolved bool
}

func (r *Result) drop(lines []*nginx.Directive, level int, by *nginx.Directive, off bool) {
	if len(lines) > 0 {
		r.Drops = append(r.Drops, DropRun{Lines: slices.Clip(lines), Level: level, By: by, Off: off})
	}
}
