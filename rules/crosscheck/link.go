package crosscheck

import (
	"net"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// target is a proxy target linked to a node (see analyzer.NodeTarget).
type target = analyzer.NodeTarget

func targets(p *analyzer.Pass) []target { return p.NodeTargets() }

func inPorts(ps elastic.PortSpec, port int) bool { return ps.Has(port) }

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

// liveTarget is what --live dials to confirm a finding: the address and
// port nginx dials, with its scheme.
func liveTarget(t target) *analyzer.Target {
	return &analyzer.Target{Host: t.Addr.Host, Port: t.Port(), Scheme: t.Pass.Scheme}
}
