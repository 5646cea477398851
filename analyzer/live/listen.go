package live

import (
	"fmt"
	"net/netip"
	"os"
	"slices"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

// systemNonLocalBind reads whether the kernel lets sockets bind addresses
// the host does not hold (net.ipv4.ip_nonlocal_bind, and the IPv6 one).
func systemNonLocalBind() (v4, v6 bool) {
	read := func(p string) bool {
		b, err := os.ReadFile(p)
		return err == nil && strings.TrimSpace(string(b)) == "1"
	}
	return read("/proc/sys/net/ipv4/ip_nonlocal_bind"), read("/proc/sys/net/ipv6/ip_nonlocal_bind")
}

// listenNotLocal reports each listen on a literal address this host does
// not hold, when nginx would bind it: nginx then fails to start.
func (s *session) listenNotLocal(ws *analyzer.Workspace) []analyzer.Finding {
	held, err := s.opt.HostAddrs()
	if err != nil {
		return nil
	}
	v4ok, v6ok := s.opt.NonLocalBind()
	servers := analyzer.ResultOf(ws, analyzer.Servers)
	var out []analyzer.Finding
	for _, vs := range servers {
		for i := range vs.Listens {
			l := &vs.Listens[i]
			ip, err := netip.ParseAddr(l.Host)
			if err != nil || l.Unix {
				continue
			}
			ip = ip.Unmap()
			if ip.IsUnspecified() || ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsMulticast() || slices.Contains(held, ip) {
				continue
			}
			if ip.Is4() && v4ok || ip.Is6() && v6ok {
				continue
			}
			if !l.Bind && !l.ReusePort && wildcardCovers(servers, vs, l, ip.Is4()) {
				continue // served by the wildcard socket: nginx does not bind it apart
			}
			addr := ip.String()
			if ip.Is6() {
				addr = "[" + addr + "]"
			}
			span := l.HostSpan()
			if span.IsZero() {
				span = l.Addr.Span()
			}
			out = append(out, analyzer.Finding{
				Rule: s.opt.ListenNotLocal, Severity: s.opt.ListenNotLocal.Severity, Span: span,
				Message: fmt.Sprintf("listen %s: this host holds no address %s, so nginx fails to start with \"bind() to %s:%d "+
					"failed (99: Cannot assign requested address)\"; listen on an address of this host (or on the port alone)",
					l.Addr.Value, ip, addr, l.Port),
				Live: &analyzer.Live{Status: "confirmed", Summary: "this host's addresses: " + addrList(held),
					Evidence: []analyzer.Evidence{}},
			})
		}
	}
	return out
}

// wildcardCovers: a listen on the wildcard address of the same family and
// port, in the configuration l is read in, takes l's connections on one
// socket.
func wildcardCovers(servers []*nginx.VirtualServer, at *nginx.VirtualServer, l *nginx.Listen, v4 bool) bool {
	scopes := map[*nginx.Config]bool{}
	for _, s := range at.Directive.Config.Sites() {
		scopes[nginx.ScopeOf(s)] = true
	}
	for _, vs := range servers {
		if vs.Module != at.Module {
			continue
		}
		same := false
		for _, s := range vs.Directive.Config.Sites() {
			same = same || scopes[nginx.ScopeOf(s)]
		}
		if !same {
			continue
		}
		for i := range vs.Listens {
			w := &vs.Listens[i]
			if w.Port != l.Port || w.Unix || w.QUIC != l.QUIC || w.UDP != l.UDP {
				continue
			}
			if v4 && (w.Host == "" || w.Host == "0.0.0.0") || !v4 && w.Host == "::" {
				return true
			}
		}
	}
	return false
}

func addrList(as []netip.Addr) string {
	if len(as) == 0 {
		return "none but loopback"
	}
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = a.String()
	}
	return strings.Join(parts, ", ")
}
