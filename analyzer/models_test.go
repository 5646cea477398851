package analyzer_test

import (
	"path/filepath"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

func peersOf(t *testing.T, dir string, paths ...string) *nginx.Peers {
	t.Helper()
	var abs []string
	for _, p := range paths {
		abs = append(abs, filepath.Join(dir, p))
	}
	ws, err := analyzer.Load(abs, analyzer.LoadOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	p := analyzer.ResultOf(ws, analyzer.Peers)
	if p != analyzer.ResultOf(ws, analyzer.Peers) {
		t.Error("the peer model was computed twice")
	}
	return p
}

// Two fragments of one conf.d share a scope: a bare name in one refers to
// the group the other defines, so it is no peer of its own.
func TestPeersFragmentsShareGroups(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{
		"a.conf": "upstream localhost {\n    server 127.0.0.1:3000;\n}\n",
		"b.conf": "server {\n    location / { proxy_pass http://localhost; }\n    location /d/ { proxy_pass http://localhost:8080; }\n}\n",
	})
	p := peersOf(t, dir, "a.conf", "b.conf")
	if len(p.Passes) != 2 || p.Passes[0].Group == nil || p.Passes[0].Group.Name != "localhost" || p.Passes[1].Group != nil {
		t.Fatalf("passes %+v", p.Passes)
	}
	var got []string
	for _, x := range p.Dialable() {
		got = append(got, x.Directive.Config.File.Path+" "+x.Addr.Host+":"+x.Addr.PortText+" "+x.Scheme)
	}
	want := []string{"a.conf 127.0.0.1:3000 http", "b.conf localhost:8080 http"}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("dialable %q, want %q", got, want)
	}
}

// Two main files are two configurations: each pass finds the group of its
// own file, by nginx's case-insensitive name, and the group takes the
// strongest scheme of the passes that use it.
func TestPeersScopesAndParameters(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{
		"one/nginx.conf": "events {}\nhttp {\n    upstream app {\n        server 10.0.0.1:80 weight=5 max_fails=3 fail_timeout=30s backup;\n" +
			"        server 10.0.0.3:80 max_conns=7;\n    }\n" +
			"    server {\n        location / { proxy_pass http://app; }\n        location /s/ { proxy_pass https://app; }\n    }\n}\n",
		"two/nginx.conf": "events {}\nhttp {\n    upstream app {\n        zone z 64k;\n        server backend.internal resolve service=_http._tcp;\n        server 10.0.0.2 down;\n    }\n" +
			"    server {\n        location / { proxy_pass http://APP.; }\n    }\n}\n",
	})
	p := peersOf(t, dir, "one/nginx.conf", "two/nginx.conf")
	if len(p.Groups) != 2 {
		t.Fatalf("%d groups, want 2", len(p.Groups))
	}
	one, two := p.Groups[0], p.Groups[1]
	for _, ps := range p.Passes {
		want := one
		if ps.Directive.Config != one.Directive.Config {
			want = two
		}
		if ps.Group != want {
			t.Errorf("%s: %s names the group of %v", ps.Directive.Span(), ps.Directive.Args[0].Raw(), ps.Group)
		}
	}
	if one.Scheme != "https" || two.Scheme != "http" {
		t.Errorf("schemes %q %q, want https http", one.Scheme, two.Scheme)
	}
	s := one.Servers[0]
	if s.Weight != 5 || s.MaxFails != 3 || s.FailTimeout != "30s" || !s.Backup || s.Down || s.Param("weight").Raw() != "weight=5" {
		t.Errorf("server 1: %+v", s)
	}
	if s := one.Servers[1]; s.Weight != 1 || s.MaxFails != 1 || s.MaxConns != 7 || s.FailTimeout != "10s" {
		t.Errorf("server 2 defaults: %+v", s)
	}
	if s := two.Servers[0]; !s.Resolve || s.Service != "_http._tcp" || s.Addr.Host != "backend.internal" {
		t.Errorf("resolve server: %+v", s)
	}
	if !two.Servers[1].Down {
		t.Error("down not read")
	}
	// The down server is not dialled; the resolve one is, on port 80.
	var hosts []string
	for _, x := range p.Dialable() {
		hosts = append(hosts, x.Addr.Host)
		if x.Group == two && x.Addr.Host == "10.0.0.2" {
			t.Error("a down server is dialable")
		}
	}
	if len(hosts) != 3 {
		t.Errorf("dialable %q, want the three servers that are not down", hosts)
	}
	if p.ServerOf(one.Servers[0].Directive) != one.Servers[0] || p.PassOf(p.Passes[0].Directive) != p.Passes[0] {
		t.Error("lookup by directive")
	}
	if p.GroupNamed("http", "App") != one || p.GroupNamed("stream", "app") != nil {
		t.Error("GroupNamed")
	}
}
