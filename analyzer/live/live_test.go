package live_test

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/live"
	"github.com/ngxlint/ngxlint/analyzer/live/livetest"
	"github.com/ngxlint/ngxlint/rules"
	"github.com/ngxlint/ngxlint/rules/connectivity"
	"github.com/ngxlint/ngxlint/rules/elastic"
)

// Every test here dials loopback only.

func load(t *testing.T, name, src string) *analyzer.Workspace {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ws, err := analyzer.Load([]string{path}, analyzer.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// lint runs the static rules and then live mode, as `lint --live` does.
func lint(t *testing.T, ws *analyzer.Workspace, opt live.Options, rs ...*analyzer.Rule) []analyzer.Finding {
	t.Helper()
	fs, errs := analyzer.Run(ws, rs, rules.All())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	opt.Unreachable = connectivity.UpstreamUnreachable
	return live.Check(context.Background(), ws, fs, opt)
}

func byRule(fs []analyzer.Finding, name string) []analyzer.Finding {
	var out []analyzer.Finding
	for _, f := range fs {
		if f.Rule.Name == name {
			out = append(out, f)
		}
	}
	return out
}

// serve starts an HTTP server on addr ("127.0.0.1:0", "[::1]:P") and
// returns its port.
func serve(t *testing.T, addr string) int {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	ap := netip.MustParseAddrPort(ln.Addr().String())
	if !ap.Addr().IsLoopback() {
		t.Fatalf("%s is not loopback", ap)
	}
	srv := &http.Server{
		Handler:           http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "backend\n") }),
		ReadHeaderTimeout: 5 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return int(ap.Port())
}

// freePort returns a port free on both 127.0.0.1 and ::1 right now.
func freePort(t *testing.T) int {
	t.Helper()
	for i := 0; i < 50; i++ {
		a, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := a.Addr().(*net.TCPAddr).Port
		b, err := net.Listen("tcp6", "[::1]:"+strconv.Itoa(port))
		_ = a.Close()
		if err == nil {
			_ = b.Close()
			return port
		}
	}
	t.Fatal("no port free on both families")
	return 0
}

func upstreamConf(port int) string {
	return "events {}\nhttp {\n    upstream app {\n        server localhost:" + strconv.Itoa(port) + ";\n    }\n" +
		"    server {\n        listen 127.0.0.1:8080;\n        location / { proxy_pass http://app; }\n    }\n}\n"
}

func evidenceOf(f analyzer.Finding) map[string]string {
	out := map[string]string{}
	if f.Live != nil {
		for _, e := range f.Live.Evidence {
			out[e.Address] = e.Result
		}
	}
	return out
}

// TestLocalhostFamilies is the first demonstration, with real
// sockets, in a namespace where localhost is both 127.0.0.1 and ::1.
func TestLocalhostFamilies(t *testing.T) {
	if !livetest.BothFamilies(t) {
		return
	}
	// The system resolver honours /etc/hosts, as nginx's getaddrinfo does.
	addrs, err := live.System{}.LookupHost(context.Background(), "localhost")
	if err != nil || len(addrs) != 2 {
		t.Fatalf("System resolver: localhost -> %v, %v; want 127.0.0.1 and ::1 from /etc/hosts", addrs, err)
	}

	t.Run("ipv4 only backend is confirmed", func(t *testing.T) {
		port := serve(t, "127.0.0.1:0")
		p := strconv.Itoa(port)
		fs := lint(t, load(t, "nginx.conf", upstreamConf(port)), live.Options{}, connectivity.UpstreamLocalhost, connectivity.UpstreamUnreachable)
		lh := byRule(fs, "upstream-localhost")
		if len(lh) != 1 || lh[0].Live == nil {
			t.Fatalf("want one upstream-localhost finding with live evidence, got %+v", fs)
		}
		f := lh[0]
		ev := evidenceOf(f)
		if f.Live.Status != "confirmed" || ev["127.0.0.1:"+p] != "http" || ev["[::1]:"+p] != "refused" {
			t.Fatalf("live = %+v", f.Live)
		}
		if !strings.Contains(f.Live.Summary, "[::1]:"+p) {
			t.Errorf("summary %q does not name the refused address", f.Live.Summary)
		}
		if f.Severity != connectivity.UpstreamLocalhost.Severity {
			t.Errorf("a confirmed finding's severity became %v", f.Severity)
		}
		if f.Fix == nil || !f.Fix.Safe || len(f.Fix.Edits) != 1 || f.Fix.Edits[0].NewText != "127.0.0.1" {
			t.Errorf("fix = %+v, want a safe rewrite to 127.0.0.1", f.Fix)
		}
		if u := byRule(fs, "upstream-unreachable"); len(u) != 0 {
			t.Errorf("upstream-unreachable repeats the confirmed finding: %+v", u)
		}
	})

	t.Run("ipv6 only backend is confirmed with a [::1] fix", func(t *testing.T) {
		port := serve(t, "[::1]:0")
		fs := lint(t, load(t, "nginx.conf", upstreamConf(port)), live.Options{}, connectivity.UpstreamLocalhost)
		f := byRule(fs, "upstream-localhost")[0]
		if f.Live.Status != "confirmed" || f.Fix == nil || !f.Fix.Safe || f.Fix.Edits[0].NewText != "[::1]" {
			t.Fatalf("live = %+v, fix = %+v", f.Live, f.Fix)
		}
	})

	t.Run("both families listening is refuted", func(t *testing.T) {
		port := freePort(t)
		serve(t, "127.0.0.1:"+strconv.Itoa(port))
		serve(t, "[::1]:"+strconv.Itoa(port))
		fs := lint(t, load(t, "nginx.conf", upstreamConf(port)), live.Options{}, connectivity.UpstreamLocalhost, connectivity.UpstreamUnreachable)
		f := byRule(fs, "upstream-localhost")[0]
		p := strconv.Itoa(port)
		if f.Live.Status != "refuted" || !strings.Contains(f.Live.Summary, "127.0.0.1:"+p) || !strings.Contains(f.Live.Summary, "[::1]:"+p) {
			t.Fatalf("live = %+v", f.Live)
		}
		if f.Fix == nil || f.Fix.Safe {
			t.Errorf("the static fix must stay unsafe: %+v", f.Fix)
		}
		if f.Severity != analyzer.Info || !strings.Contains(f.Live.Summary, live.RefutedNote) {
			t.Errorf("a refuted finding: severity %v, summary %q; want info and the note", f.Severity, f.Live.Summary)
		}
		if len(byRule(fs, "upstream-unreachable")) != 0 {
			t.Error("a listening backend reported unreachable")
		}
	})

	t.Run("nothing listening says the backend is down", func(t *testing.T) {
		port := freePort(t)
		p := strconv.Itoa(port)
		fs := lint(t, load(t, "nginx.conf", upstreamConf(port)), live.Options{}, connectivity.UpstreamLocalhost, connectivity.UpstreamUnreachable)
		f := byRule(fs, "upstream-localhost")[0]
		if f.Live.Status != "inconclusive" || !strings.Contains(f.Live.Summary, "backend is down") {
			t.Fatalf("live = %+v", f.Live)
		}
		if f.Severity != connectivity.UpstreamLocalhost.Severity || strings.Contains(f.Live.Summary, live.RefutedNote) {
			t.Errorf("an inconclusive finding: severity %v, summary %q; want the rule's severity, no refutation", f.Severity, f.Live.Summary)
		}
		u := byRule(fs, "upstream-unreachable")
		if len(u) != 1 || u[0].Severity != analyzer.Error {
			t.Fatalf("want one upstream-unreachable error, got %+v", u)
		}
		ev := evidenceOf(u[0])
		if ev["127.0.0.1:"+p] != "refused" || ev["[::1]:"+p] != "refused" || u[0].Span.Start.Line != 4 {
			t.Fatalf("unreachable finding at line %d with evidence %v", u[0].Span.Start.Line, ev)
		}
	})
}

// On a host whose hosts file maps localhost to one address, the finding
// is refuted for this host (injected resolver, so this runs anywhere).
func TestLocalhostOneAddressIsRefuted(t *testing.T) {
	port := serve(t, "127.0.0.1:0")
	res := live.Static{"localhost": {netip.MustParseAddr("127.0.0.1")}}
	fs := lint(t, load(t, "nginx.conf", upstreamConf(port)), live.Options{Resolver: res}, connectivity.UpstreamLocalhost, connectivity.UpstreamUnreachable)
	f := byRule(fs, "upstream-localhost")[0]
	if f.Live.Status != "refuted" || !strings.Contains(f.Live.Summary, "127.0.0.1 only") {
		t.Fatalf("live = %+v", f.Live)
	}
	// Refuted here, but kept: the configuration may run on another host.
	if f.Severity != analyzer.Info || !strings.HasSuffix(f.Live.Summary, "("+live.RefutedNote+")") || len(f.Live.Evidence) != 1 {
		t.Errorf("severity %v, live %+v; want info, the note and the evidence", f.Severity, f.Live)
	}
	if len(byRule(fs, "upstream-unreachable")) != 0 {
		t.Error("reported a listening backend")
	}
}

// closedPorts returns n loopback ports that were free a moment ago.
func closedPorts(t *testing.T, n int) []int {
	t.Helper()
	var lns []net.Listener
	var out []int
	for i := 0; i < n; i++ {
		ln, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		out = append(out, ln.Addr().(*net.TCPAddr).Port)
	}
	for _, ln := range lns {
		_ = ln.Close()
	}
	return out
}

func manyPeers(ports []int) string {
	var b strings.Builder
	b.WriteString("events {}\nhttp {\n    upstream many {\n")
	for _, p := range ports {
		b.WriteString("        server 127.0.0.1:" + strconv.Itoa(p) + ";\n")
	}
	b.WriteString("    }\n}\n")
	return b.String()
}

// TestManyRefusingPeersEndWithinDeadline: 200 refusing peers with the
// default bounds all get their answer, and the run ends before the
// default deadline.
func TestManyRefusingPeersEndWithinDeadline(t *testing.T) {
	ws := load(t, "nginx.conf", manyPeers(closedPorts(t, 200)))
	start := time.Now()
	fs := lint(t, ws, live.Options{}, connectivity.UpstreamUnreachable)
	elapsed := time.Since(start)
	if elapsed >= live.DefaultDeadline {
		t.Fatalf("took %v, the deadline is %v", elapsed, live.DefaultDeadline)
	}
	if len(fs) != 200 {
		t.Fatalf("%d findings, want 200", len(fs))
	}
	for _, f := range fs {
		if len(f.Live.Evidence) != 1 || f.Live.Evidence[0].Result != "refused" {
			t.Fatalf("%s: %+v", f.Span, f.Live)
		}
	}
	t.Logf("200 refusing peers: %v (deadline %v)", elapsed, live.DefaultDeadline)
}

// TestBoundsHold: with dials that never answer, the cap on dials in flight
// holds, each dial ends at the timeout, and the run ends at the deadline.
func TestBoundsHold(t *testing.T) {
	var inFlight, most atomic.Int64
	hang := func(ctx context.Context, _, _ string) (net.Conn, error) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		<-ctx.Done()
		return nil, ctx.Err()
	}
	ws := load(t, "nginx.conf", manyPeers(closedPorts(t, 200)))
	const (
		timeout  = 40 * time.Millisecond
		limit    = 8
		deadline = 300 * time.Millisecond
	)
	start := time.Now()
	notChecked := -1
	fs := lint(t, ws, live.Options{Dial: hang, Timeout: timeout, Concurrency: limit, Deadline: deadline,
		NotChecked: func(addrs, _ int) { notChecked = addrs }}, connectivity.UpstreamUnreachable)
	elapsed := time.Since(start)
	// The peers the deadline cut used to disappear without a word; the
	// caller is now told how many, and they add up with the reported ones.
	if notChecked <= 0 || notChecked+len(fs) != 200 {
		t.Errorf("told %d not checked, %d reported, of 200", notChecked, len(fs))
	}
	// 200 dials of 40 ms, 8 at a time, need a second: the deadline cuts
	// the run short, give or take scheduling.
	if elapsed > deadline+250*time.Millisecond {
		t.Errorf("took %v with a %v deadline", elapsed, deadline)
	}
	if most.Load() > limit {
		t.Errorf("%d dials in flight, the cap is %d", most.Load(), limit)
	}
	// Timed-out peers are reported; those cut by the deadline are not
	// (that says nothing about them).
	if len(fs) == 0 || len(fs) >= 200 {
		t.Fatalf("%d unreachable findings, want some but not all", len(fs))
	}
	for _, f := range fs {
		if f.Live.Evidence[0].Result != "timeout" {
			t.Fatalf("%s: %+v", f.Span, f.Live)
		}
	}
}

// fakeES answers GET / like an Elasticsearch 8 node.
func fakeES(t *testing.T, addr string) int {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("X-elastic-product", "Elasticsearch")
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"name":"n1","cluster_name":"logs","version":{"number":"8.13.4","build_flavor":"default"},"tagline":"You Know, for Search"}`)
		}),
		ReadHeaderTimeout: 5 * time.Second,
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().(*net.TCPAddr).Port
}

// standIn plays this host's non-loopback address: 127.0.0.2, where the
// fake node does not listen (tests dial loopback only).
func standIn() ([]netip.Addr, error) { return []netip.Addr{netip.MustParseAddr("127.0.0.2")}, nil }

func TestESLoopbackOnlyProbe(t *testing.T) {
	port := fakeES(t, "127.0.0.1:0")
	p := strconv.Itoa(port)
	ws := load(t, "elasticsearch.yml", "network.host: 127.0.0.1\nhttp.port: "+p+"\n")
	fs := lint(t, ws, live.Options{HostAddrs: standIn}, elastic.ESLoopbackOnly)
	if len(fs) != 1 || fs[0].Live == nil {
		t.Fatalf("findings %+v", fs)
	}
	ev := evidenceOf(fs[0])
	if fs[0].Live.Status != "confirmed" || ev["127.0.0.1:"+p] != "elasticsearch" || ev["127.0.0.2:"+p] != "refused" {
		t.Fatalf("live = %+v", fs[0].Live)
	}
	if fs[0].Severity != elastic.ESLoopbackOnly.Severity {
		t.Errorf("confirmed: severity %v, want the rule's", fs[0].Severity)
	}

	// The node also answering on the "outside" address refutes it.
	both := fakeES(t, "127.0.0.2:"+p)
	if both != port {
		t.Fatal("port moved")
	}
	fs = lint(t, load(t, "elasticsearch.yml", "network.host: 127.0.0.1\nhttp.port: "+p+"\n"), live.Options{HostAddrs: standIn}, elastic.ESLoopbackOnly)
	if fs[0].Live.Status != "refuted" || !strings.Contains(fs[0].Live.Summary, "127.0.0.2:"+p) {
		t.Fatalf("live = %+v", fs[0].Live)
	}
	if fs[0].Severity != analyzer.Info || !strings.Contains(fs[0].Live.Summary, live.RefutedNote) {
		t.Errorf("refuted: severity %v, summary %q; want info and the note", fs[0].Severity, fs[0].Live.Summary)
	}
}

func TestESCustomPortProbe(t *testing.T) {
	if c, err := net.DialTimeout("tcp", "127.0.0.1:9200", time.Second); err == nil {
		_ = c.Close()
		t.Skip("something listens on 127.0.0.1:9200 on this machine")
	}
	port := fakeES(t, "127.0.0.1:0")
	p := strconv.Itoa(port)
	ws := load(t, "elasticsearch.yml", "network.host: 127.0.0.1\nhttp.port: "+p+"\n")
	fs := lint(t, ws, live.Options{}, elastic.ESCustomHTTPPort)
	if len(fs) != 1 || fs[0].Live == nil {
		t.Fatalf("findings %+v", fs)
	}
	ev := evidenceOf(fs[0])
	if fs[0].Live.Status != "confirmed" || ev["127.0.0.1:"+p] != "elasticsearch" || ev["127.0.0.1:9200"] != "refused" ||
		!strings.Contains(fs[0].Live.Summary, "Elasticsearch 8.13.4") {
		t.Fatalf("live = %+v", fs[0].Live)
	}

	// Nothing on either port: the node is not running.
	closed := strconv.Itoa(closedPorts(t, 1)[0])
	fs = lint(t, load(t, "elasticsearch.yml", "network.host: 127.0.0.1\nhttp.port: "+closed+"\n"), live.Options{}, elastic.ESCustomHTTPPort)
	if fs[0].Live.Status != "inconclusive" || !strings.Contains(fs[0].Live.Summary, "not running") {
		t.Fatalf("live = %+v", fs[0].Live)
	}
}

// TestUnresolvableHost: a name that does not exist is reported (nginx
// would not start); the injected resolver keeps DNS out of the test.
func TestUnresolvableHost(t *testing.T) {
	ws := load(t, "nginx.conf", "events {}\nhttp {\n    server {\n        location / { proxy_pass http://backend.invalid:3000; }\n    }\n}\n")
	fs := lint(t, ws, live.Options{Resolver: live.Static{}}, connectivity.UpstreamUnreachable)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "does not resolve") || fs[0].Span.Start.Line != 4 {
		t.Fatalf("findings %+v", fs)
	}
}
