package connectivity

import (
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

// groupsInScope returns the upstream groups of module that a directive
// at d can name: those defined in a configuration one of d's sites
// belongs to (fragments share the nil scope).
func groupsInScope(peers *nginx.Peers, module string, d *nginx.Directive) []*nginx.Group {
	scopes := map[*nginx.Config]bool{}
	for _, s := range d.Config.Sites() {
		scopes[nginx.ScopeOf(s)] = true
	}
	var out []*nginx.Group
	for _, g := range peers.Groups {
		if g.Module != module {
			continue
		}
		for _, s := range g.Directive.Config.Sites() {
			if scopes[nginx.ScopeOf(s)] {
				out = append(out, g)
				break
			}
		}
	}
	return out
}

// groupNamed returns the group of module called name that d can name.
func groupNamed(peers *nginx.Peers, module, name string, d *nginx.Directive) *nginx.Group {
	for _, g := range groupsInScope(peers, module, d) {
		if nginx.SameHost(g.Name, name) {
			return g
		}
	}
	return nil
}
