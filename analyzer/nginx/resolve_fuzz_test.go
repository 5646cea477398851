package nginx

import (
	"testing"
)

// FuzzResolve: include resolution over a virtual file set (as for an
// nginx -T dump: the disk is never read) never panics or loops, loads
// each file once, and links every include to a loaded file whose
// IncludedBy names it back. Seeds live in testdata/fuzz/FuzzResolve.
func FuzzResolve(f *testing.F) {
	f.Add([]byte("http { include conf.d/*.conf; }\n"), []byte("server { include /etc/nginx/conf.d/a.conf; }\n"))
	f.Fuzz(func(t *testing.T, main, inc []byte) {
		l := &Loader{Virtual: true, Overlay: map[string][]byte{
			"/etc/nginx/nginx.conf":    main,
			"/etc/nginx/conf.d/a.conf": inc,
			"/etc/nginx/conf.d/b.conf": inc,
		}}
		if _, err := l.Load("/etc/nginx/nginx.conf"); err != nil {
			t.Fatal(err)
		}
		l.Resolve()
		loaded := map[*Config]bool{}
		byPath := map[string]bool{}
		for _, c := range l.Configs() {
			if byPath[c.File.Abs] {
				t.Fatalf("%s loaded twice", c.File.Abs)
			}
			byPath[c.File.Abs], loaded[c] = true, true
		}
		for _, c := range l.Configs() {
			Walk(c, func(d *Directive) bool {
				for _, target := range d.Includes {
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
