package benchgen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Shapes are configurations that repeat one construct n times, each in the
// way that would make a rule or a model quadratic if it compared every
// instance with every other: many locations in one server, many servers
// on one port, many lines a level inherits and its locations drop. Lint
// time per instance should stay flat as n grows (BenchmarkShapes).
func Shapes(n int) map[string]string {
	http := func(body string) string { return "events {}\nhttp {\n" + body + "}\n" }
	rep := func(format func(i int) string) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(format(i))
		}
		return b.String()
	}
	return map[string]string{
		"locations": http("  upstream app { server 10.0.0.1:8080; keepalive 8; }\n  server {\n    listen 80;\n" + rep(func(i int) string {
			return fmt.Sprintf("    location /p%d/ { proxy_pass http://app; proxy_set_header Host $host; add_header X-A%d v; }\n", i, i)
		}) + "  }\n"),
		"regex-locations": http("  server {\n    listen 80;\n" + rep(func(i int) string {
			return fmt.Sprintf("    location ~ ^/r%d/(.*)$ { return 200 $1; }\n", i)
		}) + "  }\n"),
		"nested-locations": http("  server {\n    listen 80;\n" + rep(func(i int) string {
			return fmt.Sprintf("    location /n%d/ { location /n%d/a/ { location /n%d/a/b/ { root /srv; } } }\n", i, i, i)
		}) + "  }\n"),
		"servers": http(rep(func(i int) string {
			return fmt.Sprintf("  server { listen 80; server_name s%d.example www.s%d.example; location / { root /srv/s%d; } }\n", i, i, i)
		})),
		"listens": http(rep(func(i int) string {
			return fmt.Sprintf("  server { listen %d ssl; listen [::]:%d ssl; ssl_certificate /c.pem; ssl_certificate_key /c.key; server_name x%d; }\n",
				10000+i, 10000+i, i)
		})),
		"upstream-servers": http("  upstream big {\n" + rep(func(i int) string {
			return fmt.Sprintf("    server 10.%d.%d.%d:80 weight=2;\n", i>>16&255, i>>8&255, i&255)
		}) + "  }\n  server { listen 80; location / { proxy_pass http://big; } }\n"),
		"maps": http(rep(func(i int) string {
			return fmt.Sprintf("  map $uri $v%d { default 0; /a%d 1; }\n", i, i)
		}) + "  server {\n    listen 80;\n    location / {\n" + rep(func(i int) string {
			return fmt.Sprintf("      add_header X-V%d $v%d;\n", i, i)
		}) + "    }\n  }\n"),
		"ifs": http("  server {\n    listen 80;\n" + rep(func(i int) string {
			return fmt.Sprintf("    set $a%d $uri;\n    if ($a%d ~ x%d) { return 404; }\n", i, i, i)
		}) + "  }\n"),
		"zones": http(rep(func(i int) string {
			return fmt.Sprintf("  limit_req_zone $binary_remote_addr zone=z%d:1m rate=1r/s;\n", i)
		}) + "  server {\n    listen 80;\n" + rep(func(i int) string {
			return fmt.Sprintf("    location /z%d { limit_req zone=z%d; }\n", i, i)
		}) + "  }\n"),
		"log-formats": http(rep(func(i int) string {
			return fmt.Sprintf("  log_format f%d '$remote_addr $request';\n", i)
		}) + "  server {\n    listen 80;\n" + rep(func(i int) string {
			return fmt.Sprintf("    access_log /var/log/nginx/a%d.log f%d;\n", i, i)
		}) + "  }\n"),
		"allow-lines": http("  server {\n    listen 80;\n    location / {\n" + rep(func(i int) string {
			return fmt.Sprintf("      allow 10.%d.%d.0/24;\n", i>>8&255, i&255)
		}) + "      deny all;\n    }\n  }\n"),
		"ifs-in-location": http("  server {\n    listen 80;\n    location / {\n" + rep(func(i int) string {
			return fmt.Sprintf("      if ($arg_a%d) { set $x%d 1; }\n", i, i)
		}) + "    }\n  }\n"),
		// Each location's target is a variable: a request-time lookup
		// whose implicit upstream twin was sought among every pass.
		"variable-passes": http("  resolver 10.0.0.53;\n  server {\n    listen 80;\n" + rep(func(i int) string {
			return fmt.Sprintf("    location /p%d { set $b%d backend%d.internal; proxy_pass http://$b%d; }\n", i, i, i, i)
		}) + "  }\n"),
		// Lines that may repeat unless one is off: each was compared
		// with every earlier one.
		"proxy-redirects": http("  server {\n    listen 80;\n    location / {\n      proxy_pass http://127.0.0.1:8080;\n" + rep(func(i int) string {
			return fmt.Sprintf("      proxy_redirect http://a%d/ /b%d/;\n", i, i)
		}) + "    }\n  }\n"),
		// One upstream of many resolved names: its resolver was looked
		// for in the whole block once per server.
		"resolved-servers": http("  resolver 10.0.0.53;\n  upstream u {\n    zone u 1m;\n" + rep(func(i int) string {
			return fmt.Sprintf("    server h%d.internal:80 resolve;\n", i)
		}) + "  }\n  server { listen 80; location / { proxy_pass http://u; } }\n"),
		// One variable built up line by line: the variables model walked
		// the lines in every order (ten took over a minute).
		"appending-sets": http("  server {\n    listen 80;\n    location / {\n" + rep(func(i int) string {
			return fmt.Sprintf("      set $v \"$v,a%d\";\n", i)
		}) + "      return 200 $v;\n    }\n  }\n"),
		// Many if blocks in one location, each passing the request and
		// reading a capture: the location was read again for each.
		"if-blocks": http("  server {\n    listen 80;\n    location / {\n      proxy_pass http://127.0.0.1:8080;\n" + rep(func(i int) string {
			return fmt.Sprintf("      if ($arg_a%d) { add_header X-C%d $1; proxy_pass http://127.0.0.1:8080; }\n", i, i)
		}) + "    }\n  }\n"),
		// One value made of many variables: its names were deduplicated
		// by a scan of those already listed.
		"long-template": http("  server {\n    listen 80;\n    location / {\n      set $x \"" + rep(func(i int) string {
			return fmt.Sprintf("$arg_a%d,", i)
		}) + "\";\n      return 200 $x;\n    }\n  }\n"),
		// Each location sets and reads one variable: every query read
		// all of its definitions.
		"location-sets": http("  resolver 10.0.0.53;\n  server {\n    listen 80;\n" + rep(func(i int) string {
			return fmt.Sprintf("    location /s%d { set $backend http://b%d.internal; proxy_pass $backend; }\n", i, i)
		}) + "  }\n"),
		// Each location turns buffering off: the server's level was
		// searched for a streaming sign once per location.
		"buffering-off": http("  server {\n    listen 80;\n" + rep(func(i int) string {
			return fmt.Sprintf("    location /b%d { proxy_buffering off; proxy_pass http://127.0.0.1:8080; }\n", i)
		}) + "  }\n"),
		// Each server's regex server_name names the same capture, read
		// by its return: every query listed the capture's regexes of
		// all the servers (32,000 took 41 s).
		"named-capture-servers": http(rep(func(i int) string {
			return fmt.Sprintf("  server { listen 80; server_name ~^(?<sub>w%d)\\.example\\.com$; return 200 $sub; }\n", i)
		})),
		// Many variables set, each from one that nothing defines: each
		// unknown reference scanned every definition for one that
		// differs in letter case only.
		"undefined-references": http("  server {\n    listen 80;\n    location / {\n" + rep(func(i int) string {
			return fmt.Sprintf("      set $v%d \"$w%d\";\n", i, i)
		}) + "      return 200 $v0;\n    }\n  }\n"),
		// Upstream blocks and as many locations passing to one of them
		// through a variable: each pass's host was compared with every
		// upstream's name (8,000 took 5 s).
		"variable-upstream-passes": http("  resolver 10.0.0.53;\n" + rep(func(i int) string {
			return fmt.Sprintf("  upstream u%d { server 10.%d.%d.%d:80; }\n", i, i>>16&255, i>>8&255, i&255)
		}) + "  server {\n    listen 80;\n" + rep(func(i int) string {
			return fmt.Sprintf("    location /l%d { set $b%d u%d; proxy_pass http://$b%d; }\n", i, i, i, i)
		}) + "  }\n"),
		// Upstream blocks whose servers re-resolve, the resolver after
		// them: each looked for it through the whole http level.
		"resolving-upstreams": http(rep(func(i int) string {
			return fmt.Sprintf("  upstream u%d { zone u%d 64k; server h%d.internal:80 resolve; }\n", i, i, i)
		}) + "  resolver 10.0.0.53;\n  server {\n    listen 80;\n" + rep(func(i int) string {
			return fmt.Sprintf("    location /u%d { proxy_pass http://u%d; }\n", i, i)
		}) + "  }\n"),
		// Many locations passing to one upstream of many servers: each
		// pass read every server for its port and the block for its
		// keepalive.
		"one-large-upstream": http("  upstream big {\n    keepalive 8;\n" + rep(func(i int) string {
			return fmt.Sprintf("    server 10.%d.%d.%d:80;\n", i>>16&255, i>>8&255, i&255)
		}) + "  }\n  server {\n    listen 80;\n" + rep(func(i int) string {
			return fmt.Sprintf("    location /l%d { proxy_pass http://big; proxy_http_version 1.1; proxy_set_header Connection \"\"; }\n", i)
		}) + "  }\n"),
		// Upstream blocks, and as many locations passing to one name that
		// is none of them (a container's service name): upstream-name-typo
		// compared the name with every upstream once per location.
		"unknown-pass-name": http(rep(func(i int) string {
			return fmt.Sprintf("  upstream backend%d { server 10.%d.%d.%d:80; }\n", i, i>>16&255, i>>8&255, i&255)
		}) + "  server {\n    listen 80;\n" + rep(func(i int) string {
			return fmt.Sprintf("    location /l%d { proxy_pass http://frontend; }\n", i)
		}) + "  }\n"),
		// Every location drops every server-level line: the findings grow
		// with n times n lost lines unless each lists a bounded number.
		"dropped-add-header": http("  server {\n    listen 80;\n" + rep(func(i int) string {
			return fmt.Sprintf("    add_header X-H%d v%d always;\n", i, i)
		}) + rep(func(i int) string {
			return fmt.Sprintf("    location /l%d { add_header X-L%d v; }\n", i, i)
		}) + "  }\n"),
		"dropped-proxy-set-header": http("  server {\n    listen 80;\n" + rep(func(i int) string {
			return fmt.Sprintf("    proxy_set_header X-H%d v%d;\n", i, i)
		}) + rep(func(i int) string {
			return fmt.Sprintf("    location /l%d { proxy_set_header X-L%d v; proxy_pass http://127.0.0.1:8080; }\n", i, i)
		}) + "  }\n"),
	}
}

// WriteShapes writes each of Shapes(n) to dir/NAME.conf and returns the
// paths by name.
func WriteShapes(dir string, n int) (map[string]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	paths := map[string]string{}
	for name, src := range Shapes(n) {
		p := filepath.Join(dir, name+".conf")
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			return nil, err
		}
		paths[name] = p
	}
	return paths, nil
}
