package live

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
)

// The cross-file rules' probes: each dials the target nginx proxies to
// (the finding's Target) from this host and reads what answers there.
func init() {
	for _, name := range []string{"xc-port-mismatch", "xc-bind-mismatch", "xc-transport-port", "xc-scheme-mismatch"} {
		probes[name] = probeXCTarget
	}
}

func probeXCTarget(_ *session, _ *analyzer.Workspace, _ []Peer, f *analyzer.Finding) plan {
	t := f.Target
	if t == nil || t.Host == "" || t.Port <= 0 || t.Port > 65535 {
		return plan{}
	}
	n := need{t.Host, t.Port, Plain}
	rule := f.Rule.Name
	return plan{needs: []need{n}, judge: func(s *session, f *analyzer.Finding) {
		os, err := s.outcomes(n)
		if err != nil {
			f.Live = &analyzer.Live{Status: "inconclusive", Summary: fmt.Sprintf("%s does not resolve on this host: %v", n.host, err), Evidence: []analyzer.Evidence{}}
			return
		}
		live := &analyzer.Live{Evidence: evidence(os)}
		f.Live = live
		if skipped(os) {
			live.Status, live.Summary = "inconclusive", "the live-mode deadline passed before every address was dialled"
			return
		}
		where := fmt.Sprintf("%s port %d", n.host, n.port)
		tls, plainES, notHTTP := false, false, false
		for _, o := range os {
			switch {
			case o.Result == TLS || o.Result == Elasticsearch && strings.Contains(o.Detail, "over TLS"):
				tls = true
			case o.Result == Elasticsearch:
				plainES = true
			case o.Result == NotHTTP:
				notHTTP = true
			}
		}
		switch rule {
		case "xc-port-mismatch", "xc-bind-mismatch":
			switch {
			case allFail(os):
				live.Status = "confirmed"
				live.Summary = fmt.Sprintf("nothing answers at %s from this host (%s): nginx gets the same failure", where, results(os))
			case len(accepted(os)) > 0:
				live.Status = "refuted"
				live.Summary = fmt.Sprintf("%s answers from this host (%s): something listens there after all", where, list(accepted(os)))
			default:
				live.Status, live.Summary = "inconclusive", list(os)
			}
		case "xc-transport-port":
			switch {
			case notHTTP:
				live.Status = "confirmed"
				live.Summary = fmt.Sprintf("%s answers \"This is not an HTTP port\": it is the node's transport port", where)
			case plainES || tls:
				live.Status = "refuted"
				live.Summary = fmt.Sprintf("%s answers as Elasticsearch over HTTP (%s)", where, list(accepted(os)))
			case allFail(os):
				live.Status = "inconclusive"
				live.Summary = fmt.Sprintf("nothing answers at %s (%s): the node is not running, or runs elsewhere", where, results(os))
			default:
				live.Status, live.Summary = "inconclusive", list(os)
			}
		case "xc-scheme-mismatch":
			wantTLS := t.Scheme == "http" // nginx speaks http:// to a node the rule says serves HTTPS
			switch {
			case wantTLS && tls || !wantTLS && plainES:
				live.Status = "confirmed"
				kind := "TLS (HTTPS)"
				if !wantTLS {
					kind = "plain HTTP"
				}
				live.Summary = fmt.Sprintf("%s speaks %s (%s), not what nginx's %s:// sends", where, kind, list(accepted(os)), t.Scheme)
			case wantTLS && plainES || !wantTLS && tls:
				live.Status = "refuted"
				live.Summary = fmt.Sprintf("%s speaks what nginx sends (%s)", where, list(accepted(os)))
			case allFail(os):
				live.Status = "inconclusive"
				live.Summary = fmt.Sprintf("nothing answers at %s (%s)", where, results(os))
			default:
				live.Status, live.Summary = "inconclusive", list(os)
			}
		}
	}}
}
