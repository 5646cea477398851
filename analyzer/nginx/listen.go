package nginx

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

// Listen is a `listen` directive read as nginx reads it: one address (an
// IP or name and a port, a bare port, or a unix socket) and its
// parameters.
type Listen struct {
	Directive *Directive
	// Addr is the address argument.
	Addr *Arg
	// Unix is set for unix:/path; Path is then the socket's path.
	Unix bool
	Path string
	// Host is the address without brackets ("" for a bare port or `*`,
	// meaning every address); HostSpan covers it in the source.
	Host string
	IPv6 bool
	// Port is the port nginx listens on: as written, or 80 when only a
	// host was written. PortSpan covers the written port.
	Port     int
	PortText string
	HasPort  bool
	// The host token (brackets included) is [hostStart, hostEnd) of
	// Addr's value, and the written port starts at portStart.
	hostStart, hostEnd, portStart int32

	DefaultServer, SSL, HTTP2, QUIC, ProxyProtocol bool
	ReusePort, Deferred, Bind, UDP                 bool
	// IPv6Only is "on", "off" or "" when not written.
	IPv6Only string
}

// Param returns the first argument of the parameter called name
// (default_server, backlog, ...; `default` is default_server), or nil.
// Looked up when asked, not kept in a map: a listen has a few arguments,
// and ListenOf is called for every listen of every server by several
// rules.
func (l *Listen) Param(name string) *Arg {
	return paramArg(l.Directive, func(n string) bool { return n == name || n == "default" && name == "default_server" })
}

// paramArg returns the first argument of d after its address whose
// parameter name (the text before any '=') is, by is, the one asked for:
// a listen's and an upstream server's Param.
func paramArg(d *Directive, is func(name string) bool) *Arg {
	if d == nil || len(d.Args) == 0 {
		return nil
	}
	for _, a := range d.Args[1:] {
		if n, _, _ := strings.Cut(a.Value, "="); is(n) {
			return a
		}
	}
	return nil
}

// ListenOf reads d (a `listen`) or reports false when it has no argument
// or its address cannot be read (an unclosed `[`, a port that is not a
// number).
func ListenOf(d *Directive) (Listen, bool) {
	if d.Name != "listen" || len(d.Args) == 0 {
		return Listen{}, false
	}
	a := d.Args[0]
	l := Listen{Directive: d, Addr: a}
	if !l.readAddress(a) {
		return Listen{}, false
	}
	for _, p := range d.Args[1:] {
		name, val, _ := strings.Cut(p.Value, "=")
		switch name {
		case "default", "default_server":
			l.DefaultServer = true
		case "ssl":
			l.SSL = true
		case "http2":
			l.HTTP2 = true
		case "quic":
			l.QUIC = true
		case "proxy_protocol":
			l.ProxyProtocol = true
		case "reuseport":
			l.ReusePort = true
		case "deferred":
			l.Deferred = true
		case "bind":
			l.Bind = true
		case "udp":
			l.UDP = true
		case "ipv6only":
			l.IPv6Only = val
		}
	}
	return l, true
}

// readAddress parses unix:path, [v6]:port, [v6], host:port, host, port
// and *:port, with spans.
func (l *Listen) readAddress(a *Arg) bool {
	v := a.Value
	if rest, ok := strings.CutPrefix(v, "unix:"); ok {
		l.Unix, l.Path = true, rest
		return rest != ""
	}
	hostStart, hostEnd, portStart := 0, len(v), -1
	switch {
	case strings.HasPrefix(v, "["):
		end := strings.IndexByte(v, ']')
		if end < 0 {
			return false
		}
		l.IPv6 = true
		hostStart, hostEnd = 1, end
		if rest := v[end+1:]; rest != "" {
			if rest[0] != ':' {
				return false
			}
			portStart = end + 2
		}
	case isDigits(v):
		hostEnd, portStart = 0, 0
	default:
		if i := strings.LastIndexByte(v, ':'); i >= 0 {
			hostEnd, portStart = i, i+1
		}
	}
	l.Host = v[hostStart:hostEnd]
	if l.Host == "*" {
		l.Host = ""
	}
	if l.Host != "" {
		s, e := hostStart, hostEnd
		if l.IPv6 {
			s, e = s-1, e+1 // the brackets belong to the host token
		}
		l.hostStart, l.hostEnd = int32(s), int32(e)
	}
	l.Port = 80
	if portStart >= 0 {
		p, err := strconv.Atoi(v[portStart:])
		if err != nil || p < 1 || p > 65535 {
			return false
		}
		l.Port, l.PortText, l.HasPort = p, v[portStart:], true
		l.portStart = int32(portStart)
	}
	return true
}

// HostSpan covers the written host in the source (brackets included);
// zero when none was written.
func (l *Listen) HostSpan() source.Span {
	if l.Host == "" || l.Addr == nil {
		return source.Span{}
	}
	return newValueSpans(l.Addr).of(int(l.hostStart), int(l.hostEnd))
}

// PortSpan covers the written port; zero when none was written.
func (l *Listen) PortSpan() source.Span {
	if !l.HasPort || l.Addr == nil {
		return source.Span{}
	}
	return newValueSpans(l.Addr).of(int(l.portStart), len(l.Addr.Value))
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Socket is the address and port the listen binds as nginx compares them
// ("0.0.0.0:80", "[::]:443", "unix:/run/x.sock"), with " (quic)" for a
// QUIC (UDP) listen, a socket of its own; false for a host name, whose
// addresses come from DNS.
func (l *Listen) Socket() (string, bool) {
	var buf [64]byte // one allocation, the string: four rules ask for every listen's socket
	b := buf[:0]
	switch {
	case l.Unix:
		b = append(append(b, "unix:"...), l.Path...)
	case l.Host == "":
		b = append(b, "0.0.0.0"...)
	default:
		ip, err := netip.ParseAddr(l.Host)
		if err != nil {
			return "", false
		}
		if ip.Is6() && !ip.Is4In6() {
			b = append(ip.AppendTo(append(b, '[')), ']')
		} else {
			b = ip.Unmap().AppendTo(b)
		}
	}
	if !l.Unix {
		b = strconv.AppendInt(append(b, ':'), int64(l.Port), 10)
	}
	if l.QUIC {
		b = append(b, " (quic)"...)
	}
	return string(b), true
}
