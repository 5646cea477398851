package inherit

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// loadTree writes files, loads the first named root and resolves
// includes; it returns every loaded file by its relative path.
func loadTree(t *testing.T, root string, files map[string]string) map[string]*nginx.Config {
	t.Helper()
	dir := sharedtest.Tree(t, files)
	l := &nginx.Loader{Display: func(abs string) string {
		rel, _ := filepath.Rel(dir, abs)
		return rel
	}}
	if _, err := l.Load(filepath.Join(dir, root)); err != nil {
		t.Fatal(err)
	}
	l.Resolve()
	out := map[string]*nginx.Config{}
	for _, c := range l.Configs() {
		out[c.File.Path] = c
	}
	return out
}

// find returns the block directive of c whose name and first argument
// match "name arg" (or "name" for a block without arguments), searching
// in source order.
func find(t *testing.T, c *nginx.Config, what string) *nginx.Directive {
	t.Helper()
	var hit *nginx.Directive
	nginx.Walk(c, func(d *nginx.Directive) bool {
		key := d.Name
		if len(d.Args) > 0 {
			key += " " + d.Args[0].Raw()
		}
		if hit == nil && key == what {
			hit = d
		}
		return hit == nil
	})
	if hit == nil {
		t.Fatalf("%s: no %q", c.File.Path, what)
	}
	return hit
}

// show renders directives as "line:name arg1", one per line, joined by
// spaces, so expectations read like the configuration.
func show(ds []*nginx.Directive) string {
	var parts []string
	for _, d := range ds {
		s := fmt.Sprintf("%d:%s", d.Span().Start.Line, d.Name)
		if len(d.Args) > 0 {
			s += " " + d.Args[0].Value
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func showDrops(r Result) string {
	var parts []string
	for _, d := range r.Dropped() {
		s := fmt.Sprintf("%d@%s", d.Directive.Span().Start.Line, r.Levels[d.Level].Context)
		if d.Off {
			s += "(off)"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

const headers = `events {}
http {
    add_header A 1;
    server {
        add_header B 1;
        location / {
            root /srv;
        }
        location /x {
            add_header C 1;
            if ($arg_x) {
                add_header D 1;
            }
            limit_except GET {
                deny all;
            }
        }
    }
    server {
        location / {
            add_header E 1;
        }
    }
}
`

func TestAddHeaderInheritsOnlyIntoLevelsWithNone(t *testing.T) {
	c := loadTree(t, "nginx.conf", map[string]string{"nginx.conf": headers})["nginx.conf"]
	site := c.Sites()[0]
	old := spec.Version{Major: 1, Minor: 28}
	for _, tc := range []struct {
		block, effective, dropped string
	}{
		{"location /", "5:add_header B", "3@server"},
		{"location /x", "10:add_header C", "3@server, 5@location"},
		{"if ($arg_x)", "12:add_header D", "3@server, 5@location, 10@if"},
		{"limit_except GET", "10:add_header C", "3@server, 5@location"},
	} {
		r := Resolve(find(t, c, tc.block), site, "add_header", old)
		if got := show(r.Effective); got != tc.effective {
			t.Errorf("%s: effective %q, want %q", tc.block, got, tc.effective)
		}
		if got := showDrops(r); got != tc.dropped {
			t.Errorf("%s: dropped %q, want %q", tc.block, got, tc.dropped)
		}
	}
	// The second server has no add_header: its location drops http's.
	var second *nginx.Directive
	for _, d := range c.Directives[1].Block {
		if d.Name == "server" {
			second = d
		}
	}
	loc := second.Block[0]
	if got := showDrops(Resolve(loc, site, "add_header", old)); got != "3@location" {
		t.Errorf("second server's location: dropped %q", got)
	}
	if got := show(Effective(second, site, "add_header", old)); got != "3:add_header A" {
		t.Errorf("second server: effective %q", got)
	}
}

func TestAddHeaderInheritSwitch(t *testing.T) {
	files := map[string]string{"nginx.conf": `events {}
http {
    add_header A 1;
    server {
        add_header_inherit merge;
        add_header B 1;
        location /m {
            add_header C 1;
        }
        location /off {
            add_header_inherit off;
        }
        location /on {
            add_header_inherit on;
            add_header D 1;
        }
    }
}
`}
	c := loadTree(t, "nginx.conf", files)["nginx.conf"]
	site := c.Sites()[0]
	v1293 := spec.Version{Major: 1, Minor: 29, Patch: 3}
	for _, tc := range []struct {
		block     string
		v         spec.Version
		effective string
		dropped   string
	}{
		// merge is inherited: /m keeps its own line, then the server's
		// (which already hold http's).
		{"location /m", v1293, "8:add_header C, 6:add_header B, 3:add_header A", ""},
		{"location /off", v1293, "", "6@location(off), 3@location(off)"},
		{"location /on", v1293, "15:add_header D", "6@location, 3@location"},
		// Before 1.29.3 the switch does not exist: plain replacement.
		{"location /m", spec.Version{Major: 1, Minor: 29, Patch: 2}, "8:add_header C", "3@server, 6@location"},
		{"location /off", spec.Version{Major: 1, Minor: 26}, "6:add_header B", "3@server"},
		// Zero means the newest stable release, which has the switch.
		{"location /m", spec.Version{}, "8:add_header C, 6:add_header B, 3:add_header A", ""},
	} {
		r := Resolve(find(t, c, tc.block), site, "add_header", tc.v)
		if got := show(r.Effective); got != tc.effective {
			t.Errorf("%s at %s: effective %q, want %q", tc.block, tc.v, got, tc.effective)
		}
		if got := showDrops(r); got != tc.dropped {
			t.Errorf("%s at %s: dropped %q, want %q", tc.block, tc.v, got, tc.dropped)
		}
	}
	r := Resolve(find(t, c, "location /off"), site, "add_header", v1293)
	if dr := r.Dropped(); len(dr) == 0 || dr[0].By == nil || dr[0].By.Name != "add_header_inherit" {
		t.Errorf("off drop not attributed to add_header_inherit: %+v", r.Dropped())
	}
}

// The must-show case of the model: a snippet included from a server with
// add_header and from one without inherits differently at each site.
func TestSnippetAnsweredPerSite(t *testing.T) {
	cs := loadTree(t, "nginx.conf", map[string]string{
		"nginx.conf": `events {}
http {
    server {
        add_header X-Frame-Options DENY;
        location / {
            include snippets/cors.conf;
        }
    }
    server {
        location / {
            include snippets/cors.conf;
        }
    }
}
`,
		"snippets/cors.conf": "add_header Access-Control-Allow-Origin *;\nlocation /inner {\n    proxy_pass http://b;\n}\n",
	})
	snip := cs["snippets/cors.conf"]
	sites := snip.Sites()
	if len(sites) != 2 {
		t.Fatalf("%d sites", len(sites))
	}
	ah := snip.Directives[0]
	var got []string
	for _, s := range sites {
		r := Resolve(ah, s, "add_header", spec.Version{})
		got = append(got, fmt.Sprintf("%s | %s | %d levels", show(r.Effective), showDrops(r), len(r.Levels)))
	}
	want := []string{
		"1:add_header Access-Control-Allow-Origin | 4@location | 3 levels",
		"1:add_header Access-Control-Allow-Origin |  | 3 levels",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("per site:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A block inside the snippet inherits the snippet's top level, which
	// is the including location's level.
	inner := snip.Directives[1]
	for i, s := range sites {
		if got := show(Effective(inner, s, "add_header", spec.Version{})); got != "1:add_header Access-Control-Allow-Origin" {
			t.Errorf("site %d: nested location effective %q", i, got)
		}
		if got := show(Effective(inner, s, "proxy_pass", spec.Version{})); got != "3:proxy_pass http://b" {
			t.Errorf("site %d: proxy_pass %q", i, got)
		}
	}
}

func TestKindsOtherThanAddHeader(t *testing.T) {
	c := loadTree(t, "nginx.conf", map[string]string{"nginx.conf": `events {}
http {
    root /a;
    access_log /var/log/a.log;
    server {
        allow 10.0.0.0/8;
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        try_files $uri =404;
        location / {
            root /b;
            deny all;
            access_log off;
        }
        location /p {
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }
    }
}
`})["nginx.conf"]
	site := c.Sites()[0]
	loc, p := find(t, c, "location /"), find(t, c, "location /p")
	for _, tc := range []struct {
		block     *nginx.Directive
		name      string
		effective string
		dropped   string
	}{
		{loc, "root", "11:root /b", "3@location"},
		{p, "root", "3:root /a", ""},
		{loc, "allow", "12:deny all", "6@location"}, // allow and deny are one list
		{p, "deny", "6:allow 10.0.0.0/8", ""},
		{loc, "access_log", "13:access_log off", "4@location"},
		{p, "access_log", "4:access_log /var/log/a.log", ""},
		{loc, "proxy_set_header", "7:proxy_set_header Host, 8:proxy_set_header X-Real-IP", ""},
		{p, "proxy_set_header", "16:proxy_set_header X-Forwarded-For", "7@location, 8@location"},
		{loc, "try_files", "", ""}, // never inherited
	} {
		r := Resolve(tc.block, site, tc.name, spec.Version{})
		if got := show(r.Effective); got != tc.effective {
			t.Errorf("%s at line %d: effective %q, want %q", tc.name, tc.block.Span().Start.Line, got, tc.effective)
		}
		if got := showDrops(r); got != tc.dropped {
			t.Errorf("%s at line %d: dropped %q, want %q", tc.name, tc.block.Span().Start.Line, got, tc.dropped)
		}
	}
}

func TestFragmentRootAndUnresolvedInclude(t *testing.T) {
	// Bare locations: the file is linted in an implied server, whose
	// level is the file's top.
	cs := loadTree(t, "site.conf", map[string]string{"site.conf": `add_header A 1;
location / {
    add_header B 1;
    include missing/*.conf;
}
`})
	c := cs["site.conf"]
	if len(c.Implied) == 0 {
		t.Fatalf("site.conf not a fragment: implied %v", c.Implied)
	}
	r := Resolve(find(t, c, "location /"), c.Sites()[0], "add_header", spec.Version{})
	if got := showDrops(r); got != "1@location" {
		t.Errorf("dropped %q", got)
	}
	if !r.Unresolved {
		t.Error("an include that loads nothing must mark the answer unresolved")
	}
	if last := r.Levels[len(r.Levels)-1]; last.Block != nil || last.Root != c || last.Context != c.Implied[len(c.Implied)-1] {
		t.Errorf("outermost level %+v", last)
	}
}

func TestKindAndGroup(t *testing.T) {
	for name, want := range map[string]Kind{
		"add_header": List, "fastcgi_param": List, "error_page": List, "ssl_certificate": List,
		"root": Scalar, "unknown_thing": Scalar, "proxy_pass": Local, "try_files": Local,
	} {
		if got := KindOf(name); got != want {
			t.Errorf("KindOf(%s) = %s, want %s", name, got, want)
		}
	}
	if got := strings.Join(Group("deny"), " "); got != "deny allow" {
		t.Errorf("Group(deny) = %q", got)
	}
	if got := strings.Join(Group("root"), " "); got != "root" {
		t.Errorf("Group(root) = %q", got)
	}
}

// An Index answers as the plain functions do, computes each level's list
// once, and may be shared between goroutines.
func TestIndexMemoisesLevelLists(t *testing.T) {
	for _, idx := range map[string]*Index{"NewIndex": NewIndex(), "NewIndexFor(0)": NewIndexFor(0), "NewIndexFor(100000)": NewIndexFor(100000)} {
		testIndexMemoises(t, idx)
	}
}

func testIndexMemoises(t *testing.T, idx *Index) {
	c := loadTree(t, "nginx.conf", map[string]string{"nginx.conf": headers})["nginx.conf"]
	site := c.Sites()[0]
	blocks := []string{"location /", "location /x", "if ($arg_x)", "limit_except GET"}
	done := make(chan string, len(blocks))
	for _, b := range blocks {
		d := find(t, c, b)
		go func() {
			want := Resolve(d, site, "add_header", spec.Version{})
			got := idx.Resolve(d, site, "add_header", spec.Version{})
			if show(got.Effective) != show(want.Effective) || showDrops(got) != showDrops(want) {
				done <- fmt.Sprintf("%s: index %q / %q, plain %q / %q", b, show(got.Effective), showDrops(got), show(want.Effective), showDrops(want))
				return
			}
			done <- ""
		}()
	}
	for range blocks {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
	lv := Levels(find(t, c, "location /x"), site)[0]
	a, _ := idx.Directives(lv)
	b, _ := idx.Directives(lv)
	if len(a) == 0 || &a[0] != &b[0] {
		t.Error("the second lookup of a level must return the memoised list")
	}
}

// Every name the merge table lists is an nginx directive the generated
// table knows (a typo would silently make it a scalar), and the switch
// directives exist from the version the query honours them.
func TestTableNamesAreDirectives(t *testing.T) {
	names := []string{}
	for n := range lists {
		names = append(names, n)
	}
	for n := range locals {
		names = append(names, n)
	}
	for _, n := range names {
		found := false
		for _, d := range spec.Lookup(n) {
			found = found || d.Source == "nginx"
		}
		if !found {
			t.Errorf("%s: not an nginx directive in analyzer/nginx/spec", n)
		}
	}
	for n := range accumulated {
		if len(spec.Lookup(n)) == 0 {
			t.Errorf("%s: not in analyzer/nginx/spec", n)
		}
	}
	for _, sw := range inheritSwitch {
		ds := spec.Lookup(sw)
		if len(ds) == 0 || ds[0].Since != switchSince {
			t.Errorf("%s: spec says %v, the query assumes since %s", sw, ds, switchSince)
		}
	}
}

// headers-more's directives add up across levels: nothing is dropped.
func TestHeadersMoreAccumulates(t *testing.T) {
	c := loadTree(t, "nginx.conf", map[string]string{"nginx.conf": `events {}
http {
    more_set_headers "A: 1";
    server {
        more_set_headers "B: 1";
        location / {
            more_clear_headers C;
        }
    }
}
`})["nginx.conf"]
	r := Resolve(find(t, c, "location /"), c.Sites()[0], "more_set_headers", spec.Version{})
	if got := show(r.Effective); got != "3:more_set_headers A: 1, 5:more_set_headers B: 1, 7:more_clear_headers C" || len(r.Dropped()) != 0 {
		t.Errorf("effective %q, dropped %q", got, showDrops(r))
	}
	if got := strings.Join(Group("more_clear_headers"), " "); !strings.HasPrefix(got, "more_clear_headers ") || len(Group("more_clear_headers")) != 4 {
		t.Errorf("Group(more_clear_headers) = %q", got)
	}
	if KindOf("more_set_headers") != Accumulated {
		t.Errorf("KindOf(more_set_headers) = %s", KindOf("more_set_headers"))
	}
}

// The memoised level lists are the plain ones, per site: a snippet
// included in two locations inherits through each one's blocks, and the
// memo must not hand one site's list to the other.
func TestIndexLevelsPerSite(t *testing.T) {
	cs := loadTree(t, "nginx.conf", map[string]string{
		"nginx.conf": `events {}
http {
    server {
        location / { include snippets/a.conf; }
    }
    server {
        location /b { include snippets/a.conf; }
    }
}
`,
		"snippets/a.conf": "add_header X 1;\nlocation /inner {\n    proxy_pass http://b;\n}\n",
	})
	idx := NewIndex()
	render := func(ls []Level) string {
		var parts []string
		for _, l := range ls {
			if l.Block == nil {
				parts = append(parts, "root "+l.Context)
				continue
			}
			parts = append(parts, fmt.Sprintf("%d:%s", l.Block.Span().Start.Line, l.Context))
		}
		return strings.Join(parts, " ")
	}
	var perSite []string
	for _, c := range cs {
		for _, s := range c.Sites() {
			nginx.Walk(c, func(d *nginx.Directive) bool {
				want := render(Levels(d, s))
				first := idx.Levels(d, s)
				if got := render(first); got != want {
					t.Errorf("%s:%d via %d includes: memoised %q, plain %q", c.File.Path, d.Span().Start.Line, len(s.Via), got, want)
				}
				if again := idx.Levels(d, s); len(first) > 0 && &again[0] != &first[0] {
					t.Errorf("%s:%d: the second lookup must return the memoised list", c.File.Path, d.Span().Start.Line)
				}
				if c.File.Path == "snippets/a.conf" && d.Name == "proxy_pass" {
					perSite = append(perSite, render(first))
				}
				return true
			})
		}
	}
	if want := "2:location 4:location 3:server 2:http|2:location 7:location 6:server 2:http"; strings.Join(perSite, "|") != want {
		t.Errorf("proxy_pass in the snippet: %q, want %q", strings.Join(perSite, "|"), want)
	}
}

// A merge group matches a level's directives by number when the table
// numbers all its names, and by name otherwise; the answers are the same.
func TestMembersMatchByNumberOrName(t *testing.T) {
	c := loadTree(t, "nginx.conf", map[string]string{"nginx.conf": "http {\n add_header A 1;\n add_trailer B 2;\n zz_custom C;\n allow 1.2.3.4;\n deny all;\n}\n"})["nginx.conf"]
	var all []*nginx.Directive
	nginx.Walk(c, func(d *nginx.Directive) bool {
		all = append(all, d)
		return true
	})
	for _, tc := range []struct {
		group []string
		byID  bool
		want  string
	}{
		{[]string{"add_header"}, true, "add_header"},
		{Group("allow"), true, "allow deny"},
		{[]string{"zz_custom"}, false, "zz_custom"},
		{[]string{"add_trailer", "zz_custom"}, false, "add_trailer zz_custom"},
	} {
		m := newMembers(tc.group)
		var got []string
		for _, d := range all {
			if m.has(d) {
				got = append(got, d.Name)
			}
		}
		if m.byID != tc.byID || strings.Join(got, " ") != tc.want {
			t.Errorf("%q: by number %v, matched %q; want %v, %q", tc.group, m.byID, got, tc.byID, tc.want)
		}
	}
}
