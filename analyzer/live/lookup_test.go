package live_test

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/live"
	"github.com/ngxlint/ngxlint/rules/connectivity"
)

// failing is a resolver whose server fails (not "no such host").
type failing struct{}

func (failing) LookupHost(context.Context, string) ([]netip.Addr, error) {
	return nil, &net.DNSError{Err: "server misbehaving", Name: "x", IsTemporary: true}
}

// blocking answers only when the lookup's context ends.
type blocking struct{}

func (blocking) LookupHost(ctx context.Context, _ string) ([]netip.Addr, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// counting wraps a resolver and counts the lookups of each name.
type counting struct {
	live.Resolver
	mu sync.Mutex
	n  map[string]int
}

func (c *counting) LookupHost(ctx context.Context, host string) ([]netip.Addr, error) {
	c.mu.Lock()
	c.n[host]++
	c.mu.Unlock()
	return c.Resolver.LookupHost(ctx, host)
}

func addrs(s ...string) []netip.Addr {
	out := make([]netip.Addr, len(s))
	for i, a := range s {
		out[i] = netip.MustParseAddr(a)
	}
	return out
}

// liveOf runs rule statically then live mode, and returns the live result
// of the finding whose message names host.
func liveOf(t *testing.T, conf string, rule *analyzer.Rule, opt live.Options, host string) analyzer.Finding {
	t.Helper()
	ws := load(t, "nginx.conf", conf)
	fs, errs := analyzer.Run(ws, []*analyzer.Rule{rule}, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	fs = live.Check(context.Background(), ws, fs, opt)
	for _, f := range fs {
		if f.Rule == rule && strings.Contains(f.Message, host) {
			if f.Live == nil {
				t.Fatalf("%s: no live result: %+v", host, f)
			}
			return f
		}
	}
	t.Fatalf("no %s finding about %s in %+v", rule.Name, host, fs)
	return analyzer.Finding{}
}

const resolvedOnceConf = `events {}
http {
    upstream app {
        server app.internal:8080;
        server db.internal;
    }
    server {
        listen 80;
        location / { proxy_pass http://app; }
        location /api/ { proxy_pass http://api.internal:9000; }
        location /two/ { proxy_pass http://two.internal; }
        location /miss/ { proxy_pass http://miss.internal:9000/x/; }
    }
}
`

// host-resolved-once: a name that does not resolve stops nginx; several
// addresses of a family are DNS balancing; one address cannot tell.
func TestResolvedOnceProbe(t *testing.T) {
	res := live.Static{
		"db.internal":  addrs("10.0.0.1"),
		"api.internal": addrs("10.0.0.2", "10.0.0.3"),
		"two.internal": addrs("10.0.0.4", "fd00::4"),
	}
	for _, tc := range []struct {
		host, status, says string
		evidence           []string
	}{
		{"app.internal", "confirmed", `nginx refuses to start here with "host not found in upstream \"app.internal:8080\""`, nil},
		{"miss.internal", "confirmed", `with "host not found in upstream \"miss.internal\""`, nil},
		{"db.internal", "inconclusive", "db.internal resolves to 10.0.0.1 on this host now", []string{"10.0.0.1"}},
		{"api.internal", "confirmed", "api.internal has 2 addresses of one family on this host (10.0.0.2, 10.0.0.3)", []string{"10.0.0.2", "10.0.0.3"}},
		{"two.internal", "inconclusive", "resolves to 10.0.0.4, fd00::4", []string{"10.0.0.4", "fd00::4"}},
	} {
		t.Run(tc.host, func(t *testing.T) {
			f := liveOf(t, resolvedOnceConf, connectivity.HostResolvedOnce, live.Options{Resolver: res}, tc.host)
			if f.Live.Status != tc.status || !strings.Contains(f.Live.Summary, tc.says) {
				t.Fatalf("live: %+v", f.Live)
			}
			if len(f.Live.Evidence) != len(tc.evidence) {
				t.Fatalf("evidence %+v, want %v", f.Live.Evidence, tc.evidence)
			}
			for i, e := range f.Live.Evidence {
				if e.Address != tc.evidence[i] || e.Result != string(live.Resolved) {
					t.Errorf("evidence %d: %+v, want %s resolved", i, e, tc.evidence[i])
				}
			}
		})
	}

	t.Run("the server fails", func(t *testing.T) {
		f := liveOf(t, resolvedOnceConf, connectivity.HostResolvedOnce, live.Options{Resolver: failing{}}, "app.internal")
		if f.Live.Status != "inconclusive" || !strings.Contains(f.Live.Summary, "the lookup of app.internal failed") {
			t.Fatalf("a failing resolver says nothing about the name: %+v", f.Live)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		start := time.Now()
		f := liveOf(t, resolvedOnceConf, connectivity.HostResolvedOnce,
			live.Options{Resolver: blocking{}, Timeout: time.Minute, Deadline: 100 * time.Millisecond}, "app.internal")
		if f.Live.Status != "inconclusive" || !strings.Contains(f.Live.Summary, "deadline") {
			t.Fatalf("live: %+v", f.Live)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("the run took %v past a 100ms deadline", d)
		}
	})
	t.Run("each name once", func(t *testing.T) {
		c := &counting{Resolver: res, n: map[string]int{}}
		liveOf(t, resolvedOnceConf, connectivity.HostResolvedOnce, live.Options{Resolver: c}, "db.internal")
		for _, h := range []string{"app.internal", "db.internal", "api.internal", "two.internal", "miss.internal"} {
			if c.n[h] != 1 {
				t.Errorf("%s looked up %d times, want once", h, c.n[h])
			}
		}
	})
}

const typoConf = `events {}
http {
    upstream backend-pool {
        server 10.0.0.1:8080;
    }
    server {
        listen 80;
        location / { proxy_pass http://backend_pool; }
    }
}
`

// upstream-name-typo: a name that does not resolve stops nginx; one that
// resolves is a real host (refuted, at info).
func TestNameTypoProbe(t *testing.T) {
	t.Run("does not resolve", func(t *testing.T) {
		f := liveOf(t, typoConf, connectivity.UpstreamNameTypo, live.Options{Resolver: live.Static{}}, "backend_pool")
		if f.Live.Status != "confirmed" || !strings.Contains(f.Live.Summary, "backend_pool does not resolve on this host: nginx refuses to start") {
			t.Fatalf("live: %+v", f.Live)
		}
		if f.Severity != analyzer.Warning {
			t.Errorf("a confirmed finding keeps its severity, got %s", f.Severity)
		}
	})
	t.Run("resolves", func(t *testing.T) {
		res := live.Static{"backend_pool": addrs("172.17.0.5")}
		f := liveOf(t, typoConf, connectivity.UpstreamNameTypo, live.Options{Resolver: res}, "backend_pool")
		if f.Live.Status != "refuted" || !strings.Contains(f.Live.Summary, "backend_pool resolves on this host to 172.17.0.5: it is a real host") {
			t.Fatalf("live: %+v", f.Live)
		}
		if f.Severity != analyzer.Info || !strings.Contains(f.Live.Summary, live.RefutedNote) {
			t.Errorf("a refuted finding drops to info with the note: %s %q", f.Severity, f.Live.Summary)
		}
		if len(f.Live.Evidence) != 1 || f.Live.Evidence[0].Address != "172.17.0.5" {
			t.Errorf("evidence: %+v", f.Live.Evidence)
		}
	})
	t.Run("the server fails", func(t *testing.T) {
		f := liveOf(t, typoConf, connectivity.UpstreamNameTypo, live.Options{Resolver: failing{}}, "backend_pool")
		if f.Live.Status != "inconclusive" {
			t.Fatalf("live: %+v", f.Live)
		}
	})
}

// The probes need the finding's target: without it there is no probe
// (and no panic).
func TestLookupProbeNeedsTarget(t *testing.T) {
	ws := load(t, "nginx.conf", typoConf)
	fs, _ := analyzer.Run(ws, []*analyzer.Rule{connectivity.UpstreamNameTypo}, nil)
	if len(fs) != 1 {
		t.Fatalf("static: %+v", fs)
	}
	fs[0].Target = nil
	fs = live.Check(context.Background(), ws, fs, live.Options{Resolver: live.Static{}})
	if fs[0].Live != nil {
		t.Fatalf("a finding without target got %+v", fs[0].Live)
	}
}

// With nameservers to ask, host-resolved-once reads the name's time to
// live: a short one says the name is meant to move.
func TestResolvedOnceTTL(t *testing.T) {
	res := live.Static{"db.internal": addrs("10.0.0.1"), "cache": addrs("10.0.0.9")}
	const conf = `events {}
http {
    upstream app {
        server db.internal:5432;
        server cache:6379;
    }
    server {
        listen 80;
        location / { proxy_pass http://app; }
    }
}
`
	for _, tc := range []struct {
		ttl          uint32
		aa           bool
		status, says string
	}{
		{30, true, "confirmed", "its nameserver 10.0.0.53 gives it a time to live of 30s: the name is meant to move"},
		{3600, true, "inconclusive", "which one lookup cannot tell (its nameserver 10.0.0.53 gives it a time to live of 1h0m0s)"},
		// A cache's count-down is not the record's time to live.
		{30, false, "inconclusive", "(the nameserver 10.0.0.53 answers from a cache, with 30s left to live)"},
	} {
		t.Run(fmt.Sprintf("%d aa=%v", tc.ttl, tc.aa), func(t *testing.T) {
			d := &toNameserver{addr: fakeNameserver(t, zone{"db.internal": {a: []string{"10.0.0.1"}, ttl: tc.ttl, aa: tc.aa}})}
			opt := live.Options{Resolver: res, DialDNS: d.dial, Timeout: 300 * time.Millisecond,
				Nameservers: func() ([]netip.AddrPort, error) {
					return []netip.AddrPort{netip.MustParseAddrPort("10.0.0.53:53"), netip.MustParseAddrPort("10.0.0.54:53")}, nil
				}}
			f := liveOf(t, conf, connectivity.HostResolvedOnce, opt, "db.internal")
			if f.Live.Status != tc.status || !strings.Contains(f.Live.Summary, tc.says) {
				t.Fatalf("live: %+v", f.Live)
			}
			if len(f.Live.Evidence) != 2 || f.Live.Evidence[1].Address != "10.0.0.53:53" || f.Live.Evidence[1].Result != "answered" {
				t.Errorf("evidence: %+v", f.Live.Evidence)
			}
			// The one-word name "cache" is not asked: the system resolver
			// would try the search domains first.
			if c := liveOf(t, conf, connectivity.HostResolvedOnce, live.Options{Resolver: res}, "cache in"); c.Live.Status != "inconclusive" {
				t.Errorf("cache: %+v", c.Live)
			}
			if len(d.asked) != 1 || d.asked[0] != "udp 10.0.0.53:53" {
				t.Errorf("asked %v, want the first nameserver once", d.asked)
			}
		})
	}
	t.Run("no nameservers with an injected resolver", func(t *testing.T) {
		d := &toNameserver{addr: fakeNameserver(t, zone{"db.internal": {a: []string{"10.0.0.1"}, ttl: 30}})}
		f := liveOf(t, conf, connectivity.HostResolvedOnce, live.Options{Resolver: res, DialDNS: d.dial}, "db.internal")
		if f.Live.Status != "inconclusive" || len(d.asked) != 0 {
			t.Fatalf("asked %v; live %+v", d.asked, f.Live)
		}
	})
}

// A variable target that nginx serves from a literal pass's start-up
// lookup gets the same probe as that pass.
func TestResolvedOnceTwinProbe(t *testing.T) {
	conf := `events {}
http {
    resolver 10.0.0.2 valid=30s;
    server {
        listen 80;
        location /static/ { proxy_pass http://gone.internal:8080; }
        location / {
            set $api gone.internal:8080;
            proxy_pass http://$api;
        }
    }
}
`
	f := liveOf(t, conf, connectivity.HostResolvedOnce, live.Options{Resolver: live.Static{}}, "is also the literal target")
	if f.Live.Status != "confirmed" || !strings.Contains(f.Live.Summary, `host not found in upstream \"gone.internal\"`) {
		t.Fatalf("live: %+v", f.Live)
	}
}
