package nginx

import "strings"

// InnerContext is the innermost element of Context: the block d sits in
// ("upstream", "location", ...), or "" at a main file's top level.
func (d *Directive) InnerContext() string {
	ctx := d.Context()
	if len(ctx) == 0 {
		return ""
	}
	return ctx[len(ctx)-1]
}

// HasFlag reports whether an argument after the first is exactly flag,
// as in `server 10.0.0.1:80 down;` or `listen 80 default_server;`.
func (d *Directive) HasFlag(flag string) bool {
	for i := 1; i < len(d.Args); i++ {
		if d.Args[i].Value == flag {
			return true
		}
	}
	return false
}

// Levels of the context a top-level directive implies for its file.
const (
	levelNone     = iota // main-level or unknown: says nothing
	levelHTTP            // only valid inside http (or http and stream)
	levelServer          // only valid inside server (or location)
	levelLocation        // only valid inside location
)

// mainOnly names directives that only the main context (or the top of a
// main file) holds: their presence makes a file a main file.
var mainOnly = setOf(`events http stream mail user worker_processes pid
	load_module daemon master_process worker_rlimit_nofile
	worker_rlimit_core env pcre_jit thread_pool lock_file timer_resolution
	worker_cpu_affinity worker_priority working_directory
	worker_shutdown_timeout ssl_engine debug_points google_perftools_profiles
	rtmp`)

// levelOf holds directives whose valid contexts pin a fragment down. It is
// small on purpose: a directive valid at several levels (root, add_header,
// proxy_set_header, ...) is left out unless it is not valid in main, in
// which case it pins at least http.
var levelOf = func() map[string]int {
	m := map[string]int{}
	for level, names := range map[int]string{
		levelHTTP: `server upstream map geo split_clients limit_req_zone
			limit_conn_zone proxy_cache_path fastcgi_cache_path uwsgi_cache_path
			scgi_cache_path log_format server_names_hash_bucket_size
			server_names_hash_max_size variables_hash_bucket_size
			variables_hash_max_size types_hash_max_size types_hash_bucket_size
			map_hash_bucket_size map_hash_max_size geoip_country geoip_city
			lua_package_path lua_package_cpath lua_shared_dict
			init_by_lua_block init_worker_by_lua_block js_import js_path
			include_types types default_type sendfile tcp_nopush tcp_nodelay
			keepalive_timeout client_max_body_size gzip gzip_types
			gzip_comp_level gzip_vary gzip_proxied gzip_min_length
			proxy_set_header proxy_http_version proxy_read_timeout
			proxy_connect_timeout proxy_send_timeout proxy_buffering
			proxy_buffers proxy_buffer_size proxy_cache proxy_cache_valid
			proxy_cache_key proxy_hide_header proxy_redirect
			fastcgi_param fastcgi_index fastcgi_split_path_info
			fastcgi_read_timeout fastcgi_buffers fastcgi_buffer_size
			fastcgi_intercept_errors uwsgi_param scgi_param add_header
			ssl_certificate ssl_certificate_key ssl_protocols ssl_ciphers
			ssl_prefer_server_ciphers ssl_session_cache ssl_session_timeout
			ssl_session_tickets ssl_stapling ssl_stapling_verify ssl_dhparam
			ssl_trusted_certificate ssl_ecdh_curve access_log index root
			charset server_tokens resolver resolver_timeout ssl`,
		levelServer: `location listen server_name try_files if return rewrite
			set break`,
		levelLocation: `proxy_pass fastcgi_pass uwsgi_pass scgi_pass grpc_pass
			memcached_pass alias limit_except internal content_by_lua_block
			access_by_lua_block rewrite_by_lua_block js_content`,
	} {
		for n := range setOf(names) {
			m[n] = level
		}
	}
	return m
}()

func setOf(names string) map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(names) {
		m[n] = true
	}
	return m
}

// topLevel returns the top-level directives of c, with those of files that
// top-level includes pulled in (a fragment may be a list of includes).
func topLevel(c *Config, depth int) []*Directive {
	return collectTop(c, depth, map[*Config]bool{})
}

// collectTop expands each included file once: without the seen set, files
// that include each other by wildcard make the walk exponential.
func collectTop(c *Config, depth int, seen map[*Config]bool) []*Directive {
	seen[c] = true
	var out []*Directive
	for _, d := range c.Directives {
		if d.Name == "include" && depth < 8 {
			for _, inc := range d.Includes {
				if !seen[inc] {
					out = append(out, collectTop(inc, depth+1, seen)...)
				}
			}
			continue
		}
		out = append(out, d)
	}
	return out
}

// looksLikeFragment tells, from a file's own top level, whether it is a
// fragment (conf.d/*.conf, a snippet) rather than a main file.
func looksLikeFragment(c *Config) bool { return impliedFor(c.Directives) != nil }

// looksLikeMain tells whether a file's own top level holds a directive
// that only nginx's main context allows (events, http, user, ...).
func looksLikeMain(c *Config) bool {
	for _, d := range c.Directives {
		if mainOnly[d.Name] {
			return true
		}
	}
	return false
}

// impliedContext returns the context a root file's content implies: nil
// for a main file or when nothing is clear.
func impliedContext(c *Config) []string { return impliedFor(topLevel(c, 0)) }

func impliedFor(top []*Directive) []string {
	level := levelNone
	members, blocks := 0, 0 // upstream members (`server a:80;`) vs server blocks
	for _, d := range top {
		if mainOnly[d.Name] {
			return nil
		}
		level = max(level, levelOf[d.Name])
		if d.Name == "server" {
			if d.HasBlock {
				blocks++
			} else {
				members++
			}
		}
	}
	switch level {
	case levelHTTP:
		if members > 0 && blocks == 0 {
			return []string{"http", "upstream"}
		}
		if isStreamFragment(top) {
			return []string{"stream"}
		}
		return []string{"http"}
	case levelServer:
		return []string{"http", "server"}
	case levelLocation:
		return []string{"http", "server", "location"}
	}
	return nil
}

// isStreamFragment reports a file of top-level server blocks that are
// clearly stream (TCP/UDP) servers: each proxies to a bare host:port (no
// scheme) or listens on UDP, and none has locations or server names.
func isStreamFragment(top []*Directive) bool {
	servers := 0
	for _, d := range top {
		if d.Name != "server" || !d.HasBlock {
			continue
		}
		servers++
		if !isStreamServer(d) {
			return false
		}
	}
	return servers > 0
}

func isStreamServer(server *Directive) bool {
	stream := false
	for _, c := range server.Block {
		switch c.Name {
		case "location", "server_name", "root", "index", "try_files":
			return false
		case "proxy_pass":
			if len(c.Args) == 1 && !strings.Contains(c.Args[0].Value, "://") {
				stream = true
			}
		case "listen":
			for _, a := range c.Args {
				if a.Value == "udp" {
					stream = true
				}
			}
		}
	}
	return stream
}
