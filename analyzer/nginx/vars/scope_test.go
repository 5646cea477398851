package vars_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/vars"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// load reads a tree of files and returns the configs by display path.
func load(t *testing.T, files map[string]string, main string) (map[string]*nginx.Config, *vars.Index) {
	t.Helper()
	dir := sharedtest.Tree(t, files)
	l := &nginx.Loader{Display: func(abs string) string {
		rel, _ := filepath.Rel(dir, abs)
		return filepath.ToSlash(rel)
	}}
	if _, err := l.Load(filepath.Join(dir, main)); err != nil {
		t.Fatal(err)
	}
	l.Resolve()
	out := map[string]*nginx.Config{}
	for _, c := range l.Configs() {
		out[c.File.Path] = c
	}
	return out, vars.Build(l.Configs())
}

// find returns the first directive named name in c.
func find(c *nginx.Config, name string) *nginx.Directive {
	var out *nginx.Directive
	nginx.Walk(c, func(d *nginx.Directive) bool {
		if out == nil && d.Name == name {
			out = d
		}
		return out == nil
	})
	return out
}

// A snippet included from a regex location and from a prefix location
// reads $1 from the location's regex at the first site and has no group
// at the second; the snippet's own set is in scope at both.
func TestCapturesPerInclusionSite(t *testing.T) {
	cs, ix := load(t, map[string]string{
		"nginx.conf": `events {}
http {
    server {
        location ~ ^/img/(\d+)$ {
            include snip.conf;
        }
        location /plain/ {
            include snip.conf;
        }
    }
}
`,
		"snip.conf": "add_header X-Id $1;\n",
	}, "nginx.conf")
	snip := cs["snip.conf"]
	ah := find(snip, "add_header")
	sites := snip.Sites()
	if len(sites) != 2 {
		t.Fatalf("%d sites", len(sites))
	}
	first := ix.At(ah, sites[0], "1")
	if first.Origin != vars.Capture || first.Props != vars.Client|vars.Number || first.NoGroup || len(first.Providers) != 1 || first.Providers[0].Name != "location" {
		t.Errorf("site 1: %+v", first)
	}
	second := ix.At(ah, sites[1], "1")
	if !second.NoGroup || second.Props.May(vars.Client) {
		t.Errorf("site 2: %+v", second)
	}
}

// set is scoped to the blocks it is in: a location that sets $x sees
// only its own value; one that does not sees every set (a redirect may
// carry the value in).
func TestSetScope(t *testing.T) {
	c, ix := parse(t, "t.conf", `events {}
http {
    server {
        location /a { set $x $http_a; return 200 $x; }
        location /b { set $x 1; return 200 $x; }
        location /c { if ($arg_z) { set $x "$uri"; } return 200 $x; }
        location /d { return 200 $x; }
    }
}
`)
	var rets []*nginx.Directive
	nginx.Walk(c, func(d *nginx.Directive) bool {
		if d.Name == "return" {
			rets = append(rets, d)
		}
		return true
	})
	want := []string{"set client|slash 1", "set number 1", "set client|crlf|slash 1", "set client|crlf|slash 3"}
	for i, r := range rets {
		v := ix.At(r, c.Sites()[0], "x")
		got := v.Origin.String() + " " + v.Props.String() + " " + string(rune('0'+len(v.Providers)))
		if got != want[i] {
			t.Errorf("location %d: %s, want %s", i, got, want[i])
		}
	}
}

// A rewrite-phase directive reads the captures of the regexes before it;
// a content-phase one those of every rewrite in the location.
func TestCaptureOrder(t *testing.T) {
	c, ix := parse(t, "t.conf", `events {}
http {
    server {
        location ~ ^/(\d+)$ {
            set $before $1;
            rewrite ^/(.*)$ /x/$1;
            set $after $1;
            proxy_pass http://b/$1;
        }
    }
}
`)
	get := func(name, arg string) vars.Value {
		var d *nginx.Directive
		nginx.Walk(c, func(x *nginx.Directive) bool {
			if x.Name == name && (arg == "" || len(x.Args) > 0 && x.Args[0].Value == arg) {
				d = x
			}
			return true
		})
		return ix.At(d, c.Sites()[0], "1")
	}
	if v := get("set", "$before"); v.Props != vars.Client|vars.Number || len(v.Providers) != 1 {
		t.Errorf("before the rewrite: %v %d", v.Props, len(v.Providers))
	}
	if v := get("set", "$after"); v.Props != vars.Client|vars.Slash|vars.CRLF || len(v.Providers) != 2 {
		t.Errorf("after the rewrite: %v %d", v.Props, len(v.Providers))
	}
	if v := get("proxy_pass", ""); !v.Props.Has(vars.Slash) || len(v.Providers) != 2 {
		t.Errorf("content phase: %v %d", v.Props, len(v.Providers))
	}
	if v := get("rewrite", ""); v.Props != vars.Client|vars.Slash|vars.CRLF || len(v.Providers) != 1 || v.Providers[0].Name != "rewrite" {
		t.Errorf("rewrite's own replacement: %v %v", v.Props, v.Providers)
	}
}

// Odd input never panics and never fails: cycles, unparsable regexes,
// truncated directives, captures in map values with a literal key.
func TestNoErrors(t *testing.T) {
	texts := []string{
		"http { server { location / { set $a $b; set $b $a; return 200 $a; } } }",
		"http { server { location ~ ^/(([a-z)$ { return 200 $1$x; } } }",
		"http { map $uri $m { default $1; } server { location / { return 200 $m; } } }",
		"http { server { if ($x ~ ) { return 200 $1; } if (",
		"http { server { location ~ { return 200 $1; } rewrite; set; map; geo; } }",
		"set $x $1; return 200 ${x}",
		"stream { map $ssl_preread_server_name $up { ~^(?<n>.+)$ $n; } server { proxy_pass $up; } }",
	}
	for _, text := range texts {
		c, ix := parse(t, "t.conf", text)
		nginx.Walk(c, func(d *nginx.Directive) bool {
			for _, site := range c.Sites() {
				for _, r := range vars.DirectiveRefs(d) {
					_ = ix.At(d, site, r.Name)
				}
				for _, n := range []string{"1", "9", "nosuch", "m", "up"} {
					_ = ix.At(d, site, n)
				}
			}
			return true
		})
	}
	// the unparsable regex gives Unknown, the cycle nothing
	c, ix := parse(t, "t.conf", texts[1])
	ret := find(c, "return")
	if v := ix.At(ret, c.Sites()[0], "1"); !v.Props.Has(vars.Unknown) {
		t.Errorf("unparsable regex: %v", v.Props)
	}
	c, ix = parse(t, "t.conf", texts[0])
	if v := ix.At(find(c, "return"), c.Sites()[0], "a"); v.Origin != vars.Set || v.Props.May(vars.Client) {
		t.Errorf("cycle: %+v", v)
	}
	c, ix = parse(t, "t.conf", texts[6])
	pp := find(c, "proxy_pass")
	v := ix.At(pp, c.Sites()[0], "up")
	if v.Origin != vars.Map || !v.Props.Has(vars.Client|vars.CRLF) || strings.Join(v.From, ",") != "ssl_preread_server_name" {
		t.Errorf("stream map: %+v", v)
	}
}

// A named group of a regex the parser rejects still defines its name,
// with an unknown value.
func TestNamedCaptureOfUnparsableRegex(t *testing.T) {
	c, ix := parse(t, "t.conf", "http { server { location ~ ^/(?<slug>[a-z)$ { return 200 $slug; } } }")
	v := ix.At(find(c, "return"), c.Sites()[0], "slug")
	if v.Origin != vars.Capture || !v.Props.Has(vars.Unknown) || len(v.Providers) != 1 {
		t.Errorf("%+v", v)
	}
}

// The zero Site means the file's first; a nil directive or index still
// answers from the built-in table.
func TestAtDefaults(t *testing.T) {
	c, ix := parse(t, "t.conf", "http { server { location ~ ^/(\\d+)$ { return 200 $1; } } }")
	ret := find(c, "return")
	if a, b := ix.At(ret, nginx.Site{}, "1"), ix.At(ret, c.Sites()[0], "$1"); a.Props != b.Props || a.Props != vars.Client|vars.Number {
		t.Errorf("zero site %v, first site %v", a.Props, b.Props)
	}
	if v := ix.At(nil, nginx.Site{}, "http_a"); v.Origin != vars.Builtin || v.Props != vars.Client|vars.Slash {
		t.Errorf("nil directive: %+v", v)
	}
	var none *vars.Index
	if v := none.At(ret, nginx.Site{}, "nosuch"); v.Origin != vars.Undefined {
		t.Errorf("nil index: %+v", v)
	}
}

// The index is read-only once built: rules may ask at the same time.
func TestConcurrentQueries(t *testing.T) {
	c, ix := parse(t, "t.conf", `http {
    map $uri $m { ~^/(?<a>.*)$ $a; default $http_x; }
    server { location ~ ^/(\d+)$ { set $s "$m$1"; return 200 $s; } }
}`)
	ret := find(c, "return")
	want := ix.At(ret, c.Sites()[0], "s")
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				if got := ix.At(ret, c.Sites()[0], "s"); got.Props != want.Props {
					t.Errorf("got %v, want %v", got.Props, want.Props)
					return
				}
			}
		}()
	}
	wg.Wait()
	if want.Props != vars.Client|vars.Slash|vars.CRLF {
		t.Errorf("$s holds %v", want.Props)
	}
}

// A map's entries may come from an included file; an include that does
// not resolve adds nothing (its path is no value).
func TestMapEntriesFromInclude(t *testing.T) {
	cs, ix := load(t, map[string]string{
		"nginx.conf": "events {}\nhttp {\n    map $http_x $m { include m.map; include /nowhere/x.map; }\n    server { location / { return 200 $m; } }\n}\n",
		"m.map":      "default 0;\n~^a(?<n>\\d+) $n;\n",
	}, "nginx.conf")
	c := cs["nginx.conf"]
	v := ix.At(find(c, "return"), c.Sites()[0], "m")
	if v.Origin != vars.Map || v.Props != vars.Client|vars.Number {
		t.Errorf("%+v", v)
	}
}

func TestDefined(t *testing.T) {
	_, ix := parse(t, "t.conf", `http {
    map $uri $m { default 1; }
    server { location ~ ^/(?<slug>\w+)$ { return 200 $slug; } }
}
stream { map $remote_addr $s { default 1; } }`)
	cases := []struct {
		name, family string
		want         bool
	}{
		{"http_x", "http", true},
		{"ssl_preread_server_name", "http", false},
		{"ssl_preread_server_name", "stream", true},
		{"m", "http", true},
		{"m", "stream", false},
		{"s", "stream", true},
		{"s", "http", false},
		{"slug", "http", true},
		{"slug", "", true},
		{"nope", "", false},
		{"1", "stream", true},
	}
	for _, c := range cases {
		if got := ix.Defined(c.name, c.family); got != c.want {
			t.Errorf("Defined(%q, %q) = %v", c.name, c.family, got)
		}
	}
}

// Maps that read maps that read maps are worked out once each: forty
// levels, each value reading the level below twice, answer at once
// (without the memo this would take 2^24 steps).
func TestDeepMapChains(t *testing.T) {
	var b strings.Builder
	b.WriteString("http {\n    map $uri $m0 { default $http_a; }\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "    map $uri $m%d { ~a $m%d; default \"$m%d-$m%d\"; }\n", i, i-1, i-1, i-1)
	}
	b.WriteString("    server { location / { return 200 $m40; } }\n}\n")
	c, ix := parse(t, "t.conf", b.String())
	done := make(chan vars.Value, 1)
	go func() { done <- ix.At(find(c, "return"), c.Sites()[0], "m40") }()
	select {
	case v := <-done:
		// past the depth limit the value is unknown, never an error
		if v.Origin != vars.Map || !v.Props.May(vars.Client) {
			t.Errorf("%+v", v)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no answer in 5s")
	}
	v := ix.At(find(c, "return"), c.Sites()[0], "m10")
	if v.Props != vars.Client|vars.Slash {
		t.Errorf("$m10: %v", v.Props)
	}
}

// A cycle at the bottom of a wide chain (set $x "${x}a", common for
// appending) neither stops the memo nor loses what the cycle adds.
func TestCycleUnderChain(t *testing.T) {
	var b strings.Builder
	b.WriteString("http {\n    server { location / { set $x $http_a; set $x \"${x}-\"; return 200 $m20; } }\n")
	b.WriteString("    map $uri $m0 { default $x; }\n")
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&b, "    map $uri $m%d { ~a $m%d; default \"$m%d.$m%d\"; }\n", i, i-1, i-1, i-1)
	}
	b.WriteString("}\n")
	c, ix := parse(t, "t.conf", b.String())
	done := make(chan vars.Value, 1)
	go func() { done <- ix.At(find(c, "return"), c.Sites()[0], "m20") }()
	select {
	case v := <-done:
		if v.Props != vars.Client|vars.Slash {
			t.Errorf("%+v", v)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no answer in 5s")
	}
}

func TestRelated(t *testing.T) {
	c, ix := parse(t, "t.conf", "http {\n    map $uri $m { default 1; }\n    server {\n        location ~ ^/(\\d+)$ {\n            set $s $1;\n            return 200 \"$m$s$1\";\n        }\n    }\n}\n")
	ret := find(c, "return")
	var got []string
	for _, name := range []string{"m", "s", "1", "host"} {
		for _, r := range ix.At(ret, nginx.Site{}, name).Related() {
			got = append(got, fmt.Sprintf("%d:%s", r.Span.Start.Line, r.Message))
		}
	}
	want := "2:$m is the result of this map 5:$s is set here 4:$1 is captured by this regex"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("related\n got %s\nwant %s", g, want)
	}
}

// server_name and rewrites that sit in a snippet count for the server
// that includes them.
func TestServerSnippet(t *testing.T) {
	cs, ix := load(t, map[string]string{
		"nginx.conf": "events {}\nhttp {\n    server {\n        include names.conf;\n        location /a/ { set $v $1; return 200 \"$sub$v\"; }\n    }\n}\n",
		"names.conf": "server_name ~^(?<sub>[a-z]+)\\.example\\.com$;\nrewrite ^/r/(\\d+)$ /a/$1;\n",
	}, "nginx.conf")
	c := cs["nginx.conf"]
	sub := ix.At(find(c, "return"), nginx.Site{}, "sub")
	if sub.Origin != vars.Capture || sub.Props != vars.Client || len(sub.Providers) != 1 || sub.Providers[0].Name != "server_name" {
		t.Errorf("$sub: %+v", sub)
	}
	one := ix.At(find(c, "set"), nginx.Site{}, "1")
	// the server's rewrite (digits) may have matched, else the server
	// name's regex (letters) did: either way no '/'
	if one.Props != vars.Client || len(one.Providers) != 2 || one.Providers[0].Name != "rewrite" {
		t.Errorf("$1 in a prefix location after the server's rewrite: %v from %d", one.Props, len(one.Providers))
	}
}

// Inside `if ($uri !~ re)` the regex did not match: $1 there is the
// enclosing location's capture, not the if's; inside `if ($uri ~ re)` it
// is the if's.
func TestNegatedIfKeepsOuterCaptures(t *testing.T) {
	c, ix := parse(t, "t.conf", `events {}
http {
    server {
        location ~ ^/([a-z]+)$ {
            if ($uri !~ ^/(\d+)$) {
                set $x $1;
            }
            if ($uri ~ ^/(\d+)$) {
                set $y $1;
            }
        }
    }
}
`)
	provider := func(name string) string {
		var d *nginx.Directive
		nginx.Walk(c, func(x *nginx.Directive) bool {
			if x.Name == "set" && x.Args[0].Value == name {
				d = x
			}
			return true
		})
		v := ix.At(d, c.Sites()[0], "1")
		if len(v.Providers) != 1 {
			return fmt.Sprintf("%d providers", len(v.Providers))
		}
		return v.Providers[0].Name
	}
	if got := provider("$x"); got != "location" {
		t.Errorf("$1 in the negated if comes from %s, want the location", got)
	}
	if got := provider("$y"); got != "if" {
		t.Errorf("$1 in the matching if comes from %s, want the if", got)
	}
}

// Each file's definitions and regexes are a model part kept on its tree
// (nginx.Config.ModelPart). Through a parse cache that hands the trees
// back (Exclusive), an edit of the main file makes the snippet's part
// again, since the server it names is a new one; an edit of nothing keeps
// it. Either way the index answers as a fresh one does.
func TestPartsFollowTheIncludingFile(t *testing.T) {
	main := "events {}\nhttp {\n    server {\n        include names.conf;\n        location /a/ { return 200 $1; }\n    }\n}\n"
	dir := sharedtest.Tree(t, map[string]string{
		"nginx.conf": main,
		"names.conf": "server_name ~^([a-z]+)\\.example\\.com$;\n",
	})
	old := time.Now().Add(-time.Hour)
	cache := &nginx.ParseCache{Exclusive: true}
	build := func(cache *nginx.ParseCache) (*nginx.Config, *vars.Index) {
		l := &nginx.Loader{Cache: cache}
		if _, err := l.Load(filepath.Join(dir, "nginx.conf")); err != nil {
			t.Fatal(err)
		}
		l.Resolve()
		return l.Configs()[0], vars.Build(l.Configs())
	}
	for i, text := range []string{main, main, strings.Replace(main, "location /a/", "location  /a/", 1), main} {
		if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		sharedtest.Date(t, old.Add(time.Duration(i)*time.Second), dir, "nginx.conf", "names.conf")
		c, ix := build(cache)
		cache.Sweep()
		one := ix.At(find(c, "return"), nginx.Site{}, "1")
		if one.Origin != vars.Capture || len(one.Providers) != 1 || one.Providers[0].Name != "server_name" {
			t.Errorf("load %d: $1 is %+v, want the capture of the server's server_name, in the included file", i, one)
		}
	}
}
