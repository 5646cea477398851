package elastic

import (
	"net/netip"
	"strings"
)

// HostClass says what a bind or publish host value means for reachability,
// decided from the text alone (no DNS, no interface lookup).
type HostClass int

const (
	// Unknown: only the machine can tell. Host names other than
	// localhost (resolved by DNS at start-up), interface names `_eth0_`
	// and `#eth0#` (except the loopback interface), ${VAR} placeholders,
	// empty values and anything unparsable.
	Unknown HostClass = iota
	// Loopback: reachable from the same machine only. `_local_`,
	// `_local:ipv4_`, `_local:ipv6_`, the loopback interface `_lo_`/`_lo0_`
	// (with :ipv4/:ipv6), `localhost` in any case with an optional trailing
	// dot, 127.0.0.0/8, `::1`, `[::1]` (and their IPv4-mapped forms).
	Loopback
	// Wildcard: every interface. `0.0.0.0`, `0` (Java reads it as
	// 0.0.0.0), `::`, `[::]`.
	Wildcard
	// NonLoopback: a specific address other machines may reach. Any
	// other IP literal, `_site_`, `_global_` and their :ipv4/:ipv6 forms.
	NonLoopback
)

func (c HostClass) String() string {
	switch c {
	case Loopback:
		return "loopback"
	case Wildcard:
		return "wildcard"
	case NonLoopback:
		return "non-loopback"
	}
	return "unknown"
}

// ClassifyHost classifies one host value as Elasticsearch's NetworkService
// would resolve it. Special values are wrapped in `_..._` or `#...#`.
func ClassifyHost(v string) HostClass {
	v = strings.TrimSpace(v)
	switch {
	case v == "" || strings.Contains(v, "${"):
		return Unknown
	case len(v) >= 3 && (v[0] == '_' && v[len(v)-1] == '_' || v[0] == '#' && v[len(v)-1] == '#'):
		return classifySpecial(v[1 : len(v)-1])
	case strings.EqualFold(strings.TrimSuffix(v, "."), "localhost"):
		return Loopback
	case v == "0":
		return Wildcard
	}
	return classifyIP(v)
}

// classifySpecial handles the inside of `_name_` / `_name:ipv4_`.
func classifySpecial(inner string) HostClass {
	name, family, ok := strings.Cut(inner, ":")
	if ok && family != "ipv4" && family != "ipv6" {
		return Unknown // ES rejects the value; not ours to classify
	}
	switch name {
	case "local", "lo", "lo0":
		return Loopback
	case "site", "global":
		return NonLoopback
	}
	return Unknown // a network interface name
}

// classifyIP handles IP literals, IPv6 optionally in brackets.
func classifyIP(v string) HostClass {
	if strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]") {
		v = v[1 : len(v)-1]
	}
	ip, err := netip.ParseAddr(v)
	if err != nil {
		return Unknown
	}
	ip = ip.Unmap() // ::ffff:127.0.0.1 is 127.0.0.1 to Java
	switch {
	case ip.IsUnspecified():
		return Wildcard
	case ip.IsLoopback():
		return Loopback
	}
	return NonLoopback
}
