package spec

import "testing"

// Facts from nginx.org (ngx_http_core_module listen, ngx_http_upstream_module
// server, ngx_stream_core_module listen), checked against the handlers at
// the release tags.
func TestHasParam(t *testing.T) {
	httpListen := entry(t, "listen", "nginx", "ngx_http_core_module")
	httpServer := entry(t, "server", "nginx", "ngx_http_upstream_module")
	streamListen := entry(t, "listen", "nginx", "ngx_stream_core_module")
	for _, c := range []struct {
		d         *Directive
		param, v  string
		ok, known bool
	}{
		// "The quic parameter appeared in version 1.25.0."
		{httpListen, "quic", "1.24.0", false, true},
		{httpListen, "quic", "1.25.0", true, true},
		// http2 since 1.9.5, still parsed (with a warning) after 1.25.1.
		{httpListen, "http2", "1.9.4", false, true},
		{httpListen, "http2", "1.26.0", true, true},
		// spdy: 1.3.15 until ngx_http_v2_module replaced it in 1.9.5.
		{httpListen, "spdy", "1.9.4", true, true},
		{httpListen, "spdy", "1.9.5", false, true},
		{httpListen, "udp", "1.26.0", false, true},
		{streamListen, "udp", "1.9.13", true, true},
		{streamListen, "udp", "1.9.12", false, true},
		// "resolve" and "service=" in open source since 1.27.3.
		{httpServer, "resolve", "1.27.2", false, true},
		{httpServer, "resolve", "1.27.3", true, true},
		{httpServer, "service=http", "1.27.3", true, true},
		// max_conns left the commercial subscription in 1.11.5.
		{httpServer, "max_conns=10", "1.11.4", false, true},
		{httpServer, "max_conns=10", "1.11.5", true, true},
		{httpServer, "slow_start=30s", "1.27.3", false, true},
		{httpServer, "weight=5", "1.0.0", true, true},
		// No list for proxy_pass: not known either way.
		{entry(t, "proxy_pass", "nginx", "ngx_http_proxy_module"), "x", "1.26.0", false, false},
	} {
		ok, known := c.d.HasParam(c.param, mustVersion(t, c.v))
		if ok != c.ok || known != c.known {
			t.Errorf("%s %s at %s: %t %t, want %t %t", c.d.Name, c.param, c.v, ok, known, c.ok, c.known)
		}
	}
	if ok, known := HasParam("ngx_http_upstream_module", "server", "backup", mustVersion(t, "1.26.0")); !ok || !known {
		t.Errorf("HasParam(upstream server backup) = %t %t", ok, known)
	}
}

func TestDeprecatedParam(t *testing.T) {
	p := entry(t, "listen", "nginx", "ngx_http_core_module").Param("http2")
	if p == nil {
		t.Fatal("no http2 parameter")
	}
	if p.DeprecatedIn(mustVersion(t, "1.25.0")) || !p.DeprecatedIn(mustVersion(t, "1.25.1")) {
		t.Errorf("http2 deprecation: %+v", p)
	}
}

// Every listed parameter belongs to a directive the table has, under the
// module it names, and its range is ordered.
func TestParamsTableIsConsistent(t *testing.T) {
	for k, ps := range params {
		found := false
		for _, d := range Lookup(k.directive) {
			found = found || d.Module == k.module
		}
		if !found {
			t.Errorf("params for %s of %s: no such directive", k.directive, k.module)
		}
		seen := map[string]bool{}
		for _, p := range ps {
			if seen[p.Name] {
				t.Errorf("%s %s listed twice", k.directive, p.Name)
			}
			seen[p.Name] = true
			if !p.Commercial && p.Since.IsZero() {
				t.Errorf("%s %s: no since", k.directive, p.Name)
			}
			if !p.Until.IsZero() && !p.Since.Less(p.Until) {
				t.Errorf("%s %s: until %v not after since %v", k.directive, p.Name, p.Until, p.Since)
			}
		}
	}
}

func TestHasByName(t *testing.T) {
	has := func(name string, v Version) bool { return len(LookupAt(name, v)) > 0 }
	if has("http2", mustVersion(t, "1.25.0")) || !has("http2", mustVersion(t, "1.25.1")) {
		t.Error("http2 directive by version")
	}
	if !has("content_by_lua_block", mustVersion(t, "1.0.0")) {
		t.Error("third-party directives are not tied to nginx versions")
	}
	if has("no_such_directive", Latest) {
		t.Error("unknown name")
	}
}
