package nginx

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// A file's part of the peer model is kept on its tree and used again by
// the next model over the same tree while the file is linked as before
// (an Exclusive parse cache hands the tree out again); when its links
// change (it is linted alone, or the file that includes it was edited),
// the part is made again. Every model equals a fresh load's.
func TestPeerPartsFollowTheLinks(t *testing.T) {
	const withGroup = "http {\n    upstream app { server 10.0.0.1:80; server 10.0.0.2:80 backup; }\n    include a.conf;\n}\n"
	const withoutGroup = "http {\n    include a.conf;\n}\n"
	// u.conf's group is an http group in one, a stream group in the other.
	const inHTTP = "http {\n    include u.conf;\n    include a.conf;\n}\n"
	const inStream = "http {\n    include a.conf;\n}\nstream {\n    include u.conf;\n    server { listen 9000; proxy_pass app; }\n}\n"
	dir := sharedtest.Tree(t, map[string]string{
		"main.conf": withGroup,
		"a.conf":    "server {\n    listen 80;\n    location / { proxy_pass https://app; }\n    location /x { proxy_pass http://127.0.0.1:3000; }\n}\n",
		"u.conf":    "upstream app { server 10.0.0.9:80; }\n",
	})
	setOld := func() { sharedtest.Date(t, time.Now().Add(-time.Hour), dir, "main.conf", "a.conf", "u.conf") }
	setOld()
	cache := &ParseCache{Exclusive: true}
	load := func(cache *ParseCache, name string) []*Config {
		l := newLoader(dir)
		l.Cache = cache
		if _, err := l.Load(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
		l.Resolve()
		return l.Configs()
	}
	passOf := func(cs []*Config) *Pass {
		p := BuildPeers(cs)
		for _, ps := range p.Passes {
			if ps.Addr.Host == "app" {
				return ps
			}
		}
		t.Fatal("no pass to app")
		return nil
	}
	var last *Pass
	for i, step := range []struct {
		name, main string
		reused     bool // the pass of a.conf is last step's object
	}{
		{"main.conf", withGroup, false},
		{"main.conf", withGroup, true},
		{"a.conf", withGroup, false},       // alone: other sites
		{"main.conf", withGroup, false},    // included again
		{"main.conf", withoutGroup, false}, // its includer was edited
		{"main.conf", withoutGroup, true},
		{"main.conf", inHTTP, false},
		{"main.conf", inStream, false},
		{"main.conf", inStream, true},
	} {
		if err := os.WriteFile(filepath.Join(dir, "main.conf"), []byte(step.main), 0o644); err != nil {
			t.Fatal(err)
		}
		setOld()
		cache.Sweep()
		cs := load(cache, step.name)
		got := passOf(cs)
		if gotDump, want := peersDump(BuildPeers(cs)), peersDump(BuildPeers(load(nil, step.name))); gotDump != want {
			t.Fatalf("step %d: the model differs from a fresh load's:\n%s", i, sharedtest.FirstDiff(want, gotDump))
		}
		if reused := got == last; reused != step.reused {
			t.Errorf("step %d (%s): a.conf's pass reused=%v, want %v", i, step.name, reused, step.reused)
		}
		last = got
	}
}

// peersDump writes a peer model: each group with its servers, passes and
// scheme, each server's group, each pass's target and group.
func peersDump(p *Peers) string {
	var b strings.Builder
	name := func(g *Group) string {
		if g == nil {
			return "-"
		}
		return fmt.Sprintf("%s/%s@%s", g.Module, g.Name, g.Directive.Span())
	}
	for _, g := range p.Groups {
		fmt.Fprintf(&b, "group %s scheme=%s servers=%d passes=%d\n", name(g), g.Scheme, len(g.Servers), len(g.Passes))
		for _, s := range g.Servers {
			fmt.Fprintf(&b, "  server %s backup=%v weight=%d\n", s.Directive.Span(), s.Backup, s.Weight)
		}
		for _, ps := range g.Passes {
			fmt.Fprintf(&b, "  pass %s\n", ps.Directive.Span())
		}
	}
	for _, s := range p.Servers {
		fmt.Fprintf(&b, "server %s %s in %s\n", s.Directive.Span(), s.Addr.Host, name(s.Group))
	}
	for _, ps := range p.Passes {
		fmt.Fprintf(&b, "pass %s %s %s module=%s to %s\n", ps.Directive.Span(), ps.Scheme, ps.Addr.Host, ps.Module, name(ps.Group))
	}
	for _, d := range p.Dialable() {
		fmt.Fprintf(&b, "dial %s %s %s\n", d.Directive.Span(), d.Addr.Host, d.Scheme)
	}
	return b.String()
}

// NeedsPort: what nginx refuses as "no port in upstream" (each line
// checked with nginx -t 1.22.1 and the stream module).
func TestPassNeedsPort(t *testing.T) {
	const conf = "http {\n" +
		"    upstream backend { server 127.0.0.1:9000; }\n" +
		"    server {\n" +
		"        location /a { fastcgi_pass phpfpm; }\n" + // refused
		"        location /b { fastcgi_pass 127.0.0.1; }\n" + // refused
		"        location /c { grpc_pass grpc://bckend; }\n" + // refused
		"        location /d { uwsgi_pass [::1]; }\n" + // refused
		"        location /e { fastcgi_pass BACKEND; }\n" + // the upstream, case aside
		"        location /f { fastcgi_pass later; }\n" + // an upstream defined below
		"        location /g { proxy_pass http://bckend; }\n" + // port 80
		"        location /h { proxy_pass https://bckend; }\n" + // port 443
		"        location /i { fastcgi_pass phpfpm:9000; }\n" +
		"        location /j { fastcgi_pass unix:/run/php.sock; }\n" +
		"        location /k { fastcgi_pass $backend; }\n" +
		"    }\n" +
		"    upstream later { server 127.0.0.1:9001; }\n" +
		"}\n" +
		"stream {\n" +
		"    server { listen 1; proxy_pass othername; }\n" + // refused
		"    server { listen 2; proxy_pass othername:53; }\n" +
		"}\n"
	cfg := Parse(source.NewFile("nginx.conf", "/nginx.conf", source.KindNginx, []byte(conf)))
	peers := BuildPeers([]*Config{cfg})
	var got []string
	for _, ps := range peers.Passes {
		if ps.NeedsPort() {
			got = append(got, ps.Directive.Args[0].Value)
		}
	}
	want := "phpfpm 127.0.0.1 grpc://bckend [::1] othername"
	if strings.Join(got, " ") != want {
		t.Errorf("NeedsPort holds for %q, want %q", strings.Join(got, " "), want)
	}
	// nginx never starts with them: live mode has nothing to dial
	var dial []string
	for _, d := range peers.Dialable() {
		if d.Group == nil {
			dial = append(dial, d.Directive.Args[0].Value)
		}
	}
	if want := "http://bckend https://bckend phpfpm:9000 othername:53"; strings.Join(dial, " ") != want {
		t.Errorf("Dialable passes %q, want %q", strings.Join(dial, " "), want)
	}
}

// An upstream server's parameters are read as nginx reads them: quotes
// removed, the last of a repeated name kept, flags wherever they stand.
// gonginx reads its own parse of the block with quotes kept, so this is
// also the test that the model asks gonginx about our tokens, not its.
func TestUpstreamServerParams(t *testing.T) {
	const conf = "http {\n    upstream app {\n" +
		"        server 10.0.0.1:80 \"weight=5\" 'max_fails=2' backup \"fail_timeout=7s\";\n" +
		"        server 10.0.0.2:80 weight=2 down weight=3 \"max_conns=4\";\n" +
		"        server b.internal resolve \"service=_http._tcp\";\n" +
		"    }\n}\n"
	cfg := Parse(source.NewFile("nginx.conf", "/nginx.conf", source.KindNginx, []byte(conf)))
	peers := BuildPeers([]*Config{cfg})
	if len(peers.Groups) != 1 || len(peers.Groups[0].Servers) != 3 {
		t.Fatalf("peers: %s", peersDump(peers))
	}
	var got []string
	for _, s := range peers.Groups[0].Servers {
		got = append(got, fmt.Sprintf("w=%d f=%d c=%d t=%s backup=%v down=%v resolve=%v service=%q",
			s.Weight, s.MaxFails, s.MaxConns, s.FailTimeout, s.Backup, s.Down, s.Resolve, s.Service))
	}
	want := []string{
		`w=5 f=2 c=0 t=7s backup=true down=false resolve=false service=""`,
		`w=3 f=1 c=4 t=10s backup=false down=true resolve=false service=""`,
		`w=1 f=1 c=0 t=10s backup=false down=false resolve=true service="_http._tcp"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("servers:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A large file's part of the peer model is made on all cores, and each
// entry lands where walk order puts it.
func TestPeerPartKeepsWalkOrder(t *testing.T) {
	c := Parse(source.NewFile("big.conf", "", source.KindNginx, []byte(largeConfig(1000))))
	items := peerItems(c)
	part := newPeerPart(items)
	var groups, servers, passes []*Directive
	for _, it := range items {
		switch it.kind {
		case groupItem:
			groups = append(groups, it.d)
		case serverItem:
			servers = append(servers, it.d)
		default:
			passes = append(passes, it.d)
		}
	}
	if len(servers) < 2000 || len(part.groups) != len(groups) || len(part.servers) != len(servers) || len(part.passes) != len(passes) {
		t.Fatalf("%d items: %d/%d groups, %d/%d servers, %d/%d passes", len(items), len(part.groups), len(groups),
			len(part.servers), len(servers), len(part.passes), len(passes))
	}
	for i, d := range groups {
		if part.groups[i].Directive != d {
			t.Fatalf("group %d is %s, want %s", i, part.groups[i].Directive.Span(), d.Span())
		}
	}
	for i, d := range servers {
		if part.servers[i].Directive != d || part.upstreams[i] != d.Parent {
			t.Fatalf("server %d is %s in %v, want %s", i, part.servers[i].Directive.Span(), part.upstreams[i], d.Span())
		}
	}
	for i, d := range passes {
		if part.passes[i].Directive != d {
			t.Fatalf("pass %d is %s, want %s", i, part.passes[i].Directive.Span(), d.Span())
		}
	}
}

// LiteralPasses finds the passes whose implicit upstream a request-time
// target would match: same module, same port as written, host without
// case and without a trailing dot; never a variable, a socket or a named
// group. A host beyond ASCII is compared by Unicode case folding.
func TestLiteralPasses(t *testing.T) {
	build := func(conf string) *Peers {
		t.Helper()
		return BuildPeers([]*Config{Parse(source.NewFile("nginx.conf", "/nginx.conf", source.KindNginx, []byte(conf)))})
	}
	peers := build("http {\n    upstream pool { server 10.0.0.1:80; }\n    server {\n" +
		"        location /a { proxy_pass http://Backend.Internal.:8080; }\n" +
		"        location /b { proxy_pass http://backend.internal:9090; }\n" +
		"        location /c { proxy_pass http://backend.internal; }\n" +
		"        location /d { proxy_pass http://pool; }\n" +
		"        location /e { proxy_pass http://$target; }\n" +
		"        location /f { proxy_pass http://unix:/run/app.sock; }\n" +
		"        location /g { proxy_pass http://BACKEND.internal:8080/x; }\n" +
		"    }\n}\nstream {\n    server { listen 1; proxy_pass backend.internal:8080; }\n}\n")
	lines := func(ps []*Pass) string {
		var out []string
		for _, p := range ps {
			out = append(out, fmt.Sprint(p.Directive.Span().Start.Line))
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct{ module, host, port, want string }{
		{"http", "backend.internal", "8080", "4 10"},
		{"http", "BACKEND.INTERNAL.", "8080", "4 10"},
		{"http", "backend.internal", "9090", "5"},
		{"http", "backend.internal", "", "6"},
		{"http", "pool", "", ""},
		{"http", "$target", "", ""},
		{"stream", "backend.internal", "8080", "14"},
		{"http", "ſtatic", "", ""}, // beyond ASCII: the slow path, nothing there
	} {
		if got := lines(peers.LiteralPasses(tc.module, tc.host, tc.port)); got != tc.want {
			t.Errorf("LiteralPasses(%s, %q, %q) = lines %q, want %q", tc.module, tc.host, tc.port, got, tc.want)
		}
	}
	// U+017F (long s) folds to s: both directions match.
	folded := build("http {\n    server {\n        location / { proxy_pass http://ſtatic:81; }\n" +
		"        location /s { proxy_pass http://static:81; }\n    }\n}\n")
	if got := lines(folded.LiteralPasses("http", "STATIC", "81")); got != "3 4" {
		t.Errorf("folded hosts: lines %q, want \"3 4\"", got)
	}
	if got := lines(peers.LiteralPasses("http", "ſtatic.internal", "8080")); got != "" {
		t.Errorf("a host beyond ASCII matched lines %q", got)
	}
}

// Where FoldsAsASCII says so, GroupNamedAt finds a group exactly when
// one in the directive's scope has a name SameHost calls the same; a
// group name beyond ASCII turns it off for every name.
func TestFoldsAsASCII(t *testing.T) {
	build := func(conf string) (*Peers, *Config) {
		t.Helper()
		c := Parse(source.NewFile("nginx.conf", "/nginx.conf", source.KindNginx, []byte(conf)))
		return BuildPeers([]*Config{c}), c
	}
	conf := "http {\n    upstream Backend { server 10.0.0.1:80; }\n    upstream api. { server 10.0.0.2:80; }\n" +
		"    server { location / { return 200; } }\n}\nstream {\n    upstream tcp { server 10.0.0.3:80; }\n}\n"
	peers, c := build(conf)
	at := c.Directives[0].Block[2] // the http server
	checked := 0
	for _, module := range []string{"http", "stream"} {
		for _, name := range []string{"backend", "BACKEND.", "api", "API.", "tcp", "other", "ſtatic", "\u212Aafka"} {
			scan := false
			for _, g := range peers.Groups {
				scan = scan || g.Module == module && SameHost(g.Name, name)
			}
			if !peers.FoldsAsASCII(name) {
				if source.IsASCIIString(name) {
					t.Errorf("FoldsAsASCII(%q) = false for a name in ASCII among groups named in ASCII", name)
				}
				continue
			}
			checked++
			if got := peers.GroupNamedAt(at, module, name) != nil; got != scan {
				t.Errorf("GroupNamedAt(%s, %q) found %v, SameHost says %v", module, name, got, scan)
			}
		}
	}
	if checked < 12 {
		t.Fatalf("only %d names checked", checked)
	}
	kelvin, _ := build("http {\n    upstream \u212Aafka { server 10.0.0.1:80; }\n}\n")
	if kelvin.FoldsAsASCII("kafka") {
		t.Error("FoldsAsASCII(kafka) with a group named \u212Aafka (Kelvin sign): true, want false")
	}
}

// IsPass looks no further than the name's "_pass" ending: every pass
// directive passProtocol holds must have it.
func TestPassNamesEndInPass(t *testing.T) {
	found := 0
	for module, m := range passProtocol {
		for id := spec.NameID(1); int(id) < spec.NumIDs(); id++ {
			name := spec.NameOf(id)
			if _, ok := m.Get(id, name); ok {
				found++
				if !strings.HasSuffix(name, "_pass") {
					t.Errorf("%s pass directive %q does not end in _pass", module, name)
				}
			}
		}
	}
	if found != 7 {
		t.Errorf("%d pass directives in the table, want the 7 passProtocol names", found)
	}
}
