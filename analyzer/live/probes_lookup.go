package live

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

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
func lookupPlan(f *analyzer.Finding, judge func(live *analyzer.Live, host string, addrs []netip.Addr)) plan {
	t := f.Target
	if t == nil || t.Host == "" {
		return plan{}
	}
	host := t.Host
	// How nginx quotes the address (the rule keeps the port only where
	// nginx prints it).
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
			// The lookup's own timeout and the run's deadline look alike here.
			live.Status = "inconclusive"
			live.Summary = fmt.Sprintf("%s was not resolved in time (the lookup timed out, or the live-mode deadline passed)", host)
		case NotFound(err):
			live.Status = "confirmed"
			live.Summary = fmt.Sprintf("%s does not resolve on this host: nginx refuses to start here with \"host not found in upstream \\\"%s\\\"\"",
				host, quoted)
		case err != nil:
			// A resolver that failed or timed out says nothing about the name.
			live.Status, live.Summary = "inconclusive", fmt.Sprintf("the lookup of %s failed: %v", host, err)
		default:
			judge(live, host, addrs)
		}
	}}
}

// shortTTL is the longest time to live that says a name is meant to
// move: cloud load balancers and failover records use a minute or less,
// fixed hosts hours.
const shortTTL = 5 * time.Minute

// probeResolvedOnce resolves a name nginx looks up once, and asks the
// system's first nameserver how long the answer may be cached. A name that
// does not resolve stops nginx; one with several addresses of a family
// (balanced or rotated by DNS) or a short time to live, given by a
// nameserver authoritative for it, is meant to change, while nginx keeps
// what it found at start-up; otherwise one lookup cannot tell.
func probeResolvedOnce(s *session, _ *analyzer.Workspace, _ []Peer, f *analyzer.Finding) plan {
	var ttl nameTTL
	p := lookupPlan(f, func(live *analyzer.Live, host string, addrs []netip.Addr) {
		if ttl.ok {
			live.Evidence = append(live.Evidence, analyzer.Evidence{Address: ttl.server.String(), Result: string(Answered),
				MS: ttl.elapsed.Milliseconds()})
		}
		switch n := maxPerFamily(addrs); {
		case n > 1:
			live.Status = "confirmed"
			live.Summary = fmt.Sprintf("%s has %d addresses of one family on this host (%s): DNS balances or rotates them, and "+
				"nginx keeps the set it found at start-up until the next reload", host, n, addrText(addrs))
		case ttl.ok && ttl.authoritative && ttl.ttl <= shortTTL:
			live.Status = "confirmed"
			live.Summary = fmt.Sprintf("%s resolves to %s on this host, and its nameserver %s gives it a time to live of %v: "+
				"the name is meant to move, while nginx keeps the address it found at start-up until the next reload",
				host, addrText(addrs), ttl.server.Addr(), ttl.ttl)
		default:
			live.Status = "inconclusive"
			live.Summary = fmt.Sprintf("%s resolves to %s on this host now; the finding holds as long as that may change, "+
				"which one lookup cannot tell", host, addrText(addrs))
			switch {
			case ttl.ok && ttl.authoritative:
				live.Summary += fmt.Sprintf(" (its nameserver %s gives it a time to live of %v)", ttl.server.Addr(), ttl.ttl)
			case ttl.ok:
				// A cache counts the time to live down: what is left
				// says nothing of the record's own.
				live.Summary += fmt.Sprintf(" (the nameserver %s answers from a cache, with %v left to live)", ttl.server.Addr(), ttl.ttl)
			}
		}
	})
	if p.judge == nil || !strings.Contains(strings.TrimSuffix(f.Target.Host, "."), ".") {
		// A one-word name is looked up through the search domains, which
		// a direct question would skip.
		return p
	}
	host := f.Target.Host
	p.runs = append(p.runs, func(ctx context.Context) { ttl = askTTL(ctx, s.opt, host) })
	return p
}

// nameTTL is a name's time to live, as a nameserver gave it.
type nameTTL struct {
	ok            bool
	authoritative bool
	server        netip.AddrPort
	ttl           time.Duration
	elapsed       time.Duration
}

// askTTL asks the first configured nameserver for host's address records;
// any failure leaves the time to live unknown.
func askTTL(ctx context.Context, opt Options, host string) nameTTL {
	ns, err := opt.Nameservers()
	if err != nil || len(ns) == 0 || ctx.Err() != nil {
		return nameTTL{}
	}
	start := time.Now()
	ans, err := queryA(ctx, opt.DialDNS, ns[0], host, opt.Timeout)
	if err != nil || ans.RCode != rcodeNoError || len(ans.Addrs) == 0 {
		return nameTTL{}
	}
	return nameTTL{ok: true, authoritative: ans.Authoritative, server: ns[0], ttl: ans.TTL, elapsed: time.Since(start)}
}

// probeNameTypo resolves the misspelt upstream name: when it does not
// resolve, nginx does not start; when it does, it is a real host.
func probeNameTypo(_ *session, _ *analyzer.Workspace, _ []Peer, f *analyzer.Finding) plan {
	return lookupPlan(f, func(live *analyzer.Live, host string, addrs []netip.Addr) {
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
