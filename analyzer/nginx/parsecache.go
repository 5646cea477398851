package nginx

import (
	"bytes"
	"io/fs"
	"slices"
	"sync"
	"time"

	"github.com/ngxlint/ngxlint/analyzer/source"
	"github.com/tufanbarisyildirim/gonginx/config"
)

// ParseCache keeps the trees of the files a loader parsed, for the next
// load of the same files: the language server loads a whole tree again on
// every edit, and all but the edited file are unchanged. A file whose
// display path and bytes are those of its last parse gets a copy of that
// tree, with the gonginx views joined since, instead of a new parse.
// Each load gets its own copy, because loading links the trees (includes,
// sites, contexts) and the last load's trees may still be read by another
// goroutine (a hover); unless the cache is Exclusive, when the tree itself
// comes back, relinked, with the model parts kept on it (see ModelPart).
// Safe for concurrent use; the zero value is ready.
type ParseCache struct {
	// Exclusive lets the cache hand a tree that it last handed out before
	// the last Sweep out again itself, its links reset, instead of a
	// copy. Set it only when the loads of one generation (between two
	// Sweeps) never overlap another's, and nothing reads the links
	// (includes, sites, contexts, the File a load annotated) of a tree
	// after the Sweep that ended its generation. The language server
	// lints one workspace group at a time and keeps what it needs of the
	// links as values.
	Exclusive bool

	mu     sync.Mutex
	m      map[string]*cachedParse // by absolute path
	read   map[string]*cachedRead  // by absolute path
	gen    int
	copies int
	// joins keeps gonginx's parses of blocks, for the files that changed.
	joins joinMemo
}

// cachedRead is a file's content as last read, with what stat said then.
type cachedRead struct {
	src     []byte
	size    int64
	modTime time.Time
	readAt  time.Time
	gen     int
	// what is notConfig(src), worked out once.
	whatOnce sync.Once
	what     string
}

// notConfig is the package's notConfig, remembered for a text that came
// from the cache: every load asks it of every file.
func (pc *ParseCache) notConfig(abs string, src []byte) string {
	if pc != nil && len(src) > 0 {
		pc.mu.Lock()
		r := pc.read[abs]
		pc.mu.Unlock()
		if r != nil && len(r.src) == len(src) && &r.src[0] == &src[0] {
			r.whatOnce.Do(func() { r.what = notConfig(src) })
			return r.what
		}
	}
	return notConfig(src)
}

// racyWindow is how recent a modification time may be, relative to the
// read, for the file to be read again whatever its time says: a file
// written again in the same tick of a coarse file system clock (one or two
// seconds on some) keeps its time, as git's index knows ("racy git").
const racyWindow = 3 * time.Second

// unchanged returns the content last read from abs when stat gives the
// same size and modification time and that time was well before the read.
func (pc *ParseCache) unchanged(abs string, fi fs.FileInfo) ([]byte, bool) {
	if pc == nil {
		return nil, false
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	r := pc.read[abs]
	if r == nil || r.size != fi.Size() || !r.modTime.Equal(fi.ModTime()) || r.readAt.Sub(r.modTime) < racyWindow {
		return nil, false
	}
	r.gen = pc.gen
	return r.src, true
}

// remember keeps what was read from abs, stat'ed as fi just before.
func (pc *ParseCache) remember(abs string, fi fs.FileInfo, src []byte, readAt time.Time) {
	if pc == nil {
		return
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.read == nil {
		pc.read = map[string]*cachedRead{}
	}
	pc.read[abs] = &cachedRead{src: src, size: fi.Size(), modTime: fi.ModTime(), readAt: readAt, gen: pc.gen}
}

// Copies is how many trees the cache has handed out instead of a parse
// (copies, or with Exclusive its own trees again).
func (pc *ParseCache) Copies() int {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	return pc.copies
}

type cachedParse struct {
	display string
	src     []byte
	// cfg is the copy the last load linked, and maybe joined; its file
	// and diagnostics are read from file and diags, as the load that
	// holds cfg may be writing to those (an include's Opaque, include
	// problems) while another copies it.
	cfg   *Config
	file  source.File
	diags []source.Diagnostic
	used  int // the nodes its parse built (see MaxNodes)
	gen   int // the generation that last used it (see Sweep)
}

// parse parses src like parseWithin, or copies the cached tree of the
// same text. A tree cut short by the node budget is never cached: another
// load may have more budget left.
func (pc *ParseCache) parse(display, abs string, src []byte, budget, total int) (*Config, int) {
	if pc == nil || abs == "" {
		return parseWithin(source.NewFile(display, abs, source.KindNginx, src), budget, total)
	}
	pc.mu.Lock()
	e := pc.m[abs]
	pc.mu.Unlock()
	if e != nil && e.display == display && e.used < budget && bytes.Equal(e.src, src) {
		pc.mu.Lock()
		last := e.cfg
		// A second load in the same generation copies: the first one's
		// workspace is still in use.
		mine := pc.Exclusive && e.gen != pc.gen
		e.gen = pc.gen
		pc.copies++
		pc.mu.Unlock()
		if mine {
			last.relink(e.file, e.diags)
			return last, e.used
		}
		c := last.copyParse(e.file, e.diags)
		c.joins = &pc.joins
		pc.mu.Lock()
		e.cfg = c // the next load copies this one, with its joins
		pc.mu.Unlock()
		return c, e.used
	}
	c, used := parseWithin(source.NewFile(display, abs, source.KindNginx, src), budget, total)
	c.joins = &pc.joins
	if used < budget {
		pc.mu.Lock()
		if pc.m == nil {
			pc.m = map[string]*cachedParse{}
		}
		pc.m[abs] = &cachedParse{display: display, src: src, cfg: c, file: *c.File,
			diags: slices.Clip(c.Diagnostics[:c.parseDiags]), used: used, gen: pc.gen}
		pc.mu.Unlock()
	}
	return c, used
}

// Sweep forgets the files no load used since the last Sweep, so that the
// cache holds one tree per file of the current workspace.
func (pc *ParseCache) Sweep() {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	for abs, e := range pc.m {
		if e.gen != pc.gen {
			delete(pc.m, abs)
		}
	}
	for abs, r := range pc.read {
		if r.gen != pc.gen {
			delete(pc.read, abs)
		}
	}
	pc.gen++
	pc.joins.sweep()
}

// copyParse returns a new tree with what parsing c's file gave (the
// directives, arguments, and file and diags as the parse left them) and
// the gonginx joins made since, without what loading linked into c:
// includes, the files that include it, contexts and sites. It reads only
// what loading never writes. Arguments are shared: no one changes them
// after the parse.
func (c *Config) copyParse(file source.File, diags []source.Diagnostic) *Config {
	c.joinMu.Lock()
	defer c.joinMu.Unlock()
	n := &Config{
		File:        &file,
		Diagnostics: diags,
		parseDiags:  len(diags),
		joinedAll:   c.joinedAll,
		gonginxErr:  c.gonginxErr,
		gonginx:     c.gonginx,
		tooDeep:     c.tooDeep,
		cutDepth:    c.cutDepth,
		neutral:     c.neutral,
	}
	var units map[*Directive]bool
	if len(c.joinedUnits) > 0 {
		units = make(map[*Directive]bool, len(c.joinedUnits))
	}
	if len(c.nodes) > 0 {
		n.nodes = make(map[*Directive]config.IDirective, len(c.nodes))
	}
	n.Directives = copyList(c.Directives, nil, n, c, units)
	n.joinedUnits = units
	link([]*Config{n})
	return n
}

// relink makes c, a tree handed out in an earlier generation of an
// Exclusive cache, ready to be loaded again, as copyParse makes a copy: a
// new File from file (the last load's File keeps what that load set on
// it, for whoever still holds it), the parse's diagnostics, no includes
// and no includers, and no sites or contexts but its own.
func (c *Config) relink(file source.File, diags []source.Diagnostic) {
	c.File = &file
	c.Diagnostics = diags
	c.IncludedBy, c.Implied, c.sites, c.top, c.order = nil, nil, nil, nil, 0
	for _, d := range c.includeDirectives() {
		if d.rare != nil {
			d.rare.includes = nil
		}
	}
	link([]*Config{c})
}

// copyList copies a list of directives of config c into config n under
// parent, carrying c's joined units and gonginx views over to the copies.
func copyList(list []*Directive, parent *Directive, n, c *Config, units map[*Directive]bool) []*Directive {
	if list == nil {
		return nil
	}
	nodes := make([]Directive, len(list)) // one allocation for the level
	out := make([]*Directive, len(list))
	for i, d := range list {
		x := &nodes[i]
		*x = Directive{Name: d.Name, id: d.id, nameLen: d.nameLen, Args: d.Args, HasBlock: d.HasBlock, start: d.start, end: d.end,
			Terminated: d.Terminated, Parent: parent, Config: n}
		// Only a Lua block's body is carried over (as the copy's own), and
		// only its extra part is read: the load holding c writes an
		// include's files there while this copies it.
		if isLuaBlock(d.Name) {
			if lua := d.Lua(); lua != nil {
				x.setLua(lua)
			}
		}
		x.Block = copyList(d.Block, x, n, c, units)
		if c.joinedUnits[d] {
			units[x] = true
		}
		if node, ok := c.nodes[d]; ok {
			n.nodes[x] = node
		}
		out[i] = x
	}
	return out
}
