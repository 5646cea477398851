package nginx

import (
	"slices"
	"testing"
)

// The context a root file implies comes from the directive table: the
// outermost http level each of its top-level directives is valid at.
func TestImpliedContextFromTable(t *testing.T) {
	for _, c := range []struct {
		src  string
		want []string
	}{
		{"events { worker_connections 1; }\nhttp { }\n", nil},
		{"expires 1d;\n", []string{"http"}},                                          // http, server, location, if in location
		{"server { listen 80; }\n", []string{"http"}},                                // server block
		{"server 10.0.0.1:80;\nserver 10.0.0.2:80;\n", []string{"http", "upstream"}}, // members
		{"listen 443 ssl;\nserver_name a;\n", []string{"http", "server"}},
		{"alias /srv/;\n", []string{"http", "server", "location"}},
		{"content_by_lua_block { ngx.say(1) }\n", []string{"http", "server", "location"}}, // lua-nginx-module
		{"error_log stderr;\n", nil},                                                      // valid in main too
		{"worker_connections 512;\n", nil},                                                // events only: says nothing
		{"rtmp { }\n", nil},                                                               // a main block outside the table
	} {
		got := impliedContext(parseString(c.src))
		if !slices.Equal(got, c.want) {
			t.Errorf("%q implies %v, want %v", c.src, got, c.want)
		}
	}
}

func TestMainOnly(t *testing.T) {
	for name, want := range map[string]bool{
		"worker_processes": true, "events": true, "http": true, "load_module": true, "rtmp": true,
		"error_log": false, "include": false, "server": false, "no_such_directive": false,
	} {
		if got := mainOnly(name); got != want {
			t.Errorf("mainOnly(%s) = %t, want %t", name, got, want)
		}
	}
}

// `# ngxlint:context ...` above the first directive names the block a
// snippet is included in; it wins over what the content suggests.
func TestDeclaredContext(t *testing.T) {
	for _, c := range []struct {
		src  string
		want []string
	}{
		{"# ngxlint:context location\nexpires 1d;\n", []string{"http", "server", "location"}},
		{"# a snippet\n#ngxlint:context server\n\nexpires 1d;\n", []string{"http", "server"}},
		{"# ngxlint:context stream server\nproxy_pass a:1;\n", []string{"stream", "server"}},
		{"# ngxlint:context upstream\nkeepalive 8;\n", []string{"http", "upstream"}},
		{"# ngxlint:context bogus\nexpires 1d;\n", []string{"http"}},        // unknown: the content decides
		{"expires 1d;\n# ngxlint:context location\n", []string{"http"}},     // only above the first directive
		{"# ngxlint:context stream bogus\nexpires 1d;\n", []string{"http"}}, // every word must be a block
	} {
		got := impliedContext(parseString(c.src))
		if !slices.Equal(got, c.want) {
			t.Errorf("%q implies %v, want %v", c.src, got, c.want)
		}
	}
}
