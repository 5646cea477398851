package rules_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/rules"
)

// The oracle test holds ngxlint's validity rules to real `nginx -t`: it
// generates small full configurations, valid and broken in the ways the
// rules know (wrong context, argument count, flag value, unknown or
// misspelled directive, duplicate, missing semicolon, two default
// servers), and requires that both accept or both reject each one, and
// that ngxlint reports an error on the line nginx names.

// oracleVersion is the nginx release the CI's Debian nginx-light is.
const oracleVersion = "1.22.1"

// oracleNginx returns the nginx binary, or skips (fails in CI) without it.
func oracleNginx(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/sbin/nginx"} {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	if p, err := exec.LookPath("nginx"); err == nil {
		return p
	}
	msg := "nginx is not installed (.ci/run installs nginx-light); the oracle test needs it"
	if os.Getenv(sharedtest.RequireEnv) == "1" || os.Getenv("CI") == "true" || os.Getenv(sharedtest.ToolsEnv) == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// sample is one directive line and the block it is valid in.
type sample struct {
	home string // main, events, http, server, location, if, upstream
	line string // without the ';'
}

// samples are directives of modules nginx-light 1.22 has (no stream,
// mail or third-party modules: they are not loaded there), with valid
// arguments.
var samples = []sample{
	{"main", "worker_processes 2"}, {"main", "worker_rlimit_nofile 1024"}, {"main", "timer_resolution 100ms"},
	{"main", "pcre_jit on"}, {"main", "master_process on"}, {"main", "worker_priority 0"}, {"main", "env FOO"},
	{"main", "worker_shutdown_timeout 10s"},
	{"events", "worker_connections 512"}, {"events", "multi_accept on"}, {"events", "accept_mutex off"},
	{"events", "accept_mutex_delay 100ms"}, {"events", "use epoll"},
	{"http", "sendfile on"}, {"http", "tcp_nopush on"}, {"http", "tcp_nodelay on"}, {"http", "keepalive_timeout 30s"},
	{"http", "keepalive_requests 100"}, {"http", "server_tokens off"}, {"http", "types_hash_max_size 2048"},
	{"http", "server_names_hash_bucket_size 64"}, {"http", "client_max_body_size 10m"}, {"http", "gzip on"},
	{"http", "gzip_comp_level 5"}, {"http", "gzip_types text/plain"}, {"http", "default_type text/plain"},
	{"http", "charset utf-8"}, {"http", "underscores_in_headers on"}, {"http", "ignore_invalid_headers off"},
	{"http", "proxy_buffering off"}, {"http", "proxy_http_version 1.1"}, {"http", "proxy_set_header Host $host"},
	{"http", "add_header X-A 1"}, {"http", "limit_req_zone $binary_remote_addr zone=one:1m rate=1r/s"},
	{"http", "map_hash_bucket_size 64"}, {"http", "log_not_found off"}, {"http", "server_name_in_redirect off"},
	{"http", "resolver 127.0.0.1"}, {"http", "ssl_protocols TLSv1.2"}, {"http", "ssl_prefer_server_ciphers on"},
	{"http", "etag off"}, {"http", "index index.html"}, {"http", "autoindex on"}, {"http", "absolute_redirect off"},
	{"http", "chunked_transfer_encoding off"}, {"http", "expires 1h"}, {"http", "root /tmp"},
	{"http", "real_ip_header X-Real-IP"}, {"http", "set_real_ip_from 10.0.0.0/8"}, {"http", "gzip_static on"},
	{"http", "http2_max_concurrent_streams 64"}, {"http", "proxy_connect_timeout 5s"}, {"http", "send_timeout 10s"},
	{"server", "server_name example.com"}, {"server", "return 200"}, {"server", "rewrite ^/a /b last"},
	{"server", "error_page 404 /404.html"}, {"server", "try_files $uri =404"}, {"server", "ssl_session_timeout 5m"},
	{"location", "proxy_pass http://127.0.0.1:1"}, {"location", "alias /tmp/"}, {"location", "internal"},
	{"location", "proxy_redirect off"}, {"location", "satisfy any"}, {"location", "auth_basic off"},
	{"location", "deny all"}, {"location", "allow 127.0.0.1"}, {"location", "stub_status"},
	{"location", "proxy_next_upstream_tries 2"},
	{"upstream", "keepalive 8"}, {"upstream", "least_conn"}, {"upstream", "ip_hash"}, {"upstream", "server 127.0.0.1:2"},
	{"if", "set $a 1"}, {"if", "break"},
}

// oracleContexts are the blocks a sample line is placed in, in template
// order.
var oracleContexts = []string{"main", "events", "http", "upstream", "server", "location", "if"}

type oracleCase struct {
	name string
	// lines holds extra lines per context (without indentation); a line
	// that should end without ';' says so itself.
	lines map[string][]string
	// extraServer adds a second server block with this listen line;
	// defaultFirst makes the first server's listen default_server.
	extraServer  string
	defaultFirst bool
	// firstParams are more parameters of the first server's listen.
	firstParams string
	// files are included files by name; "DIR" in any text is the case's
	// folder.
	files map[string]string
}

// render writes the configuration of c under dir (the temp paths point
// there, so nginx -t runs unprivileged).
func (c oracleCase) render(dir string, port int) string {
	var b strings.Builder
	put := func(ctx, indent string) {
		for _, l := range c.lines[ctx] {
			b.WriteString(indent + l + "\n")
		}
	}
	put("main", "")
	b.WriteString("events {\n")
	put("events", "    ")
	b.WriteString("}\nhttp {\n    access_log off;\n")
	for _, tp := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		fmt.Fprintf(&b, "    %s_temp_path %s/%s;\n", tp, dir, tp)
	}
	put("http", "    ")
	b.WriteString("    upstream u {\n        server 127.0.0.1:1;\n")
	put("upstream", "        ")
	b.WriteString("    }\n    server {\n")
	def := ""
	if c.defaultFirst {
		def = " default_server"
	}
	fmt.Fprintf(&b, "        listen 127.0.0.1:%d%s%s;\n", port, def, c.firstParams)
	put("server", "        ")
	b.WriteString("        location / {\n")
	put("location", "            ")
	b.WriteString("            if ($arg_x) {\n")
	put("if", "                ")
	b.WriteString("            }\n        }\n    }\n")
	if c.extraServer != "" {
		fmt.Fprintf(&b, "    server {\n        %s;\n    }\n", c.extraServer)
	}
	b.WriteString("}\n")
	return b.String()
}

// oracleCases generates the cases from the samples.
func oracleCases() []oracleCase {
	var out []oracleCase
	add := func(name string, ctx string, lines ...string) {
		out = append(out, oracleCase{name: name, lines: map[string][]string{ctx: lines}})
	}
	for _, s := range samples {
		name := strings.Fields(s.line)[0]
		add("valid/"+s.line, s.home, s.line+";")
		for _, ctx := range oracleContexts {
			if ctx != s.home {
				add("context-"+ctx+"/"+s.line, ctx, s.line+";")
			}
		}
		add("extra-arg/"+s.line, s.home, s.line+" x;")
		if strings.Contains(s.line, " ") {
			add("no-args/"+s.line, s.home, name+";")
		} else {
			add("one-arg/"+s.line, s.home, name+" on;")
		}
		for _, v := range []string{"on", "off"} {
			if strings.HasSuffix(s.line, " "+v) {
				base := strings.TrimSuffix(s.line, v)
				add("flag-bad/"+s.line, s.home, base+"maybe;")
				add("flag-case/"+s.line, s.home, base+strings.ToUpper(v)+";")
			}
		}
		for _, typo := range typos(name) {
			add("typo/"+typo, s.home, typo+strings.TrimPrefix(s.line, name)+";")
		}
		add("duplicate/"+s.line, s.home, s.line+";", s.line+";")
		add("no-semicolon/"+s.line, s.home, s.line)
	}
	add("unknown/frobnicate", "location", "frobnicate on;")
	add("unknown/main", "main", "totally_unknown_thing 1;")
	for _, ls := range []struct {
		name, listen string
		first        bool
	}{
		{"two-default/same", "listen 127.0.0.1:PORT default_server", true},
		{"two-default/other-port", "listen 127.0.0.1:OTHERPORT default_server", true},
		{"one-default/same", "listen 127.0.0.1:PORT default_server", false},
		{"second-server/plain", "listen 127.0.0.1:PORT", false},
		{"second-server/plain-first-default", "listen 127.0.0.1:PORT", true},
		{"two-default/wildcard-and-ip", "listen PORT default_server", true},
	} {
		out = append(out, oracleCase{name: ls.name, lines: map[string][]string{}, extraServer: ls.listen, defaultFirst: ls.first})
	}
	// TLS on an address: its default server needs a certificate (its own
	// or the http block's) unless it refuses handshakes, and then the
	// other servers of the address need one (ssl-certificate-missing).
	cert := map[string]string{"cert.pem": oracleCert().cert, "key.pem": oracleCert().key}
	certLines := []string{"ssl_certificate DIR/cert.pem;", "ssl_certificate_key DIR/key.pem;"}
	for _, c := range []struct {
		name, ctx, listen string
		lines             []string
	}{
		{"tls/default-without", "server", "listen 127.0.0.1:PORT ssl", nil},
		{"tls/other-port-without", "server", "listen 127.0.0.1:OTHERPORT ssl", certLines},
		{"tls/http-level", "http", "listen 127.0.0.1:PORT ssl", certLines},
		{"tls/default-has-one", "server", "listen 127.0.0.1:PORT ssl", certLines},
		{"tls/reject-default-other-without", "server", "listen 127.0.0.1:PORT ssl", []string{"ssl_reject_handshake on;"}},
		{"tls/reject-default-http-level", "http", "listen 127.0.0.1:PORT ssl", append([]string{"ssl_reject_handshake on;"}, certLines...)},
		{"tls/plain-only", "server", "listen 127.0.0.1:PORT", nil},
	} {
		out = append(out, oracleCase{name: c.name, lines: map[string][]string{c.ctx: c.lines}, extraServer: c.listen, files: cert})
	}
	// Socket options on two listens of one address and port
	// (duplicate-listen-options); the other parameters may repeat.
	for _, c := range []struct{ name, first, listen string }{
		{"listen-options/reuseport-twice", " reuseport", "listen 127.0.0.1:PORT reuseport"},
		{"listen-options/reuseport-once", " reuseport", "listen 127.0.0.1:PORT"},
		{"listen-options/later-only", "", "listen 127.0.0.1:PORT backlog=64"},
		{"listen-options/backlog-and-rcvbuf", " backlog=64", "listen 127.0.0.1:PORT rcvbuf=64k"},
		{"listen-options/bind-twice", " bind", "listen 127.0.0.1:PORT bind"},
		{"listen-options/so_keepalive-and-deferred", " so_keepalive=on", "listen 127.0.0.1:PORT deferred"},
		{"listen-options/proxy_protocol-twice", " proxy_protocol", "listen 127.0.0.1:PORT proxy_protocol"},
		{"listen-options/other-port", " reuseport", "listen 127.0.0.1:OTHERPORT reuseport"},
		{"listen-options/wildcard-and-ip", " reuseport", "listen PORT reuseport"},
	} {
		out = append(out, oracleCase{name: c.name, lines: map[string][]string{}, extraServer: c.listen, firstParams: c.first})
	}
	// A pass target without a port, naming an upstream block or not
	// (pass-without-port); the template's upstream is "u".
	for _, line := range []string{"fastcgi_pass phpfpm;", "fastcgi_pass 127.0.0.1;", "uwsgi_pass [::1];",
		"grpc_pass grpc://backend;", "scgi_pass backend;", "memcached_pass backend;", "fastcgi_pass u;",
		"fastcgi_pass U;", "grpc_pass grpc://u;", "fastcgi_pass 127.0.0.1:9000;", "fastcgi_pass unix:/run/php.sock;",
		"proxy_pass http://u;", "proxy_pass http://u:80;", "proxy_pass http://U:8080/x;", "grpc_pass grpc://u:50051;",
		"fastcgi_pass u:9000;", "proxy_pass http://127.0.0.1:80;"} {
		add("pass-port/"+line, "location", line)
	}
	// Names nginx refuses in server_name, always or when a second server
	// shares the address (server-name-refused).
	for _, c := range []struct{ name, extra string }{
		{"*example.com", ""}, {"*", ""}, {"www.*.example.com", "listen 127.0.0.1:PORT"}, {"www.*.example.com", ""},
		{"a..example.com", "listen 127.0.0.1:PORT"}, {"www.example*", "listen 127.0.0.1:PORT"},
		{"*.example.*", "listen 127.0.0.1:PORT"}, {"www.*.example.com", "listen 127.0.0.1:OTHERPORT"},
		{".example.com", "listen 127.0.0.1:PORT"}, {"www.example.*", "listen 127.0.0.1:PORT"},
	} {
		out = append(out, oracleCase{name: "server_name/" + c.name + "/" + c.extra,
			lines: map[string][]string{"server": {"server_name " + c.name + ";"}}, extraServer: c.extra})
	}
	// Shared memory zones declared twice (zone-declared-twice).
	lrz := "limit_req_zone $binary_remote_addr zone=a:1m rate=1r/s;"
	for _, c := range []struct {
		name  string
		lines map[string][]string
	}{
		{"zones/limit_req-twice", map[string][]string{"http": {lrz, lrz}}},
		{"zones/limit_req-and-limit_conn", map[string][]string{"http": {lrz, "limit_conn_zone $binary_remote_addr zone=a:1m;"}}},
		{"zones/limit_req-two-names", map[string][]string{"http": {lrz, "limit_req_zone $server_name zone=b:1m rate=1r/s;"}}},
		{"zones/cache-path-twice", map[string][]string{"http": {"proxy_cache_path DIR/c1 keys_zone=c:1m;", "proxy_cache_path DIR/c2 keys_zone=c:1m;"}}},
		{"zones/cache-path-two-sizes", map[string][]string{"http": {"proxy_cache_path DIR/c1 keys_zone=c:1m;", "proxy_cache_path DIR/c2 keys_zone=c:2m;"}}},
		{"zones/proxy-and-fastcgi-cache", map[string][]string{"http": {"proxy_cache_path DIR/c1 keys_zone=c:1m;", "fastcgi_cache_path DIR/c2 keys_zone=c:1m;"}}},
		{"zones/ssl-session-shared", map[string][]string{"http": {"ssl_session_cache shared:S:1m;"}, "server": {"ssl_session_cache shared:S:1024k;"}}},
		{"zones/ssl-session-two-sizes", map[string][]string{"http": {"ssl_session_cache shared:S:1m;"}, "server": {"ssl_session_cache shared:S:2m;"}}},
		{"zones/ssl-session-and-ocsp", map[string][]string{"http": {"ssl_session_cache shared:S:1m;", "ssl_ocsp_cache shared:S:1m;"}}},
		{"zones/upstream-shared", map[string][]string{"upstream": {"zone z 64k;"}, "http": {"upstream v { zone z 64k; server 127.0.0.1:2; }"}}},
		{"zones/upstream-size-once", map[string][]string{"upstream": {"zone z;"}, "http": {"upstream v { zone z 64k; server 127.0.0.1:2; }"}}},
		{"zones/upstream-two-sizes", map[string][]string{"upstream": {"zone z 64k;"}, "http": {"upstream v { zone z 128k; server 127.0.0.1:2; }"}}},
		{"zones/upstream-and-limit", map[string][]string{"upstream": {"zone a 64k;"}, "http": {lrz}}},
	} {
		out = append(out, oracleCase{name: c.name, lines: c.lines})
	}
	// Peer verification without the CA certificates (tls-verify-without-ca).
	for _, c := range []struct {
		name  string
		lines map[string][]string
	}{
		{"verify/proxy-no-ca", map[string][]string{"location": {"proxy_pass https://127.0.0.1:1;", "proxy_ssl_verify on;"}}},
		{"verify/proxy-ca", map[string][]string{"location": {"proxy_pass https://127.0.0.1:1;", "proxy_ssl_verify on;", "proxy_ssl_trusted_certificate DIR/cert.pem;"}}},
		{"verify/proxy-inherited-no-ca", map[string][]string{"http": {"proxy_ssl_verify on;"}, "location": {"proxy_pass https://u;"}}},
		{"verify/proxy-plain", map[string][]string{"http": {"proxy_ssl_verify on;"}, "location": {"proxy_pass http://u;"}}},
		{"verify/grpc-no-ca", map[string][]string{"location": {"grpc_pass grpcs://127.0.0.1:1;", "grpc_ssl_verify on;"}}},
		{"verify/client-no-ca", map[string][]string{"server": append([]string{"ssl_verify_client on;"}, certLines...)}},
		{"verify/client-optional-no-ca", map[string][]string{"server": append([]string{"ssl_verify_client optional;"}, certLines...)}},
		{"verify/client-ca", map[string][]string{"server": append([]string{"ssl_verify_client on;", "ssl_client_certificate DIR/cert.pem;"}, certLines...)}},
		{"verify/client-optional_no_ca", map[string][]string{"server": append([]string{"ssl_verify_client optional_no_ca;"}, certLines...)}},
		{"verify/client-without-tls", map[string][]string{"server": {"ssl_verify_client on;"}}},
		{"verify/proxy-cert-no-key", map[string][]string{"location": {"proxy_pass https://127.0.0.1:1;", "proxy_ssl_certificate DIR/cert.pem;"}}},
		{"verify/proxy-cert-key", map[string][]string{"location": {"proxy_pass https://127.0.0.1:1;", "proxy_ssl_certificate DIR/cert.pem;", "proxy_ssl_certificate_key DIR/key.pem;"}}},
		{"verify/proxy-cert-inherited", map[string][]string{"http": {"proxy_ssl_certificate DIR/cert.pem;"}, "location": {"proxy_pass https://u;"}}},
		{"verify/proxy-cert-plain", map[string][]string{"http": {"proxy_ssl_certificate DIR/cert.pem;"}, "location": {"proxy_pass http://u;"}}},
		{"verify/client-trusted-only", map[string][]string{"server": append([]string{"ssl_verify_client on;", "ssl_trusted_certificate DIR/cert.pem;"}, certLines...)}},
	} {
		out = append(out, oracleCase{name: c.name, lines: c.lines, files: cert})
	}
	// Directives that repeat unless the lines clash (read in nginx's
	// handlers): two zones, two redirects, "off" beside a redirect.
	zones := "limit_req_zone $binary_remote_addr zone=a:1m rate=1r/s;"
	zones2 := "limit_req_zone $server_name zone=b:1m rate=1r/s;"
	for _, c := range []struct {
		name  string
		lines map[string][]string
	}{
		{"repeat/limit_req-two-zones", map[string][]string{"http": {zones, zones2}, "server": {"limit_req zone=a;", "limit_req zone=b;"}}},
		{"repeat/limit_req-same-zone", map[string][]string{"http": {zones}, "server": {"limit_req zone=a;", "limit_req zone=a burst=2;"}}},
		{"repeat/proxy_redirect-two", map[string][]string{"location": {"proxy_redirect http://a/ /;", "proxy_redirect http://b/ /;"}}},
		{"repeat/proxy_redirect-off", map[string][]string{"location": {"proxy_redirect http://a/ /;", "proxy_redirect off;"}}},
		{"repeat/mirror-two", map[string][]string{"location": {"mirror /a;", "mirror /b;"}}},
		{"repeat/mirror-off-first", map[string][]string{"location": {"mirror off;", "mirror /b;"}}},
	} {
		out = append(out, oracleCase{name: c.name, lines: c.lines})
	}
	out = append(out, includeCases()...)
	return append(out, mapCases()...)
}

// mapCases give a map two entries whose keys collide for nginx, or look
// alike and do not (map-duplicate-key), with and without hostnames.
func mapCases() []oracleCase {
	var out []oracleCase
	for i, pair := range [][2]string{
		{"a.example", "a.example"}, {"a.example", "A.EXAMPLE"}, {`"a.example"`, "a.example"}, {"''", `""`},
		{"a.example", "b.example"}, {"~^a", "~^a"}, {"~^a", "~*^A"}, {`\default`, "x.example"},
		{".example.com", "*.example.com"}, {".example.com", "example.com"}, {"*.example.com", "www.example.*"},
	} {
		for _, hostnames := range []bool{false, true} {
			body := []string{"map $host $m" + strconv.Itoa(i) + " {"}
			if hostnames {
				body = append(body, "hostnames;")
			}
			body = append(body, pair[0]+" 1;", pair[1]+" 2;", "}")
			out = append(out, oracleCase{name: fmt.Sprintf("map/%s-%s-hostnames=%v", pair[0], pair[1], hostnames),
				lines: map[string][]string{"http": body}})
		}
	}
	two := oracleCase{name: "map/two-defaults", lines: map[string][]string{"http": {"map $host $d {", "default 1;", "default 2;", "}"}}}
	out = append(out, two)
	// valid_referers values that nginx files in one hash per block
	for _, v := range []string{
		"a.example A.EXAMPLE", "a.example/x a.example/y", ".a.example *.a.example", ".a.example a.example",
		"*.a.example a.example", "www.* WWW.*", "a.* a", `""`, "*", "a*b", "*.", "a..b", "*.a.*", ". _ localhost",
	} {
		out = append(out, oracleCase{name: "valid_referers/" + v, lines: map[string][]string{"location": {"valid_referers " + v + ";"}}})
	}
	out = append(out, ownParserCases()...)
	out = append(out, oracleCase{name: "valid_referers/two-lines", lines: map[string][]string{"location": {"valid_referers a.example;", "valid_referers A.example/p;"}}})
	return out
}

// ownParserCases give the directives whose handler is their own
// (spec.CheckOwnParser) values nginx takes and values it refuses, near
// the edges of what it takes.
func ownParserCases() []oracleCase {
	var out []oracleCase
	for ctx, lines := range map[string][]string{
		"main": {"worker_processes auto", "worker_processes 4", "worker_processes AUTO", "worker_processes 2.5",
			"worker_priority -5", "worker_priority +5", "worker_priority 5", "worker_priority --5", "worker_priority high"},
		"events": {"worker_connections 1024", "worker_connections 1k", "use epoll", "use EPOLL", "use poll", "use /dev/epoll"},
		"upstream": {"keepalive 16", "keepalive 16k", "server 127.0.0.1:1 weight=5 max_fails=3 fail_timeout=30s",
			"server 127.0.0.1:1 backup", "server 127.0.0.1:1 down max_conns=10", "server 127.0.0.1:1 weight=0",
			"server 127.0.0.1:1 weight=x", "server 127.0.0.1:1 max_fail=3", "server 127.0.0.1:1 fail_timeout=10sec",
			"server 127.0.0.1:1 Backup", "server 127.0.0.1:1 max_conns=-1", "server 127.0.0.1:1 fail_timeout=1m 30s"},
		"server": {"return 301 https://example.com$request_uri", "return https://example.com", "return $scheme://example.com",
			"return 200 ok", "return 1000", "return example.com", "return HTTPS://example.com", "return $status",
			"return https://example.com 301", "set $a 1", "set a 1", "set ${a} 1",
			"allow 10.0.0.0/8", "allow 10.0.0.1", "allow ::1", "allow 2001:db8::/32", "allow 2001:db8::/129",
			"allow 1..2.3", "allow 255.255.255.255", "allow 256.0.0.1", "allow 10.0.0.0/33", "allow 10.0.0.0/x",
			"allow localhost", "allow 10.0.0.0/8,192.168.0.0/16", "allow unix:", "deny all", "deny All",
			"error_page 404 /404.html", "error_page 500 502 503 504 /50x.html", "error_page 404 = /x", "error_page 404 =200 /x",
			"error_page 404 =x /x", "error_page = /x", "error_page 499 /x", "error_page 200 /x", "error_page 404 @named",
			"error_page 600 /x", "error_page x /x",
			"proxy_cache_valid 10m", "proxy_cache_valid 200 302 10m", "proxy_cache_valid any 1m", "proxy_cache_valid 99 1m",
			"proxy_cache_valid 200 10 minutes", "proxy_cache_valid ANY 1m", "fastcgi_cache_valid 404 1m",
			"ssl_session_cache shared:SSL:10m", "ssl_session_cache builtin:1000 shared:SSL:10m", "ssl_session_cache none",
			"ssl_session_cache shared:SSL:1k", "ssl_session_cache shared::10m", "ssl_session_cache shared:SSL",
			"ssl_session_cache builtin:x", "ssl_session_cache Off", "ssl_session_cache shared:SSL:10mb",
			"limit_rate_after 10m", "limit_rate_after 10 m", "proxy_limit_rate 1g", "proxy_limit_rate 1G", "fastcgi_limit_rate 10k",
			"uwsgi_limit_rate x", "scgi_limit_rate 5",
			"add_header X-A 1 always", "add_header X-A 1 Always", "add_header X-A 1 allways", "add_trailer X-A 1 always",
			"open_file_cache max=1000 inactive=20s", "open_file_cache off", "open_file_cache max=0", "open_file_cache inactive=20s",
			"open_file_cache max=1000 inactive=20 seconds", "open_file_cache max=1000 min_uses=2", "open_file_cache Off"},
		"location": {"proxy_pass http://127.0.0.1:8080", "proxy_pass HTTP://127.0.0.1:8080", "proxy_pass 127.0.0.1:8080",
			"proxy_pass localhost:3000", "proxy_pass $backend", "proxy_pass ${BACKEND}", "proxy_pass https://127.0.0.1",
			"proxy_redirect off", "proxy_redirect Off", "proxy_redirect none", "proxy_redirect http://a/ /"},
		"http": {"limit_conn_zone $binary_remote_addr zone=perip:1m", "limit_conn_zone $binary_remote_addr zone=perip:16k",
			"limit_conn_zone $binary_remote_addr zone=perip", "limit_conn_zone $binary_remote_addr", "limit_conn_zone $a zone=:1m",
			"limit_conn_zone $a zone=z:1m x", "limit_req_zone $binary_remote_addr zone=one:10m rate=1r/s",
			"limit_req_zone $a zone=one:10m rate=30r/m", "limit_req_zone $a zone=one:10m rate=5", "limit_req_zone $a zone=one:10m rate=1r/h",
			"limit_req_zone $a zone=one:10m rate=0r/s", "limit_req_zone $a zone=one:10m rate=1.5r/s", "limit_req_zone $a zone=one:10mb rate=1r/s",
			"limit_req_zone $a rate=1r/s", "limit_req_zone $a zone=one:10m rate=1r/s sync", "limit_req_zone $a zone=one:4k rate=1r/s"},
		"if": {"expires 1h", "expires -1", "expires +1d", "expires epoch", "expires max", "expires off", "expires modified 1h",
			"expires modified max", "expires @15h30m", "expires @25h", "expires modified @1h", "expires 1 hour", "expires Max",
			"expires $expiry", "expires access 1h", "expires 1d 2h", "limit_rate 100k", "limit_rate 1mb", "limit_rate $rate"},
	} {
		for _, l := range lines {
			out = append(out, oracleCase{name: "own/" + l, lines: map[string][]string{ctx: {l + ";"}}})
		}
	}
	for _, l := range []string{"limit_req zone=one", "limit_req zone=one burst=5", "limit_req zone=one burst=5 nodelay",
		"limit_req zone=one burst=10 delay=5", "limit_req zone=one burst=0", "limit_req zone=one burst=x", "limit_req zone=one delay=0",
		"limit_req zone=one fast", "limit_req burst=5", "limit_req zone=one NODELAY"} {
		out = append(out, oracleCase{name: "own/" + l, lines: map[string][]string{
			"http": {"limit_req_zone $binary_remote_addr zone=one:1m rate=1r/s;"}, "location": {l + ";"}}})
	}
	// proxy_pass with and without a URI part where nginx has no prefix to
	// replace (proxy-pass-uri-refused)
	for _, block := range []string{"location ~ ^/a/", "location ~* x", "location @n", "location /p/", "location = /e", "if ($arg_x)", "limit_except GET"} {
		for _, url := range []string{"http://127.0.0.1:1/", "http://127.0.0.1:1/v1/", "http://127.0.0.1:1", "http://127.0.0.1:1?x",
			"http://unix:/tmp/s.sock:/u", "http://127.0.0.1:1/$1"} {
			lines := []string{block + " {", "proxy_pass " + url + ";", "}"}
			ctx := "server"
			if !strings.HasPrefix(block, "location") {
				ctx = "location"
			}
			out = append(out, oracleCase{name: "uri/" + block + " " + url, lines: map[string][]string{ctx: lines}})
		}
	}
	// caches that name a zone defined, misspelt, or of another module
	// (zone-undefined)
	for _, c := range []string{"proxy_cache one", "proxy_cache One", "proxy_cache two", "proxy_cache off", "proxy_cache $z",
		"fastcgi_cache one", "fastcgi_cache fcgi", "proxy_cache fcgi"} {
		out = append(out, oracleCase{name: "zone/" + c, lines: map[string][]string{
			"http":     {"proxy_cache_path DIR/c keys_zone=one:1m;", "fastcgi_cache_path DIR/f keys_zone=fcgi:1m;", "map $uri $z { default one; }"},
			"location": {c + ";"}}})
	}
	for _, params := range []string{"keys_zone=a:10m", "levels=1:2 keys_zone=a:10m inactive=60m max_size=1g use_temp_path=off",
		"levels=1:2:2 keys_zone=a:1m", "levels=3 keys_zone=a:1m", "levels=1:2:1:2 keys_zone=a:1m", "levels= keys_zone=a:1m",
		"levels=1: keys_zone=a:1m", "keys_zone=a:4k", "keys_zone=a", "keys_zone=a:10mb", "keys_zone=:1m", "levels=1:2",
		"keys_zone=a:1m inactive=1 hour", "keys_zone=a:1m max_size=10G", "keys_zone=a:1m min_free=1m",
		"keys_zone=a:1m use_temp_path=Off", "keys_zone=a:1m loader_files=100 loader_sleep=50ms manager_threshold=200",
		"keys_zone=a:1m loader_files=x", "keys_zone=a:1m manager_sleep=1x", "keys_zone=a:1m keys_zones=b:1m"} {
		out = append(out, oracleCase{name: "own/proxy_cache_path " + params, lines: map[string][]string{
			"http": {"proxy_cache_path DIR/cache " + params + ";"}}})
	}
	// log_format names and the formats access_log looks up (log-format-name)
	for i, lines := range [][]string{
		{"log_format main '$uri';", "access_log DIR/a.log main;"}, {"access_log DIR/a.log main;", "log_format main '$uri';"},
		{"log_format main '$uri';", "log_format main '$uri';"}, {"log_format Main '$uri';", "log_format main '$uri';"},
		{"log_format combined '$uri';"}, {"log_format Combined '$uri';"}, {"access_log DIR/a.log COMBINED;"},
		{"log_format main '$uri';", "access_log DIR/a.log MAIN;"}, {"access_log DIR/a.log buffer=32k;"},
		{"access_log DIR/a.log combined buffer=32k;"}, {"access_log DIR/a.log json;"},
	} {
		out = append(out, oracleCase{name: fmt.Sprintf("logformat/%d %s", i, strings.Join(lines, " ")), lines: map[string][]string{"http": lines}})
	}
	for _, flag := range []string{"last", "break", "redirect", "permanent", "breaks", "Last", "301"} {
		out = append(out, oracleCase{name: "own/rewrite " + flag, lines: map[string][]string{"location": {"rewrite ^/a/(.*)$ /$1 " + flag + ";"}}})
	}
	for _, up := range []string{"ip_hash;", "hash $uri;", "random;", "least_conn;", ""} {
		for _, order := range []bool{true, false} {
			lines := []string{"upstream u {", "server 127.0.0.1:1;", "server 127.0.0.1:2 backup;", "}"}
			if up != "" && order {
				lines = append(lines[:1], append([]string{up}, lines[1:]...)...)
			} else if up != "" {
				lines = append(lines[:3], append([]string{up}, lines[3:]...)...)
			}
			out = append(out, oracleCase{name: fmt.Sprintf("own/backup %s first=%v", up, order), lines: map[string][]string{"http": lines}})
		}
	}
	for _, b := range []string{"10.0.0.1", "10.0.0.1:0", "10.0.0.1:8080", "::1", "[::1]", "[::1]:8080", "off", "$remote_addr",
		"localhost", "10.0.0.256", "10.0.0.1 transparent", "10.0.0.1 transparentx", "off transparent", "x"} {
		out = append(out, oracleCase{name: "own/proxy_bind " + b, lines: map[string][]string{"location": {"proxy_bind " + b + ";"}}})
	}
	for _, l := range []string{"aio on", "aio off", "aio threads", "aio threads=default", "aio yes", "aio On", "directio off",
		"directio 4m", "directio 4mb", "directio 1g", "proxy_store_access user:rw group:r all:r", "proxy_store_access user:rwx",
		"proxy_store_access owner:rw", "dav_access group:rw", "dav_access users:rw"} {
		out = append(out, oracleCase{name: "own/" + l, lines: map[string][]string{"location": {l + ";"}}})
	}
	for i, lines := range map[string][]string{
		"server":   {"proxy_redirect default;"},
		"location": {"proxy_pass http://127.0.0.1:1;", "proxy_redirect default;"},
		"if":       {"proxy_redirect default;", "proxy_pass http://127.0.0.1:1;"},
	} {
		out = append(out, oracleCase{name: "own/proxy_redirect default in " + i, lines: map[string][]string{i: lines}})
	}
	out = append(out, oracleCase{name: "own/proxy_redirect default after a variable", lines: map[string][]string{
		"location": {"proxy_pass http://$host;", "proxy_redirect default;"}}})
	for _, l := range []string{"open_log_file_cache max=1000 inactive=20s valid=1m min_uses=2", "open_log_file_cache off",
		"open_log_file_cache max=0", "open_log_file_cache inactive=20s", "open_log_file_cache max=10 min_uses=x",
		"open_log_file_cache max=10 valid=1 minute", "open_log_file_cache max=10 maxx=2"} {
		out = append(out, oracleCase{name: "own/" + l, lines: map[string][]string{"http": {l + ";"}}})
	}
	for _, l := range []string{"worker_cpu_affinity auto", "worker_cpu_affinity auto 0101", "worker_cpu_affinity 01 10",
		"worker_cpu_affinity 0x3", "worker_cpu_affinity auto 01 10", "worker_cpu_affinity 1,2"} {
		out = append(out, oracleCase{name: "own/" + l, lines: map[string][]string{"main": {l + ";"}}})
	}
	// listen parameters (invalid-argument-value)
	for _, params := range []string{"default_server", "default_sever", "Default_server", "default", "reuseport", "deferred", "bind",
		"backlog=511", "backlog=0", "backlog=-1", "rcvbuf=8k", "rcvbuf=8kb", "sndbuf=1m", "fastopen=256", "fastopen=x",
		"ipv6only=on", "ipv6only=On", "ipv6only=ox", "so_keepalive=on", "so_keepalive=ON", "so_keepalive=30m::10",
		"so_keepalive=::", "so_keepalive=0", "so_keepalive=1:2:3:4", "so_keepalive=:10:", "proxy_protocol", "http2", "ssl2"} {
		out = append(out, oracleCase{name: "own/listen " + params, lines: map[string][]string{
			"http": {"server {", "listen 127.0.0.1:PORT " + params + ";", "}"}}})
	}
	zone := map[string][]string{"http": {"limit_conn_zone $binary_remote_addr zone=perip:1m;"}}
	for _, n := range []string{"10", "0", "65535", "65536", "x"} {
		c := oracleCase{name: "own/limit_conn perip " + n, lines: map[string][]string{"server": {"limit_conn perip " + n + ";"}}}
		c.lines["http"] = zone["http"]
		out = append(out, c)
	}
	return out
}

// includeCases put the faults in an included snippet, where nginx names
// the snippet's line (and ngxlint reports at the snippet, once).
func includeCases() []oracleCase {
	inc := func(name string, body string, where ...string) oracleCase {
		c := oracleCase{name: "include/" + name, lines: map[string][]string{}, files: map[string]string{"snip.conf": body}}
		for _, w := range where {
			c.lines[w] = append(c.lines[w], "include DIR/snip.conf;")
		}
		return c
	}
	out := []oracleCase{
		inc("proxy-in-location", "proxy_pass http://127.0.0.1:1;\n", "location"),
		inc("proxy-in-location-and-server", "proxy_pass http://127.0.0.1:1;\n", "location", "server"),
		inc("proxy-in-server", "proxy_set_header A b;\nproxy_pass http://127.0.0.1:1;\n", "server"),
		inc("root-twice", "expires 1h;\nroot /tmp;\n", "server", "server"),
		inc("root-once-per-level", "root /tmp;\n", "server", "location"),
		inc("typo", "gzip on;\ngzipp on;\n", "http"),
		inc("flag", "gzip maybe;\n", "location"),
		inc("count", "proxy_pass;\n", "location"),
		inc("events-in-http", "worker_connections 10;\n", "http"),
		inc("events-in-events", "worker_connections 10;\n", "events"),
		inc("main-in-main", "worker_processes 2;\n", "main"),
		inc("main-twice", "worker_processes 2;\n", "main", "main"),
		inc("no-semicolon", "gzip on\n", "http"),
	}
	dup := inc("root-beside-server-root", "root /srv;\n", "server")
	dup.lines["server"] = append([]string{"root /tmp;"}, dup.lines["server"]...)
	return append(out, dup)
}

// typos misspells name twice: the last letter doubled, and two inner
// letters swapped; a spelling that is itself a directive is skipped.
func typos(name string) []string {
	cands := []string{name + name[len(name)-1:]}
	if len(name) > 3 {
		b := []byte(name)
		i := len(b) / 2
		if b[i] != b[i-1] {
			b[i], b[i-1] = b[i-1], b[i]
			cands = append(cands, string(b))
		}
	}
	var out []string
	for _, c := range cands {
		if spec.Lookup(c) == nil {
			out = append(out, c)
		}
	}
	return out
}

var nginxLineRE = regexp.MustCompile(`\[emerg\] (.*) in (\S+):(\d+)\s*$`)

type oracleResult struct {
	accept bool
	file   string // absolute
	line   int
	msg    string
}

func runNginxT(ctx context.Context, bin, dir, conf string) (oracleResult, error) {
	cmd := exec.CommandContext(ctx, bin, "-t", "-q", "-p", dir+"/", "-e", "stderr", "-c", conf,
		"-g", "pid "+dir+"/nginx.pid; error_log stderr;")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if err == nil {
		return oracleResult{accept: true}, nil
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		return oracleResult{}, err
	}
	for _, l := range strings.Split(stderr.String(), "\n") {
		if m := nginxLineRE.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[3])
			return oracleResult{file: m[2], line: n, msg: m[1]}, nil
		}
	}
	return oracleResult{msg: strings.TrimSpace(stderr.String())}, nil
}

// oracleRules are the rules whose errors say "nginx refuses to start":
// the validity family, the loader's syntax rule, duplicate default
// servers, TLS addresses without a certificate, an address listened on
// twice, socket options set twice on one, a pass target without a port
// or with one on an upstream, a shared memory zone declared twice, and a
// server_name nginx refuses.
func oracleRules(t *testing.T) []*analyzer.Rule {
	var out []*analyzer.Rule
	for _, r := range rules.All() {
		if strings.HasPrefix(r.ID, "NGX3") || r.Name == "nginx-syntax" || r.Name == "duplicate-default-server" || r.Name == "ssl-certificate-missing" ||
			r.Name == "duplicate-listen-options" || r.Name == "duplicate-listen" || r.Name == "pass-without-port" ||
			r.Name == "zone-declared-twice" || r.Name == "pass-port-on-upstream" ||
			r.Name == "server-name-refused" || r.Name == "tls-verify-without-ca" {
			out = append(out, r)
		}
	}
	if len(out) < 8 {
		t.Fatalf("only %d oracle rules", len(out))
	}
	return out
}

func lineKey(file string, line int) string { return file + ":" + strconv.Itoa(line) }

func runNgxlint(t *testing.T, conf string, rs []*analyzer.Rule) (bool, map[string][]string) {
	ws, err := analyzer.Load([]string{conf}, analyzer.LoadOptions{})
	if err != nil {
		t.Fatalf("load %s: %v", conf, err)
	}
	findings, errs := analyzer.RunWith(ws, rs, rules.All(), &analyzer.Settings{NginxVersion: oracleVersion})
	for _, e := range errs {
		t.Errorf("rule error: %v", e)
	}
	// Each error counts on every line its span covers: nginx names the
	// line where it noticed the problem (the '{' or '}' after a missing
	// ';'), which may be below the directive.
	lines := map[string][]string{}
	for _, f := range findings {
		if f.Severity == analyzer.Error {
			file, err := filepath.Abs(f.Span.File)
			if err != nil {
				t.Fatal(err)
			}
			for l := f.Span.Start.Line; l <= f.Span.End.Line; l++ {
				k := lineKey(file, int(l))
				lines[k] = append(lines[k], f.Rule.Name+": "+f.Message)
			}
		}
	}
	return len(lines) == 0, lines
}

// structural are nginx's verdicts that the rules under test own: the
// directive's name, context, argument count and shape, duplicates,
// syntax and listen sockets. Any other rejection comes from a directive's
// own handler judging an argument's value (an invalid size, an unknown
// parameter, a host that does not resolve): the invalid-argument-value
// rule's domain, which this branch does not build, so a case nginx
// rejects that way while ngxlint accepts is counted as excluded.
var structural = regexp.MustCompile(`unknown directive|is not allowed here|invalid number of arguments|` +
	`is duplicate|is not terminated by|has no opening|unexpected "[{};]"|unexpected end of file|duplicate listen|` +
	`duplicate default server|it must be "on" or "off"|duplicate default map parameter|cannot have URI part|zone "[^"]*" is unknown|duplicate "log_format" name|unknown log format|` +
	`no port in upstream|may not have port|for ssl_verify_client|ssl_certificate_key" is defined for certificate|for proxy_ssl_verify|for grpc_ssl_verify|server name "[^"]*" is invalid|invalid server name or wildcard "[^"]*" on|is already bound to key|duplicate zone|already declared for a different use|conflicts with already declared size`)

// hashConflict is nginx's word for a key given twice in a map (the rule
// map-duplicate-key) or in valid_referers (valid-referers-refused, which
// also owns its other refusals); other hashes (server_name ...) say it
// too, for what no rule under test reads.
var hashConflict = regexp.MustCompile(`conflicting parameter|invalid referer|invalid hostname or wildcard`)

// mergeTime are nginx's errors found when a block's settings are merged,
// which name the line where the block ends, not the directive: ngxlint
// agrees by refusing the case, at the directive.
var mergeTime = regexp.MustCompile(`zone "[^"]*" is unknown`)

var unknownRE = regexp.MustCompile(`unknown directive "([^"]+)"`)

// excludedReason says why a case is not held to agreement, or "". ok is
// whether ngxlint agreed (accepted with nginx, or reported an error on
// the line nginx names): nginx stops at its first error, so a value
// error ngxlint cannot see hides a later one ngxlint reports.
func excludedReason(name string, nginxRes oracleResult, ngxAccept, ok bool) string {
	if ok {
		return ""
	}
	if m := unknownRE.FindStringSubmatch(nginxRes.msg); m != nil {
		for _, e := range spec.Lookup(m[1]) {
			if e.Has(spec.Version{Major: 1, Minor: 22, Patch: 1}) {
				return "nginx 1.22.1 has " + m[1] + " (" + e.Module + "), but this build does not include its module"
			}
		}
	}
	hashCase := (strings.HasPrefix(name, "map/") || strings.Contains(name, "valid_referers")) && hashConflict.MatchString(nginxRes.msg)
	// the own-parser cases are the checks of invalid-argument-value that
	// read a handler of nginx's; held to agreement but where the verdict
	// depends on how nginx was built (an event method, file AIO)
	ownCase := strings.HasPrefix(name, "own/") && !strings.HasPrefix(name, "own/use ") && name != "own/aio on"
	if !nginxRes.accept && !structural.MatchString(nginxRes.msg) && !hashCase && !ownCase {
		return "nginx rejects an argument value (" + nginxRes.msg + "): invalid-argument-value, not built in this branch"
	}
	return ""
}

func TestOracleNginxT(t *testing.T) {
	bin := oracleNginx(t)
	rs := oracleRules(t)
	cases := oracleCases()
	// Every directive of the table with placeholder arguments: a quarter
	// of them by default (to stay well under a minute on a busy machine),
	// all with NGXLINT_ORACLE_WIDE=1.
	step := 4
	if os.Getenv("NGXLINT_ORACLE_WIDE") == "1" {
		step = 1
	}
	cases = append(cases, wideCases(spec.Version{Major: 1, Minor: 22, Patch: 1}, step)...)
	if len(cases) < 300 {
		t.Fatalf("only %d cases generated; the oracle needs at least 300", len(cases))
	}
	root := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	type outcome struct {
		c      oracleCase
		conf   string
		nginx  oracleResult
		err    error
		accept bool
		lines  map[string][]string
	}
	outcomes := make([]outcome, len(cases))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, c := range cases {
		dir := filepath.Join(root, strconv.Itoa(i))
		if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o755); err != nil {
			t.Fatal(err)
		}
		conf := filepath.Join(dir, "nginx.conf")
		port := 20000 + i%20000
		text := strings.ReplaceAll(c.render(dir, port), "OTHERPORT", strconv.Itoa(port+20000))
		text = strings.ReplaceAll(strings.ReplaceAll(text, "PORT", strconv.Itoa(port)), "DIR", dir)
		for name, body := range c.files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.ReplaceAll(body, "DIR", dir)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		outcomes[i] = outcome{c: c, conf: conf}
		wg.Add(1)
		go func(o *outcome) {
			defer wg.Done()
			sem <- struct{}{}
			o.nginx, o.err = runNginxT(ctx, bin, filepath.Dir(o.conf), o.conf)
			<-sem
		}(&outcomes[i])
	}
	wg.Wait()
	agree, disagree, excluded, rejected := 0, 0, 0, 0
	var report []string
	for i := range outcomes {
		o := &outcomes[i]
		if o.err != nil {
			t.Fatalf("%s: nginx -t: %v", o.c.name, o.err)
		}
		o.accept, o.lines = runNgxlint(t, o.conf, rs)
		if !o.nginx.accept {
			rejected++
		}
		ok := o.accept == o.nginx.accept
		if ok && !o.accept && o.nginx.line > 0 && !mergeTime.MatchString(o.nginx.msg) && len(o.lines[lineKey(o.nginx.file, o.nginx.line)]) == 0 {
			ok = false
		}
		if reason := excludedReason(o.c.name, o.nginx, o.accept, ok); reason != "" {
			excluded++
			t.Logf("excluded %s: %s", o.c.name, reason)
			continue
		}
		if ok {
			agree++
			continue
		}
		disagree++
		var got []string
		for l, ms := range o.lines {
			got = append(got, fmt.Sprintf("%s: %s", l, strings.Join(ms, " | ")))
		}
		sort.Strings(got)
		src, _ := os.ReadFile(o.conf)
		report = append(report, fmt.Sprintf("%s: nginx accept=%v at %s:%d %q; ngxlint accept=%v %v\n%s", o.c.name,
			o.nginx.accept, o.nginx.file, o.nginx.line, o.nginx.msg, o.accept, got, src))
	}
	t.Logf("oracle: %d cases (nginx -t rejects %d), %d agree, %d disagree, %d excluded", len(cases), rejected, agree,
		disagree, excluded)
	if rejected < 100 || len(cases)-rejected < 100 {
		t.Errorf("nginx rejected %d of %d cases: the generator no longer mixes valid and invalid configurations", rejected, len(cases))
	}
	for _, r := range report {
		t.Error(r)
	}
}

// wideCases places every step-th directive of the table that nginx 1.22.1 has in
// its http, events and main contexts (stream and mail are not loaded in
// nginx-light) with placeholder arguments: in a context it allows, in
// one it does not, twice, and with one argument too many or too few. Only
// nginx's structural verdicts are compared; what a handler says about
// the placeholder values is the value rules' business.
func wideCases(v spec.Version, step int) []oracleCase {
	var out []oracleCase
	seen := map[string]bool{}
	ctxPaths := map[string][]string{
		"main": nil, "events": {"events"}, "http": {"http"}, "upstream": {"http", "upstream"},
		"server": {"http", "server"}, "location": {"http", "server", "location"}, "if": {"http", "server", "location", "if"},
	}
	for _, d := range spec.All() {
		if d.Source != "nginx" || !d.Has(v) || d.Args.Block || seen[d.Name] || wideSkip[d.Name] {
			continue
		}
		home, wrong := "", ""
		for _, c := range oracleContexts {
			allowed := false
			for _, e := range spec.Lookup(d.Name) {
				if ok, _ := e.AllowedIn(ctxPaths[c]); ok && e.Has(v) {
					allowed = true
				}
			}
			switch {
			case allowed && home == "":
				home = c
			case !allowed && wrong == "":
				wrong = c
			}
		}
		if home == "" {
			continue // stream or mail only
		}
		seen[d.Name] = true
		if len(seen)%step != 0 {
			continue
		}
		args := placeholderArgs(d.Args, d.Args.Min)
		line := strings.TrimSpace(d.Name+" "+args) + ";"
		out = append(out, oracleCase{name: "wide-home/" + d.Name, lines: map[string][]string{home: {line}}})
		if wrong != "" {
			out = append(out, oracleCase{name: "wide-context-" + wrong + "/" + d.Name, lines: map[string][]string{wrong: {line}}})
		}
		out = append(out, oracleCase{name: "wide-duplicate/" + d.Name, lines: map[string][]string{home: {line, line}}})
		if !d.Args.Any && !d.Args.Flag && d.Args.Max >= 0 && d.Args.Max < 7 {
			l := strings.TrimSpace(d.Name+" "+placeholderArgs(d.Args, d.Args.Max+1)) + ";"
			out = append(out, oracleCase{name: "wide-count-more/" + d.Name, lines: map[string][]string{home: {l}}})
		}
		if d.Args.Min > 0 {
			l := strings.TrimSpace(d.Name+" "+placeholderArgs(d.Args, d.Args.Min-1)) + ";"
			out = append(out, oracleCase{name: "wide-count-less/" + d.Name, lines: map[string][]string{home: {l}}})
		}
	}
	return out
}

// wideSkip are directives whose placeholder would touch the machine or
// clash with the template: files nginx opens while testing, the pid and
// logs the command line sets, and directives the template already has.
var wideSkip = map[string]bool{"include": true, "load_module": true, "pid": true, "error_log": true, "lock_file": true,
	"working_directory": true, "access_log": true, "listen": true, "client_body_temp_path": true, "proxy_temp_path": true,
	"fastcgi_temp_path": true, "uwsgi_temp_path": true, "scgi_temp_path": true, "user": true, "daemon": true,
	"master_process": true, "env": true, "google_perftools_profiles": true, "ssl_engine": true, "debug_points": true}

func placeholderArgs(a spec.Arity, n int) string {
	if a.Flag && n == 1 {
		return "on"
	}
	return strings.TrimSpace(strings.Repeat("x ", n))
}

// oracleCert is a self-signed certificate and its key in PEM, made once:
// nginx -t loads the certificates a case names.
var oracleCert = sync.OnceValue(func() (pair struct{ cert, key string }) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "oracle.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		panic(err)
	}
	pair.cert = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	pair.key = string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}))
	return pair
})
