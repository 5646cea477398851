package nginx

import (
	"net"
	"strconv"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

// Address is an upstream address as nginx's URL parser reads it:
// [scheme://]host[:port][/uri], with the host's own span.
type Address struct {
	Scheme string // lower case; "" when none was written
	Host   string // as written, without IPv6 brackets
	// arg is the argument read (nil for ParseAddressText), and the host
	// token, brackets included, is [hostStart, hostEnd) of its value:
	// the spans below are worked out from them when asked.
	arg                *Arg
	hostStart, hostEnd int32
	HasPort            bool
	Port               int
	PortText           string
	// IP is set when Host is an IP literal.
	IP net.IP
	// Variable is true when the argument holds a $variable anywhere:
	// nginx then resolves it per request, not at start-up.
	Variable bool
	// Unix is true for unix:/path sockets.
	Unix bool
	// uri is the offset in the text where the URI part starts, -1 when
	// there is none (see URIStart).
	uri int
	// schemeLen is the length of the scheme as written: Scheme is lower
	// case, and lowering text that is not UTF-8 changes its length.
	schemeLen int
}

// ParseAddress reads the address in an upstream `server`, `proxy_pass`,
// `fastcgi_pass` and friends, with the host's span. It reports false for
// an argument that is not an address at all (empty, or an unclosed `[`).
func ParseAddress(arg *Arg) (Address, bool) {
	a, hostStart, hostEnd, ok := parseAddress(arg.Value)
	if ok {
		a.arg, a.hostStart, a.hostEnd = arg, int32(hostStart), int32(hostEnd)
	}
	return a, ok
}

// HostSpan covers exactly the host token in the source (brackets
// included for an IPv6 literal); zero for a unix: socket or an address
// read from text.
func (a *Address) HostSpan() source.Span {
	if a.arg == nil || a.Unix {
		return source.Span{}
	}
	return newValueSpans(a.arg).of(int(a.hostStart), int(a.hostEnd))
}

// AddrSpan covers the host and, when written, the port ("localhost:3000"
// of "http://localhost:3000/api"): where a finding about the port points.
func (a *Address) AddrSpan() source.Span {
	if a.arg == nil || a.Unix {
		return source.Span{}
	}
	return newValueSpans(a.arg).of(int(a.hostStart), a.addrEnd())
}

// PortSpan covers the written port; zero when none was written.
func (a *Address) PortSpan() source.Span {
	if a.arg == nil || a.Unix || !a.HasPort {
		return source.Span{}
	}
	return newValueSpans(a.arg).of(int(a.hostEnd)+1, a.addrEnd())
}

// SchemeSpan covers the written scheme ("https" of "https://x"); zero
// when none was written.
func (a *Address) SchemeSpan() source.Span {
	if a.arg == nil || a.Scheme == "" {
		return source.Span{}
	}
	return newValueSpans(a.arg).of(0, a.schemeLen)
}

// addrEnd is the offset in the value past the host and the written port.
func (a *Address) addrEnd() int {
	if a.HasPort {
		return int(a.hostEnd) + 1 + len(a.PortText)
	}
	return int(a.hostEnd)
}

// ParseAddressText reads an address given as text, such as the
// `upstream: "http://[::1]:3000/"` of an nginx error-log line. HostSpan and
// AddrSpan are left zero.
func ParseAddressText(v string) (Address, bool) {
	a, _, _, ok := parseAddress(v)
	return a, ok
}

// parseAddress reads [scheme://]host[:port][/uri] the way nginx's URL
// parser does, and returns the host's byte range in v.
func parseAddress(v string) (a Address, hostStart, hostEnd int, ok bool) {
	a.uri = -1
	if v == "" {
		return a, 0, 0, false
	}
	rest := v
	if i := strings.Index(rest, "://"); i >= 0 {
		a.Scheme, a.schemeLen = strings.ToLower(rest[:i]), i
		rest = rest[i+3:]
	}
	hostStart = len(v) - len(rest)
	if strings.HasPrefix(strings.ToLower(rest), "unix:") {
		a.Unix = true
		// the socket path ends at the next ':', and the URI follows it
		if j := strings.IndexByte(rest[len("unix:"):], ':'); j >= 0 && hostStart+len("unix:")+j+1 < len(v) {
			a.uri = hostStart + len("unix:") + j + 1
		}
		return a, 0, 0, true
	}
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		a.uri = hostStart + i
		rest = rest[:i]
	}
	host, port := rest, ""
	if strings.HasPrefix(rest, "[") {
		j := strings.Index(rest, "]")
		if j < 0 {
			return a, 0, 0, false // nginx: invalid host
		}
		host = rest[:j+1]
		if strings.HasPrefix(rest[j+1:], ":") {
			port = rest[j+2:]
		}
	} else if j := strings.LastIndex(rest, ":"); j >= 0 {
		host, port = rest[:j], rest[j+1:]
	}
	a.Host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	// A variable anywhere in the argument (scheme, host, port or URI)
	// makes nginx evaluate it per request: nothing is resolved at start-up.
	a.Variable = strings.Contains(v, "$")
	if port != "" {
		a.HasPort = true
		a.PortText = port
		a.Port, _ = strconv.Atoi(port)
	} else {
		a.Port = defaultPort(a.Scheme)
	}
	a.IP = net.ParseIP(a.Host)
	return a, hostStart, hostStart + len(host), true
}

// defaultPort is the port nginx assumes when none is written.
func defaultPort(scheme string) int {
	switch scheme {
	case "https", "grpcs", "suwsgi":
		return 443
	}
	return 80
}

// valueSpans maps byte ranges of an argument's value to their spans in
// the source, working the argument's own span out once for them all. It
// is exact when the value has no escapes (the raw text, less its quotes,
// is the value); otherwise the whole argument is the best we can say.
type valueSpans struct {
	arg   *Arg
	span  source.Span
	raw   string
	quote int // 1 when the raw text starts with a quote
	exact bool
}

func newValueSpans(arg *Arg) valueSpans {
	v := valueSpans{arg: arg, span: arg.Span(), raw: arg.Raw()}
	if arg.Quote != 0 {
		v.quote = 1
	}
	v.exact = len(v.raw) >= v.quote+len(arg.Value) && v.raw[v.quote:v.quote+len(arg.Value)] == arg.Value &&
		!strings.Contains(v.raw, "\n")
	return v
}

// of returns the span of bytes [start, end) of the value.
func (v valueSpans) of(start, end int) source.Span {
	if !v.exact {
		return v.span
	}
	sp := v.span
	sp.Start = shift(sp.Start, v.raw[:v.quote+start])
	sp.End = shift(sp.Start, v.arg.Value[start:end])
	return sp
}

// shift advances a position over text that holds no line break.
func shift(p source.Pos, text string) source.Pos {
	p.Offset += len(text)
	p.Col += int32(source.UTF16Len([]byte(text)))
	return p
}

// URIStart is the offset in a proxy_pass URL where its URI part starts,
// as nginx's URL parser splits it: the first / or ? after the host and
// port, or for unix: the text after the socket path's ':'. It is -1 when
// the URL has none (or is not scheme://...).
func URIStart(value string) int {
	if !strings.Contains(value, "://") {
		return -1
	}
	a, _, _, ok := parseAddress(value)
	if !ok {
		return -1
	}
	return a.uri
}
