package nginx

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// A server's listens may come from a file it includes: the server model's
// part of the including file depends on that file too, and is made again
// when it changes, though the including file's tree comes back from an
// Exclusive cache unchanged; when nothing changed, the part is used again.
func TestPartsFollowTheIncludedFiles(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{
		"main.conf":   "events {}\nhttp {\n    server {\n        include listen.conf;\n        server_name a.example;\n    }\n}\n",
		"listen.conf": "listen 8080;\n",
	})
	cache := &ParseCache{Exclusive: true}
	base := time.Now().Add(-time.Hour)
	var last *VirtualServer
	for i, step := range []struct {
		listen string
		port   int
		reused bool
	}{
		{"listen 8080;\n", 8080, false},
		{"listen 8080;\n", 8080, true},
		{"listen 9090;\n", 9090, false},
		{"listen 9090;\n", 9090, true},
	} {
		if err := os.WriteFile(filepath.Join(dir, "listen.conf"), []byte(step.listen), 0o644); err != nil {
			t.Fatal(err)
		}
		sharedtest.Date(t, base.Add(time.Duration(i)*time.Second), dir, "main.conf", "listen.conf")
		l := newLoader(dir)
		l.Cache = cache
		if _, err := l.Load(filepath.Join(dir, "main.conf")); err != nil {
			t.Fatal(err)
		}
		l.Resolve()
		servers := Servers(l.Configs())
		cache.Sweep()
		if len(servers) != 1 || len(servers[0].Listens) != 1 || servers[0].Listens[0].Port != step.port {
			t.Fatalf("step %d: servers %+v, want one listening on %d", i, servers, step.port)
		}
		if reused := servers[0] == last; reused != step.reused {
			t.Errorf("step %d: the server's part reused=%v, want %v", i, reused, step.reused)
		}
		last = servers[0]
	}
}

// A file keeps one part per model while it stays linked as it was, each
// found again under its own key and replaced by a later one of the same
// key; linked otherwise, it has none, and the first part stored under the
// new links drops those of the old.
func TestPartStoreByModel(t *testing.T) {
	c := Parse(source.NewFile("a.conf", "", source.KindNginx, []byte("events {}\n")))
	type k1 struct{}
	type k2 struct{}
	get := func(k any) any {
		v, ok := c.ModelPart(k)
		if !ok {
			return nil
		}
		return v
	}
	c.SetModelPart(k1{}, "one")
	c.SetModelPart(k2{}, "two")
	c.SetModelPart(k1{}, "one again")
	if get(k1{}) != "one again" || get(k2{}) != "two" {
		t.Fatalf("parts %v %v, want one again, two", get(k1{}), get(k2{}))
	}
	c.top = []string{"http"} // linked otherwise
	if get(k1{}) != nil || get(k2{}) != nil {
		t.Fatalf("parts kept under other links: %v %v", get(k1{}), get(k2{}))
	}
	c.SetModelPart(k2{}, "two, in http")
	if get(k2{}) != "two, in http" || get(k1{}) != nil {
		t.Fatalf("parts %v %v, want nothing and two, in http", get(k1{}), get(k2{}))
	}
	c.top = nil
	if get(k1{}) != nil || get(k2{}) != nil {
		t.Fatalf("parts after the links came back: %v %v, want none", get(k1{}), get(k2{}))
	}
}
