package nginx

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// A language server lints on one goroutine while requests read the last
// lint's trees and may lint again on another: loads that share a parse
// cache, and reads of trees the cache copies from, must not race (this
// test means something under -race) and must each see a whole tree.
func TestParseCacheSharedByConcurrentLoads(t *testing.T) {
	files := map[string]string{"nginx.conf": "http {\n    include conf.d/*.conf;\n    include missing/x.conf;\n}\n"}
	for i := range 40 {
		files[fmt.Sprintf("conf.d/s%02d.conf", i)] = fmt.Sprintf("upstream u%d { server 127.0.0.1:%d; keepalive 4; }\n"+
			"server { listen %d; location / { proxy_pass http://u%d; } }\n", i, 3000+i, 8000+i, i)
	}
	dir := sharedtest.Tree(t, files)
	cache := &ParseCache{}
	load := func() []*Config {
		l := newLoader(dir)
		l.Cache = cache
		if _, err := l.Load(filepath.Join(dir, "nginx.conf")); err != nil {
			t.Error(err)
			return nil
		}
		l.Resolve()
		return l.Configs()
	}
	// read does what hover, completion and the rules do with a tree.
	read := func(cs []*Config) (n int) {
		for _, c := range cs {
			_ = c.Sites()
			Walk(c, func(d *Directive) bool {
				_ = d.Context()
				if d.Name == "server" && d.InnerContext() == "upstream" {
					_ = d.UpstreamServer()
				}
				n++
				return true
			})
		}
		return n
	}
	want := read(load())
	var wg sync.WaitGroup
	last := load()
	for range 4 {
		wg.Go(func() {
			for range 5 {
				if got := read(load()); got != want {
					t.Errorf("a load from the cache has %d directives, want %d", got, want)
				}
			}
		})
		wg.Go(func() { read(last) })
	}
	wg.Wait()
	if cache.Copies() < 40 {
		t.Errorf("only %d trees came from the cache", cache.Copies())
	}
	// The include problem is the load's, not the parse's: each load
	// reports it once.
	for _, c := range load() {
		if filepath.Base(c.File.Path) == "nginx.conf" && len(c.Diagnostics) != 1 {
			t.Errorf("nginx.conf from the cache: %d diagnostics, want the one missing include: %v", len(c.Diagnostics), c.Diagnostics)
		}
	}
}

// A file whose size and time are those of its last read, and whose time
// was well before that read, is not read again; a file written in the
// seconds before the read is read every time, since a coarse file system
// clock may give a second write of the same size the same time.
func TestParseCacheReadsOnlyWhatMayHaveChanged(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{
		"old.conf":    "worker_processes 1;\n",
		"recent.conf": "worker_processes 1;\n",
	})
	cache := &ParseCache{}
	firstDirective := func(name string) string {
		l := newLoader(dir)
		l.Cache = cache
		c, err := l.Load(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return c.Directives[0].Args[0].Value
	}
	long := time.Now().Add(-time.Hour)
	recent := time.Now()
	set := func(name, text string, at time.Time) {
		sharedtest.WriteTree(t, dir, map[string]string{name: text})
		sharedtest.Date(t, at, dir, name)
	}
	set("old.conf", "worker_processes 1;\n", long)
	set("recent.conf", "worker_processes 1;\n", recent)
	if firstDirective("old.conf") != "1" || firstDirective("recent.conf") != "1" {
		t.Fatal("first reads")
	}
	// Same size, same time, new text.
	set("old.conf", "worker_processes 2;\n", long)
	set("recent.conf", "worker_processes 2;\n", recent)
	if got := firstDirective("recent.conf"); got != "2" {
		t.Errorf("a file written just before its last read was not read again: %q", got)
	}
	if got := firstDirective("old.conf"); got != "1" {
		t.Errorf("an old file with its size and time unchanged was read again: %q", got)
	}
	// Any change of size or time is read.
	set("old.conf", "worker_processes 3;\n", long.Add(time.Second))
	if got := firstDirective("old.conf"); got != "3" {
		t.Errorf("a file with a new time was not read again: %q", got)
	}
}

// What a file is (an environment file included by mistake is never
// quoted) is decided again on every load, from the cache too.
func TestParseCacheKeepsOpaqueFiles(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{
		"nginx.conf": "http { include app.env; include ok.conf; }\n",
		"app.env":    "DB_PASSWORD=hunter2\nAPI_KEY=abc\n",
		"ok.conf":    "server { listen 80; }\n",
	})
	sharedtest.Date(t, time.Now().Add(-time.Hour), dir, "nginx.conf", "app.env", "ok.conf")
	cache := &ParseCache{}
	for i := range 3 {
		l := newLoader(dir)
		l.Cache = cache
		if _, err := l.Load(filepath.Join(dir, "nginx.conf")); err != nil {
			t.Fatal(err)
		}
		l.Resolve()
		for _, c := range l.Configs() {
			opaque := c.File.Opaque != ""
			if want := c.File.Path == "app.env"; opaque != want {
				t.Errorf("load %d: %s opaque=%v (%q)", i, c.File.Path, opaque, c.File.Opaque)
			}
		}
	}
	if cache.Copies() < 4 {
		t.Errorf("%d copies from the cache", cache.Copies())
	}
}

// Every corpus file's tree, joined with gonginx, and its copy for the
// parse cache are the same tree. (FuzzParse checks the same on arbitrary
// bytes.)
func TestCopyParseIsTheTree(t *testing.T) {
	root := sharedtest.Path(t, "corpus", "nginx")
	n := 0
	err := filepath.WalkDir(root, func(path string, e os.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		c := parseNoPanic(t, path, path, src)
		if c == nil {
			return nil
		}
		_ = c.GonginxErr()
		if want, got := treeDump(c), treeDump(c.copyParse(*c.File, c.Diagnostics[:c.parseDiags])); want != got {
			t.Errorf("%s: the copy differs:\n%s", path, sharedtest.FirstDiff(want, got))
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 300 {
		t.Fatalf("only %d corpus files", n)
	}
}

// treeDump writes everything a parse gives a file's tree: each
// directive's fields, its gonginx node, and the file's diagnostics,
// comments and contexts.
func treeDump(c *Config) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %q comments=%d diags=%v cut=%d deep=%v joinedAll=%v gerr=%v\n", c.File.Path, c.File.Opaque,
		len(c.File.Comments), c.Diagnostics, c.cutDepth, c.tooDeep, c.joinedAll, c.gonginxErr)
	for _, cm := range c.File.Comments {
		fmt.Fprintf(&b, "comment %q %v %v\n", cm.Text, cm.Span, cm.Alone)
	}
	Walk(c, func(d *Directive) bool {
		parent := "none"
		if d.Parent != nil {
			parent = fmt.Sprintf("%v in this tree: %v", d.Parent.Span(), d.Parent.Config == c)
		}
		lua := "<nil>"
		if a := d.Lua(); a != nil {
			lua = fmt.Sprintf("[%q %q %v file=%v]", a.Value, a.Raw(), a.Span(), sameText(a.file, c.File))
		}
		fmt.Fprintf(&b, "%s id=%d %v %v %v/%d/%v %v lua=%s ctx=%v node=%T parent=%s config=%v", d.Name, d.id, d.NameSpan(), d.Span(), d.HasBlock,
			len(d.Block), d.Block == nil, d.Terminated, lua, d.Context(), c.nodes[d], parent, d.Config == c)
		for _, a := range d.Args {
			fmt.Fprintf(&b, " [%q %q %d %v file=%v]", a.Value, a.Raw(), a.Quote, a.Span(), sameText(a.file, c.File))
		}
		b.WriteByte('\n')
		return true
	})
	return b.String()
}

// sameText reports whether an argument's file is the tree's, or a copy
// of it with the same path and the same bytes (a cached tree's copy
// shares its arguments, and they keep the parse's File).
func sameText(f, g *source.File) bool {
	return f != nil && g != nil && f.Path == g.Path && len(f.Src) == len(g.Src) &&
		(len(f.Src) == 0 || &f.Src[0] == &g.Src[0])
}

// An edited file is parsed again, and its blocks are joined with gonginx
// again; a block whose text is unchanged, wherever it now starts, gets the
// parse gonginx gave it before, joined as a fresh parse would be.
func TestParseCacheJoinsUnchangedBlocksOnce(t *testing.T) {
	block := func(i int) string {
		return fmt.Sprintf("upstream u%d {\n    server 127.0.0.1:%d weight=2 max_fails=3;\n    server 10.0.0.%d:80 backup;\n}\n", i, 3000+i, i)
	}
	var v1 strings.Builder
	for i := range 20 {
		v1.WriteString(block(i))
	}
	// The edit adds a line to the first block: every later block moves down.
	v2 := strings.Replace(v1.String(), "    server 10.0.0.0:80 backup;\n", "    server 10.0.0.0:80 backup;\n    keepalive 8;\n", 1)
	dir := sharedtest.Tree(t, map[string]string{"a.conf": v1.String()})
	path := filepath.Join(dir, "a.conf")
	cache := &ParseCache{}
	load := func(c *ParseCache) *Config {
		l := newLoader(dir)
		l.Cache = c
		cfg, err := l.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		Walk(cfg, func(d *Directive) bool { _ = d.Node(); return true })
		return cfg
	}
	nodes := func(c *Config) (out []string, ptrs []any) {
		Walk(c, func(d *Directive) bool {
			node := c.nodes[d]
			line := fmt.Sprintf("%s@%d %T", d.Name, d.Span().Start.Line, node)
			if node != nil {
				line += fmt.Sprintf(" %s %v", node.GetName(), node.GetParameters())
			}
			out = append(out, line)
			ptrs = append(ptrs, node)
			return true
		})
		return out, ptrs
	}
	_, before := nodes(load(cache))
	cache.Sweep()
	if err := os.WriteFile(path, []byte(v2), 0o644); err != nil {
		t.Fatal(err)
	}
	got, after := nodes(load(cache))
	want, _ := nodes(load(nil))
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		t.Fatalf("the joins after the edit differ from a fresh load's:\n%s", sharedtest.FirstDiff(w, g))
	}
	// v2's directives are v1's with one keepalive added in the first block.
	if len(after) != len(before)+1 {
		t.Fatalf("%d directives after the edit, %d before", len(after), len(before))
	}
	for i := range before {
		j := i
		if i >= 3 {
			j = i + 1 // past the keepalive
		}
		reused := after[j] == before[i]
		if wantReused := i >= 3; reused != wantReused { // u0 and its two servers: the edited block
			t.Errorf("directive %d (%s): node reused=%v, want %v", j, got[j], reused, wantReused)
		}
	}
	if before[0] == nil || after[0] == nil {
		t.Fatal("the upstream blocks were not joined")
	}
}

// An Exclusive cache hands a tree out again itself once a Sweep has ended
// the generation that had it, and resets what the last load linked into
// it: a file included by another, then linted alone, then included again
// gets each time the links of a load without the cache. Within one
// generation a second load gets a copy, and the first keeps its links.
func TestParseCacheExclusiveRelinks(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{
		"main.conf":   "events {}\nhttp {\n    include a.conf;\n    include secrets.env;\n    include missing.conf;\n}\n",
		"a.conf":      "server {\n    listen 80;\n    location / { include b.conf; }\n}\n",
		"b.conf":      "proxy_pass http://127.0.0.1:3000;\n",
		"secrets.env": "API_KEY=abc\n",
	})
	sharedtest.Date(t, time.Now().Add(-time.Hour), dir, "main.conf", "a.conf", "b.conf", "secrets.env")
	cache := &ParseCache{Exclusive: true}
	load := func(cache *ParseCache, name string) map[string]*Config {
		l := newLoader(dir)
		l.Cache = cache
		if _, err := l.Load(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
		l.Resolve()
		out := map[string]*Config{}
		for _, c := range l.Configs() {
			out[c.File.Path] = c
		}
		return out
	}
	first := load(cache, "main.conf")
	firstDump := linkDump(first)
	filesOf := func(cs map[string]*Config) map[string]*source.File {
		out := map[string]*source.File{}
		for p, c := range cs {
			out[p] = c.File
		}
		return out
	}
	last, lastFiles := first, filesOf(first)
	for i, name := range []string{"a.conf", "main.conf", "b.conf", "main.conf"} {
		cache.Sweep()
		got := load(cache, name)
		if want := linkDump(load(nil, name)); linkDump(got) != want {
			t.Fatalf("load %d (%s) from the cache:\n%s", i, name, sharedtest.FirstDiff(want, linkDump(got)))
		}
		// A file the last generation loaded comes back as the same tree
		// (one it did not load was forgotten by the Sweep).
		// Its File is new: the last load's File, which that load's
		// results point at, is never written again.
		for path, c := range got {
			if prev := last[path]; prev != nil && prev != c {
				t.Errorf("load %d (%s): %s is a new tree, want the cache's own", i, name, path)
			}
			if f := lastFiles[path]; f != nil && f == c.File {
				t.Errorf("load %d (%s): %s kept the last load's File", i, name, path)
			}
		}
		last, lastFiles = got, filesOf(got)
	}
	// Two loads in one generation: the second gets copies, and the
	// first's trees keep their links.
	cache.Sweep()
	one := load(cache, "main.conf")
	oneDump := linkDump(one)
	two := load(cache, "a.conf")
	if one["a.conf"] == two["a.conf"] {
		t.Error("a second load in one generation got the first one's tree")
	}
	if linkDump(one) != oneDump || oneDump != firstDump {
		t.Errorf("the first load's links changed:\n%s", sharedtest.FirstDiff(firstDump, linkDump(one)))
	}
}

// linkDump writes what loading links into trees: each file's File
// annotations, implied context, includers, sites and diagnostics, and
// each directive's context and included files.
func linkDump(cs map[string]*Config) string {
	var names []string
	for n := range cs {
		names = append(names, n)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, n := range names {
		c := cs[n]
		fmt.Fprintf(&b, "%s opaque=%q implied=%v diags=%v top=%v\n", n, c.File.Opaque, c.Implied, c.Diagnostics, c.top)
		for _, inc := range c.IncludedBy {
			fmt.Fprintf(&b, "  included by %s at %v\n", inc.Config.File.Path, inc.Span())
		}
		for _, s := range c.Sites() {
			fmt.Fprintf(&b, "  site %s via %d\n", s.Root.File.Path, len(s.Via))
		}
		Walk(c, func(d *Directive) bool {
			fmt.Fprintf(&b, "  %s %v ctx=%v", d.Name, d.Span().Start, d.Context())
			for _, i := range d.Includes() {
				fmt.Fprintf(&b, " -> %s", i.File.Path)
			}
			b.WriteByte('\n')
			return true
		})
	}
	return b.String()
}
