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

// hasGroupNamed reports whether d can name a group of module called name:
// through the peer model's index, or where case folding may differ from
// lower case, by comparing the name with each group's in d's scopes.
// (Scanning the groups for each variable pass made 8,000 locations that
// each pass to a variable take 5 s beside as many upstream blocks.)
func hasGroupNamed(peers *nginx.Peers, module, name string, d *nginx.Directive) bool {
	if peers.FoldsAsASCII(name) {
		return peers.GroupNamedAt(d, module, name) != nil
	}
	for _, g := range groupsInScope(peers, module, d) {
		if nginx.SameHost(g.Name, name) {
			return true
		}
	}
	return false
}
