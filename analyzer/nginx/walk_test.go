package nginx

import (
	"strings"
	"testing"
)

// WalkExpanded visits in nginx's reading order, an include's files in its
// place, and skips what fn declines (a block, or an include's files).
func TestWalkExpanded(t *testing.T) {
	l := &Loader{Virtual: true, Overlay: map[string][]byte{
		"/etc/nginx/nginx.conf": []byte("a; include /etc/nginx/inc.conf; http { b; skip { c; } d; } e;\n"),
		"/etc/nginx/inc.conf":   []byte("i1; i2 { i3; }\n"),
	}}
	c := load(t, l, "/etc/nginx/nginx.conf")
	l.Resolve()
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
