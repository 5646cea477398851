package live_test

import (
	"context"
	"encoding/binary"
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

// zone is what the fake nameserver answers per name (lower case, no
// trailing dot): an rcode and A records; a name not in it gets no answer.
type zone map[string]entry

type entry struct {
	rcode int
	a     []string
	ttl   uint32
	aa    bool // answer as the zone's own server
}

// fakeNameserver answers DNS questions on a loopback UDP port from z and
// returns its address. The reply is built by hand here, apart from the
// code under test.
func fakeNameserver(t *testing.T, z zone) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			q := buf[:n]
			if n < 17 {
				continue
			}
			// The question: labels from offset 12, then type and class.
			var labels []string
			off := 12
			for off < n && q[off] != 0 {
				l := int(q[off])
				if off+1+l > n {
					break
				}
				labels = append(labels, string(q[off+1:off+1+l]))
				off += 1 + l
			}
			end := off + 5
			if end > n {
				continue
			}
			ans, ok := z[strings.ToLower(strings.Join(labels, "."))]
			if !ok {
				continue // silent: the client times out
			}
			r := append([]byte{}, q[:end]...)
			flags := 0x8180 | uint16(ans.rcode)
			if ans.aa {
				flags |= 0x0400
			}
			binary.BigEndian.PutUint16(r[2:], flags)
			binary.BigEndian.PutUint16(r[6:], uint16(len(ans.a)))
			for _, a := range ans.a {
				ip := netip.MustParseAddr(a).As4()
				r = append(r, 0xc0, 12, 0, 1, 0, 1)
				r = binary.BigEndian.AppendUint32(r, ans.ttl)
				r = append(r, 0, 4)
				r = append(r, ip[:]...)
			}
			_, _ = pc.WriteTo(r, from)
		}
	}()
	return pc.LocalAddr().String()
}

// toNameserver sends every DNS query to the fake nameserver, and records
// the addresses the probe meant to ask.
type toNameserver struct {
	addr  string
	mu    sync.Mutex
	asked []string
}

func (d *toNameserver) dial(ctx context.Context, network, address string) (net.Conn, error) {
	d.mu.Lock()
	d.asked = append(d.asked, network+" "+address)
	d.mu.Unlock()
	var nd net.Dialer
	return nd.DialContext(ctx, network, d.addr)
}

const publicResolverConf = `events {}
http {
    resolver RESOLVER valid=30s;
    upstream api {
        zone api 64k;
        server api.svc.cluster.local:8080 resolve;
    }
    server {
        listen 80;
        location / {
            set $backend app.internal;
            proxy_pass http://$backend:8080;
        }
        location /api/ { proxy_pass http://api; }
    }
}
`

// resolver-public-for-private asks the named nameserver about each private
// name: confirmed when it does not know one, refuted when it answers for
// all, inconclusive when it says nothing.
func TestResolverPrivateProbe(t *testing.T) {
	nx := entry{rcode: 3}
	known := func(a ...string) entry { return entry{a: a, ttl: 30} }
	for _, tc := range []struct {
		name, resolver, asked string
		z                     zone
		status, says          string
		results               []string
	}{
		{"nxdomain", "8.8.8.8", "udp 8.8.8.8:53", zone{"app.internal": nx, "api.svc.cluster.local": nx}, "confirmed",
			`the public resolver 8.8.8.8 does not know api.svc.cluster.local (NXDOMAIN): requests fail with "api.svc.cluster.local could not be resolved (3: Host not found)"`,
			[]string{"nxdomain", "nxdomain"}},
		{"one known", "1.1.1.1:5353", "udp 1.1.1.1:5353", zone{"app.internal": nx, "api.svc.cluster.local": known("10.96.0.7")}, "confirmed",
			"does not know app.internal (NXDOMAIN)", []string{"answered", "nxdomain"}},
		{"no address", "8.8.8.8", "udp 8.8.8.8:53", zone{"app.internal": known(), "api.svc.cluster.local": known("10.96.0.7")}, "confirmed",
			"has no address for app.internal", []string{"answered", "no-address"}},
		{"all known", "[2001:4860:4860::8888]", "udp [2001:4860:4860::8888]:53",
			zone{"app.internal": known("10.0.0.5"), "api.svc.cluster.local": known("10.96.0.7")}, "refuted",
			"answers for every name: api.svc.cluster.local: 10.96.0.7, app.internal: 10.0.0.5", []string{"answered", "answered"}},
		{"servfail", "8.8.8.8", "udp 8.8.8.8:53", zone{"app.internal": {rcode: 2}, "api.svc.cluster.local": known("10.96.0.7")}, "inconclusive",
			"did not say whether it knows app.internal: api.svc.cluster.local: 10.96.0.7, app.internal: SERVFAIL", []string{"answered", "error"}},
		{"silent", "8.8.8.8", "udp 8.8.8.8:53", zone{}, "inconclusive", "no answer within", []string{"timeout", "timeout"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := &toNameserver{addr: fakeNameserver(t, tc.z)}
			conf := strings.Replace(publicResolverConf, "RESOLVER", tc.resolver, 1)
			ws := load(t, "nginx.conf", conf)
			fs, errs := analyzer.Run(ws, []*analyzer.Rule{connectivity.ResolverPublicForPrivate}, nil)
			if len(errs) > 0 || len(fs) != 1 {
				t.Fatalf("static run: %+v %v", fs, errs)
			}
			fs = live.Check(context.Background(), ws, fs, live.Options{DialDNS: d.dial, Timeout: 300 * time.Millisecond})
			f := fs[0]
			if f.Live == nil || f.Live.Status != tc.status || !strings.Contains(f.Live.Summary, tc.says) {
				t.Fatalf("live: %+v", f.Live)
			}
			var results, names []string
			for _, e := range f.Live.Evidence {
				results = append(results, e.Result)
				names = append(names, e.Name)
				if want := strings.TrimPrefix(tc.asked, "udp "); e.Address != want {
					t.Errorf("evidence address %s, want %s", e.Address, want)
				}
			}
			if strings.Join(results, " ") != strings.Join(tc.results, " ") {
				t.Errorf("evidence results %v, want %v", results, tc.results)
			}
			if strings.Join(names, " ") != "api.svc.cluster.local app.internal" { // each entry names what was asked
				t.Errorf("evidence names %q", names)
			}
			if len(d.asked) != 2 || d.asked[0] != tc.asked || d.asked[1] != tc.asked {
				t.Errorf("asked %v, want %s twice", d.asked, tc.asked)
			}
			if (tc.status == "refuted") != (f.Severity == analyzer.Info) {
				t.Errorf("status %s, severity %s", tc.status, f.Severity)
			}
		})
	}
}

// The run's deadline ends the questions, which then say so.
func TestResolverPrivateProbeDeadline(t *testing.T) {
	d := &toNameserver{addr: fakeNameserver(t, zone{})}
	ws := load(t, "nginx.conf", strings.Replace(publicResolverConf, "RESOLVER", "8.8.8.8", 1))
	fs, _ := analyzer.Run(ws, []*analyzer.Rule{connectivity.ResolverPublicForPrivate}, nil)
	start := time.Now()
	fs = live.Check(context.Background(), ws, fs, live.Options{DialDNS: d.dial, Timeout: time.Minute, Deadline: 150 * time.Millisecond})
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("the run took %v past a 150ms deadline", took)
	}
	if len(fs) != 1 || fs[0].Live == nil || fs[0].Live.Status != "inconclusive" || fs[0].Live.Evidence[0].Result != "deadline" {
		t.Fatalf("live: %+v", fs[0].Live)
	}
}
