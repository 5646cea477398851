package catalog

import (
	"strings"
	"testing"
)

var labels = map[string]bool{
	Main: true, Events: true, HTTP: true, Server: true, Location: true,
	IfInServer: true, IfInLocation: true, LimitExcept: true, Upstream: true,
	Stream: true, StreamServer: true, StreamUpstream: true, Mail: true, Any: true,
}

// The table is hand-written: every entry must be well-formed, and every
// context one of the labels Label can produce.
func TestTableIsWellFormed(t *testing.T) {
	if n := len(All()); n < 120 {
		t.Errorf("%d directives, want at least 120", n)
	}
	seen := map[string]bool{}
	for _, d := range All() {
		if d.Name == "" || d.Module == "" || d.Summary == "" || len(d.Contexts) == 0 {
			t.Errorf("incomplete entry %+v", d)
		}
		if !strings.HasPrefix(d.Syntax, d.Name+" ") && d.Syntax != d.Name+";" {
			t.Errorf("%s: syntax %q does not start with the name", d.Name, d.Syntax)
		}
		if !strings.HasSuffix(d.Syntax, ";") && !d.Block() {
			t.Errorf("%s: syntax %q ends neither in ';' nor in a block", d.Name, d.Syntax)
		}
		for _, c := range d.Contexts {
			if !labels[c] {
				t.Errorf("%s: unknown context %q", d.Name, c)
			}
		}
		key := d.Name + "/" + strings.Join(d.Contexts, ",")
		if seen[key] {
			t.Errorf("duplicate entry %s", key)
		}
		seen[key] = true
	}
	for _, need := range []string{"worker_connections", "proxy_pass", "fastcgi_pass", "ssl_certificate", "access_log", "upstream", "keepalive", "listen"} {
		if Lookup(need) == nil {
			t.Errorf("%s missing", need)
		}
	}
}

func TestLabel(t *testing.T) {
	for _, c := range []struct {
		path []string
		want string
	}{
		{nil, Main},
		{[]string{"events"}, Events},
		{[]string{"http"}, HTTP},
		{[]string{"http", "server"}, Server},
		{[]string{"http", "server", "if"}, IfInServer},
		{[]string{"http", "server", "location", "if"}, IfInLocation},
		{[]string{"http", "server", "location", "location"}, Location},
		{[]string{"http", "upstream"}, Upstream},
		{[]string{"stream", "server"}, StreamServer},
		{[]string{"stream", "upstream"}, StreamUpstream},
		{[]string{"http", "map"}, ""},
		{[]string{"http", "http"}, ""},
	} {
		if got := Label(c.path); got != c.want {
			t.Errorf("Label(%v) = %q, want %q", c.path, got, c.want)
		}
	}
}

// The same name means different things per context: For must pick the
// entry valid where the directive stands.
func TestForPicksTheEntryOfTheContext(t *testing.T) {
	if d := For("server", Upstream); d == nil || d.Block() || d.Module != "upstream" {
		t.Errorf("server in upstream: %+v", d)
	}
	if d := For("server", HTTP); d == nil || !d.Block() || d.Module != "http" {
		t.Errorf("server in http: %+v", d)
	}
	if d := For("proxy_pass", StreamServer); d == nil || d.Module != "stream" {
		t.Errorf("proxy_pass in stream server: %+v", d)
	}
	if d := For("proxy_pass", Location); d == nil || d.Module != "proxy" {
		t.Errorf("proxy_pass in location: %+v", d)
	}
	if For("no_such_directive", HTTP) != nil {
		t.Error("unknown name found")
	}
}

func TestInContext(t *testing.T) {
	names := func(ctx string) map[string]bool {
		m := map[string]bool{}
		for _, d := range InContext(ctx) {
			if m[d.Name] {
				t.Errorf("%s listed twice in %s", d.Name, ctx)
			}
			m[d.Name] = true
		}
		return m
	}
	up := names(Upstream)
	if !up["server"] || !up["keepalive"] || up["proxy_pass"] || up["listen"] {
		t.Errorf("upstream context: %v", up)
	}
	ev := names(Events)
	if !ev["worker_connections"] || ev["http"] || !ev["include"] {
		t.Errorf("events context: %v", ev)
	}
	loc := names(Location)
	if !loc["proxy_pass"] || !loc["alias"] || loc["listen"] || loc["upstream"] {
		t.Errorf("location context: %v", loc)
	}
}

func TestVariables(t *testing.T) {
	vs := Variables()
	if len(vs) < 50 {
		t.Fatalf("%d variables", len(vs))
	}
	have := map[string]bool{}
	for i, v := range vs {
		if v.Summary == "" || strings.ContainsAny(v.Name, "$ |") {
			t.Errorf("bad variable %+v", v)
		}
		if i > 0 && vs[i-1].Name >= v.Name {
			t.Errorf("not sorted or duplicate at %s", v.Name)
		}
		have[v.Name] = true
	}
	for _, n := range []string{"host", "remote_addr", "proxy_add_x_forwarded_for", "http_", "upstream_addr"} {
		if !have[n] {
			t.Errorf("$%s missing", n)
		}
	}
}
