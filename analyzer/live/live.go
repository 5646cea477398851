// Package live confirms findings against real sockets: it resolves the
// hosts a configuration names (through an injectable Resolver, by default
// the system's, so /etc/hosts counts), dials each address within bounds,
// classifies the answer, and attaches the evidence to findings.
//
// It dials only what the configuration names (and, for the Elasticsearch
// probes, the configured ports on this host), and always ends: a timeout
// per dial, a cap on dials in flight, a deadline for the whole run.
package live

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/netip"
	"os"
	"sync"
	"time"

	"github.com/ngxlint/ngxlint/analyzer"
)

// Defaults for Options.
const (
	DefaultTimeout     = time.Second
	DefaultConcurrency = 32
	DefaultDeadline    = 30 * time.Second
)

// Options bounds and wires a live run. Zero fields take the defaults.
type Options struct {
	Resolver Resolver
	// Dial opens a TCP connection; nil means a net.Dialer.
	Dial func(ctx context.Context, network, address string) (net.Conn, error)
	// Timeout bounds each dial, each exchange and each name lookup.
	Timeout time.Duration
	// Concurrency caps the dials in flight.
	Concurrency int
	// Deadline bounds the whole run: what is not dialled by then is
	// reported as "deadline".
	Deadline time.Duration
	// HostAddrs lists this host's non-loopback addresses (for the
	// es-loopback-only probe); nil means the interfaces' addresses.
	HostAddrs func() ([]netip.Addr, error)
	// Unreachable, when set, is the rule that peers nobody answers for are
	// reported under (upstream-unreachable).
	Unreachable *analyzer.Rule
	// ListenNotLocal, when set, is the rule that listens on addresses
	// this host does not hold are reported under (listen-address-not-local).
	ListenNotLocal *analyzer.Rule
	// NodeUnreachable, when set, is the rule under which each settings
	// file's node is probed on this host: its HTTP and transport ports at
	// the bound addresses (es-node-unreachable).
	NodeUnreachable *analyzer.Rule
	// NonLocalBind says whether the kernel lets IPv4 and IPv6 sockets bind
	// addresses the host does not hold; nil reads /proc/sys.
	NonLocalBind func() (v4, v6 bool)
	// HostLimits, when set, is the rule a node in production mode is
	// reported under when this host's limits would stop it (es-host-limits).
	HostLimits *analyzer.Rule
	// MaxMapCount reads vm.max_map_count; nil means ReadMaxMapCount.
	MaxMapCount func() (int, error)
	// Proc is /proc, where the host-limits check finds a running node's
	// process limits; nil means the machine's.
	Proc fs.FS
	// DialDNS opens the UDP socket a DNS query to a nameserver named by a
	// resolver directive goes through (resolver-public-for-private); nil
	// means a net.Dialer. Tests point it at a nameserver on loopback.
	DialDNS func(ctx context.Context, network, address string) (net.Conn, error)
	// Nameservers lists the nameservers to ask a name's time to live
	// (host-resolved-once); nil means SystemNameservers when Resolver is
	// nil too, and asking none when a Resolver is given (its answers do
	// not come from the system's nameservers).
	Nameservers func() ([]netip.AddrPort, error)
	// BindDualStack makes the bind test of listen-dual-stack-conflict for
	// the configured port; nil means DualStackBind, on this host's kernel.
	BindDualStack func(port int) DualStack
	// NotChecked, when set, is told how many addresses (and host names)
	// the deadline left undialled (unresolved), so that the caller can
	// say so: a peer the deadline skipped is not evidence of anything.
	NotChecked func(addrs, hosts int)
}

func (o Options) withDefaults() Options {
	if o.Resolver == nil {
		o.Resolver = System{}
		if o.Nameservers == nil {
			o.Nameservers = SystemNameservers
		}
	}
	if o.Nameservers == nil {
		o.Nameservers = func() ([]netip.AddrPort, error) { return nil, nil }
	}
	if o.Dial == nil {
		o.Dial = (&net.Dialer{}).DialContext
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.Deadline <= 0 {
		o.Deadline = DefaultDeadline
	}
	if o.HostAddrs == nil {
		o.HostAddrs = InterfaceAddrs
	}
	if o.NonLocalBind == nil {
		o.NonLocalBind = systemNonLocalBind
	}
	if o.MaxMapCount == nil {
		o.MaxMapCount = ReadMaxMapCount
	}
	if o.Proc == nil {
		o.Proc = os.DirFS("/proc")
	}
	if o.DialDNS == nil {
		o.DialDNS = (&net.Dialer{}).DialContext
	}
	if o.BindDualStack == nil {
		o.BindDualStack = DualStackBind
	}
	return o
}

// need is one thing a probe wants dialled: every address of host, at port.
type need struct {
	host string
	port int
	mode Mode
}

type jobKey struct {
	ap   netip.AddrPort
	mode Mode
	host string // for SNICheck only: the answer depends on the name sent
}

func keyOf(a netip.Addr, n need) jobKey {
	k := jobKey{ap: netip.AddrPortFrom(a, uint16(n.port)), mode: n.mode}
	if n.mode == SNICheck {
		k.host = n.host
	}
	return k
}

type resolution struct {
	addrs []netip.Addr
	err   error
}

// session holds a run's answers: hosts resolved and addresses dialled.
type session struct {
	opt      Options
	resolved map[string]resolution
	dialled  map[jobKey]Outcome
}

// lookup returns what resolving host gave (a plan's lookups).
func (s *session) lookup(host string) ([]netip.Addr, error) {
	r, ok := s.resolved[host]
	if !ok {
		return nil, fmt.Errorf("%s was not looked up", host)
	}
	return r.addrs, r.err
}

// addrs returns the outcomes for a need, in address order (IPv4 first).
func (s *session) outcomes(n need) ([]Outcome, error) {
	r := s.resolved[n.host]
	if r.err != nil {
		return nil, r.err
	}
	out := make([]Outcome, 0, len(r.addrs))
	for _, a := range r.addrs {
		out = append(out, s.dialled[keyOf(a, n)])
	}
	return out, nil
}

// Check dials what the findings' probes and the workspace's peers name and
// returns the findings with live evidence attached, followed by one
// upstream-unreachable finding per peer that nothing answers for (when
// opt.Unreachable is set). It returns when every dial has ended, by the
// deadline at the latest.
func Check(ctx context.Context, ws *analyzer.Workspace, fs []analyzer.Finding, opt Options) []analyzer.Finding {
	opt = opt.withDefaults()
	ctx, cancel := context.WithTimeout(ctx, opt.Deadline)
	defer cancel()
	deadline, _ := ctx.Deadline()

	peers := Peers(ws)
	s := &session{opt: opt}
	var needs []need
	var lookups []string
	var runs []func(context.Context)
	plans := make([]plan, len(fs))
	for i := range fs {
		if p := probes[fs[i].Rule.Name]; p != nil {
			plans[i] = p(s, ws, peers, &fs[i])
			needs = append(needs, plans[i].needs...)
			lookups = append(lookups, plans[i].lookups...)
			runs = append(runs, plans[i].runs...)
		}
	}
	if opt.Unreachable != nil {
		for _, p := range peers {
			needs = append(needs, need{p.Addr.Host, p.Addr.Port, ModeOf(p)})
		}
	}
	var nodes []nodeProbe
	if opt.NodeUnreachable != nil {
		nodes = s.nodeProbes(ws)
		for _, np := range nodes {
			needs = append(needs, np.needs()...)
		}
	}
	// The probes' own exchanges go on while the addresses are resolved
	// and dialled; they are bounded by the same deadline.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		parallel(len(runs), opt.Concurrency, func(i int) { runs[i](ctx) })
	}()
	s.resolve(ctx, needs, lookups)
	s.dial(ctx, needs, &Prober{dial: opt.Dial, timeout: opt.Timeout, deadline: deadline})
	wg.Wait()
	if opt.NotChecked != nil {
		addrs, hosts := 0, 0
		for _, o := range s.dialled {
			if o.Result == Skipped {
				addrs++
			}
		}
		for _, r := range s.resolved {
			if errors.Is(r.err, context.DeadlineExceeded) {
				hosts++
			}
		}
		if addrs+hosts > 0 {
			opt.NotChecked(addrs, hosts)
		}
	}

	for i := range fs {
		if plans[i].judge != nil {
			plans[i].judge(s, &fs[i])
			refute(&fs[i])
		}
	}
	if opt.Unreachable != nil {
		fs = append(fs, s.unreachable(peers, fs)...)
	}
	if opt.ListenNotLocal != nil {
		fs = append(fs, s.listenNotLocal(ws)...)
	}
	if opt.HostLimits != nil {
		fs = append(fs, hostLimits(ws, opt)...)
	}
	for _, np := range nodes {
		if f, ok := s.judgeNode(np); ok {
			fs = append(fs, f)
		}
	}
	return fs
}

// RefutedNote ends the summary of every refuted finding: the answers describe
// this host only.
const RefutedNote = "refuted on this host; the configuration may be deployed elsewhere, where the hazard can still occur"

// refute drops a finding the probe refuted to info, so that it no longer
// fails --fail-on warning, and says why it stays in the report. Confirmed
// and inconclusive findings keep their severity. This is the one place
// that decides it, for the CLI and the language server alike.
func refute(f *analyzer.Finding) {
	if f.Live == nil || f.Live.Status != "refuted" {
		return
	}
	f.Severity = analyzer.Info
	if f.Live.Summary == "" {
		f.Live.Summary = RefutedNote
		return
	}
	f.Live.Summary += " (" + RefutedNote + ")"
}

// resolve looks up every distinct host of needs and lookups,
// opt.Concurrency at a time.
func (s *session) resolve(ctx context.Context, needs []need, lookups []string) {
	s.resolved = make(map[string]resolution)
	var hosts []string
	add := func(h string) {
		if _, ok := s.resolved[h]; !ok {
			s.resolved[h] = resolution{}
			hosts = append(hosts, h)
		}
	}
	for _, n := range needs {
		add(n.host)
	}
	for _, h := range lookups {
		add(h)
	}
	results := make([]resolution, len(hosts))
	parallel(len(hosts), s.opt.Concurrency, func(i int) {
		lctx, cancel := context.WithTimeout(ctx, s.opt.Timeout)
		defer cancel()
		addrs, err := s.opt.Resolver.LookupHost(lctx, hosts[i])
		if err != nil && ctx.Err() != nil {
			err = ctx.Err() // the run's deadline, not the name's fault
		}
		if err == nil && len(addrs) == 0 {
			err = fmt.Errorf("%s has no address", hosts[i])
		}
		sortAddrs(addrs)
		results[i] = resolution{addrs, err}
	})
	for i, h := range hosts {
		s.resolved[h] = results[i]
	}
}

// dial probes every distinct address and mode of needs, within bounds.
func (s *session) dial(ctx context.Context, needs []need, p *Prober) {
	type job struct {
		key  jobKey
		host string
	}
	var jobs []job
	s.dialled = make(map[jobKey]Outcome)
	for _, n := range needs {
		for _, a := range s.resolved[n.host].addrs {
			k := keyOf(a, n)
			if _, ok := s.dialled[k]; !ok {
				s.dialled[k] = Outcome{}
				jobs = append(jobs, job{k, n.host})
			}
		}
	}
	results := make([]Outcome, len(jobs))
	parallel(len(jobs), s.opt.Concurrency, func(i int) {
		results[i] = p.Probe(ctx, jobs[i].key.ap, jobs[i].key.mode, jobs[i].host)
	})
	for i, j := range jobs {
		s.dialled[j.key] = results[i]
	}
}

// parallel runs fn(0..n-1) with at most limit calls in flight.
func parallel(n, limit int, fn func(i int)) {
	if limit > n {
		limit = n
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < limit; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// InterfaceAddrs lists this host's addresses other than loopback and
// link-local ones (a link-local address needs a zone to be dialled).
func InterfaceAddrs() ([]netip.Addr, error) {
	ifaddrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil, err
	}
	var out []netip.Addr
	for _, ia := range ifaddrs {
		pfx, err := netip.ParsePrefix(ia.String())
		if err != nil {
			continue
		}
		a := pfx.Addr().Unmap()
		if a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsUnspecified() || a.IsMulticast() {
			continue
		}
		out = append(out, a)
	}
	sortAddrs(out)
	return out, nil
}

// evidence turns outcomes into the contract's evidence list.
func evidence(os []Outcome) []analyzer.Evidence {
	out := make([]analyzer.Evidence, 0, len(os))
	for _, o := range os {
		out = append(out, analyzer.Evidence{Address: o.Address(), Result: string(o.Result), MS: o.Elapsed.Milliseconds()})
	}
	return out
}
