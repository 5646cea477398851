package analyzer

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

// NotNode says why a loaded settings file is not read as a node's
// settings: it looks like a client's configuration (see
// elastic.ClientConfig) and .ngxlint.yml does not list it under
// elasticsearch.nodes. ok is false for a node's settings file.
func (s *Settings) NotNode(f *elastic.Settings) (why string, ok bool) {
	if s != nil {
		for _, abs := range s.NodeFiles {
			if f.File != nil && f.File.Abs == abs {
				return "", false
			}
		}
	}
	return elastic.ClientConfig(f)
}

// Nodes returns the workspace's settings files that are a node's
// settings, in load order: the files every ES and XC rule reads.
func (p *Pass) Nodes() []*elastic.Settings {
	var out []*elastic.Settings
	for _, f := range p.Workspace.Elastic {
		if _, skip := p.Settings.NotNode(f); !skip {
			out = append(out, f)
		}
	}
	return out
}

// NotNodeFile reports whether the file with this display path is a
// settings file that is not a node's (its loader diagnostics are moot).
func (p *Pass) NotNodeFile(path string) bool {
	for _, f := range p.Workspace.Elastic {
		if f.File != nil && f.File.Path == path {
			_, skip := p.Settings.NotNode(f)
			return skip
		}
	}
	return false
}

// NodeTarget is one address nginx proxies HTTP to, linked to the node
// whose settings say where that node listens.
type NodeTarget struct {
	// Dir is the directive that names the address: an upstream server, or
	// a pass that names no group.
	Dir  *nginx.Directive
	Addr nginx.Address
	// Pass is the proxy_pass that sends the requests (for a group, each
	// pass that names it gives a target of its own); its Addr holds the
	// scheme's span.
	Pass *nginx.Pass
	Node *elastic.Settings
	// Via says how the two were linked, for messages.
	Via string
}

// Port is the port nginx dials (80 or 443 when none is written).
func (t NodeTarget) Port() int {
	if t.Addr.HasPort {
		return t.Addr.Port
	}
	if t.Pass.Scheme == "https" {
		return 443
	}
	return 80
}

// Where names the nginx side for a message: "nginx.conf:12 proxies to".
func (t NodeTarget) Where() string {
	return fmt.Sprintf("%s:%d", t.Dir.Config.File.Path, t.Dir.NameSpan().Start.Line)
}

// NodeTargets links every HTTP proxy target to a node: through
// .ngxlint.yml links when one names the nginx file, else automatically
// when the run holds exactly one node, given with one nginx configuration
// only, and the target's port is one the node serves (its HTTP or transport ports, or 9200 and 9300).
func (p *Pass) NodeTargets() []NodeTarget {
	return NodeTargetsOf(p.Workspace, p.Settings)
}

// NodeTargetsOf is Pass.NodeTargets for code that runs outside a rule
// (--es-log): st gives the links and node overrides (nil for none).
func NodeTargetsOf(ws *Workspace, st *Settings) []NodeTarget {
	if st == nil {
		st = &Settings{}
	}
	p := &Pass{Workspace: ws, Settings: st}
	nodes := p.Nodes()
	if len(nodes) == 0 {
		return nil
	}
	peers := ResultOf(p.Workspace, Peers)
	var out []NodeTarget
	for _, ps := range peers.Passes {
		if ps.Module != "http" || ps.Directive.Name != "proxy_pass" || (ps.Scheme != "http" && ps.Scheme != "https") {
			continue
		}
		addrs := []struct {
			d *nginx.Directive
			a nginx.Address
		}{}
		if ps.Group != nil {
			for _, s := range ps.Group.Servers {
				if s.AddrOK && !s.Addr.Variable && !s.Addr.Unix && s.Addr.Host != "" && !s.Down {
					addrs = append(addrs, struct {
						d *nginx.Directive
						a nginx.Address
					}{s.Directive, s.Addr})
				}
			}
		} else if ps.AddrOK && !ps.Addr.Variable && !ps.Addr.Unix && ps.Addr.Host != "" {
			addrs = append(addrs, struct {
				d *nginx.Directive
				a nginx.Address
			}{ps.Directive, ps.Addr})
		}
		for _, a := range addrs {
			t := NodeTarget{Dir: a.d, Addr: a.a, Pass: ps}
			if n, via := link(p, nodes, t); n != nil {
				t.Node, t.Via = n, via
				out = append(out, t)
			}
		}
	}
	return out
}

// link finds the node of a target (see targets).
func link(p *Pass, nodes []*elastic.Settings, t NodeTarget) (*elastic.Settings, string) {
	files := includers(t.Dir.Config)
	for _, l := range p.Settings.Links {
		if !files[l.Nginx] {
			continue
		}
		for _, n := range nodes {
			if n.File.Abs == l.Elasticsearch {
				return n, "linked in .ngxlint.yml"
			}
		}
	}
	if len(nodes) != 1 {
		return nil, ""
	}
	n := nodes[0]
	together := false
	for f := range files {
		together = together || p.Workspace.Together(f, n.File.Abs)
	}
	if !together || configurationsBeside(p.Workspace, n) > 1 {
		// another project's node, or one node beside several nginx
		// configurations (a folder of many projects): which of them
		// proxies to it is a guess, and only links in .ngxlint.yml say
		return nil, ""
	}
	port := t.Port()
	if port == 9200 || port == 9300 || n.HTTPPort.Has(port) || n.TransportPort.Has(port) {
		return n, "the only node of this run"
	}
	return nil, ""
}

// configurationsBeside counts the nginx configurations given to the run
// together with node: the files no other file includes (a main file, or
// a fragment linted on its own).
func configurationsBeside(ws *Workspace, node *elastic.Settings) int {
	n := 0
	for _, c := range ws.Nginx {
		if len(c.IncludedBy) == 0 && ws.Together(c.File.Abs, node.File.Abs) {
			n++
		}
	}
	return n
}

// includers returns the absolute paths of c and every file that includes
// it, directly or not: a link may name the main file.
func includers(c *nginx.Config) map[string]bool {
	out := map[string]bool{}
	var walk func(c *nginx.Config, depth int)
	walk = func(c *nginx.Config, depth int) {
		if c == nil || depth > 32 || out[c.File.Abs] {
			return
		}
		out[c.File.Abs] = true
		for _, d := range c.IncludedBy {
			walk(d.Config, depth+1)
		}
	}
	walk(c, 0)
	return out
}
