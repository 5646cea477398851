package nginx

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// A snippet included from a server and from a location is in two
// contexts; Context answers for the first, ContextIn for each.
func TestSitesOfSnippetIncludedTwice(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{
		"nginx.conf":      "events {}\nhttp {\n    server {\n        include snippets/h.conf;\n        location / {\n            include snippets/h.conf;\n        }\n    }\n}\n",
		"snippets/h.conf": "add_header X-A 1;\nif ($x) { return 403; }\n",
	})
	l := newLoader(dir)
	load(t, l, filepath.Join(dir, "nginx.conf"))
	l.Resolve()
	var snip *Config
	for _, c := range l.Configs() {
		if strings.HasSuffix(c.File.Path, "h.conf") {
			snip = c
		}
	}
	if snip == nil {
		t.Fatal("snippet not loaded")
	}
	sites := snip.Sites()
	if len(sites) != 2 {
		t.Fatalf("%d sites, want 2", len(sites))
	}
	ah := snip.Directives[0]
	var got []string
	for _, s := range sites {
		got = append(got, strings.Join(ah.ContextIn(s), "/"))
		if s.Root.File.Path != "nginx.conf" || len(s.Via) != 1 {
			t.Errorf("site root %s via %d", s.Root.File.Path, len(s.Via))
		}
	}
	if want := []string{"http/server", "http/server/location"}; !reflect.DeepEqual(got, want) {
		t.Errorf("contexts per site %q, want %q", got, want)
	}
	if c := ah.Context(); strings.Join(c, "/") != "http/server" {
		t.Errorf("Context %q", c)
	}
	ret := snip.Directives[1].Block[0]
	if c := ret.ContextIn(sites[1]); strings.Join(c, "/") != "http/server/location/if" {
		t.Errorf("nested ContextIn %q", c)
	}
	if e := ret.EnclosingIn(sites[1], "location"); e == nil || e.Span().Start.Line != 5 {
		t.Errorf("EnclosingIn location = %v", e)
	}
	if e := ret.EnclosingIn(sites[0], "location"); e != nil {
		t.Errorf("first site has no location, got %v", e.Span())
	}
	if rel := sites[1].Related(); len(rel) != 1 || rel[0].Span.Start.Line != 6 {
		t.Errorf("related %v", rel)
	}
}

// Context must not allocate: rules call it for every directive.
func TestContextDoesNotAllocate(t *testing.T) {
	c := parseString("http { server { location / { return 200; } } }")
	d := c.Directives[0].Block[0].Block[0].Block[0]
	if n := testing.AllocsPerRun(100, func() { _ = d.Context(); _ = d.InnerContext(); _ = d.Module() }); n != 0 {
		t.Errorf("Context allocates %v times per call", n)
	}
	if got := strings.Join(d.Context(), "/"); got != "http/server/location" {
		t.Errorf("Context %q", got)
	}
}

// Linking a file again with the top context it was linked with keeps its
// blocks' contexts (the loader links every file twice: alone when it is
// parsed, then with its includes); a new top context sets them anew.
func TestRelinkKeepsContextsOfTheSameTop(t *testing.T) {
	c := parseString("server { location / { return 200; } }")
	loc := c.Directives[0].Block[0]
	before := loc.Parent.inner
	link([]*Config{c})
	if loc.Parent.inner != before {
		t.Error("linking with the same top context made the block contexts again")
	}
	c.Implied = []string{"http"}
	link([]*Config{c})
	if got := strings.Join(loc.Context(), "/"); got != "http/server" {
		t.Errorf("after a new top context, Context %q, want http/server", got)
	}
	c.Implied = nil
	link([]*Config{c})
	if got := strings.Join(loc.Context(), "/"); got != "server" {
		t.Errorf("back to no top context, Context %q, want server", got)
	}
}
