// Package inherit answers "which directives named X apply at this block"
// by nginx's merge rules: a list directive (add_header, proxy_set_header,
// fastcgi_param, error_page ...) reaches an inner level only when that
// level has none of its own, a plain setting takes the innermost value,
// and a handful (proxy_pass, try_files, rewrite ...) never leave their
// level. Every answer is for one inclusion site (nginx.Site) of the
// block's file, since a snippet included from two servers inherits from
// both.
package inherit

import "slices"

// Kind is how nginx merges a directive from an outer level into an inner
// one.
type Kind int

const (
	// Scalar: the innermost level that sets it wins; this is also the
	// answer for names the table does not list, the common case in
	// nginx's merge functions (ngx_conf_merge_*_value).
	Scalar Kind = iota
	// List: all the directive's lines at one level form a list, and an
	// inner level inherits the list only when it has none of its own.
	List
	// Local: the directive acts only at its own level and is never
	// merged into inner ones.
	Local
	// Accumulated: an inner level adds its lines after those of the
	// outer levels and never drops them (headers-more's directives).
	Accumulated
)

func (k Kind) String() string {
	switch k {
	case List:
		return "list"
	case Local:
		return "local"
	case Accumulated:
		return "accumulated"
	}
	return "scalar"
}

// lists maps each list directive to its group: the names nginx keeps in
// one structure, so that setting any of them at a level stops the whole
// group from being inherited (allow and deny share one rule list). Each
// entry was checked against the merge function of its module at
// release-1.29.3 (the function named in the comment).
var lists = map[string]string{
	// ngx_http_headers_merge_conf: headers and trailers arrays.
	"add_header":  "add_header",
	"add_trailer": "add_trailer",
	// ngx_http_{proxy,grpc}_merge_loc_conf: headers_source.
	"proxy_set_header": "proxy_set_header",
	"grpc_set_header":  "grpc_set_header",
	// ngx_http_{fastcgi,uwsgi,scgi}_merge_loc_conf: params_source.
	"fastcgi_param": "fastcgi_param",
	"uwsgi_param":   "uwsgi_param",
	"scgi_param":    "scgi_param",
	// ngx_http_upstream_hide_headers_hash: hide and pass lists, each
	// inherited unless set.
	"proxy_hide_header":   "proxy_hide_header",
	"proxy_pass_header":   "proxy_pass_header",
	"fastcgi_hide_header": "fastcgi_hide_header",
	"fastcgi_pass_header": "fastcgi_pass_header",
	"uwsgi_hide_header":   "uwsgi_hide_header",
	"uwsgi_pass_header":   "uwsgi_pass_header",
	"scgi_hide_header":    "scgi_hide_header",
	"scgi_pass_header":    "scgi_pass_header",
	"grpc_hide_header":    "grpc_hide_header",
	"grpc_pass_header":    "grpc_pass_header",
	// ngx_http_core_merge_loc_conf: error_pages.
	"error_page": "error_page",
	// ngx_http_log_merge_loc_conf: logs, or off, as one.
	"access_log": "access_log",
	// ngx_http_access_merge_loc_conf: one rule list for both.
	"allow": "allow",
	"deny":  "allow",
	// ngx_http_index_merge_loc_conf: indices.
	"index": "index",
	// ngx_http_realip_merge_loc_conf: from.
	"set_real_ip_from": "set_real_ip_from",
	// ngx_http_limit_{req,conn}_merge_conf: limits.
	"limit_req":  "limit_req",
	"limit_conn": "limit_conn",
	// ngx_http_ssl_merge_srv_conf (and the stream and mail ones):
	// certificates, certificate_keys, conf_commands, each on its own.
	"ssl_certificate":     "ssl_certificate",
	"ssl_certificate_key": "ssl_certificate_key",
	"ssl_conf_command":    "ssl_conf_command",
	// ngx_http_{proxy,grpc,uwsgi}_merge_loc_conf: ssl_conf_commands.
	"proxy_ssl_conf_command": "proxy_ssl_conf_command",
	"grpc_ssl_conf_command":  "grpc_ssl_conf_command",
	"uwsgi_ssl_conf_command": "uwsgi_ssl_conf_command",
	// ngx_http_{proxy,fastcgi,uwsgi,scgi}_merge_loc_conf: cache_valid,
	// cache_bypass, no_cache.
	"proxy_cache_valid":    "proxy_cache_valid",
	"fastcgi_cache_valid":  "fastcgi_cache_valid",
	"uwsgi_cache_valid":    "uwsgi_cache_valid",
	"scgi_cache_valid":     "scgi_cache_valid",
	"proxy_cache_bypass":   "proxy_cache_bypass",
	"fastcgi_cache_bypass": "fastcgi_cache_bypass",
	"uwsgi_cache_bypass":   "uwsgi_cache_bypass",
	"scgi_cache_bypass":    "scgi_cache_bypass",
	"proxy_no_cache":       "proxy_no_cache",
	"fastcgi_no_cache":     "fastcgi_no_cache",
	"uwsgi_no_cache":       "uwsgi_no_cache",
	"scgi_no_cache":        "scgi_no_cache",
	// ngx_http_proxy_merge_loc_conf: redirects, cookie rewrites.
	"proxy_redirect":      "proxy_redirect",
	"proxy_cookie_domain": "proxy_cookie_domain",
	"proxy_cookie_path":   "proxy_cookie_path",
	"proxy_cookie_flags":  "proxy_cookie_flags",
	// ngx_http_sub_filter_merge_conf: pairs.
	"sub_filter": "sub_filter",
	// ngx_http_mirror_merge_loc_conf: mirror.
	"mirror": "mirror",
	// ngx_http_fastcgi_merge_loc_conf: catch_stderr.
	"fastcgi_catch_stderr": "fastcgi_catch_stderr",
}

// locals never leave their level: content handlers set on the location
// (the *_pass family), the rewrite module's code (which runs per level:
// server-level rewrites run once, before a location is chosen), and
// try_files (its module has no merge function).
var locals = map[string]bool{
	"proxy_pass": true, "fastcgi_pass": true, "uwsgi_pass": true, "scgi_pass": true,
	"grpc_pass": true, "memcached_pass": true,
	"rewrite": true, "return": true, "set": true, "break": true, "if": true,
	"try_files": true, "location": true, "limit_except": true,
}

// accumulated are headers-more's directives: its merge function
// (ngx_http_headers_more_merge_loc_conf) puts the outer level's commands
// before the inner level's, in one list for all four.
var accumulated = map[string]bool{
	"more_set_headers": true, "more_clear_headers": true,
	"more_set_input_headers": true, "more_clear_input_headers": true,
}

// inheritSwitch names, for the lists whose inheritance nginx 1.29.3 made
// configurable, the directive that configures it.
var inheritSwitch = map[string]string{
	"add_header":  "add_header_inherit",
	"add_trailer": "add_trailer_inherit",
}

// KindOf returns how nginx merges the directive named name.
func KindOf(name string) Kind {
	if _, ok := lists[name]; ok {
		return List
	}
	if locals[name] {
		return Local
	}
	if accumulated[name] {
		return Accumulated
	}
	return Scalar
}

// Group returns the names merged together with name (allow and deny;
// headers-more's four directives), name first; name alone for every other
// directive. The slice is shared: do not modify it.
func Group(name string) []string {
	if g, ok := groups[name]; ok {
		return g
	}
	return []string{name}
}

// groups holds Group's answer for every name in a group of two or more.
var groups = func() map[string][]string {
	members := map[string][]string{}
	for n, g := range lists {
		members[g] = append(members[g], n)
	}
	for n := range accumulated {
		members["more_"] = append(members["more_"], n)
	}
	out := map[string][]string{}
	for _, ms := range members {
		if len(ms) < 2 {
			continue
		}
		slices.Sort(ms)
		for _, n := range ms {
			g := []string{n}
			for _, m := range ms {
				if m != n {
					g = append(g, m)
				}
			}
			out[n] = g
		}
	}
	return out
}()
