package nginx

import (
	"slices"

	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// Walk visits the directives of one file in pre-order (source order). When
// fn returns false the children of that directive are skipped. Included
// files are not entered: the engine visits each file once.
func Walk(c *Config, fn func(d *Directive) bool) {
	if c != nil {
		walkList(c.Directives, fn)
	}
}

func walkList(list []*Directive, fn func(d *Directive) bool) {
	for _, d := range list {
		if fn(d) {
			walkList(d.Block, fn)
		}
	}
}

// HasName reports whether a directive called name is in c's own tree
// (not in the files it includes). The set is made once per tree, and a
// tree the language server's parse cache hands back keeps it: a rule
// about a rare directive asks it of every file before it does more.
func (c *Config) HasName(name string) bool {
	c.ownWalk()
	if id := spec.ID(name); id != spec.NoID {
		return c.own.known[id/64]&(1<<(id%64)) != 0
	}
	return c.own.others[name]
}

// includeDirectives lists the include directives of c's own tree, in
// walk order, made once per tree like HasName's set: the loader resolves
// them, and a relinked tree clears what they loaded.
func (c *Config) includeDirectives() []*Directive {
	c.ownWalk()
	return c.own.includes
}

// Reaches reports whether c or a file it includes, at any depth, has
// what has asks about (typically HasName of a few names): a model that
// reads only some directives skips an include when none of its files can
// hold them. memo keeps the answers of one workspace's links (a relinked
// tree may include other files) and must be used for one has only.
func Reaches(c *Config, has func(*Config) bool, memo map[*Config]bool) bool {
	v, _ := reaches(c, has, memo, map[*Config]bool{})
	return v
}

// reaches is Reaches; open holds the files whose answer is being worked
// out. The loader links no include cycle, but should one exist, an answer
// that met an open file is not memoised (tentative), so no file is
// wrongly remembered as reaching nothing.
func reaches(c *Config, has func(*Config) bool, memo, open map[*Config]bool) (v, tentative bool) {
	if v, ok := memo[c]; ok {
		return v, false
	}
	if open[c] {
		return false, true
	}
	if has(c) {
		memo[c] = true
		return true, false
	}
	open[c] = true
	defer delete(open, c)
	for _, inc := range c.includeDirectives() {
		for _, f := range inc.Includes() {
			fv, ft := reaches(f, has, memo, open)
			if fv {
				memo[c] = true
				return true, false
			}
			tentative = tentative || ft
		}
	}
	if !tentative {
		memo[c] = false
	}
	return false, tentative
}

// NumDirectives is how many directives c's own tree holds, blocks'
// children included and included files not: counted in the walk that
// HasName's set is made in, which the loader has already done.
func (c *Config) NumDirectives() int {
	c.ownWalk()
	return c.own.count
}

// PreOrder lists c's own tree in the order Walk visits it (blocks'
// children included, included files not), made once per tree and
// shared, read only: the rule walk and the variables model each read it
// whole, and each walked the tree into a list of its own.
func (c *Config) PreOrder() []*Directive {
	c.preOnce.Do(func() {
		out := make([]*Directive, 0, c.NumDirectives())
		Walk(c, func(d *Directive) bool {
			out = append(out, d)
			return true
		})
		c.pre = out
	})
	return c.pre
}

// ownWalk makes, once per tree, what HasName, includeDirectives and
// NumDirectives read. A parse gathers it as it goes (see parseWithin):
// the walk is for trees made otherwise (copies, tests).
func (c *Config) ownWalk() {
	c.ownOnce.Do(func() {
		var own ownNames
		Walk(c, func(d *Directive) bool {
			own.add(d)
			return true
		})
		c.setOwn(&own)
	})
}

// ownNames is what ownWalk finds in a tree: how many directives, their
// names and the includes among them.
type ownNames struct {
	count int
	// known is a bit per number the table gives (a map filled per
	// directive was a tenth of a load's time); others the names it lacks.
	known    []uint64
	others   map[string]bool
	includes []*Directive
}

// add counts d, met in pre-order.
func (o *ownNames) add(d *Directive) {
	o.count++
	if id := d.NameID(); id != spec.NoID {
		if o.known == nil {
			o.known = make([]uint64, (spec.NumIDs()+63)/64)
		}
		o.known[id/64] |= 1 << (id % 64)
	} else {
		if o.others == nil {
			o.others = map[string]bool{}
		}
		o.others[d.Name] = true
	}
	if d.Name == "include" {
		o.includes = append(o.includes, d)
	}
}

// join adds what was found in the directives that come after o's in
// pre-order (a piece parsed beside).
func (o *ownNames) join(later *ownNames) {
	o.count += later.count
	if o.known == nil {
		o.known = later.known
	} else {
		for i, w := range later.known {
			o.known[i] |= w
		}
	}
	for name := range later.others {
		if o.others == nil {
			o.others = map[string]bool{}
		}
		o.others[name] = true
	}
	o.includes = append(o.includes, later.includes...)
}

// setOwn stores o on c, and which blocks hold its includes.
func (c *Config) setOwn(o *ownNames) {
	c.own = *o
	if c.own.known == nil {
		c.own.known = make([]uint64, (spec.NumIDs()+63)/64)
	}
	for _, inc := range c.own.includes {
		for b := inc.Parent; b != nil && !c.holders[b]; b = b.Parent {
			if c.holders == nil {
				c.holders = map[*Directive]bool{}
			}
			c.holders[b] = true
		}
	}
}

// HoldsInclude reports whether d's block holds an include, at any depth
// of d's own file: a model after directives that only some blocks may
// hold skips the others' children, unless an include may bring them in.
// A directive made outside a parse is assumed to hold one.
func (d *Directive) HoldsInclude() bool {
	if d.Config == nil {
		return true
	}
	d.Config.ownWalk()
	return d.Config.holders[d]
}

// AtLevel calls fn for each directive at the level of list, in order,
// following includes (whose content lands at the level of the include),
// but not entering blocks. It stops when fn returns false.
func AtLevel(list []*Directive, fn func(d *Directive) bool) bool {
	return atLevel(list, fn, 0)
}

func atLevel(list []*Directive, fn func(d *Directive) bool, depth int) bool {
	for _, d := range list {
		if d.Name == "include" && depth < maxChain {
			for _, c := range d.Includes() {
				if !atLevel(c.Directives, fn, depth+1) {
					return false
				}
			}
			continue
		}
		if !fn(d) {
			return false
		}
	}
	return true
}

// FindAtLevel returns the first directive called name at the level of
// list (see AtLevel), or nil.
func FindAtLevel(list []*Directive, name string) *Directive {
	var found *Directive
	AtLevel(list, func(d *Directive) bool {
		if d.Name == name {
			found = d
			return false
		}
		return true
	})
	return found
}

// Incomplete reports whether c did not parse cleanly: its tree was
// recovered, or cut at a parse limit, so a rule about a missing directive
// cannot trust it.
func (c *Config) Incomplete() bool {
	return slices.ContainsFunc(c.Diagnostics, LeavesTreeIncomplete)
}

// LeavesTreeIncomplete reports whether d says the tree lacks or misplaces
// some of the file's text: a syntax error the parse recovered from, or a
// cut at one of its limits.
func LeavesTreeIncomplete(d source.Diagnostic) bool {
	return d.Code == SyntaxCode || d.Code == NotAnalysedCode
}

// WalkExpanded calls fn for each directive of list in the order nginx
// reads them: an include first, then the files it loaded in its place; a
// block's children after the block. fn returning false skips what the
// directive holds (its block, or the include's files).
func WalkExpanded(list []*Directive, fn func(d *Directive) bool) {
	walkExpanded(list, fn, 0)
}

func walkExpanded(list []*Directive, fn func(d *Directive) bool, depth int) {
	for _, d := range list {
		if !fn(d) {
			continue
		}
		if d.Name == "include" && depth < maxChain {
			for _, c := range d.Includes() {
				walkExpanded(c.Directives, fn, depth+1)
			}
		}
		if d.Block != nil {
			walkExpanded(d.Block, fn, depth)
		}
	}
}
