package live

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
)

func init() { probes["scheme-port-mismatch"] = probeSchemePort }

// Protocols a port can be heard speaking, as probeSchemePort names them.
const (
	speaksTLS       = "TLS"
	speaksHTTP      = "plain HTTP"
	speaksTransport = "Elasticsearch's transport protocol"
)

// speaks names the protocol an outcome shows, or "" when it shows none
// (a failure, a silent or unrecognised port).
func speaks(o Outcome) string {
	switch {
	case o.Result == TLS, o.Result == Elasticsearch && strings.Contains(o.Detail, "over TLS"),
		o.Result == HTTP && o.Detail == tlsServerDetail:
		return speaksTLS
	case o.Result == HTTP, o.Result == Elasticsearch:
		return speaksHTTP
	case o.Result == NotHTTP:
		return speaksTransport
	}
	return ""
}

// probeSchemePort dials the port a proxy_pass (or an upstream server it
// uses) reaches and compares what answers with what the scheme sends.
func probeSchemePort(_ *session, _ *analyzer.Workspace, _ []Peer, f *analyzer.Finding) plan {
	t := f.Target
	if t == nil || t.Host == "" || t.Port <= 0 || t.Port > 65535 {
		return plan{}
	}
	want := speaksHTTP
	switch t.Scheme {
	case "https":
		want = speaksTLS
	case "http":
	default:
		return plan{}
	}
	// Plain mode sends clear text first and retries with TLS when the
	// answer looks like a TLS server's, so it tells all three apart.
	n := need{t.Host, t.Port, Plain}
	return plan{needs: []need{n}, judge: func(s *session, f *analyzer.Finding) {
		os, err := s.outcomes(n)
		if err != nil {
			f.Live = &analyzer.Live{Status: "inconclusive", Summary: fmt.Sprintf("%s does not resolve on this host: %v", n.host, err), Evidence: []analyzer.Evidence{}}
			return
		}
		live := &analyzer.Live{Evidence: evidence(os)}
		f.Live = live
		where := fmt.Sprintf("%s port %d", n.host, n.port)
		var other, same []Outcome
		for _, o := range os {
			switch speaks(o) {
			case "":
			case want:
				same = append(same, o)
			default:
				other = append(other, o)
			}
		}
		switch {
		case len(other) > 0:
			// One address that speaks another protocol is enough: nginx
			// fails every request it sends there.
			live.Status = "confirmed"
			live.Summary = fmt.Sprintf("%s speaks %s (%s), but nginx's %s:// sends %s",
				where, speaks(other[0]), list(other), t.Scheme, want)
		case skipped(os):
			live.Status, live.Summary = "inconclusive", "the live-mode deadline passed before every address was dialled"
		case len(same) > 0:
			live.Status = "refuted"
			live.Summary = fmt.Sprintf("%s speaks %s, as nginx's %s:// expects (%s)", where, want, t.Scheme, list(same))
		case allFail(os):
			live.Status = "inconclusive"
			live.Summary = fmt.Sprintf("nothing answers at %s (%s): which protocol it speaks cannot be told", where, results(os))
		default:
			live.Status, live.Summary = "inconclusive", list(os)
		}
	}}
}
