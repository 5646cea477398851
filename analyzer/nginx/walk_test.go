package nginx

import (
	"slices"
	"strings"
	"testing"
)

// loadWalkTree loads a main file that includes a second at its top
// level, with a block nested in a block.
func loadWalkTree(t *testing.T) *Config {
	t.Helper()
	l := &Loader{Virtual: true, Overlay: map[string][]byte{
		"/etc/nginx/nginx.conf": []byte("a; include /etc/nginx/inc.conf; http { b; skip { c; } d; } e;\n"),
		"/etc/nginx/inc.conf":   []byte("i1; i2 { i3; }\n"),
	}}
	c := load(t, l, "/etc/nginx/nginx.conf")
	l.Resolve()
	return c
}

// WalkExpanded visits in nginx's reading order, an include's files in its
// place, and skips what fn declines (a block, or an include's files).
func TestWalkExpanded(t *testing.T) {
	c := loadWalkTree(t)
	var got []string
	WalkExpanded(c.Directives, func(d *Directive) bool {
		got = append(got, d.Name)
		return d.Name != "skip"
	})
	if want := "a include i1 i2 i3 http b skip d e"; strings.Join(got, " ") != want {
		t.Errorf("order %q, want %q", strings.Join(got, " "), want)
	}
	got = nil
	WalkExpanded(c.Directives, func(d *Directive) bool {
		got = append(got, d.Name)
		return d.Name != "include"
	})
	if want := "a include http b skip c d e"; strings.Join(got, " ") != want {
		t.Errorf("declined include: %q, want %q", strings.Join(got, " "), want)
	}
}

// ContainerIn crosses the include that brings a file's top level into a
// block; at the root file's top level there is none.
func TestContainerIn(t *testing.T) {
	l := &Loader{Virtual: true, Overlay: map[string][]byte{
		"/etc/nginx/nginx.conf": []byte("top; http { server { location / { include /etc/nginx/inc.conf; } } }\n"),
		"/etc/nginx/inc.conf":   []byte("proxy_pass http://a;\n"),
	}}
	c := load(t, l, "/etc/nginx/nginx.conf")
	l.Resolve()
	var inc *Config
	for _, x := range l.Configs() {
		if strings.HasSuffix(x.File.Abs, "inc.conf") {
			inc = x
		}
	}
	if inc == nil {
		t.Fatal("inc.conf not loaded")
	}
	pass := inc.Directives[0]
	if got := pass.ContainerIn(inc.Sites()[0]); got == nil || got.Name != "location" {
		t.Errorf("container of the included proxy_pass: %v, want the location", got)
	}
	if got := c.Directives[0].ContainerIn(c.Sites()[0]); got != nil {
		t.Errorf("container of a top-level directive: %v, want none", got.Name)
	}
}

// HasName knows every name of a file's own tree, the table's and those it
// lacks, at any depth, and no name that is only in an included file or
// nowhere.
func TestHasName(t *testing.T) {
	c := parseString("events {}\nhttp {\n    zz_custom on;\n    server {\n        location / { \"proxy_pass\" http://a; more_set_headers x; }\n    }\n    include other.conf;\n}\n")
	for name, want := range map[string]bool{
		"events": true, "http": true, "server": true, "location": true, "proxy_pass": true, "include": true,
		"zz_custom": true, "more_set_headers": true,
		"listen": false, "zz_other": false, "": false, "worker_processes": false,
	} {
		if got := c.HasName(name); got != want {
			t.Errorf("HasName(%q) = %v, want %v", name, got, want)
		}
	}
	if len(c.includeDirectives()) != 1 {
		t.Errorf("%d include directives, want 1", len(c.includeDirectives()))
	}
}

// NumDirectives counts a file's own tree, blocks' children included and
// the files its includes loaded not.
func TestNumDirectives(t *testing.T) {
	c := loadWalkTree(t)
	if got := c.NumDirectives(); got != 8 {
		t.Errorf("nginx.conf: %d directives, want 8 (a, include, http, b, skip, c, d, e)", got)
	}
	if inc := c.Directives[1].Includes(); len(inc) != 1 || inc[0].NumDirectives() != 3 {
		t.Errorf("inc.conf: want one file of 3 directives, got %v", inc)
	}
}

// Reaches follows includes at any depth and any block of the files, and
// remembers each file's answer; HoldsInclude marks exactly the blocks an
// include is nested in.
func TestReachesAndHoldsInclude(t *testing.T) {
	l := &Loader{Virtual: true, Overlay: map[string][]byte{
		"/etc/nginx/nginx.conf": []byte("http { server { location / { include /etc/nginx/mid.conf; } } server { listen 80; } }\n" +
			"stream { include /etc/nginx/leaf.conf; }\n"),
		"/etc/nginx/mid.conf":  []byte("if ($x) { include /etc/nginx/deep.conf; }\n"),
		"/etc/nginx/deep.conf": []byte("limit_req_zone $a zone=z:1m rate=1r/s;\n"),
		"/etc/nginx/leaf.conf": []byte("server { listen 53; }\n"),
	}}
	c := load(t, l, "/etc/nginx/nginx.conf")
	l.Resolve()
	byPath := map[string]*Config{}
	for _, f := range l.Configs() {
		byPath[f.File.Abs] = f
	}
	zone := func(f *Config) bool { return f.HasName("limit_req_zone") }
	memo := map[*Config]bool{}
	for path, want := range map[string]bool{
		"/etc/nginx/nginx.conf": true, "/etc/nginx/mid.conf": true, "/etc/nginx/deep.conf": true, "/etc/nginx/leaf.conf": false,
	} {
		f := byPath[path]
		if f == nil {
			t.Fatalf("%s not loaded", path)
		}
		if got := Reaches(f, zone, memo); got != want {
			t.Errorf("Reaches(%s) = %v, want %v", path, got, want)
		}
	}
	if len(memo) != 4 {
		t.Errorf("memo holds %d files, want 4", len(memo))
	}

	http, stream := c.Directives[0], c.Directives[1]
	first, second := http.Block[0], http.Block[1]
	for _, tc := range []struct {
		d    *Directive
		want bool
	}{
		{http, true}, {first, true}, {first.Block[0], true}, {second, false}, {stream, true},
		{first.Block[0].Block[0], false}, // the include itself holds nothing
	} {
		if got := tc.d.HoldsInclude(); got != tc.want {
			t.Errorf("%s at %s: HoldsInclude = %v, want %v", tc.d.Name, tc.d.Span(), got, tc.want)
		}
	}
}

// Reaches stays exact on an include cycle (which the loader never links):
// a file whose answer met an open file is not remembered as reaching
// nothing.
func TestReachesCycle(t *testing.T) {
	a, b, z := &Config{}, &Config{}, &Config{}
	inc := func(to ...*Config) *Directive { return &Directive{Name: "include", rare: &rare{includes: to}} }
	a.Directives = []*Directive{inc(b), inc(z)}
	b.Directives = []*Directive{inc(a)}
	z.Directives = []*Directive{{Name: "limit_req_zone"}}
	zone := func(f *Config) bool { return f.HasName("limit_req_zone") }
	memo := map[*Config]bool{}
	if !Reaches(a, zone, memo) || !Reaches(b, zone, memo) {
		t.Errorf("a and b both reach the zone through a: got a %v, b %v", memo[a], memo[b])
	}
}

// PreOrder is Walk's order, made once.
func TestPreOrder(t *testing.T) {
	c := parseString("events {}\nhttp {\n server { listen 80; location / { return 200; } }\n include x.conf;\n}\nuser nginx;\n")
	var want []string
	Walk(c, func(d *Directive) bool {
		want = append(want, d.Name)
		return true
	})
	pre := c.PreOrder()
	var got []string
	for _, d := range pre {
		got = append(got, d.Name)
	}
	if !slices.Equal(got, want) || len(got) != c.NumDirectives() {
		t.Errorf("PreOrder %q, Walk %q, NumDirectives %d", got, want, c.NumDirectives())
	}
	if again := c.PreOrder(); &again[0] != &pre[0] {
		t.Error("a second PreOrder must return the list made the first time")
	}
}
