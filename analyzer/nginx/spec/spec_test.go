package spec

import (
	"slices"
	"strings"
	"testing"
)

func mustVersion(t *testing.T, s string) Version {
	t.Helper()
	v, err := ParseVersion(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// entry returns the entry of name from source in module (module "" for
// any), failing when there is none.
func entry(t *testing.T, name, source, module string) *Directive {
	t.Helper()
	for _, d := range Lookup(name) {
		if d.Source == source && (module == "" || d.Module == module) {
			return d
		}
	}
	t.Fatalf("no %s entry for %q (module %q)", source, name, module)
	return nil
}

// Facts picked by hand from nginx's reference and CHANGES (and checked
// against the release tags of github.com/nginx/nginx): each names the
// page it comes from. They pin the generator's reading of the sources.
func TestDocumentedFacts(t *testing.T) {
	for _, c := range []struct {
		name, module string
		since, until string // "" for none
		contexts     []string
		why          string
	}{
		// ngx_http_v2_module: "This directive appeared in version 1.25.1."
		{"http2", "ngx_http_v2_module", "1.25.1", "", []string{"http", "server"}, "http2 directive"},
		// CHANGES 1.25.1: "the deprecated ssl directive is not supported anymore".
		{"ssl", "ngx_http_ssl_module", "0.1.0", "1.25.1", []string{"http", "server"}, "http ssl removed"},
		{"ssl", "ngx_mail_ssl_module", "", "1.25.1", []string{"mail", "mail server"}, "mail ssl removed"},
		// CHANGES 1.25.1: "HTTP/2 server push support has been removed".
		{"http2_push", "ngx_http_v2_module", "1.13.9", "1.25.1", []string{"http", "server", "location"}, "server push"},
		{"http2_push_preload", "ngx_http_v2_module", "1.13.9", "1.25.1", nil, "server push"},
		// CHANGES 1.9.5: the ngx_http_spdy_module was superseded by ngx_http_v2_module.
		{"spdy_chunk_size", "ngx_http_spdy_module", "1.5.9", "1.9.5", nil, "spdy"},
		{"spdy_headers_comp", "ngx_http_spdy_module", "1.3.15", "1.9.5", nil, "spdy"},
		// ngx_http_headers_module: add_header_inherit "appeared in version 1.29.3".
		{"add_header_inherit", "ngx_http_headers_filter_module", "1.29.3", "", []string{"http", "server", "location", "if in location"}, "add_header_inherit"},
		// ngx_http_proxy_module: proxy_pass, "Context: location, if in location, limit_except".
		{"proxy_pass", "ngx_http_proxy_module", "0.1.0", "", []string{"location", "if in location", "limit_except"}, "http proxy_pass"},
		// ngx_stream_proxy_module: proxy_pass, "Context: server"; the stream module appeared in 1.9.0.
		{"proxy_pass", "ngx_stream_proxy_module", "1.9.0", "", []string{"stream server"}, "stream proxy_pass"},
		// ngx_stream_core_module: listen, "Context: server".
		{"listen", "ngx_stream_core_module", "1.9.0", "", []string{"stream server"}, "stream listen"},
		// ngx_http_core_module: listen, "Context: server".
		{"listen", "ngx_http_core_module", "", "", []string{"server"}, "http listen"},
		// ngx_core_module: worker_processes, "Context: main".
		{"worker_processes", "ngx_core_module", "", "", []string{"main"}, "main only"},
		// ngx_http_upstream_module: keepalive "appeared in version 1.1.4", "Context: upstream".
		{"keepalive", "ngx_http_upstream_keepalive_module", "1.1.4", "", []string{"upstream"}, "upstream keepalive"},
		// ngx_http_core_module: limit_except, "Context: location".
		{"limit_except", "ngx_http_core_module", "", "", []string{"location"}, "limit_except"},
		// ngx_http_rewrite_module: return, "Context: server, location, if".
		{"return", "ngx_http_rewrite_module", "", "", []string{"server", "location", "if in server", "if in location"}, "return"},
	} {
		d := entry(t, c.name, "nginx", c.module)
		if c.since != "" && d.Since != mustVersion(t, c.since) {
			t.Errorf("%s (%s): since %v, want %s", c.name, c.why, d.Since, c.since)
		}
		if c.until == "" && !d.Until.IsZero() {
			t.Errorf("%s (%s): removed in %v, want current", c.name, c.why, d.Until)
		}
		if c.until != "" && d.Until != mustVersion(t, c.until) {
			t.Errorf("%s (%s): until %v, want %s", c.name, c.why, d.Until, c.until)
		}
		if c.contexts != nil && !slices.Equal(d.ContextLabels(), c.contexts) {
			t.Errorf("%s (%s): contexts %v, want %v", c.name, c.why, d.ContextLabels(), c.contexts)
		}
	}
}

func TestHasFollowsVersions(t *testing.T) {
	http2 := entry(t, "http2", "nginx", "ngx_http_v2_module")
	ssl := entry(t, "ssl", "nginx", "ngx_http_ssl_module")
	for _, c := range []struct {
		d    *Directive
		v    string
		want bool
	}{
		{http2, "1.25.0", false}, {http2, "1.25.1", true}, {http2, "1.26.2", true},
		{ssl, "1.24.0", true}, {ssl, "1.25.0", true}, {ssl, "1.25.1", false},
	} {
		if got := c.d.Has(mustVersion(t, c.v)); got != c.want {
			t.Errorf("%s.Has(%s) = %t, want %t", c.d.Name, c.v, got, c.want)
		}
	}
}

// OpenResty's lua-nginx-module README: content_by_lua_block, "context:
// location, location if", since v0.9.17; stream-lua's is in stream server.
func TestThirdPartyEntries(t *testing.T) {
	d := entry(t, "content_by_lua_block", "lua-nginx-module", "ngx_http_lua_module")
	if got := d.ContextLabels(); !slices.Equal(got, []string{"location", "if in location"}) {
		t.Errorf("content_by_lua_block contexts %v", got)
	}
	if d.ModSince != "v0.9.17" || !d.Args.Block {
		t.Errorf("content_by_lua_block: since %q, block %t", d.ModSince, d.Args.Block)
	}
	s := entry(t, "content_by_lua_block", "stream-lua-nginx-module", "")
	if got := s.ContextLabels(); !slices.Equal(got, []string{"stream server"}) {
		t.Errorf("stream content_by_lua_block contexts %v", got)
	}
	// headers-more: more_set_headers, "context: http, server, location, location if".
	m := entry(t, "more_set_headers", "headers-more-nginx-module", "")
	if got := m.ContextLabels(); !slices.Equal(got, []string{"http", "server", "location", "if in location"}) {
		t.Errorf("more_set_headers contexts %v", got)
	}
	// njs: js_content, "Context: location, if in location, limit_except".
	j := entry(t, "js_content", "njs", "ngx_http_js_module")
	if got := j.ContextLabels(); !slices.Equal(got, []string{"location", "if in location", "limit_except"}) {
		t.Errorf("js_content contexts %v", got)
	}
}

// The official tree has about 650 current directives (nginx.org's
// directive index lists some 700 including the commercial ones).
func TestCoverage(t *testing.T) {
	count := map[string]map[string]bool{}
	for _, d := range All() {
		if d.Current() {
			if count[d.Source] == nil {
				count[d.Source] = map[string]bool{}
			}
			count[d.Source][d.Name] = true
		}
	}
	for src, lo := range map[string]int{"nginx": 620, "lua-nginx-module": 70, "stream-lua-nginx-module": 40, "headers-more-nginx-module": 4, "njs": 25} {
		if n := len(count[src]); n < lo || n > lo*3/2 {
			t.Errorf("%s: %d current directives, want about %d", src, n, lo)
		}
	}
	for _, d := range All() {
		if d.Contexts == 0 {
			t.Errorf("%s (%s): no context", d.Name, d.Module)
		}
		if d.Source == "nginx" && d.Since.IsZero() {
			t.Errorf("%s (%s): no since", d.Name, d.Module)
		}
		if d.Source != "nginx" && d.ModSince == "" {
			t.Errorf("%s (%s): no module since", d.Name, d.Module)
		}
	}
}

func TestArity(t *testing.T) {
	for _, c := range []struct {
		name, module string
		want         Arity
	}{
		{"gzip", "ngx_http_gzip_filter_module", Arity{Min: 1, Max: 1, Flag: true}},
		{"http", "ngx_http_module", Arity{Block: true}},
		{"location", "ngx_http_core_module", Arity{Min: 1, Max: 2, Block: true}},
		{"add_header", "ngx_http_headers_filter_module", Arity{Min: 2, Max: 3}},
		{"listen", "ngx_http_core_module", Arity{Min: 1, Max: -1}},
	} {
		if got := entry(t, c.name, "nginx", c.module).Args; got != c.want {
			t.Errorf("%s: arity %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestForPicksByPath(t *testing.T) {
	if d := For("server", []string{"http", "upstream"}); d == nil || d.Module != "ngx_http_upstream_module" || d.Args.Block {
		t.Errorf("server in upstream: %+v", d)
	}
	if d := For("server", []string{"http"}); d == nil || !d.Args.Block {
		t.Errorf("server in http: %+v", d)
	}
	if d := For("proxy_pass", []string{"stream", "server"}); d == nil || d.Module != "ngx_stream_proxy_module" {
		t.Errorf("proxy_pass in stream server: %+v", d)
	}
	if For("no_such_directive", nil) != nil {
		t.Error("unknown name found")
	}
}

func TestAllowedInAndInContext(t *testing.T) {
	pp := entry(t, "proxy_pass", "nginx", "ngx_http_proxy_module")
	for _, c := range []struct {
		path      string
		ok, known bool
	}{
		{"http server location", true, true},
		{"http server location if", true, true},
		{"http server location limit_except", true, true},
		{"http server", false, true},
		{"http server if", false, true},
		{"http map", false, false},
	} {
		ok, known := pp.AllowedIn(strings.Fields(c.path))
		if ok != c.ok || known != c.known {
			t.Errorf("proxy_pass in %q: %t %t, want %t %t", c.path, ok, known, c.ok, c.known)
		}
	}
	names := map[string]bool{}
	for _, d := range InContext([]string{"http", "upstream"}) {
		names[d.Name] = true
	}
	if !names["keepalive"] || !names["server"] || names["proxy_pass"] || names["listen"] {
		t.Errorf("upstream context: %v", names)
	}
	if InContext([]string{"http", "types"}) != nil {
		t.Error("types is not a directive context")
	}
}

func TestVariables(t *testing.T) {
	// $http_user_agent has its own entry; other headers fall to the "http_" family.
	if v := LookupVariable("http_x_api_key"); v == nil || !v.Prefix || v.Name != "http_" {
		t.Errorf("http_x_api_key: %+v", v)
	}
	// ngx_http_core_module: $request_id "appeared in version 1.11.0".
	if v := LookupVariable("request_id"); v == nil || v.Since != (Version{1, 11, 0}) {
		t.Errorf("request_id: %+v", v)
	}
	if v := LookupVariableIn("remote_addr", "stream"); v == nil || !v.Stream() {
		t.Errorf("stream remote_addr: %+v", v)
	}
	if LookupVariable("no_such_variable_x") != nil {
		t.Error("unknown variable found")
	}
}

func TestParseVersion(t *testing.T) {
	for in, want := range map[string]Version{"1.25.1": {1, 25, 1}, "1.27": {1, 27, 0}, "release-1.9.5": {1, 9, 5}, "v0.10.26": {0, 10, 26}} {
		if got, err := ParseVersion(in); err != nil || got != want {
			t.Errorf("ParseVersion(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "1", "1.x", "1.2.3.4", "1.-2", "1.2.", ".1.2", "1..2", "1.+2"} {
		if _, err := ParseVersion(bad); err == nil {
			t.Errorf("ParseVersion(%q) accepted", bad)
		}
	}
}

// Repeat follows the set handler: ngx_conf_set_flag_slot and the other
// scalar slots fail a second occurrence with "is duplicate" (gzip,
// keepalive_timeout), root's and proxy_pass's own handlers do too, the
// array slot adds (ssl_certificate: one per key type since 1.11.0), and a
// module handler that never says "is duplicate" stays unknown (listen,
// add_header).
func TestRepeat(t *testing.T) {
	for _, c := range []struct {
		name, module string
		want         Repeat
	}{
		{"gzip", "ngx_http_gzip_filter_module", RepeatRejected},
		{"keepalive_timeout", "ngx_http_core_module", RepeatRejected},
		{"root", "ngx_http_core_module", RepeatRejected},
		{"proxy_pass", "ngx_http_proxy_module", RepeatRejected},
		{"ssl_certificate", "ngx_http_ssl_module", RepeatAllowed},
		{"proxy_hide_header", "ngx_http_proxy_module", RepeatAllowed},
		{"listen", "ngx_http_core_module", RepeatUnknown},
		{"add_header", "ngx_http_headers_filter_module", RepeatUnknown},
	} {
		if got := entry(t, c.name, "nginx", c.module).Repeat; got != c.want {
			t.Errorf("%s: repeat %v, want %v", c.name, got, c.want)
		}
	}
}

// LookupAt answers from a table built once per release: for every name
// and a spread of releases it must give Lookup's entries that Has keeps,
// in order.
func TestLookupAtIsLookupFilteredByHas(t *testing.T) {
	versions := []Version{{}, {Major: 0, Minor: 7, Patch: 0}, {Major: 1, Minor: 22, Patch: 1},
		{Major: 1, Minor: 25, Patch: 1}, Latest, {Major: 1, Minor: 29, Patch: 3}, {Major: 9, Minor: 0, Patch: 0}}
	names := map[string]bool{"no_such_directive": true}
	for _, d := range All() {
		names[d.Name] = true
	}
	for _, v := range append(versions, versions...) { // the second round is answered from memory
		for name := range names {
			var want []*Directive
			for _, d := range Lookup(name) {
				if d.Has(v) {
					want = append(want, d)
				}
			}
			if got := LookupAt(name, v); !slices.Equal(got, want) {
				t.Fatalf("LookupAt(%q, %v) = %d entries, want %d", name, v, len(got), len(want))
			}
		}
	}
}

// AllowedAt works the context out once; it must keep exactly the
// entries AllowedIn allows, in order, for every name at every path.
func TestAllowedAtIsAllowedInFilter(t *testing.T) {
	paths := [][]string{nil, {"events"}, {"http"}, {"http", "server"}, {"http", "server", "location"},
		{"http", "server", "if"}, {"http", "server", "location", "if"}, {"http", "server", "location", "limit_except"},
		{"http", "upstream"}, {"stream"}, {"stream", "server"}, {"stream", "upstream"}, {"mail"}, {"mail", "server"},
		{"http", "map"}, {"http", "types"}, {"server"}, {"http", "location"}}
	for _, path := range paths {
		for _, d := range All() {
			ds := Lookup(d.Name)
			var want []*Directive
			for _, e := range ds {
				if ok, _ := e.AllowedIn(path); ok {
					want = append(want, e)
				}
			}
			if got := AllowedAt(ds, path); !slices.Equal(got, want) {
				t.Fatalf("AllowedAt(%q, %v) = %d entries, want %d", d.Name, path, len(got), len(want))
			}
		}
	}
}
