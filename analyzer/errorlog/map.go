package errorlog

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/live"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// Options wires a Mapper.
type Options struct {
	// Rule is the rule findings are reported under (upstream-error-log).
	Rule *analyzer.Rule
	// Resolver expands host names other than localhost (a lookup; no
	// connection is made). Nil means the system's.
	Resolver live.Resolver
	// Timeout bounds each lookup; the run's context bounds them all.
	Timeout time.Duration
}

// Mapper accumulates the failures of one or more logs against a workspace.
type Mapper struct {
	opt   Options
	ws    *analyzer.Workspace
	peers []live.Peer
	model *nginx.Peers
	// expand maps each peer (by index) to the addresses it produces, and
	// byAddr each address to the peers that produce it, in order: a log
	// names the same few addresses thousands of times, and scanning every
	// peer's addresses for each line made 40,000 lines against 8,000
	// upstreams take 2 s. byName holds the answers for a name (directives).
	expand [][]netip.AddrPort
	byAddr map[netip.AddrPort][]int
	byName map[string][]*nginx.Directive
	tally  map[tallyKey]*tally
	order  []tallyKey
	// Unmatched counts failures no directive accounts for, by what they
	// name ("[::1]:3000 refused").
	Unmatched map[string]int
}

type tallyKey struct {
	d    *nginx.Directive
	kind Kind
}

type tally struct {
	count       int
	first, last string
	message     string // the first line's message
	addrs       map[string]bool
	logs        map[string]bool
	also        []*nginx.Directive // other directives producing the same address
}

// NewMapper indexes the workspace's peers and expands their host names:
// localhost to both loopback addresses (what nginx makes of it on most
// hosts, whatever this host says) plus what the resolver answers, other
// names to what the resolver answers, within the context's time.
func NewMapper(ctx context.Context, ws *analyzer.Workspace, opt Options) *Mapper {
	if opt.Resolver == nil {
		opt.Resolver = live.System{}
	}
	if opt.Timeout <= 0 {
		opt.Timeout = time.Second
	}
	m := &Mapper{opt: opt, ws: ws, peers: live.Peers(ws), model: analyzer.ResultOf(ws, analyzer.Peers),
		tally: make(map[tallyKey]*tally), Unmatched: make(map[string]int)}
	cache := map[string][]netip.Addr{}
	m.expand = make([][]netip.AddrPort, len(m.peers))
	for i, p := range m.peers {
		host := strings.ToLower(strings.TrimSuffix(p.Addr.Host, "."))
		addrs, done := cache[host]
		if !done {
			if a, err := netip.ParseAddr(host); err == nil {
				addrs = []netip.Addr{a.Unmap()}
			} else {
				if host == "localhost" {
					addrs = []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.IPv6Loopback()}
				}
				lctx, cancel := context.WithTimeout(ctx, opt.Timeout)
				more, err := opt.Resolver.LookupHost(lctx, host)
				cancel()
				if err == nil {
					addrs = append(addrs, more...)
				}
			}
			cache[host] = addrs
		}
		for _, a := range addrs {
			m.expand[i] = append(m.expand[i], netip.AddrPortFrom(a, uint16(p.Addr.Port)))
		}
	}
	m.byAddr = make(map[netip.AddrPort][]int)
	for i, xs := range m.expand {
		for _, x := range xs {
			if ps := m.byAddr[x]; len(ps) == 0 || ps[len(ps)-1] != i {
				m.byAddr[x] = append(ps, i)
			}
		}
	}
	m.byName = make(map[string][]*nginx.Directive)
	return m
}

// Read scans one log; name is how findings refer to it.
func (m *Mapper) Read(name string, r io.Reader) error {
	return Scan(r, func(e Entry) { m.Add(name, e) })
}

// Add accounts for one entry.
func (m *Mapper) Add(log string, e Entry) {
	ds, addr := m.directives(e)
	if len(ds) == 0 {
		what := addr
		if what == "" {
			what = e.Upstream
		}
		m.Unmatched[strings.TrimSpace(what+" "+string(e.Kind))]++
		return
	}
	for _, d := range ds {
		k := tallyKey{d, e.Kind}
		t := m.tally[k]
		if t == nil {
			t = &tally{message: e.Message, first: e.Time, last: e.Time, addrs: map[string]bool{}, logs: map[string]bool{}}
			m.tally[k] = t
			m.order = append(m.order, k)
			for _, o := range ds {
				if o != d {
					t.also = append(t.also, o)
				}
			}
		}
		t.count++
		if e.Time < t.first {
			t.first = e.Time
		}
		if e.Time > t.last {
			t.last = e.Time
		}
		if addr != "" {
			t.addrs[addr] = true
		}
		t.logs[log] = true
	}
}

// directives finds what produced the entry, and the address it names.
func (m *Mapper) directives(e Entry) ([]*nginx.Directive, string) {
	if e.Kind == HostNotFound {
		if d := m.atLine(e); d != nil {
			return []*nginx.Directive{d}, ""
		}
		return nil, e.Name
	}
	a, ok := nginx.ParseAddressText(e.Upstream)
	if !ok || a.Unix || a.Host == "" || a.Port <= 0 || a.Port > 65535 {
		return nil, ""
	}
	scheme, host, port := a.Scheme, a.Host, a.Port
	if a, err := netip.ParseAddr(host); err == nil {
		ap := netip.AddrPortFrom(a.Unmap(), uint16(port))
		var out, schemed []*nginx.Directive
		for _, i := range m.byAddr[ap] {
			p := m.peers[i]
			out = append(out, p.Directive)
			if schemeMatches(p.Scheme, scheme) {
				schemed = append(schemed, p.Directive)
			}
		}
		if len(schemed) > 0 {
			out = schemed
		}
		return out, ap.String()
	}
	if ds, ok := m.byName[host]; ok {
		return ds, ""
	}
	ds := m.named(host)
	m.byName[host] = ds
	return ds, ""
}

// named finds what a name in a log stands for: an upstream block ("no
// live upstreams" names the group), or the host of a static proxy_pass
// that resolved to several addresses.
func (m *Mapper) named(host string) []*nginx.Directive {
	for _, module := range []string{"http", "stream"} {
		if g := m.model.GroupNamed(module, host); g != nil {
			return []*nginx.Directive{g.Directive}
		}
	}
	var out []*nginx.Directive
	for _, p := range m.peers {
		if p.Group == nil && strings.EqualFold(p.Addr.Host, host) {
			out = append(out, p.Directive)
		}
	}
	return out
}

func schemeMatches(peer, logged string) bool {
	switch logged {
	case "http", "https":
		return peer == "http" || peer == "https"
	case "":
		return true
	}
	return peer == logged
}

// atLine finds the directive a "host not found in upstream" line names: by
// the file nginx reports (absolute, or the same path tail when the log
// comes from another machine) and line, with the host in its first
// argument.
func (m *Mapper) atLine(e Entry) *nginx.Directive {
	if e.File == "" || e.At <= 0 {
		return nil
	}
	name := e.Name
	if i := strings.LastIndex(name, ":"); i > 0 && !strings.HasSuffix(name, "]") {
		name = name[:i]
	}
	var found *nginx.Directive
	bestTail := 0
	m.ws.WalkNginx(func(d *nginx.Directive) {
		if len(d.Args) == 0 || d.Config == nil || d.Config.File == nil || !startsOnLine(d, e.At) {
			return
		}
		a, ok := nginx.ParseAddress(d.Args[0])
		if !ok || !strings.EqualFold(strings.Trim(a.Host, "[]"), strings.Trim(name, "[]")) {
			return
		}
		if tail := commonTail(d.Config.File.Abs, e.File); tail > bestTail {
			found, bestTail = d, tail
		}
	})
	return found
}

// startsOnLine reports whether d begins on the 1-based line, from the
// file's line table (no column is worked out: this runs on every
// directive).
func startsOnLine(d *nginx.Directive, line int) bool {
	f := d.Config.File
	if line > f.LineCount() || d.Start() < f.LineStart(line) {
		return false
	}
	return line == f.LineCount() || d.Start() < f.LineStart(line+1)
}

// commonTail counts the trailing path elements two paths share.
func commonTail(a, b string) int {
	as := strings.Split(filepath.ToSlash(a), "/")
	bs := strings.Split(filepath.ToSlash(b), "/")
	n := 0
	for n < len(as) && n < len(bs) && as[len(as)-1-n] == bs[len(bs)-1-n] && as[len(as)-1-n] != "" {
		n++
	}
	return n
}

// Findings returns one finding per directive and kind of failure, in
// source order.
func (m *Mapper) Findings() []analyzer.Finding {
	var out []analyzer.Finding
	for _, k := range m.order {
		t := m.tally[k]
		d := k.d
		f := analyzer.Finding{Rule: m.opt.Rule, Severity: m.opt.Rule.Severity, Span: spanOf(d, k.kind), Message: message(d, k.kind, t)}
		if k.kind == HostNotFound {
			f.Severity = analyzer.Error
		}
		for _, o := range t.also {
			if len(o.Args) > 0 {
				f.Related = append(f.Related, source.Related{Span: o.Args[0].Span(), Message: "also produces this address"})
			}
		}
		out = append(out, f)
	}
	analyzer.SortFindings(m.ws, out)
	return out
}

// spanOf is where a finding about d points. A failure about which
// addresses a host gives (a refusal of one of the addresses a name expands
// to, no route, a name that does not resolve) points at the host, the span
// upstream-localhost uses, so that editors show the two together and
// baselines match them alike. A failure about what serves at the port (a
// refusal of an IP literal, a dropped connection, a failed TLS handshake)
// points at the host and port. An upstream block: at its name.
func spanOf(d *nginx.Directive, k Kind) source.Span {
	if len(d.Args) == 0 {
		return d.Span()
	}
	arg := d.Args[0]
	if d.Name == "upstream" {
		return arg.Span()
	}
	a, ok := nginx.ParseAddress(arg)
	if !ok || a.Unix || a.HostSpan().IsZero() {
		return arg.Span()
	}
	switch k {
	case Closed, Reset, SSLHandshake, ReadTimedOut:
		return a.AddrSpan()
	case Refused, Disabled:
		if a.IP != nil {
			return a.AddrSpan()
		}
	}
	return a.HostSpan()
}

func message(d *nginx.Directive, k Kind, t *tally) string {
	written := d.Name
	if len(d.Args) > 0 {
		written += " " + d.Args[0].Value
	}
	times := "once, at " + t.first
	if t.count > 1 {
		times = fmt.Sprintf("%d times, from %s to %s", t.count, t.first, t.last)
	}
	logs := sortedKeys(t.logs)
	var addrs string
	if len(t.addrs) > 0 {
		addrs = " for " + strings.Join(sortedKeys(t.addrs), ", ") + ","
	}
	return fmt.Sprintf("nginx's error log (%s) shows \"%s\"%s %s; %s produces %s: %s",
		strings.Join(logs, ", "), t.message, addrs, times, written, produces(d, t), advice(k))
}

func produces(d *nginx.Directive, t *tally) string {
	if d.Name == "upstream" {
		return "that group"
	}
	if len(t.addrs) == 0 {
		return "that name"
	}
	if len(t.addrs) == 1 {
		return "that address"
	}
	return "those addresses"
}

func advice(k Kind) string {
	switch k {
	case Refused:
		return "nothing listens there; if the backend listens on one address family only, name that address instead of a host name"
	case TimedOut, NoRoute, NetUnreachable:
		return "the address cannot be reached from nginx's host; check the address, the route and any firewall (an IPv6 address on an IPv4-only host: name the IPv4 address)"
	case Disabled:
		return "nginx stopped using the peer for fail_timeout after max_fails failures; fix the failures above it"
	case NoLive:
		return "every peer of the group was marked down, so clients got 502; fix the failing peers"
	case Closed, Reset:
		return "the backend dropped the connection; check that the scheme and port match what it serves (plain HTTP to a TLS port, or to an Elasticsearch transport port)"
	case HostNotFound:
		return "nginx cannot resolve the name at start-up and refuses to start; fix the name or its DNS / /etc/hosts entry"
	case SSLHandshake:
		return "the TLS handshake to the backend failed; check proxy_ssl_* settings and that the backend speaks TLS on that port"
	case ReadTimedOut:
		return "the backend accepted but answered too slowly; check the backend or raise proxy_read_timeout"
	}
	return "check the backend"
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
