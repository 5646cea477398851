package crosscheck

import (
	"net/netip"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer/elastic"
)

// bindSet is what a node's HTTP bind list accepts connections on, as far
// as the text tells.
type bindSet struct {
	// Values are the written values ("_local_" for an unset list).
	Values []string
	// Setting decides the list; nil when unset.
	Setting *elastic.Setting
	Key     string
	// Known is false when a value needs the machine (an interface name,
	// a host name, a placeholder).
	Known bool
}

func httpBindSet(n *elastic.Settings) bindSet {
	b := n.HTTPBind
	out := bindSet{Setting: b.Setting, Key: b.Key, Known: true}
	if b.Setting == nil {
		out.Values = []string{"_local_"}
		return out
	}
	for _, v := range b.Values {
		out.Values = append(out.Values, v.Text)
		if v.Placeholder || elastic.ClassifyHost(v.Text) == elastic.Unknown {
			out.Known = false
		}
	}
	return out
}

// covers reports whether a connection to ip reaches a socket bound by one
// of the values (assuming ip is an address of the node's host where the
// value stands for "the host's addresses of this kind").
func (b bindSet) covers(ip netip.Addr) bool {
	ip = ip.Unmap()
	for _, v := range b.Values {
		if valueCovers(strings.TrimSpace(v), ip) {
			return true
		}
	}
	return false
}

func valueCovers(v string, ip netip.Addr) bool {
	switch v {
	case "0.0.0.0", "0":
		return ip.Is4()
	case "::", "[::]":
		return true // Java binds dual-stack
	case "_local_", "localhost", "_lo_", "_lo0_":
		return ip.IsLoopback()
	case "_local:ipv4_", "_lo:ipv4_", "_lo0:ipv4_":
		return ip.IsLoopback() && ip.Is4()
	case "_local:ipv6_", "_lo:ipv6_", "_lo0:ipv6_":
		return ip.IsLoopback() && ip.Is6()
	case "_site_":
		return ip.Is4() && ip.IsPrivate() || isFEC0(ip)
	case "_site:ipv4_":
		return ip.Is4() && ip.IsPrivate()
	case "_site:ipv6_":
		return isFEC0(ip)
	case "_global_", "_global:ipv4_", "_global:ipv6_":
		g := ip.IsGlobalUnicast() && !ip.IsPrivate() && !ip.IsLoopback()
		switch v {
		case "_global:ipv4_":
			return g && ip.Is4()
		case "_global:ipv6_":
			return g && ip.Is6()
		}
		return g
	}
	a, err := netip.ParseAddr(strings.Trim(v, "[]"))
	return err == nil && a.Unmap() == ip
}

// isFEC0 is Java's IPv6 site-local range (fec0::/10); Java does not count
// fd00::/8 as site-local.
func isFEC0(ip netip.Addr) bool {
	if !ip.Is6() {
		return false
	}
	b := ip.As16()
	return b[0] == 0xfe && b[1]&0xc0 == 0xc0
}

// loopbackOnly reports whether every value is a loopback one.
func (b bindSet) loopbackOnly() bool {
	for _, v := range b.Values {
		if elastic.ClassifyHost(v) != elastic.Loopback {
			return false
		}
	}
	return len(b.Values) > 0
}
