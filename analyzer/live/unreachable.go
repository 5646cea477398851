package live

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// unreachable reports each peer that cannot be connected to: every address
// fails, or its name does not exist. A peer whose addresses partly fail is
// reported too, unless an upstream-localhost finding at the same place
// already carries that evidence.
func (s *session) unreachable(peers []Peer, fs []analyzer.Finding) []analyzer.Finding {
	covered := make(map[string]bool)
	for _, f := range fs {
		if f.Live != nil && f.Rule != nil && f.Rule.Name == "upstream-localhost" {
			covered[spanKey(f.Span)] = true
		}
	}
	var out []analyzer.Finding
	for _, p := range peers {
		n := need{p.Addr.Host, p.Addr.Port, ModeOf(p)}
		written := p.Directive.Args[0].Value
		what := "upstream server " + written
		if p.Group == nil {
			what = p.Directive.Name + " " + written
		}
		f := analyzer.Finding{
			Rule: s.opt.Unreachable, Severity: s.opt.Unreachable.Severity, Span: p.Directive.Args[0].Span(),
			Target: &analyzer.Target{Host: p.Addr.Host, Port: p.Addr.Port, Scheme: p.Scheme},
		}
		os, err := s.outcomes(n)
		switch {
		case err != nil && NotFound(err):
			f.Message = fmt.Sprintf("%s: the host %s does not resolve on this host, so nginx refuses to start "+
				"(\"host not found in upstream\"); fix the name or its DNS / /etc/hosts entry", what, p.Addr.Host)
			f.Live = &analyzer.Live{Status: "confirmed", Summary: err.Error(), Evidence: []analyzer.Evidence{}}
		case err != nil || len(os) == 0 || skipped(os):
			continue // the resolver failed or time ran out: that says nothing about the peer
		case allFail(os):
			f.Message = fmt.Sprintf("%s: nothing accepts connections at %s (%s), so nginx logs \"connect() failed\" for "+
				"every attempt and answers 502 Bad Gateway once no other peer is left; start the backend or fix the address",
				what, addrs(os), results(os))
			f.Live = &analyzer.Live{Status: "confirmed", Summary: list(os), Evidence: evidence(os)}
		case len(accepted(os)) > 0 && len(failures(os)) > 0:
			if covered[spanKey(p.Addr.HostSpan())] {
				continue
			}
			bad := failures(os)
			f.Severity = analyzer.Warning
			f.Message = fmt.Sprintf("%s: %s expands to %d addresses and %s (%s): nginx round-robins onto it, logs "+
				"\"connect() failed\" and marks it down for a while; name an address that accepts",
				what, p.Addr.Host, len(os), addrs(bad), results(bad))
			f.Live = &analyzer.Live{Status: "confirmed", Summary: list(os), Evidence: evidence(os)}
		default:
			continue
		}
		out = append(out, f)
	}
	return out
}

// spanKey identifies a place in the configuration.
func spanKey(s source.Span) string { return fmt.Sprintf("%s:%d", s.File, s.Start.Offset) }
