package nginx

import (
	"slices"
	"sync"
)

// Model parts: what one file adds to a workspace model (the peers, the
// variables, the servers), worked out from the file's own tree and kept
// on it. The language server's parse cache hands an unchanged file's tree
// to the next load (ParseCache.Exclusive), so a model built again after an
// edit works out the edited file's part only, as long as the other files
// are linked as before: a part depends on the file's sites (which blocks
// and includes enclose it, and in which main file), on the context of its
// top level and on the files its includes reach, and is stamped with them.

// partStore holds a tree's model parts, by model, all made while the
// file was linked as stamp says: a part made under other links replaces
// them all. A few models keep parts, so a short list is searched rather
// than a map kept per file (a map's first block of slots cost about a
// kilobyte, for a file of one server block a sixth of its memory).
type partStore struct {
	mu    sync.Mutex
	stamp linkStamp
	parts []storedPart
}

type storedPart struct {
	key, value any
}

// linkStamp is what a part depends on beyond the file's own tree: the
// links up (its sites, their main files, the context of its top level)
// and down (the files its includes reach, through theirs too).
type linkStamp struct {
	sites  []Site
	scopes []*Config
	top    []string
	reach  []*Config
}

func stampOf(c *Config) linkStamp {
	st := linkStamp{sites: slices.Clone(c.Sites()), top: c.top, reach: reachOf(c)}
	for i, s := range st.sites {
		st.sites[i].Via = slices.Clone(s.Via)
		st.scopes = append(st.scopes, ScopeOf(s))
	}
	return st
}

// fits reports whether c is linked as it was when st was taken: the same
// includes at every site, the same main files and the same context at the
// first, so that every directive's context, module and scope are as they
// were; and its includes reach the same files (a file changed since is a
// new tree).
func (st *linkStamp) fits(c *Config) bool {
	sites := c.Sites()
	if len(sites) != len(st.sites) || !slices.Equal(c.top, st.top) {
		return false
	}
	for i, s := range sites {
		if s.Root != st.sites[i].Root || ScopeOf(s) != st.scopes[i] || !slices.Equal(s.Via, st.sites[i].Via) {
			return false
		}
	}
	return slices.Equal(reachOf(c), st.reach)
}

// reachOf lists the files c's includes load, and theirs, in the order a
// depth-first walk meets them, each once; nil for a file without includes.
func reachOf(c *Config) []*Config {
	if len(c.includeDirectives()) == 0 {
		return nil
	}
	var out []*Config
	seen := map[*Config]bool{c: true}
	var visit func(c *Config, depth int)
	visit = func(c *Config, depth int) {
		if depth >= maxChain {
			return
		}
		for _, inc := range c.includeDirectives() {
			for _, x := range inc.Includes() {
				out = append(out, x)
				if !seen[x] {
					seen[x] = true
					visit(x, depth+1)
				}
			}
		}
	}
	visit(c, 0)
	return out
}

// ModelPart returns the part the model key stored on c, if c is linked
// as it was when it was stored. A copy of a tree (ParseCache) starts
// without parts. Safe for concurrent use.
func (c *Config) ModelPart(key any) (any, bool) {
	c.parts.mu.Lock()
	defer c.parts.mu.Unlock()
	i := c.parts.find(key)
	if i < 0 || !c.parts.stamp.fits(c) {
		return nil, false
	}
	return c.parts.parts[i].value, true
}

// SetModelPart stores v as c's part of the model key, stamped with c's
// links now. The value must not depend on anything but c's own tree and
// those links; the fields a model sets when it joins the parts are set
// again by every build. Parts stored under other links are dropped.
func (c *Config) SetModelPart(key, v any) {
	c.parts.mu.Lock()
	defer c.parts.mu.Unlock()
	if len(c.parts.parts) == 0 || !c.parts.stamp.fits(c) {
		c.parts.stamp = stampOf(c)
		c.parts.parts = make([]storedPart, 0, partModels)
	}
	if i := c.parts.find(key); i >= 0 {
		c.parts.parts[i].value = v
		return
	}
	c.parts.parts = append(c.parts.parts, storedPart{key: key, value: v})
}

// partModels is the number of models that keep parts (peers, servers,
// variables, listens): room for all in the first list.
const partModels = 4

func (s *partStore) find(key any) int {
	for i := range s.parts {
		if s.parts[i].key == key {
			return i
		}
	}
	return -1
}

// PartOf returns c's part of the model key: the stored one while c is
// linked as it was made, else one made now by build and stored.
func PartOf[T any](c *Config, key any, build func(*Config) T) T {
	if part, ok := c.ModelPart(key); ok {
		return part.(T)
	}
	part := build(c)
	c.SetModelPart(key, part)
	return part
}
