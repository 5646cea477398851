package nginx

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
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
