package vars

import (
	"strings"
	"sync"

	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
)

// What each built-in variable can hold, read from the functions that
// compute them in nginx's sources (src/http/ngx_http_variables.c and the
// modules named below; the stream variables behave as their http
// namesakes). spec says which variables exist, where and since when;
// this table adds what they hold. TestTableCoversSpec keeps the two in
// step: every variable spec knows must have a row here.
//
// The facts the rows rest on:
//   - Header values never contain CR or LF: ngx_http_parse_header_line
//     ends a value at either and rejects a bare CR, and HTTP/2 and HTTP/3
//     reject them in field values. So $http_*, $cookie_*, $sent_http_*
//     and $upstream_http_* may contain '/', never a line break.
//   - The request line is parsed the same way, so the raw URI, its query
//     string and its arguments ($request_uri, $args, $arg_*) hold no line
//     breaks: a %0A stays three characters.
//   - $uri (and $document_uri, $request_filename, $fastcgi_script_name,
//     $fastcgi_path_info) hold the URI after ngx_http_parse_complex_uri
//     decoded it: %0D%0A becomes a real CR LF.
//   - The Host header and the TLS server name go through
//     ngx_http_validate_host, which rejects '/' and control characters,
//     so $host, $http_host and $ssl_server_name hold neither.
//   - $remote_user is the user part of the base64-decoded Authorization
//     header (ngx_http_auth_basic_user), with no check of its bytes.
//   - $binary_remote_addr is the address's raw bytes: any byte value.
//   - A PEM certificate ($ssl_client_cert, $ssl_client_raw_cert) spans
//     several lines and its base64 uses '/'; the escaped form is
//     URL-encoded, '/' and line breaks included.
//   - ssl_preread reads the ClientHello's server name and ALPN list as
//     raw bytes, unchecked.
var builtinProps = map[string]Props{
	// ngx_http_variables.c (and ngx_stream_variables.c)
	"arg_":                        Client | Slash,
	"args":                        Client | Slash,
	"query_string":                Client | Slash,
	"binary_remote_addr":          CRLF | Slash,
	"body_bytes_sent":             Number,
	"bytes_sent":                  Number,
	"bytes_received":              Number,
	"connection":                  Number,
	"connection_requests":         Number,
	"connection_time":             Number,
	"content_length":              Client | Number, // parsed by ngx_atoof, 400 otherwise
	"content_type":                Client | Slash,
	"cookie_":                     Client | Slash,
	"document_root":               Slash,
	"realpath_root":               Slash,
	"document_uri":                Client | Slash | CRLF,
	"uri":                         Client | Slash | CRLF,
	"request_filename":            Client | Slash | CRLF,
	"host":                        Client,
	"hostname":                    0,
	"http_":                       Client | Slash,
	"http_cookie":                 Client | Slash,
	"http_host":                   Client,
	"http_referer":                Client | Slash,
	"http_user_agent":             Client | Slash,
	"http_via":                    Client | Slash,
	"http_x_forwarded_for":        Client | Slash,
	"https":                       0,
	"is_args":                     0,
	"is_request_port":             Client,
	"request_port":                Client | Number,
	"limit_rate":                  Number,
	"msec":                        Number,
	"nginx_version":               Number,
	"pid":                         Number,
	"pipe":                        0,
	"protocol":                    0,
	"proxy_protocol_addr":         Client, // parsed as an address
	"proxy_protocol_port":         Client | Number,
	"proxy_protocol_server_addr":  Client,
	"proxy_protocol_server_port":  Client | Number,
	"proxy_protocol_tlv_":         Client | CRLF | Slash, // raw TLV bytes
	"remote_addr":                 0,
	"remote_port":                 Number,
	"remote_user":                 Client | CRLF | Slash,
	"request":                     Client | Slash,
	"request_body":                Client | CRLF | Slash,
	"request_body_file":           Slash,
	"request_completion":          0,
	"request_id":                  0, // hex
	"request_length":              Number,
	"request_method":              Client, // letters, '_' and '-' only
	"request_time":                Number,
	"request_uri":                 Client | Slash,
	"scheme":                      0,
	"sent_http_":                  Upstream | Slash,
	"sent_trailer_":               Upstream | Slash,
	"sent_http_cache_control":     Upstream | Slash,
	"sent_http_connection":        0, // keep-alive or close
	"sent_http_content_length":    Number,
	"sent_http_content_type":      Upstream | Slash,
	"sent_http_keep_alive":        0, // timeout=N
	"sent_http_last_modified":     Upstream,
	"sent_http_link":              Upstream | Slash,
	"sent_http_location":          Upstream | Slash,
	"sent_http_transfer_encoding": 0,
	"server_addr":                 Slash, // a unix socket's path
	"server_name":                 0,
	"server_port":                 Number,
	"server_protocol":             Slash, // "HTTP/1.1"
	"session_time":                Number,
	"status":                      Number,
	"tcpinfo_rcv_space":           Number,
	"tcpinfo_rtt":                 Number,
	"tcpinfo_rttvar":              Number,
	"tcpinfo_snd_cwnd":            Number,
	"time_iso8601":                0,
	"time_local":                  Slash, // "30/Nov/2026:..."
	"apache_sent":                 Number,
	"sent":                        Number,

	// ngx_http_browser_module: the configured value or "1"
	"ancient_browser": 0,
	"modern_browser":  0,
	"msie":            Number,
	// ngx_http_ssi_filter_module: formatted by the configurable timefmt
	"date_gmt":   Slash,
	"date_local": Slash,
	// ngx_http_fastcgi_module: parts of the decoded URI
	"fastcgi_path_info":   Client | Slash | CRLF,
	"fastcgi_script_name": Client | Slash | CRLF,
	// ngx_http_geoip_module: from the database, looked up by address
	"geoip_area_code":           0,
	"geoip_city":                0,
	"geoip_city_continent_code": 0,
	"geoip_city_country_code":   0,
	"geoip_city_country_code3":  0,
	"geoip_city_country_name":   0,
	"geoip_country_code":        0,
	"geoip_country_code3":       0,
	"geoip_country_name":        0,
	"geoip_dma_code":            0,
	"geoip_latitude":            0,
	"geoip_longitude":           0,
	"geoip_org":                 0,
	"geoip_postal_code":         0,
	"geoip_region":              0,
	"geoip_region_name":         0,
	// internal variables of the proxy and grpc modules
	"grpc_internal_trailers":     0,
	"proxy_internal_body_length": Number,
	"proxy_internal_chunked":     0,
	"proxy_internal_connection":  0,
	"proxy_internal_host":        0,
	// ngx_http_v2_module, ngx_http_v3_module, the old spdy module
	"http2":                 0,
	"http3":                 0,
	"spdy":                  Number,
	"spdy_request_priority": Number,
	// limit_conn and limit_req: a status word
	"limit_conn_status": 0,
	"limit_req_status":  0,
	// ngx_http_proxy_module: X-Forwarded-For plus the address
	"proxy_add_x_forwarded_for": Client | Slash,
	"proxy_host":                0,
	"proxy_port":                Number,
	// ngx_http_realip_module: the address before realip replaced it
	"realip_remote_addr": 0,
	"realip_remote_port": Number,
	// ngx_http_stub_status_module
	"connections_active":  Number,
	"connections_reading": Number,
	"connections_waiting": Number,
	"connections_writing": Number,
	// ngx_http_ssl_module, ngx_stream_ssl_module
	"ssl_alpn_protocol":         0,
	"ssl_cipher":                0,
	"ssl_ciphers":               0,
	"ssl_client_cert":           Client | CRLF | Slash,
	"ssl_client_raw_cert":       Client | CRLF | Slash,
	"ssl_client_escaped_cert":   Client,
	"ssl_client_fingerprint":    0,
	"ssl_client_i_dn":           Client | Slash,
	"ssl_client_i_dn_legacy":    Client | Slash,
	"ssl_client_s_dn":           Client | Slash,
	"ssl_client_s_dn_legacy":    Client | Slash,
	"ssl_client_serial":         0,
	"ssl_client_sigalg":         0,
	"ssl_client_v_end":          0,
	"ssl_client_v_remain":       Number,
	"ssl_client_v_start":        0,
	"ssl_client_verify":         0,
	"ssl_curve":                 0,
	"ssl_curves":                0,
	"ssl_early_data":            0,
	"ssl_ech_outer_server_name": Client,
	"ssl_ech_status":            0,
	"ssl_protocol":              0,
	"ssl_server_name":           Client,
	"ssl_session_id":            0,
	"ssl_session_reused":        0,
	"ssl_sigalg":                0,
	"ssl_sigalgs":               0,
	// ngx_stream_ssl_preread_module: raw ClientHello bytes
	"ssl_preread_alpn_protocols": Client | CRLF | Slash,
	"ssl_preread_protocol":       0,
	"ssl_preread_server_name":    Client | CRLF | Slash,
	// ngx_http_upstream_module, ngx_stream_upstream_module
	"upstream_addr":                Slash, // a unix socket's path
	"upstream_bytes_received":      0,     // lists: "12, 34 : 56"
	"upstream_bytes_sent":          0,
	"upstream_cache_etag":          Upstream | Slash,
	"upstream_cache_last_modified": Upstream | Slash,
	"upstream_cache_status":        0,
	"upstream_connect_time":        0,
	"upstream_first_byte_time":     0,
	"upstream_header_time":         0,
	"upstream_response_length":     0,
	"upstream_response_time":       0,
	"upstream_session_time":        0,
	"upstream_status":              0,
	"upstream_cookie_":             Upstream | Slash,
	"upstream_http_":               Upstream | Slash,
	"upstream_trailer_":            Upstream | Slash,

	// The variables below are added one by one with
	// ngx_http_add_variable, not from an array, and spec's generator
	// does not see them yet (extraVars).
	"gzip_ratio":          Number,
	"invalid_referer":     Number,
	"secure_link":         Number,
	"secure_link_expires": Client | Number, // the link's expiry, as sent
	"slice_range":         0,
	"uid_got":             0,
	"uid_set":             0,
	"uid_reset":           0,

	// NGINX Plus's ngx_http_auth_jwt_module: the claims of a token whose
	// signature it checked; what they hold depends on the issuer.
	"jwt_claim_":  Unknown,
	"jwt_header_": Unknown,
	"jwt_payload": Unknown,
}

// extraVars are built-in variables spec does not list (see above), with
// the module that adds them and the first release tag whose sources have
// them (git log -S on nginx's repository); and the NGINX Plus variables configurations
// written for it use.
var extraVars = []spec.Variable{
	{Name: "gzip_ratio", Module: "ngx_http_gzip_filter_module", Source: "nginx", Since: release(0, 1, 0)},
	{Name: "invalid_referer", Module: "ngx_http_referer_module", Source: "nginx", Since: release(0, 1, 17)},
	{Name: "secure_link", Module: "ngx_http_secure_link_module", Source: "nginx", Since: release(0, 7, 18)},
	{Name: "secure_link_expires", Module: "ngx_http_secure_link_module", Source: "nginx", Since: release(0, 8, 50)},
	{Name: "slice_range", Module: "ngx_http_slice_filter_module", Source: "nginx", Since: release(1, 9, 8)},
	{Name: "uid_got", Module: "ngx_http_userid_filter_module", Source: "nginx", Since: release(0, 1, 0)},
	{Name: "uid_set", Module: "ngx_http_userid_filter_module", Source: "nginx", Since: release(0, 1, 0)},
	{Name: "uid_reset", Module: "ngx_http_userid_filter_module", Source: "nginx", Since: release(1, 0, 5)},
	{Name: "jwt_claim_", Prefix: true, Module: "ngx_http_auth_jwt_module", Source: "nginx-plus"},
	{Name: "jwt_header_", Prefix: true, Module: "ngx_http_auth_jwt_module", Source: "nginx-plus"},
	{Name: "jwt_payload", Module: "ngx_http_auth_jwt_module", Source: "nginx-plus"},
}

var extraByName = sync.OnceValue(func() map[string]*spec.Variable {
	m := make(map[string]*spec.Variable, len(extraVars))
	for i := range extraVars {
		m[extraVars[i].Name] = &extraVars[i]
	}
	return m
})

func lookupExtra(name string) *spec.Variable {
	if v := extraByName()[name]; v != nil && !v.Prefix {
		return v
	}
	for i := range extraVars {
		if v := &extraVars[i]; v.Prefix && strings.HasPrefix(name, v.Name) {
			return v
		}
	}
	return nil
}

// LookupBuiltin returns the built-in variable $name of family ("http",
// "stream", or "" for either) and what it can hold; nil when no module
// defines it. A name spec knows but this table lacks holds Unknown.
func LookupBuiltin(name, family string) (*spec.Variable, Props) {
	var v *spec.Variable
	if family == "" {
		v = spec.LookupVariable(name)
	} else {
		v = spec.LookupVariableIn(name, family)
	}
	if v == nil && family != "stream" { // the extras are all http modules'
		v = lookupExtra(name)
	}
	if v == nil {
		return nil, 0
	}
	p, ok := builtinProps[v.Name]
	if !ok {
		return v, Unknown
	}
	return v, p
}

func release(major, minor, patch int) spec.Version {
	return spec.Version{Major: major, Minor: minor, Patch: patch}
}
