package eslog

import (
	"bufio"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// Mapper accumulates the recognised lines of one or more node logs and
// maps them to the settings of the run's node.
type Mapper struct {
	rule *analyzer.Rule
	ws   *analyzer.Workspace
	// node is the settings file the log belongs to: the run's only node
	// (nil when there is none or several: lines are then unmatched).
	node  *elastic.Settings
	tally map[key]*tally
	order []key
	// lastHTTP and lastTransport are the newest bound lines of each layer:
	// the ports of the node's last start.
	lastHTTP, lastTransport *Entry
	// Unmatched counts recognised lines that no settings file of the run
	// could take.
	Unmatched int
	// Settings are the run's settings (.ngxlint.yml): its links pair the
	// nginx proxies of the run with the node, as for the XC rules; nil
	// pairs them as a run without links does.
	Settings *analyzer.Settings
}

type key struct {
	kind   Kind
	detail string
}

type tally struct {
	count       int
	first, last string
	entry       Entry
	logs        map[string]bool
}

// NewMapper maps onto nodes, the node settings files of the run (see
// analyzer.Pass.Nodes); with several, the log cannot be told apart and
// nothing is mapped.
func NewMapper(ws *analyzer.Workspace, nodes []*elastic.Settings, rule *analyzer.Rule) *Mapper {
	m := &Mapper{rule: rule, ws: ws, tally: map[key]*tally{}}
	if len(nodes) == 1 {
		m.node = nodes[0]
	}
	return m
}

// Read reads a log; name is how the findings name it.
func (m *Mapper) Read(name string, r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	var lines Lines
	for sc.Scan() {
		for _, e := range lines.Parse(sc.Text()) {
			m.Add(name, e)
		}
	}
	return sc.Err()
}

// Add counts one recognised entry.
func (m *Mapper) Add(log string, e Entry) {
	if m.node == nil {
		m.Unmatched++
		return
	}
	k := key{e.Kind, e.Detail}
	if e.Kind == BoundHTTP || e.Kind == BoundTransport {
		k.detail = strings.Join(e.Bound, ", ")
	}
	t := m.tally[k]
	if t == nil {
		t = &tally{entry: e, first: e.Time, logs: map[string]bool{}}
		m.tally[k] = t
		m.order = append(m.order, k)
	}
	t.count++
	t.last = e.Time
	t.logs[log] = true
	switch {
	case e.Kind == BoundHTTP && e.Port > 0:
		m.lastHTTP = &e
	case e.Kind == BoundTransport && e.Port > 0:
		m.lastTransport = &e
	}
}

// Findings turns the tallies into findings at the deciding settings.
func (m *Mapper) Findings() []analyzer.Finding {
	var out []analyzer.Finding
	for _, k := range m.order {
		if f, ok := m.finding(k, m.tally[k]); ok {
			f.Rule = m.rule
			out = append(out, f)
		}
	}
	for _, f := range m.portFindings() {
		f.Rule = m.rule
		out = append(out, f)
	}
	analyzer.SortFindings(m.ws, out)
	return out
}

func (m *Mapper) finding(k key, t *tally) (analyzer.Finding, bool) {
	n := m.node
	when := times(t)
	f := analyzer.Finding{Severity: analyzer.Error, Span: firstLine(n.File)}
	switch k.kind {
	case BoundHTTP, BoundTransport:
		layer, b := "HTTP", n.HTTPBind
		if k.kind == BoundTransport {
			layer, b = "transport", n.TransportBind
		}
		if !allLoopback(t.entry.Bound) {
			return f, false
		}
		f.Severity = analyzer.Warning
		if k.kind == BoundTransport {
			f.Severity = analyzer.Info
		}
		if b.Setting != nil && len(b.Values) > 0 {
			f.Span = b.Values[0].Span
		}
		f.Message = fmt.Sprintf("the node's log shows %s bound to %s only, loopback (%s): clients on other hosts or containers "+
			"get connection refused; bind it to an address they reach (network.host)", layer, k.detail, when)
	case BootstrapFailure:
		f.Span = productionSpan(n, f.Span)
		if strings.Contains(k.detail, "memory lock") {
			if st := n.Get("bootstrap.memory_lock"); st != nil && len(st.Values) > 0 {
				f.Span = st.Values[0].Span
			}
		}
		f.Message = fmt.Sprintf("the node's log shows the failed bootstrap check %q (%s): the node did not start, so every "+
			"client gets connection refused; the checks are enforced because transport binds beyond loopback (production mode)", k.detail, when)
	case UnknownSetting:
		if st := n.Get(k.detail); st != nil {
			f.Span = st.KeySpan
		}
		f.Message = fmt.Sprintf("the node's log shows \"unknown setting [%s]\" (%s): the node did not start; fix or remove the setting", k.detail, when)
	case BindFailure:
		if n.HTTPPort.Setting != nil && len(n.HTTPPort.Setting.Values) > 0 {
			f.Span = n.HTTPPort.Setting.Values[0].Span
		}
		f.Message = fmt.Sprintf("the node's log shows %s (%s): the node could not bind its port (taken by another process, or an "+
			"address this host does not have) and did not start", k.detail, when)
	case PlaintextOnHTTPS:
		f.Severity = analyzer.Warning
		for _, key := range []string{"xpack.security.http.ssl.enabled", "plugins.security.ssl.http.enabled"} {
			if st := n.Get(key); st != nil && len(st.Values) > 0 {
				f.Span = st.Values[0].Span
			}
		}
		f.Message = fmt.Sprintf("the node's log shows clients speaking plain HTTP to the HTTPS port (%s): the node closes those "+
			"connections (curl: Empty reply from server, nginx: 502); make them use https://", when)
	default:
		return f, false
	}
	return f, true
}

// times says how often and when, as --error-log findings do.
func times(t *tally) string {
	s := fmt.Sprintf("%d time", t.count)
	if t.count != 1 {
		s += "s"
	}
	switch {
	case t.first != "" && t.count > 1 && t.first != t.last:
		s += fmt.Sprintf(", first %s, last %s", t.first, t.last)
	case t.first != "":
		s += ", at " + t.first
	}
	return "seen " + s
}

// allLoopback reports bound addresses that are all loopback ("127.0.0.1:9200", "[::1]:9200").
func allLoopback(addrs []string) bool {
	for _, a := range addrs {
		ap, err := netip.ParseAddrPort(a)
		if err != nil || !ap.Addr().IsLoopback() {
			return false
		}
	}
	return len(addrs) > 0
}

// productionSpan is the transport bind value that puts the node in
// production mode, or def.
func productionSpan(n *elastic.Settings, def source.Span) source.Span {
	for _, b := range []elastic.Bind{n.TransportBind, n.BindOf("transport.publish_host", "transport.host", "network.publish_host", "network.host")} {
		for _, v := range b.Values {
			if c := elastic.ClassifyHost(v.Text); c == elastic.Wildcard || c == elastic.NonLoopback {
				return v.Span
			}
		}
	}
	return def
}

func firstLine(f *source.File) source.Span { return f.Span(0, len(f.Line(1))) }
