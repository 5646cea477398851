package eslog

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// portFindings compares the ports the node's last start bound, as its log
// shows them, with the ports its settings file expects and the ports the
// run's nginx proxies to. A node whose http.port is a range (the default,
// 9200-9300) moves to the next free port when the first is taken, and
// nothing in the files shows it.
func (m *Mapper) portFindings() []analyzer.Finding {
	n := m.node
	if n == nil {
		return nil
	}
	var out []analyzer.Finding
	if f, ok := settingPort(n, "HTTP", "http.port", n.HTTPPort, m.lastHTTP, analyzer.Warning); ok {
		out = append(out, f)
	}
	if f, ok := settingPort(n, "transport", "transport.port", n.TransportPort, m.lastTransport, analyzer.Info); ok {
		out = append(out, f)
	}
	if m.lastHTTP == nil && m.lastTransport == nil {
		return out
	}
	seen := map[source.Span]bool{}
	for _, t := range analyzer.NodeTargetsOf(m.ws, m.Settings) {
		if t.Node != n {
			continue
		}
		span := t.Addr.AddrSpan()
		if t.Addr.HasPort {
			span = t.Addr.PortSpan()
		}
		if seen[span] {
			continue // a group two passes name: one target
		}
		if f, ok := m.targetPort(t, span); ok {
			seen[span] = true
			out = append(out, f)
		}
	}
	return out
}

// settingPort reports a layer bound to a port other than the first its
// port setting allows (e is the layer's newest bound line, nil when the log
// has none).
func settingPort(n *elastic.Settings, layer, key string, spec elastic.PortSpec, e *Entry, sev analyzer.Severity) (analyzer.Finding, bool) {
	f := analyzer.Finding{Severity: sev, Span: firstLine(n.File)}
	want := spec.First()
	if e == nil || want == 0 || e.Port == want {
		return f, false // no line, a ${VAR} or bad value, or as expected
	}
	written := ""
	if spec.Setting != nil && len(spec.Setting.Values) > 0 {
		f.Span = spec.Setting.Values[0].Span
		written = spec.Setting.Values[0].Text
	}
	when := seenAt(e)
	switch {
	case spec.Has(e.Port):
		why := fmt.Sprintf("%s is not set, so the node takes the first free port of %d-%d", key, spec.Ranges[0][0], spec.Ranges[0][1])
		if written != "" {
			why = fmt.Sprintf("%s %s is a range, so the node takes its first free port", key, written)
		}
		f.Message = fmt.Sprintf("the node's log shows %s bound to port %d, not %d (%s): %s, and %d was taken when it started "+
			"(another node or program holds it); clients that use %d are refused or reach that other program. Set %s to the "+
			"one port clients use (a taken port then stops the node with a BindException instead of moving it) and free %d",
			layer, e.Port, want, when, why, want, want, key, want)
	default:
		says := fmt.Sprintf("%s is not set (%d)", key, want)
		if written != "" {
			says = fmt.Sprintf("%s says %s", key, written)
		}
		f.Message = fmt.Sprintf("the node's log shows %s bound to port %d, but %s (%s): the node runs with other settings "+
			"than this file (restart it to apply them), or the log is another node's", layer, e.Port, says, when)
	}
	return f, true
}

// targetPort reports an nginx proxy target at the node's transport port,
// or at another port than the HTTP port the node's log shows when that is
// not the port the file gives either.
func (m *Mapper) targetPort(t analyzer.NodeTarget, span source.Span) (analyzer.Finding, bool) {
	h, tr := m.lastHTTP, m.lastTransport
	port := t.Port()
	f := analyzer.Finding{Severity: analyzer.Warning, Span: span}
	switch {
	case h != nil && port == h.Port:
		return f, false
	case tr != nil && port == tr.Port:
		f.Severity = analyzer.Error
		httpPort := "the node's HTTP port (http.port)"
		if h != nil {
			httpPort = fmt.Sprintf("port %d, where the log shows HTTP bound", h.Port)
		}
		f.Message = fmt.Sprintf("nginx proxies HTTP to port %d, which the node's log shows is its transport port (%s), the "+
			"binary node-to-node protocol: every request fails (nginx: 502); proxy to %s", port, seenAt(tr), httpPort)
	case h != nil && h.Port != t.Node.HTTPPort.First():
		// Only when the node is not where its file says: a log that agrees
		// with the file adds nothing to xc-port-mismatch, and a container's
		// published port may map nginx's port onto the node's.
		f.Message = fmt.Sprintf("nginx proxies to port %d, but the node's log shows HTTP bound to port %d (%s): nginx gets "+
			"connection refused, or reaches another program that holds %d; proxy to port %d, or set http.port: %d in %s so "+
			"that the node binds the port nginx uses", port, h.Port, seenAt(h), port, h.Port, port, t.Node.File.Path)
	default:
		return f, false
	}
	return f, true
}

// seenAt says when a bound line was written, for messages.
func seenAt(e *Entry) string {
	if e.Time == "" {
		return "its last start"
	}
	return "last start at " + e.Time
}
