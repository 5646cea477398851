package live

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// The node probe (es-node-unreachable): on the node's own host, dial the
// HTTP port and the transport port at the addresses the bind setting
// gives, and say which of the causes of a refused connection it is.

// nodeProbe is what is dialled for one settings file.
type nodeProbe struct {
	st                  *elastic.Settings
	httpPort, transPort int
	http, transport     []need
}

// nodeProbes plans a probe per settings file that loaded and whose ports
// are known.
func (s *session) nodeProbes(ws *analyzer.Workspace) []nodeProbe {
	var out []nodeProbe
	for _, st := range ws.Elastic {
		if _, client := elastic.ClientConfig(st); client {
			continue // a client's configuration names no node of its own
		}
		if st.File == nil || brokenYAML(st) || st.HTTPPort.Placeholder || st.HTTPPort.Err != "" {
			continue
		}
		np := nodeProbe{st: st, httpPort: httpPort(st), transPort: 9300}
		if p := st.TransportPort.First(); p > 0 && p <= 65535 {
			np.transPort = p
		}
		for _, h := range bindTargets(s, st) {
			np.http = append(np.http, need{h, np.httpPort, Plain})
			if np.transPort != np.httpPort {
				np.transport = append(np.transport, need{h, np.transPort, Plain})
			}
		}
		if len(np.http) > 0 {
			out = append(out, np)
		}
	}
	return out
}

func brokenYAML(st *elastic.Settings) bool {
	for _, d := range st.Diagnostics {
		if d.Code == elastic.CodeSyntax && !d.Info {
			return true
		}
	}
	return false
}

func (np nodeProbe) needs() []need { return append(append([]need{}, np.http...), np.transport...) }

// judge turns what answered into at most one finding.
func (s *session) judgeNode(np nodeProbe) (analyzer.Finding, bool) {
	st := np.st
	h, t := collect(s, np.http), collect(s, np.transport)
	f := analyzer.Finding{Rule: s.opt.NodeUnreachable, Severity: analyzer.Error, Span: portSettingSpan(st)}
	f.Live = &analyzer.Live{Status: "confirmed", Summary: list(append(append([]Outcome{}, h...), t...)),
		Evidence: evidence(append(append([]Outcome{}, h...), t...))}
	if len(h) == 0 || skipped(h) {
		return f, false // the deadline passed: nothing to say
	}
	port := np.httpPort
	nodes := es(h)
	transportOK := where(t, func(o Outcome) bool { return o.Result == NotHTTP })
	switch {
	case len(nodes) > 0:
		return schemeFinding(st, f, nodes)
	case len(where(h, func(o Outcome) bool { return o.Result == NotHTTP })) > 0:
		f.Message = fmt.Sprintf("port %d on this host answers \"This is not an HTTP port\": it is a transport port, of this node "+
			"or another, so HTTP clients of port %d get no answer they can read; give http.port and transport.port "+
			"different ports, and point clients at the HTTP one", port, port)
	case len(accepted(h)) > 0:
		f.Severity = analyzer.Warning
		f.Message = fmt.Sprintf("port %d on this host answers, but not as Elasticsearch or OpenSearch (%s): another service "+
			"holds the port, so clients reach it instead of the node, and the node cannot bind there (BindException in its log)",
			port, list(accepted(h)))
	case allResult(h, Refused):
		f.Message = fmt.Sprintf("nothing listens on port %d on this host (%s: connection refused): the node is not running, "+
			"stopped at start-up (a bootstrap check or an unknown setting: read its log with --es-log), or listens elsewhere",
			port, addrs(h))
		if len(transportOK) > 0 {
			f.Message = fmt.Sprintf("nothing listens on HTTP port %d on this host (%s: connection refused) while the transport "+
				"port %d answers as a node does: the node runs, but its HTTP layer is not at port %d; check http.port "+
				"(and http.enabled), and point clients at the port the node's log names in bound_addresses",
				port, addrs(h), np.transPort, port)
		}
	case len(where(h, func(o Outcome) bool { return o.Result == Timeout })) > 0 && allFail(h):
		f.Span = bindSettingSpan(st)
		f.Message = fmt.Sprintf("connections to port %d at %s are dropped on the way (timeout, not refused): a firewall "+
			"drops them, or the address is not this host's; open the port, or bind to an address of this host", port,
			addrs(failures(h)))
	case allFail(h):
		f.Span = bindSettingSpan(st)
		f.Message = fmt.Sprintf("%s cannot be reached from this host (%s): the bind address is wrong or not on this "+
			"host's networks", addrs(h), results(h))
	default:
		return f, false
	}
	return f, true
}

// schemeFinding compares the scheme the running node serves with what the
// file says: HTTPS served while the file does not turn TLS on (8.x's
// first-start auto-configuration, or another file in use), or plain HTTP
// while the file turns it on (a restart pending).
func schemeFinding(st *elastic.Settings, f analyzer.Finding, nodes []Outcome) (analyzer.Finding, bool) {
	served := strings.HasSuffix(nodes[0].Detail, " over TLS")
	says, at := httpsSetting(st)
	switch {
	case served && says == "http":
		f.Severity = analyzer.Warning
		f.Span = at
		f.Message = fmt.Sprintf("the node on this host serves HTTPS (%s) though this file turns TLS off for HTTP: it runs with "+
			"other settings than these, and clients that follow this file speak plain HTTP to a TLS port", describe(nodes[0]))
	case served && says == "":
		f.Severity = analyzer.Info
		f.Span = firstLineOf(st.File)
		f.Message = fmt.Sprintf("the node on this host serves HTTPS (%s) though this file does not turn TLS on (8.x's "+
			"first-start security auto-configuration, or other settings, did): clients must use https:// and trust its CA",
			describe(nodes[0]))
	case !served && says == "https":
		f.Severity = analyzer.Warning
		f.Span = at
		f.Message = fmt.Sprintf("the node on this host serves plain HTTP (%s) though this file turns TLS on for HTTP: it "+
			"still runs with older settings (restart pending?), and clients that follow this file get TLS handshake failures",
			describe(nodes[0]))
	default:
		return f, false
	}
	return f, true
}

// httpsSetting reads what the file says about TLS on the HTTP layer:
// "https", "http", or "" when it does not say; and where it says it.
func httpsSetting(st *elastic.Settings) (string, source.Span) {
	if st.Flavor == elastic.OpenSearch {
		if v, sp, ok := boolSetting(st, "plugins.security.disabled"); ok && v {
			return "http", sp
		}
		for _, k := range []string{"plugins.security.ssl.http.enabled", "opendistro_security.ssl.http.enabled"} {
			if v, sp, ok := boolSetting(st, k); ok {
				return map[bool]string{true: "https", false: "http"}[v], sp
			}
		}
		return "", source.Span{}
	}
	if v, sp, ok := boolSetting(st, "xpack.security.enabled"); ok && !v {
		return "http", sp
	}
	if v, sp, ok := boolSetting(st, "xpack.security.http.ssl.enabled"); ok {
		return map[bool]string{true: "https", false: "http"}[v], sp
	}
	return "", source.Span{}
}

func boolSetting(st *elastic.Settings, key string) (v bool, at source.Span, ok bool) {
	s := st.Get(key)
	if s == nil || len(s.Values) != 1 || s.Values[0].Placeholder {
		return false, source.Span{}, false
	}
	switch strings.ToLower(s.Values[0].Text) {
	case "true":
		return true, s.Values[0].Span, true
	case "false":
		return false, s.Values[0].Span, true
	}
	return false, source.Span{}, false
}

func allResult(os []Outcome, r Result) bool {
	for _, o := range os {
		if o.Result != r {
			return false
		}
	}
	return len(os) > 0
}

// portSettingSpan is http.port's value, or the file's first line.
func portSettingSpan(st *elastic.Settings) source.Span {
	if p := st.HTTPPort.Setting; p != nil && len(p.Values) > 0 {
		return p.Values[0].Span
	}
	return firstLineOf(st.File)
}

// bindSettingSpan is the HTTP bind setting's first value, or the file's
// first line.
func bindSettingSpan(st *elastic.Settings) source.Span {
	if st.HTTPBind.Setting != nil && len(st.HTTPBind.Values) > 0 {
		return st.HTTPBind.Values[0].Span
	}
	return firstLineOf(st.File)
}

func firstLineOf(f *source.File) source.Span {
	return f.Span(0, len(f.Line(1)))
}
