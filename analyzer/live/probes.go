package live

import (
	"context"
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
)

// plan is what a probe wants dialled for one finding, and how it reads the
// answers.
type plan struct {
	needs []need
	// lookups are host names to resolve only, never dialled.
	lookups []string
	// runs are the probe's own exchanges (a DNS query, a bind test), run
	// beside the dials; each must return by ctx's deadline.
	runs  []func(ctx context.Context)
	judge func(s *session, f *analyzer.Finding)
}

// probes maps a rule name to its probe. Rules live in package rules, which
// this package does not import; the name is the stable link.
var probes = map[string]func(s *session, ws *analyzer.Workspace, peers []Peer, f *analyzer.Finding) plan{
	"upstream-localhost":  probeLocalhost,
	"es-loopback-only":    probeLoopbackOnly,
	"es-custom-http-port": probeCustomPort,
	"proxy-ssl-no-sni":    probeSNI,
}

// probeSNI asks the backend for its certificate without and with the
// name: confirmed when only the named handshake gets a certificate for it.
func probeSNI(_ *session, _ *analyzer.Workspace, _ []Peer, f *analyzer.Finding) plan {
	t := f.Target
	if t == nil || t.Host == "" || t.Port <= 0 || t.Port > 65535 {
		return plan{}
	}
	n := need{t.Host, t.Port, SNICheck}
	return plan{needs: []need{n}, judge: func(s *session, f *analyzer.Finding) {
		os, err := s.outcomes(n)
		if err != nil {
			f.Live = &analyzer.Live{Status: "inconclusive", Summary: fmt.Sprintf("%s does not resolve on this host: %v", n.host, err), Evidence: []analyzer.Evidence{}}
			return
		}
		live := &analyzer.Live{Evidence: evidence(os)}
		f.Live = live
		var bad, fine []Outcome
		for _, o := range os {
			switch {
			case o.SNI == nil:
			case o.SNI.Named.Covers && (!o.SNI.Bare.OK || !o.SNI.Bare.Covers):
				bad = append(bad, o)
			case o.SNI.Bare.OK && o.SNI.Bare.Covers:
				fine = append(fine, o)
			}
		}
		switch {
		case skipped(os):
			live.Status, live.Summary = "inconclusive", "the live-mode deadline passed before every address was dialled"
		case len(bad) > 0:
			live.Status = "confirmed"
			live.Summary = fmt.Sprintf("%s: %s", bad[0].Addr, bad[0].Detail)
		case len(fine) == len(os):
			live.Status = "refuted"
			live.Summary = fmt.Sprintf("without SNI, %s already presents a certificate for %s", addrs(fine), n.host)
		default:
			live.Status, live.Summary = "inconclusive", list(os)
		}
	}}
}

func probeLocalhost(_ *session, _ *analyzer.Workspace, peers []Peer, f *analyzer.Finding) plan {
	t := f.Target
	if t == nil || t.Host == "" || t.Port <= 0 || t.Port > 65535 {
		return plan{}
	}
	mode := Plain
	switch t.Scheme {
	case "https":
		mode = Secure
	case "", "http":
	default:
		mode = Connect
	}
	for _, p := range peers {
		if p.Addr.HostSpan() == f.Span {
			mode = ModeOf(p)
		}
	}
	n := need{t.Host, t.Port, mode}
	return plan{needs: []need{n}, judge: func(s *session, f *analyzer.Finding) { judgeLocalhost(s, n, f) }}
}

func judgeLocalhost(s *session, n need, f *analyzer.Finding) {
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
	if len(os) == 1 {
		live.Status = "refuted"
		live.Summary = fmt.Sprintf("%s resolves to %s only on this host, so nginx here makes one peer of it (%s)",
			n.host, os[0].Addr.Addr(), describe(os[0]))
		return
	}
	var ok, bad []Outcome
	for _, o := range os {
		switch {
		case o.Result.Accepted():
			ok = append(ok, o)
		case o.Result.Failure():
			bad = append(bad, o)
		}
	}
	switch {
	case len(ok)+len(bad) < len(os):
		live.Status = "inconclusive"
		live.Summary = "some addresses could not be classified: " + list(os)
	case len(ok) > 0 && len(bad) > 0:
		live.Status = "confirmed"
		live.Summary = fmt.Sprintf("%s accepts but %s: nginx's connections to %s fail, are logged as errors, and mark that peer down",
			addrs(ok), list(bad), addrs(bad))
		if fam, one := oneFamily(ok, bad); one && f.Fix != nil && len(f.Fix.Edits) > 0 {
			// With evidence of which family the backend listens on, the
			// rewrite no longer guesses, so it is safe to apply.
			edits := append([]analyzer.Edit(nil), f.Fix.Edits...)
			for i := range edits {
				edits[i].NewText = fam
			}
			f.Fix = &analyzer.Fix{Title: "Replace " + n.host + " with " + fam + " (the only address that accepts)", Safe: true, Edits: edits}
		}
	case len(ok) == len(os):
		live.Status = "refuted"
		live.Summary = fmt.Sprintf("every address accepts (%s): the backend listens on both families", list(ok))
	default:
		live.Status = "inconclusive"
		live.Summary = fmt.Sprintf("nothing accepts on %s (%s): the backend is down or not listening on port %d, "+
			"so which family it uses cannot be told", addrs(bad), results(bad), n.port)
	}
}

// oneFamily reports the address to write when every accepting address is
// of one family, and every address of the other family fails.
func oneFamily(ok, bad []Outcome) (string, bool) {
	is4 := ok[0].Addr.Addr().Is4()
	for _, o := range ok {
		if o.Addr.Addr().Is4() != is4 {
			return "", false
		}
	}
	for _, o := range bad {
		if o.Addr.Addr().Is4() == is4 {
			return "", false
		}
	}
	if len(ok) != 1 {
		return "", false
	}
	if is4 {
		return ok[0].Addr.Addr().String(), true
	}
	return "[" + ok[0].Addr.Addr().String() + "]", true
}

func probeLoopbackOnly(s *session, ws *analyzer.Workspace, _ []Peer, f *analyzer.Finding) plan {
	st := settingsOf(ws, f)
	if st == nil {
		return plan{}
	}
	port := httpPort(st)
	ext, err := s.opt.HostAddrs()
	var needs, extNeeds, loNeeds []need
	for _, a := range ext {
		extNeeds = append(extNeeds, need{a.String(), port, Plain})
	}
	loNeeds = []need{{"127.0.0.1", port, Plain}, {"::1", port, Plain}}
	needs = append(append(needs, extNeeds...), loNeeds...)
	return plan{needs: needs, judge: func(s *session, f *analyzer.Finding) {
		lo, ex := collect(s, loNeeds), collect(s, extNeeds)
		live := &analyzer.Live{Evidence: evidence(append(append([]Outcome{}, ex...), lo...))}
		f.Live = live
		extOK, loOK := accepted(ex), accepted(lo)
		switch {
		case err != nil || len(ext) == 0:
			live.Status = "inconclusive"
			live.Summary = "this host has no non-loopback address to dial"
			if err != nil {
				live.Summary += ": " + err.Error()
			}
		case skipped(ex) || skipped(lo):
			live.Status, live.Summary = "inconclusive", "the live-mode deadline passed before every address was dialled"
		case len(extOK) > 0:
			live.Status = "refuted"
			live.Summary = fmt.Sprintf("port %d answers on this host's non-loopback address %s: the running node (or another "+
				"service) is reachable from other hosts", port, list(extOK))
		case len(loOK) > 0 && allFail(ex):
			live.Status = "confirmed"
			live.Summary = fmt.Sprintf("port %d answers on loopback (%s) and fails on %s: clients on other hosts get connection refused",
				port, list(loOK), list(ex))
		case len(loOK) == 0 && allFail(lo):
			live.Status = "inconclusive"
			live.Summary = fmt.Sprintf("nothing listens on port %d on this host: the node is not running here, or uses another port", port)
		default:
			live.Status, live.Summary = "inconclusive", list(append(append([]Outcome{}, ex...), lo...))
		}
	}}
}

func probeCustomPort(s *session, ws *analyzer.Workspace, _ []Peer, f *analyzer.Finding) plan {
	st := settingsOf(ws, f)
	if st == nil {
		return plan{}
	}
	port := st.HTTPPort.First()
	if port <= 0 || port > 65535 || port == 9200 {
		return plan{}
	}
	hosts := bindTargets(s, st)
	var at, def []need
	for _, h := range hosts {
		at = append(at, need{h, port, Plain})
		def = append(def, need{h, 9200, Plain})
	}
	return plan{needs: append(append([]need{}, at...), def...), judge: func(s *session, f *analyzer.Finding) {
		p, d := collect(s, at), collect(s, def)
		live := &analyzer.Live{Evidence: evidence(append(append([]Outcome{}, p...), d...))}
		f.Live = live
		pES, dES := es(p), es(d)
		switch {
		case len(hosts) == 0:
			live.Status, live.Summary = "inconclusive", "no address of this host matches the node's bind setting"
		case skipped(p) || skipped(d):
			live.Status, live.Summary = "inconclusive", "the live-mode deadline passed before every address was dialled"
		case len(pES) > 0 && allFail(d):
			live.Status = "confirmed"
			live.Summary = fmt.Sprintf("port %d answers as %s and port 9200 fails (%s): clients that assume 9200 get connection refused",
				port, pES[0].Detail, results(d))
		case len(pES) > 0 && len(dES) > 0:
			live.Status = "inconclusive"
			live.Summary = fmt.Sprintf("both port %d (%s) and port 9200 (%s) answer as Elasticsearch: clients that assume 9200 "+
				"reach whatever node listens there", port, pES[0].Detail, dES[0].Detail)
		case len(accepted(p)) > 0 && len(pES) == 0:
			live.Status = "inconclusive"
			live.Summary = fmt.Sprintf("port %d answers, but not as Elasticsearch (%s)", port, list(accepted(p)))
		case allFail(p) && len(dES) > 0:
			live.Status = "inconclusive"
			live.Summary = fmt.Sprintf("port %d fails while port 9200 answers as %s: the node may still run with an earlier "+
				"configuration (restart pending?)", port, dES[0].Detail)
		case allFail(p) && allFail(d):
			live.Status = "inconclusive"
			live.Summary = fmt.Sprintf("nothing answers on port %d or 9200: the node is not running here", port)
		default:
			live.Status, live.Summary = "inconclusive", list(append(append([]Outcome{}, p...), d...))
		}
	}}
}

// bindTargets turns the node's HTTP bind setting into addresses of this
// host to dial: loopback for unset, _local_, localhost and the wildcards,
// the literal for an IP, this host's other addresses for the rest.
func bindTargets(s *session, st *elastic.Settings) []string {
	seen := map[string]bool{}
	var out []string
	add := func(h string) {
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	values := st.HTTPBind.Values
	if len(values) == 0 {
		add("127.0.0.1")
		add("::1")
	}
	for _, v := range values {
		if v.Placeholder {
			continue
		}
		switch elastic.ClassifyHost(v.Text) {
		case elastic.Loopback, elastic.Wildcard:
			if a, ok := literal(v.Text); ok && !a.IsUnspecified() {
				add(a.String())
				continue
			}
			add("127.0.0.1")
			add("::1")
		default:
			if a, ok := literal(v.Text); ok {
				add(a.String())
				continue
			}
			if ext, err := s.opt.HostAddrs(); err == nil {
				for _, a := range ext {
					add(a.String())
				}
			}
		}
	}
	return out
}

// settingsOf finds the settings file a finding points into.
func settingsOf(ws *analyzer.Workspace, f *analyzer.Finding) *elastic.Settings {
	for _, st := range ws.Elastic {
		if st.File != nil && st.File.Path == f.Span.File {
			return st
		}
	}
	return nil
}

func httpPort(st *elastic.Settings) int {
	if p := st.HTTPPort.First(); p > 0 && p <= 65535 {
		return p
	}
	return 9200
}

func collect(s *session, ns []need) []Outcome {
	var out []Outcome
	for _, n := range ns {
		os, _ := s.outcomes(n)
		out = append(out, os...)
	}
	return out
}

// allFail reports whether there is at least one outcome and every one is a
// connect failure.
func allFail(os []Outcome) bool {
	for _, o := range os {
		if !o.Result.Failure() {
			return false
		}
	}
	return len(os) > 0
}

func skipped(os []Outcome) bool {
	for _, o := range os {
		if o.Result == Skipped {
			return true
		}
	}
	return false
}

// describe is "127.0.0.1:3000 refused" or "127.0.0.1:9200 elasticsearch
// (Elasticsearch 8.13.0)".
func describe(o Outcome) string {
	s := o.Address() + " " + string(o.Result)
	if o.Detail != "" {
		s += " (" + o.Detail + ")"
	}
	return s
}

func list(os []Outcome) string {
	parts := make([]string, len(os))
	for i, o := range os {
		parts[i] = describe(o)
	}
	return strings.Join(parts, ", ")
}

func addrs(os []Outcome) string {
	parts := make([]string, len(os))
	for i, o := range os {
		parts[i] = o.Address()
	}
	return strings.Join(parts, " and ")
}

// results is "refused" or "refused, timeout".
func results(os []Outcome) string {
	seen := map[Result]bool{}
	var parts []string
	for _, o := range os {
		if !seen[o.Result] {
			seen[o.Result] = true
			parts = append(parts, string(o.Result))
		}
	}
	return strings.Join(parts, ", ")
}

// where returns the outcomes for which keep is true; the named filters
// below read better at the call sites.
func where(os []Outcome, keep func(Outcome) bool) []Outcome {
	var out []Outcome
	for _, o := range os {
		if keep(o) {
			out = append(out, o)
		}
	}
	return out
}

func accepted(os []Outcome) []Outcome {
	return where(os, func(o Outcome) bool { return o.Result.Accepted() })
}

func es(os []Outcome) []Outcome {
	return where(os, func(o Outcome) bool { return o.Result == Elasticsearch })
}

func failures(os []Outcome) []Outcome {
	return where(os, func(o Outcome) bool { return o.Result.Failure() })
}
