package connectivity

import (
	"slices"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/nginx/vars"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// nameUse is a host name nginx resolves at run time through a resolver.
type nameUse struct {
	host string
	span source.Span // where the name is written (or the pass that uses it)
}

// resolverUses maps each resolver directive to the names resolved
// through it: servers with `resolve` of upstream blocks it serves, and
// the hosts of *_pass targets built from variables where it is in
// effect, when their values can be read.
var resolverUses = &analyzer.Model[map[*nginx.Directive][]nameUse]{
	Name: "connectivity/resolver-uses",
	Compute: func(ws *analyzer.Workspace) map[*nginx.Directive][]nameUse {
		out := map[*nginx.Directive][]nameUse{}
		peers := analyzer.ResultOf(ws, analyzer.Peers)
		inh := analyzer.ResultOf(ws, analyzer.Inheritance)
		ix := analyzer.ResultOf(ws, analyzer.Variables)
		type use struct {
			resolver *nginx.Directive
			nameUse
		}
		seen := map[use]bool{} // a resolver serves thousands of names in a large file
		add := func(r *nginx.Directive, u nameUse) {
			if !seen[use{r, u}] {
				seen[use{r, u}] = true
				out[r] = append(out[r], u)
			}
		}
		for _, g := range peers.Groups {
			var resolvers []*nginx.Directive
			found := false
			for _, s := range g.Servers {
				if !s.Resolve || s.Down || !resolvableName(s.Addr, s.AddrOK) {
					continue
				}
				if !found { // once per group: it reads the group's block
					resolvers, found = groupResolvers(ws, g), true
				}
				for _, r := range resolvers {
					add(r, nameUse{s.Addr.Host, s.Addr.HostSpan()})
				}
			}
		}
		for _, ps := range peers.Passes {
			if !ps.AddrOK || !ps.Addr.Variable || ps.Addr.Unix || ps.Directive.Config == nil {
				continue
			}
			refs, literal, ok := targetHost(ps.Directive)
			if !ok {
				continue
			}
			for _, s := range ps.Directive.Config.Sites() {
				eff := inh.Resolve(ps.Directive, s, "resolver", spec.Version{}).Effective
				if len(eff) == 0 {
					continue
				}
				for _, h := range passHosts(peers, ix, ps, s, refs, literal) {
					for _, r := range eff {
						add(r, nameUse{h, ps.Directive.Args[0].Span()})
					}
				}
			}
		}
		return out
	},
}

// groupResolvers are the resolvers an upstream block's resolve servers
// use: its own, else those of the http (stream) block around it.
func groupResolvers(ws *analyzer.Workspace, g *nginx.Group) []*nginx.Directive {
	if r := nginx.FindAtLevel(g.Directive.Block, "resolver"); r != nil {
		return []*nginx.Directive{r}
	}
	var out []*nginx.Directive
	for _, s := range g.Directive.Config.Sites() {
		if top := g.Directive.EnclosingIn(s, g.Module); top != nil {
			if r := analyzer.FirstAtLevel(ws, top, "resolver"); r != nil && !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

// passHosts lists the host names a variable pass can reach at site s,
// as far as the configuration says.
func passHosts(peers *nginx.Peers, ix *vars.Index, ps *nginx.Pass, s nginx.Site, refs []vars.Ref, literal string) []string {
	var texts []string
	switch {
	case len(refs) == 0:
		texts = []string{literal}
	case len(refs) == 1:
		v := ix.Ref(ps.Directive, s, refs[0])
		switch v.Origin {
		case vars.Set, vars.Map, vars.SplitClients, vars.Geo:
			values, known := providedValues(v)
			if !known {
				return nil
			}
			texts = values
		}
	}
	var out []string
	for _, t := range texts {
		if i := strings.Index(t, "://"); i >= 0 {
			t = t[i+3:]
		}
		if i := strings.IndexAny(t, "/?"); i >= 0 {
			t = t[:i]
		}
		h := hostOf(t)
		a := nginx.Address{Host: h}
		if h != "" && resolvableName(a, true) && !slices.Contains(out, h) && !hasGroupNamed(peers, ps.Module, h, ps.Directive) {
			out = append(out, h)
		}
	}
	return out
}
