package live

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"sort"
	"strings"
)

// Resolver turns a host name from the configuration into the addresses
// nginx would make peers of. Tests inject their own.
type Resolver interface {
	LookupHost(ctx context.Context, host string) ([]netip.Addr, error)
}

// System resolves through the operating system's configuration, as nginx
// does with getaddrinfo: /etc/hosts first (per nsswitch.conf), then DNS.
//
// Go's resolver reads /etc/hosts itself when it does not hand the lookup
// to libc (it delegates only non-standard nsswitch sources, such as
// myhostname for "localhost"), and libc reads it when it does, so either
// way a hosts entry counts. Go re-reads /etc/hosts when it changes (it
// caches it for a few seconds).
type System struct{}

// LookupHost returns every address of host, IPv4 and IPv6, unmapped and
// without duplicates; an IP literal is returned as is.
func (System) LookupHost(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, ok := literal(host); ok {
		return []netip.Addr{a}, nil
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	return uniq(addrs), nil
}

// Static is a fixed table of host names (lower case) to addresses, for
// tests and for callers that already know the answer.
type Static map[string][]netip.Addr

// LookupHost answers from the table; an unknown name is "not found".
func (s Static) LookupHost(_ context.Context, host string) ([]netip.Addr, error) {
	if a, ok := literal(host); ok {
		return []netip.Addr{a}, nil
	}
	if addrs, ok := s[strings.ToLower(strings.TrimSuffix(host, "."))]; ok {
		return uniq(addrs), nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

// literal parses an IP literal, with or without IPv6 brackets.
func literal(host string) (netip.Addr, bool) {
	h := strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	a, err := netip.ParseAddr(h)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// uniq unmaps IPv4-in-IPv6 addresses and drops duplicates, keeping order.
func uniq(in []netip.Addr) []netip.Addr {
	seen := make(map[netip.Addr]bool, len(in))
	out := make([]netip.Addr, 0, len(in))
	for _, a := range in {
		a = a.Unmap()
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}

// NotFound reports whether err says the name does not exist (as opposed to
// a resolver that failed or timed out, which says nothing about the name).
func NotFound(err error) bool {
	var de *net.DNSError
	return errors.As(err, &de) && de.IsNotFound
}

// sortAddrs orders IPv4 before IPv6, then by address, for stable output.
func sortAddrs(as []netip.Addr) {
	sort.Slice(as, func(i, j int) bool {
		if as[i].Is4() != as[j].Is4() {
			return as[i].Is4()
		}
		return as[i].Less(as[j])
	})
}

// SystemNameservers reads the nameservers of /etc/resolv.conf, in order,
// at port 53 (where the system resolver, and so nginx at start-up, asks).
func SystemNameservers() ([]netip.AddrPort, error) {
	b, err := os.ReadFile("/etc/resolv.conf")
	if err != nil {
		return nil, err
	}
	return parseResolvConf(string(b)), nil
}

// parseResolvConf returns the addresses of the nameserver lines; an
// IPv6 link-local address with a zone is kept with its zone.
func parseResolvConf(text string) []netip.AddrPort {
	var out []netip.AddrPort
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || f[0] != "nameserver" {
			continue
		}
		if a, err := netip.ParseAddr(f[1]); err == nil {
			out = append(out, netip.AddrPortFrom(a.Unmap(), 53))
		}
	}
	return out
}
