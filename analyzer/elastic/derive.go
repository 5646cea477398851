package elastic

import (
	"fmt"
	"strconv"
	"strings"
)

// Bind chains, most specific first (NetworkService, HttpTransportSettings,
// TransportSettings): the first one set to a non-empty value decides.
var (
	httpBindChain      = []string{"http.bind_host", "http.host", "network.bind_host", "network.host"}
	transportBindChain = []string{"transport.bind_host", "transport.host", "network.bind_host", "network.host"}
)

// Port defaults. transport.tcp.port is the pre-7.1 name of transport.port,
// removed in ES 8.0 but still read by 7.x and OpenSearch as a fallback.
var (
	defaultHTTPPorts      = [][2]int{{9200, 9300}}
	defaultTransportPorts = [][2]int{{9300, 9400}}
)

// Get returns the occurrence of key that Elasticsearch applies (the last
// one: later definitions overwrite earlier ones), or nil when unset.
func (s *Settings) Get(key string) *Setting {
	for i := len(s.All) - 1; i >= 0; i-- {
		if s.All[i].Key == key {
			return s.All[i]
		}
	}
	return nil
}

// Lookup returns every occurrence of key in source order.
func (s *Settings) Lookup(key string) []*Setting {
	var out []*Setting
	for _, st := range s.All {
		if st.Key == key {
			out = append(out, st)
		}
	}
	return out
}

// derive computes the effective bind lists, ports and flavor, once.
func (s *Settings) derive() {
	if s.File != nil {
		s.Flavor = detectFlavor(s.File, s.All)
	}
	s.HTTPBind = s.bind(httpBindChain)
	s.TransportBind = s.bind(transportBindChain)
	s.HTTPPort = s.port(defaultHTTPPorts, "http.port")
	s.TransportPort = s.port(defaultTransportPorts, "transport.port", "transport.tcp.port")
}

// bind returns the first setting of chain with a usable value. A null or
// an empty list counts as unset here (a null makes ES refuse to start,
// which the null rule reports; the bind question is then moot).
func (s *Settings) bind(chain []string) Bind {
	for _, key := range chain {
		st := s.Get(key)
		if st == nil {
			continue
		}
		if vals := s.bindValues(st); len(vals) > 0 {
			return Bind{Setting: st, Key: key, Values: vals}
		}
	}
	return Bind{}
}

// bindValues lists a host setting's values the way Settings.getAsList does:
// a single string is split on commas and trimmed.
func (s *Settings) bindValues(st *Setting) []Value {
	var out []Value
	for _, v := range st.Values {
		switch {
		case v.Null:
		case strings.Contains(v.Text, ","):
			out = append(out, s.splitValue(v)...)
		default:
			out = append(out, v)
		}
	}
	return out
}

// splitValue splits one comma-separated value into trimmed pieces. Each
// piece gets a span of its own when the source shows the text verbatim
// (plain, or quoted without escapes or line folding); otherwise it keeps
// the whole value's span, the honest answer.
func (s *Settings) splitValue(v Value) []Value {
	base, verbatim := s.verbatimStart(v)
	var out []Value
	pos := 0 // byte offset of the current piece within v.Text
	for _, piece := range strings.Split(v.Text, ",") {
		lead := len(piece) - len(strings.TrimLeft(piece, " \t"))
		text := strings.TrimSpace(piece)
		if text != "" {
			sp := v.Span
			if verbatim {
				sp = s.File.Span(base+pos+lead, base+pos+lead+len(text))
			}
			out = append(out, Value{Text: text, Span: sp, Placeholder: strings.Contains(text, "${")})
		}
		pos += len(piece) + 1
	}
	return out
}

// verbatimStart returns the offset where v.Text appears unchanged in the
// source, inside quotes if any.
func (s *Settings) verbatimStart(v Value) (int, bool) {
	if s.File == nil || v.Span.File != s.File.Path {
		return 0, false // an environment value: its text lives in the compose file
	}
	start, end := v.Span.Start.Offset, v.Span.End.Offset
	if end-start == len(v.Text)+2 {
		start, end = start+1, end-1
	}
	if start < 0 || end > len(s.File.Src) || start > end || string(s.File.Src[start:end]) != v.Text {
		return 0, false
	}
	return start, true
}

// port parses the first set key of keys as a PortsRange.
func (s *Settings) port(def [][2]int, keys ...string) PortSpec {
	for _, key := range keys {
		if st := s.Get(key); st != nil {
			return parsePortSetting(st)
		}
	}
	return PortSpec{Ranges: def}
}

// parsePortSetting reads a port setting as ES's PortsRange.
func parsePortSetting(st *Setting) PortSpec {
	ps := PortSpec{Setting: st}
	switch {
	case st.List && len(st.Values) != 1:
		ps.Err = fmt.Sprintf("%s is written as a list; Elasticsearch expects one value such as \"9200\" or \"9200-9300\" and refuses to start", st.Key)
		return ps
	case len(st.Values) == 0 || st.Values[0].Null:
		ps.Err = fmt.Sprintf("%s has no value; Elasticsearch refuses to start on a null setting", st.Key)
		return ps
	case st.Values[0].Placeholder:
		ps.Placeholder = true
		return ps
	}
	ranges, err := ParsePorts(st.Values[0].Text)
	if err != "" {
		ps.Err = fmt.Sprintf("%s: %s; Elasticsearch fails to start when it reaches this port", st.Key, err)
		return ps
	}
	ps.Ranges = ranges
	return ps
}

// ParsePorts parses a PortsRange string: comma-separated tokens, each a
// port or an inclusive `first-last`, blanks trimmed, empty tokens skipped
// (Java's StringTokenizer does). It returns the ranges, or a message
// naming the bad token. ES itself checks lazily, token by token, while
// binding; any bad token is reported here because it fails as soon as the
// ports before it are busy.
func ParsePorts(text string) ([][2]int, string) {
	var out [][2]int
	for _, tok := range strings.Split(text, ",") {
		tok = strings.TrimSpace(tok)
		if tok == "" {
			continue
		}
		first, last := tok, tok
		if i := strings.IndexByte(tok, '-'); i >= 0 {
			first, last = strings.TrimSpace(tok[:i]), strings.TrimSpace(tok[i+1:])
		}
		a, err := portNumber(first, tok)
		if err != "" {
			return nil, err
		}
		b, err := portNumber(last, tok)
		if err != "" {
			return nil, err
		}
		if b < a {
			return nil, fmt.Sprintf("range %q ends before it starts (%d < %d)", tok, b, a)
		}
		out = append(out, [2]int{a, b})
	}
	if len(out) == 0 {
		return nil, fmt.Sprintf("%q holds no port", text)
	}
	return out, ""
}

func portNumber(s, tok string) (int, string) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Sprintf("%q is not a port number or a range like 9200-9300", tok)
	}
	if n < 0 || n > 65535 {
		return 0, fmt.Sprintf("port %d in %q is outside 0-65535", n, tok)
	}
	return n, ""
}

// BindOf is the effective host list of a fallback chain (the first key
// set to a usable value), as the bind lists are derived; rules use it for
// publish hosts: BindOf("transport.publish_host", "transport.host",
// "network.publish_host", "network.host").
func (s *Settings) BindOf(chain ...string) Bind { return s.bind(chain) }

// ProductionTrigger returns the host value that puts the node in
// production mode, where it enforces its bootstrap checks: the first
// transport bind or publish value beyond loopback, with its key, unless
// discovery.type is single-node (BootstrapChecks.enforceLimits). nil when
// no value is beyond loopback as far as the text tells (host and interface
// names need the machine).
func (s *Settings) ProductionTrigger() (*Value, string) {
	if st := s.Get("discovery.type"); st != nil && len(st.Values) == 1 && st.Values[0].Text == "single-node" {
		return nil, ""
	}
	for _, b := range []Bind{s.TransportBind, s.BindOf("transport.publish_host", "transport.host", "network.publish_host", "network.host")} {
		for i := range b.Values {
			if c := ClassifyHost(b.Values[i].Text); c == Wildcard || c == NonLoopback {
				return &b.Values[i], b.Key
			}
		}
	}
	return nil, ""
}
