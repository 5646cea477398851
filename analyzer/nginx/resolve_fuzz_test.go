package nginx

import (
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// FuzzResolve: include resolution over a virtual file set (as for an
// nginx -T dump: the disk is never read) never panics or loops, loads
// each file once, and links every include to a loaded file whose
// IncludedBy names it back. An Exclusive parse cache, which hands the
// same trees to the next load relinked, gives each load of a sequence
// with other roots the links of a fresh load. Seeds live in
// testdata/fuzz/FuzzResolve.
func FuzzResolve(f *testing.F) {
	f.Add([]byte("http { include conf.d/*.conf; }\n"), []byte("server { include /etc/nginx/conf.d/a.conf; }\n"))
	f.Fuzz(func(t *testing.T, main, inc []byte) {
		load := func(cache *ParseCache, root string) *Loader {
			l := &Loader{Virtual: true, Cache: cache, Overlay: map[string][]byte{
				"/etc/nginx/nginx.conf":    main,
				"/etc/nginx/conf.d/a.conf": inc,
				"/etc/nginx/conf.d/b.conf": inc,
			}}
			if _, err := l.Load(root); err != nil {
				t.Fatal(err)
			}
			l.Resolve()
			return l
		}
		byPath := func(l *Loader) map[string]*Config {
			out := map[string]*Config{}
			for _, c := range l.Configs() {
				out[c.File.Abs] = c
			}
			return out
		}
		cache := &ParseCache{Exclusive: true}
		for _, root := range []string{"/etc/nginx/nginx.conf", "/etc/nginx/conf.d/a.conf", "/etc/nginx/nginx.conf"} {
			got, want := linkDump(byPath(load(cache, root))), linkDump(byPath(load(nil, root)))
			if got != want {
				t.Fatalf("loading %s from the cache:\n%s", root, sharedtest.FirstDiff(want, got))
			}
			cache.Sweep()
		}
		l := load(nil, "/etc/nginx/nginx.conf")
		loaded := map[*Config]bool{}
		seen := map[string]bool{}
		for _, c := range l.Configs() {
			if seen[c.File.Abs] {
				t.Fatalf("%s loaded twice", c.File.Abs)
			}
			seen[c.File.Abs], loaded[c] = true, true
		}
		for _, c := range l.Configs() {
			Walk(c, func(d *Directive) bool {
				for _, target := range d.Includes() {
					if !loaded[target] {
						t.Fatalf("%s includes a file the loader does not list", c.File.Abs)
					}
					back := false
					for _, by := range target.IncludedBy {
						back = back || by == d
					}
					if !back {
						t.Fatalf("%s: include not in its target's IncludedBy", c.File.Abs)
					}
				}
				return true
			})
		}
	})
}
