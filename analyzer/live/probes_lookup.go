package live

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
)

// The probes that only resolve: the finding is about what a name gives
// when nginx starts, so nothing is dialled.
func init() {
	probes["host-resolved-once"] = probeResolvedOnce
	probes["upstream-name-typo"] = probeNameTypo
}

// Resolved is the evidence result of an address a name resolves to (no
// dial was made).
const Resolved Result = "resolved"

// lookupPlan resolves the finding's target host and hands the answer to
// judge; findings without a host get no probe.
func lookupPlan(f *analyzer.Finding, judge func(live *analyzer.Live, host, quoted string, addrs []netip.Addr)) plan {
	t := f.Target
	if t == nil || t.Host == "" {
		return plan{}
	}
	host := t.Host
	// nginx quotes the address as written: the port only when written.
	quoted := host
	if t.Port > 0 {
		quoted += ":" + strconv.Itoa(t.Port)
	}
	return plan{lookups: []string{host}, judge: func(s *session, f *analyzer.Finding) {
		addrs, err := s.lookup(host)
		live := &analyzer.Live{Evidence: resolvedEvidence(addrs)}
		f.Live = live
		switch {
		case errors.Is(err, context.DeadlineExceeded):
			live.Status, live.Summary = "inconclusive", "the live-mode deadline passed before "+host+" was resolved"
		case NotFound(err):
			live.Status = "confirmed"
			live.Summary = fmt.Sprintf("%s does not resolve on this host: nginx refuses to start here with \"host not found in upstream \\\"%s\\\"\"",
				host, quoted)
		case err != nil:
			// A resolver that failed or timed out says nothing about the name.
			live.Status, live.Summary = "inconclusive", fmt.Sprintf("the lookup of %s failed: %v", host, err)
		default:
			judge(live, host, quoted, addrs)
		}
	}}
}

// probeResolvedOnce resolves a name nginx looks up once. A name that does
// not resolve stops nginx; one with several addresses of a family is
// balanced or rotated by DNS, so the set nginx keeps goes stale; one
// address says nothing about whether it will change.
func probeResolvedOnce(_ *session, _ *analyzer.Workspace, _ []Peer, f *analyzer.Finding) plan {
	return lookupPlan(f, func(live *analyzer.Live, host, _ string, addrs []netip.Addr) {
		if n := maxPerFamily(addrs); n > 1 {
			live.Status = "confirmed"
			live.Summary = fmt.Sprintf("%s has %d addresses of one family on this host (%s): DNS balances or rotates them, and "+
				"nginx keeps the set it found at start-up until the next reload", host, n, addrText(addrs))
			return
		}
		live.Status = "inconclusive"
		live.Summary = fmt.Sprintf("%s resolves to %s on this host now; the finding holds as long as that may change, "+
			"which one lookup cannot tell", host, addrText(addrs))
	})
}

// probeNameTypo resolves the misspelt upstream name: when it does not
// resolve, nginx does not start; when it does, it is a real host.
func probeNameTypo(_ *session, _ *analyzer.Workspace, _ []Peer, f *analyzer.Finding) plan {
	return lookupPlan(f, func(live *analyzer.Live, host, _ string, addrs []netip.Addr) {
		live.Status = "refuted"
		live.Summary = fmt.Sprintf("%s resolves on this host to %s: it is a real host, and nginx sends these requests there, "+
			"not to the upstream block", host, addrText(addrs))
	})
}

func resolvedEvidence(addrs []netip.Addr) []analyzer.Evidence {
	out := make([]analyzer.Evidence, 0, len(addrs))
	for _, a := range addrs {
		out = append(out, analyzer.Evidence{Address: a.String(), Result: string(Resolved)})
	}
	return out
}

// maxPerFamily is the larger of the counts of IPv4 and IPv6 addresses: a
// name with one of each is not balanced by DNS.
func maxPerFamily(addrs []netip.Addr) int {
	v4, v6 := 0, 0
	for _, a := range addrs {
		if a.Is4() {
			v4++
		} else {
			v6++
		}
	}
	return max(v4, v6)
}

func addrText(addrs []netip.Addr) string {
	parts := make([]string, len(addrs))
	for i, a := range addrs {
		parts[i] = a.String()
	}
	return strings.Join(parts, ", ")
}
