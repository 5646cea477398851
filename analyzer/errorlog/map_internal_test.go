package errorlog

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/live"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

// mapperOf writes conf and makes its Mapper, names resolving as res says.
func mapperOf(tb testing.TB, conf string, res live.Static) *Mapper {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		tb.Fatal(err)
	}
	ws, err := analyzer.Load([]string{path}, analyzer.LoadOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	return NewMapper(context.Background(), ws, Options{Resolver: res})
}

// The address index gives, for every address and scheme, the directives
// a scan of every peer's addresses gives, in the same order: peers that
// share an address (localhost and 127.0.0.1, a name resolving to another
// peer's address, localhost's addresses twice), passes and upstream servers, http and https.
func TestAddressIndexAnswersAsTheScan(t *testing.T) {
	m := mapperOf(t, `events {}
http {
    upstream app { server localhost:3000; server 127.0.0.1:3000; server api.internal:3000; }
    upstream tls { server 127.0.0.1:3000; }
    server {
        listen 80;
        location /a { proxy_pass http://app; }
        location /b { proxy_pass https://tls; }
        location /c { proxy_pass http://127.0.0.1:3000; }
        location /d { proxy_pass https://[::1]:3000; }
        location /e { fastcgi_pass localhost:9000; }
    }
}
`, live.Static{"api.internal": {netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("10.0.0.9")},
		// localhost gives both loopback addresses and then what the
		// resolver says: each of them twice.
		"localhost": {netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("::1")}})
	seen := map[netip.AddrPort]bool{}
	shared := 0
	for _, xs := range m.expand {
		for _, x := range xs {
			if seen[x] {
				continue
			}
			seen[x] = true
			for _, scheme := range []string{"http", "https", ""} {
				var want, schemed []*nginx.Directive
				for i, p := range m.peers {
					if slices.Contains(m.expand[i], x) {
						want = append(want, p.Directive)
						if schemeMatches(p.Scheme, scheme) {
							schemed = append(schemed, p.Directive)
						}
					}
				}
				if len(schemed) > 0 {
					want = schemed
				}
				if len(want) > 1 {
					shared++
				}
				up := x.String()
				if scheme != "" {
					up = scheme + "://" + up
				}
				got, addr := m.directives(Entry{Kind: Refused, Upstream: up})
				if addr != x.String() || fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s: %v at %s, the scan gives %v", up, got, addr, want)
				}
			}
		}
	}
	if len(seen) < 4 || shared == 0 {
		t.Fatalf("%d addresses, %d shared: the case does not test the index", len(seen), shared)
	}
}

// BenchmarkMapLines maps a log of five failures per upstream against
// 1,000 and 4,000 upstream blocks: the time per line should stay flat
// (each line scanned every peer's addresses once: 40,000 lines against
// 8,000 upstreams took 2 s).
func BenchmarkMapLines(b *testing.B) {
	for _, n := range []int{1000, 4000} {
		var conf, log strings.Builder
		conf.WriteString("events {}\nhttp {\n")
		for i := range n {
			fmt.Fprintf(&conf, "    upstream u%d { server 10.0.%d.%d:80; }\n", i, i/250, i%250)
		}
		conf.WriteString("    server {\n        listen 80;\n")
		for i := range n {
			fmt.Fprintf(&conf, "        location /l%d { proxy_pass http://u%d; }\n", i, i)
		}
		conf.WriteString("    }\n}\n")
		for k := range 5 * n {
			i := k % n
			fmt.Fprintf(&log, "2024/01/01 00:00:00 [error] 1#1: *%d connect() failed (111: Connection refused) while connecting to upstream, "+
				"client: 127.0.0.1, server: x, request: \"GET /l%d HTTP/1.1\", upstream: \"http://10.0.%d.%d:80/l%d\", host: \"x\"\n", k, i, i/250, i%250, i)
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m := mapperOf(b, conf.String(), live.Static{})
			text := log.String()
			for b.Loop() {
				if err := m.Read("error.log", strings.NewReader(text)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*5*n), "ns/line")
		})
	}
}
