package nginx

import (
	"slices"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

// A snippet included from two server blocks is in two contexts, and a
// question such as "which add_header lines apply here" has one answer per
// place. A Site is one such place; every file has at least one.

// maxSites bounds the sites kept per file: a snippet included from
// hundreds of server blocks is checked in the first maxSites of them,
// which keeps the work linear in the size of the configuration.
const maxSites = 64

// maxChain bounds walks up through includes; the include graph has no
// cycles (cyclic includes are never linked), this is only a safety net.
const maxChain = 64

// Site is one place a file's content lands in a configuration: the chain
// of include directives from a root file (a main file, or a fragment
// linted in its implied context) down to the file.
type Site struct {
	// Root is the file nginx starts from (or the fragment root).
	Root *Config
	// Via lists the include directives, outermost first: Via[0] is in
	// Root and the last one is in the file's direct includer. Empty when
	// the file is the root itself.
	Via []*Directive
}

// Related points at the include directives of the site, innermost first,
// for a finding reported once at the snippet with its sites beside it.
func (s Site) Related() []source.Related {
	out := make([]source.Related, 0, len(s.Via))
	for i := len(s.Via) - 1; i >= 0; i-- {
		out = append(out, source.Related{Span: s.Via[i].Span(), Message: "included here"})
	}
	return out
}

// Sites returns every place c is included, in the order the includes
// were met (the first is the one Context answers for); a root file has
// one site, itself. At most maxSites are kept.
func (c *Config) Sites() []Site {
	if c.sites == nil {
		return []Site{{Root: c}}
	}
	return c.sites
}

// Context returns the names of the blocks that enclose d, outermost first:
// ["http", "upstream"] for a server inside an upstream, at the file's
// first site. It starts with the implied context of a fragment root; a
// main-level directive has an empty context. The slice is shared: do not
// modify it.
func (d *Directive) Context() []string {
	if d.Parent != nil {
		if in := d.Parent.inner; in != nil {
			return *in
		}
		return nil
	}
	if d.Config != nil {
		return d.Config.top
	}
	return nil
}

// ContextIn is Context at one site of d's file. The slice may be shared:
// do not modify it.
func (d *Directive) ContextIn(s Site) []string {
	if d.Config != nil && d.Config.isFirstSite(s) {
		return d.Context() // cached at link time: most files have one site
	}
	return appendParents(topContextIn(s), d)
}

// isFirstSite reports whether s is c's first site, the one Context
// answers for.
func (c *Config) isFirstSite(s Site) bool {
	f := c.Sites()[0]
	if f.Root != s.Root || len(f.Via) != len(s.Via) {
		return false
	}
	for i := range f.Via {
		if f.Via[i] != s.Via[i] {
			return false
		}
	}
	return true
}

// appendParents appends the names of d's enclosing blocks in its own
// file, outermost first.
func appendParents(out []string, d *Directive) []string {
	n := len(out)
	for p := d.Parent; p != nil; p = p.Parent {
		out = append(out, p.Name)
	}
	for i, j := n, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// Enclosing returns the nearest enclosing block directive named name,
// crossing includes at the file's first site, or nil.
func (d *Directive) Enclosing(name string) *Directive {
	if d.Config == nil {
		return innermostIn(d, nil, name)
	}
	return d.EnclosingIn(d.Config.Sites()[0], name)
}

// EnclosingIn is Enclosing at one site of d's file.
func (d *Directive) EnclosingIn(s Site, name string) *Directive {
	return innermostIn(d, s.Via, name)
}

// InnermostIn is the nearest block enclosing d at site s whose name is one
// of names (the location, if or limit_except a directive is in), or nil.
func (d *Directive) InnermostIn(s Site, names ...string) *Directive {
	return innermostIn(d, s.Via, names...)
}

// ContainerIn is the block d is directly in at site s, through the
// includes that bring it there; nil at the top of the root file.
func (d *Directive) ContainerIn(s Site) *Directive {
	return innermostIn(d, s.Via)
}

// innermostIn finds the nearest enclosing block named one of names, or
// the nearest of any name when names is empty.
func innermostIn(d *Directive, via []*Directive, names ...string) *Directive {
	cur := d
	for i := len(via); ; i-- {
		for p := cur.Parent; p != nil; p = p.Parent {
			if len(names) == 0 {
				return p
			}
			for _, name := range names {
				if p.Name == name {
					return p
				}
			}
		}
		if i == 0 {
			return nil
		}
		cur = via[i-1]
	}
}

// Module returns "http", "stream" or "mail" for a directive inside one of
// those blocks (or an implied one), and "" for the main context.
func (d *Directive) Module() string {
	ctx := d.Context()
	if len(ctx) == 0 {
		return ""
	}
	switch ctx[0] {
	case "http", "stream", "mail":
		return ctx[0]
	}
	return ""
}

// link computes, once the include graph is final, every file's sites and
// the cached first-site context of every block, so that Context never
// allocates.
func link(configs []*Config) {
	memo := make(map[*Config][]Site, len(configs))
	for i, c := range configs {
		c.order = i
		c.sites = sitesOf(c, memo, 0)
		c.top = slices.Clip(topContextIn(c.sites[0])) // shared: an append copies
		// Every file is linked alone when it is parsed, and again once
		// the includes are known: a file whose top context did not change
		// (a main file) keeps its blocks' contexts (6 ms of a 10 MB
		// file's load, on one core).
		if !c.innersSet || !slices.Equal(c.innersTop, c.top) {
			setInners(c.Directives, c.top)
			c.innersTop, c.innersSet = c.top, true
		}
	}
}

// topContextIn is the context of a file's top level at site s.
func topContextIn(s Site) []string {
	out := append([]string(nil), s.Root.Implied...)
	for _, inc := range s.Via {
		out = appendParents(out, inc)
	}
	return out
}

// setInners stores on each block directive of list, whose context is
// outer, the context its children are in. Blocks of one name in a list
// share that slice (a server's dozen locations, a file's servers): a tree
// is linked again on every load, and these were most of what linking
// allocated.
func setInners(list []*Directive, outer []string) {
	const maxInnerNames = 8
	var names []string // the inner contexts made for this list so far
	var made []*[]string
	for _, d := range list {
		if d.Block == nil {
			continue
		}
		i := slices.Index(names, d.Name)
		if i < 0 {
			inner := innerOf(outer, d.Name)
			i = len(made)
			if i == maxInnerNames {
				d.inner = inner // a list of many block names: stay linear
				setInners(d.Block, *inner)
				continue
			}
			names, made = append(names, d.Name), append(made, inner)
		}
		d.inner = made[i]
		setInners(d.Block, *d.inner)
	}
}

// innerOf is the context of the children of a block called name whose
// own context is outer: a new slice, full, so that an append copies.
func innerOf(outer []string, name string) *[]string {
	inner := make([]string, len(outer)+1)
	copy(inner, outer)
	inner[len(outer)] = name
	return &inner
}

func sitesOf(c *Config, memo map[*Config][]Site, depth int) []Site {
	if s, ok := memo[c]; ok {
		return s
	}
	if len(c.IncludedBy) == 0 || depth >= maxChain {
		s := []Site{{Root: c}}
		memo[c] = s
		return s
	}
	memo[c] = []Site{{Root: c}} // a guard: the graph is acyclic, but never loop
	var out []Site
	for _, inc := range c.IncludedBy {
		if inc.Config == nil {
			continue
		}
		for _, s := range sitesOf(inc.Config, memo, depth+1) {
			if len(out) == maxSites {
				break
			}
			via := make([]*Directive, len(s.Via), len(s.Via)+1)
			copy(via, s.Via)
			out = append(out, Site{Root: s.Root, Via: append(via, inc)})
		}
	}
	if len(out) == 0 {
		out = []Site{{Root: c}}
	}
	memo[c] = out
	return out
}
