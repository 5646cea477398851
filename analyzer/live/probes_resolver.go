package live

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/ngxlint/ngxlint/analyzer"
)

func init() { probes["resolver-public-for-private"] = probeResolverPrivate }

// Evidence results of a DNS question to a resolver directive's
// nameserver; timeout, error and deadline are shared with the dials.
const (
	NXDomain  Result = "nxdomain"   // the nameserver says the name does not exist
	NoAddress Result = "no-address" // the name exists but has no address
	Answered  Result = "answered"   // the nameserver gave addresses
)

// nameAnswer is what the nameserver said about one name.
type nameAnswer struct {
	name    string
	result  Result
	detail  string // the addresses, or what failed
	elapsed time.Duration
}

// probeResolverPrivate asks the public nameserver a resolver directive
// names about each private name nginx resolves through it, as nginx
// would: confirmed when it does not know one of them.
func probeResolverPrivate(s *session, _ *analyzer.Workspace, _ []Peer, f *analyzer.Finding) plan {
	t := f.Target
	if t == nil || t.Scheme != "dns" || len(t.Names) == 0 || t.Port <= 0 || t.Port > 65535 {
		return plan{}
	}
	ip, err := netip.ParseAddr(t.Host)
	if err != nil {
		return plan{}
	}
	server := netip.AddrPortFrom(ip, uint16(t.Port))
	answers := make([]nameAnswer, len(t.Names))
	var runs []func(context.Context)
	for i, name := range t.Names {
		runs = append(runs, func(ctx context.Context) { answers[i] = ask(ctx, s.opt, server, name) })
	}
	return plan{runs: runs, judge: func(_ *session, f *analyzer.Finding) {
		live := &analyzer.Live{Evidence: make([]analyzer.Evidence, 0, len(answers))}
		f.Live = live
		var unknown, known, other []nameAnswer
		for _, a := range answers {
			live.Evidence = append(live.Evidence, analyzer.Evidence{Address: server.String(), Name: a.name, Result: string(a.result), MS: a.elapsed.Milliseconds()})
			switch a.result {
			case NXDomain, NoAddress:
				unknown = append(unknown, a)
			case Answered:
				known = append(known, a)
			default:
				other = append(other, a)
			}
		}
		switch {
		case len(unknown) > 0:
			u := unknown[0]
			live.Status = "confirmed"
			live.Summary = fmt.Sprintf("the public resolver %s does not know %s (%s): requests fail with \"%s could not be resolved "+
				"(3: Host not found)\"", server.Addr(), u.name, u.detail, u.name)
			if u.result == NoAddress {
				live.Summary = fmt.Sprintf("the public resolver %s has no address for %s (%s): requests fail with \"%s could not be "+
					"resolved\"", server.Addr(), u.name, u.detail, u.name)
			}
			if len(answers) > 1 {
				live.Summary += "; " + answerList(answers)
			}
		case len(known) == len(answers):
			live.Status = "refuted"
			live.Summary = fmt.Sprintf("the resolver %s answers for every name: %s", server.Addr(), answerList(answers))
		default:
			live.Status = "inconclusive"
			live.Summary = fmt.Sprintf("the resolver %s did not say whether it knows %s: %s", server.Addr(), other[0].name, answerList(answers))
		}
	}}
}

// ask puts one question to server and classifies the answer. The run's
// deadline (ctx) is told apart from the question's own timeout.
func ask(ctx context.Context, opt Options, server netip.AddrPort, name string) nameAnswer {
	out := nameAnswer{name: name}
	if ctx.Err() != nil {
		out.result, out.detail = Skipped, "not asked before the live-mode deadline"
		return out
	}
	start := time.Now()
	ans, err := queryA(ctx, opt.DialDNS, server, name, opt.Timeout)
	out.elapsed = time.Since(start)
	switch {
	case err != nil && expired(ctx):
		out.result, out.detail = Skipped, "the live-mode deadline passed before the answer"
	case err != nil && isTimeout(err):
		out.result, out.detail = Timeout, fmt.Sprintf("no answer within %v", opt.Timeout)
	case err != nil:
		out.result, out.detail = Failed, errText(err)
	case ans.RCode == rcodeNXDomain:
		out.result, out.detail = NXDomain, "NXDOMAIN"
	case ans.RCode != rcodeNoError:
		out.result, out.detail = Failed, rcodeText(ans.RCode)
	case len(ans.Addrs) > 0:
		out.result, out.detail = Answered, addrText(ans.Addrs)
	case ans.Truncated:
		out.result, out.detail = Failed, "truncated answer"
	default:
		out.result, out.detail = NoAddress, "NOERROR without an address"
	}
	return out
}

// answerList is "app.internal: NXDOMAIN, db.internal: 10.0.0.3".
func answerList(as []nameAnswer) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = a.name + ": " + a.detail
	}
	return strings.Join(parts, ", ")
}

// expired: ctx is done, or its deadline has passed (a socket's deadline,
// set from it, can fire a moment before the context's own timer).
func expired(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	dl, ok := ctx.Deadline()
	return ok && !time.Now().Before(dl)
}
