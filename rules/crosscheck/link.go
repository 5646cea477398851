package crosscheck

import (
	"fmt"
	"net"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// target is one address nginx proxies HTTP to, linked to the node whose
// settings say where that node listens.
type target struct {
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
func (t target) Port() int {
	if t.Addr.HasPort {
		return t.Addr.Port
	}
	if t.Pass.Scheme == "https" {
		return 443
	}
	return 80
}

// Where names the nginx side for a message: "nginx.conf:12 proxies to".
func (t target) Where() string {
	return fmt.Sprintf("%s:%d", t.Dir.Config.File.Path, t.Dir.NameSpan.Start.Line)
}

// targets links every HTTP proxy target to a node: through .ngxlint.yml
// links when one names the nginx file, else automatically when the run
// holds exactly one node and the target's port is one the node serves
// (its HTTP or transport ports, or 9200 and 9300).
func targets(p *analyzer.Pass) []target {
	nodes := p.Nodes()
	if len(nodes) == 0 {
		return nil
	}
	peers := analyzer.ResultOf(p.Workspace, analyzer.Peers)
	var out []target
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
			t := target{Dir: a.d, Addr: a.a, Pass: ps}
			if n, via := link(p, nodes, t); n != nil {
				t.Node, t.Via = n, via
				out = append(out, t)
			}
		}
	}
	return out
}

// link finds the node of a target (see targets).
func link(p *analyzer.Pass, nodes []*elastic.Settings, t target) (*elastic.Settings, string) {
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
	port := t.Port()
	if port == 9200 || port == 9300 || inPorts(n.HTTPPort, port) || inPorts(n.TransportPort, port) {
		return n, "the only node of this run"
	}
	return nil, ""
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

func inPorts(ps elastic.PortSpec, port int) bool {
	if ps.Placeholder || ps.Err != "" {
		return false
	}
	for _, r := range ps.Ranges {
		if port >= r[0] && port <= r[1] {
			return true
		}
	}
	return false
}

// settingSpan is where a node setting is written, for a related
// location: the value of the occurrence that decides, else the file's
// first line (a default).
func settingSpan(n *elastic.Settings, st *elastic.Setting) source.Span {
	if st != nil && len(st.Values) > 0 {
		return st.Values[0].Span
	}
	return n.File.Span(0, len(n.File.Line(1)))
}

// portWords describes a port spec for a message.
func portWords(ps elastic.PortSpec, def string) string {
	if ps.Setting == nil {
		return def + " (the default)"
	}
	if len(ps.Setting.Values) > 0 {
		return ps.Setting.Values[0].Text
	}
	return def
}

// transportPort is the port the transport layer takes: the first of its
// spec (it starts before HTTP).
func transportPort(n *elastic.Settings) int {
	if p := n.TransportPort.First(); p != 0 {
		return p
	}
	return 9300
}

// hostClass classifies the host nginx dials, as the node's own values
// are: loopback, a specific other address, or unknown (a name).
func hostClass(a nginx.Address) elastic.HostClass {
	if strings.EqualFold(strings.TrimSuffix(a.Host, "."), "localhost") {
		return elastic.Loopback
	}
	if a.IP == nil {
		if net.ParseIP(a.Host) == nil {
			return elastic.Unknown
		}
	}
	return elastic.ClassifyHost(a.Host)
}

// md turns ‹ into a backtick, so that rule docs can quote code inside Go
// raw strings.
func md(s string) string { return strings.ReplaceAll(s, "‹", "`") }
