package validity

import (
	"strings"

	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
)

// plusDirectives are directives of NGINX Plus (F5's commercial build),
// which the table, read from open-source sources, does not have; the
// list follows nginx.org's reference, where each is marked "available as
// part of our commercial subscription".
var plusDirectives = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(`api health_check health_check_timeout match status status_format status_zone
		upstream_conf keyval keyval_zone zone_sync zone_sync_buffers zone_sync_connect_retry_interval
		zone_sync_connect_timeout zone_sync_interval zone_sync_recv_buffer_size zone_sync_server zone_sync_ssl
		zone_sync_ssl_certificate zone_sync_ssl_certificate_key zone_sync_ssl_ciphers zone_sync_ssl_protocols
		zone_sync_ssl_server_name zone_sync_ssl_verify zone_sync_ssl_trusted_certificate zone_sync_timeout
		sticky sticky_cookie_insert ntlm queue state session_log session_log_format session_log_zone
		auth_jwt auth_jwt_claim_set auth_jwt_header_set auth_jwt_key_file auth_jwt_key_request auth_jwt_key_cache
		auth_jwt_leeway auth_jwt_type auth_jwt_require proxy_cache_purge fastcgi_cache_purge scgi_cache_purge
		uwsgi_cache_purge internal_redirect mqtt mqtt_preread mqtt_buffers mqtt_rewrite_buffer_size
		mqtt_set_connect oidc_provider auth_oidc mgmt license_token usage_report enforce_initial_report
		ssl_key_log f5_metrics f5_metrics_server`) {
		m[n] = true
	}
	return m
}()

// thirdPartyPrefixes name well-known third-party modules by the prefix
// their directives share (as their READMEs document them).
var thirdPartyPrefixes = []struct{ prefix, module string }{
	{"app_protect_", "NGINX App Protect"},
	{"brotli", "ngx_brotli"},
	{"geoip2", "ngx_http_geoip2_module"},
	{"set_", "set-misc-nginx-module"},
	{"rtmp", "nginx-rtmp-module"},
	{"upload_progress", "nginx-upload-progress-module"},
	{"track_uploads", "nginx-upload-progress-module"},
	{"report_uploads", "nginx-upload-progress-module"},
	{"ldap_server", "nginx-auth-ldap"},
	{"auth_ldap", "nginx-auth-ldap"},
	{"vhost_traffic_status", "nginx-module-vts"},
	{"echo", "echo-nginx-module"},
	{"srcache_", "srcache-nginx-module"},
	{"memc_", "memc-nginx-module"},
	{"redis2_", "redis2-nginx-module"},
	{"passenger_", "Phusion Passenger"},
	{"pagespeed", "ngx_pagespeed"},
	{"modsecurity", "ModSecurity-nginx"},
	{"naxsi", "naxsi"},
	{"nchan_", "nchan"},
	{"push_stream_", "nginx-push-stream-module"},
	{"fancyindex", "ngx-fancyindex"},
	{"dav_ext_", "nginx-dav-ext-module"},
	{"check", "the upstream health-check module (nginx_upstream_check_module, Tengine)"},
	{"otel_", "nginx-otel"},
	{"opentracing", "nginx-opentracing"},
	{"upsync", "nginx-upsync-module"},
	{"testcookie_", "testcookie-nginx-module"},
	{"subs_filter", "ngx_http_substitutions_filter_module"},
}

// foreignModule names the product or module a directive unknown to the
// table most likely comes from; "" when it looks like nobody's. shared is
// true when nginx's own directives use the same prefix (set_real_ip_from
// beside set-misc's set_*), so that a near miss of one of them is more
// likely a typo than the module's.
func foreignModule(name string) (module string, shared bool) {
	if plusDirectives[name] {
		return "NGINX Plus", false
	}
	for _, t := range thirdPartyPrefixes {
		if strings.HasPrefix(name, t.prefix) {
			return t.module, nginxPrefix(t.prefix)
		}
	}
	return "", false
}

// nginxPrefix reports whether a directive of the table starts with prefix.
func nginxPrefix(prefix string) bool {
	for _, d := range spec.All() {
		if strings.HasPrefix(d.Name, prefix) {
			return true
		}
	}
	return false
}
