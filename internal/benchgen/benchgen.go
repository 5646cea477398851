// Package benchgen writes generated inputs that look like real
// deployments, for benchmarks and bench/compare.sh: a tree of virtual
// hosts (nginx.conf including conf.d/*.conf), one large configuration,
// and Elasticsearch node settings. Nothing big is checked in; the same
// inputs are rebuilt from a size on every run.
package benchgen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Options tunes the nginx output. The zero value writes paths that do
// not exist; compare.sh sets Cert, Key and Prefix so that `nginx -t`
// accepts the tree.
type Options struct {
	// Cert and Key are the certificate and key every TLS server names.
	Cert, Key string
	// Prefix is the folder logs and temporary files go to.
	Prefix string
}

func (o Options) orDefault() Options {
	if o.Cert == "" {
		o.Cert = "/etc/ssl/certs/site.pem"
	}
	if o.Key == "" {
		o.Key = "/etc/ssl/private/site.key"
	}
	if o.Prefix == "" {
		o.Prefix = "/var/lib/nginx"
	}
	return o
}

// Main is the nginx.conf of a tree: the main and events contexts, an http
// block with common settings, and includeGlob inside it (conf.d/*.conf for
// a tree, nothing for a single file).
func Main(o Options, include string) string {
	o = o.orDefault()
	var b strings.Builder
	fmt.Fprintf(&b, `worker_processes auto;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;

events {
    worker_connections 4096;
    multi_accept on;
}

http {
    include mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    server_tokens off;
    server_names_hash_max_size 8192;
    server_names_hash_bucket_size 128;
    client_body_temp_path %[1]s/body;
    proxy_temp_path %[1]s/proxy;
    fastcgi_temp_path %[1]s/fastcgi;
    uwsgi_temp_path %[1]s/uwsgi;
    scgi_temp_path %[1]s/scgi;
    log_format main '$remote_addr - $remote_user [$time_local] "$request" '
                    '$status $body_bytes_sent "$http_referer" "$http_user_agent"';
    access_log %[1]s/access.log main;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    ssl_session_cache shared:SSL:10m;
    ssl_session_timeout 1h;
    gzip on;
    gzip_types text/plain text/css application/json application/javascript;
    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }
    limit_req_zone $binary_remote_addr zone=perip:10m rate=20r/s;
`, o.Prefix)
	if include != "" {
		fmt.Fprintf(&b, "    include %s;\n", include)
	}
	return b.String()
}

// MimeTypes is a short mime.types the main file includes.
const MimeTypes = `types {
    text/html html htm;
    text/css css;
    application/javascript js;
    application/json json;
    image/png png;
    image/svg+xml svg;
}
`

// Host is one virtual host: an upstream of three peers, a plain-HTTP
// server that redirects, and a TLS server with a dozen locations.
func Host(o Options, i int) string {
	o = o.orDefault()
	name := fmt.Sprintf("app%04d", i)
	a, c := 10+i/250, i%250
	return fmt.Sprintf(`upstream %[1]s_backend {
    least_conn;
    server 10.%[2]d.%[3]d.11:8080 weight=3 max_fails=3 fail_timeout=30s;
    server 10.%[2]d.%[3]d.12:8080 weight=2 max_fails=3 fail_timeout=30s;
    server 10.%[2]d.%[3]d.13:8080 backup;
    keepalive 32;
}

server {
    listen 80;
    listen [::]:80;
    server_name %[1]s.example.com www.%[1]s.example.com;
    location /.well-known/acme-challenge/ {
        root /var/www/acme;
    }
    location / {
        return 301 https://$host$request_uri;
    }
}

server {
    listen 443 ssl http2;
    listen [::]:443 ssl http2;
    server_name %[1]s.example.com www.%[1]s.example.com;
    ssl_certificate %[4]s;
    ssl_certificate_key %[5]s;
    root /srv/www/%[1]s/public;
    index index.html;
    access_log %[6]s/%[1]s.access.log main;
    add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;
    add_header X-Content-Type-Options nosniff always;
    add_header X-Frame-Options SAMEORIGIN always;
    client_max_body_size 20m;

    location / {
        try_files $uri $uri/ /index.html;
    }
    location /api/ {
        limit_req zone=perip burst=40 nodelay;
        proxy_pass http://%[1]s_backend;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Connection "";
        proxy_read_timeout 60s;
    }
    location /ws/ {
        proxy_pass http://%[1]s_backend;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        proxy_read_timeout 1h;
    }
    location = /healthz {
        access_log off;
        return 200 "ok\n";
    }
    location /static/ {
        alias /srv/www/%[1]s/static/;
        expires 30d;
        add_header Cache-Control "public, immutable";
    }
    location ~* \.(?:css|js|woff2?|svg|png|jpe?g|gif|ico)$ {
        expires 7d;
        access_log off;
    }
    location /admin/ {
        allow 10.0.0.0/8;
        deny all;
        proxy_pass http://%[1]s_backend;
        proxy_set_header Host $host;
    }
    location = /robots.txt {
        log_not_found off;
        access_log off;
    }
    location = /favicon.ico {
        log_not_found off;
        access_log off;
    }
    location /uploads/ {
        client_max_body_size 100m;
        proxy_pass http://%[1]s_backend;
        proxy_request_buffering off;
        proxy_set_header Host $host;
    }
    location ^~ /docs/ {
        root /srv/www/%[1]s;
        autoindex off;
    }
    location ~ /\. {
        deny all;
    }
    error_page 500 502 503 504 /50x.html;
    location = /50x.html {
        root /usr/share/nginx/html;
    }
}
`, name, a, c, o.Cert, o.Key, o.Prefix)
}

// WriteTree writes a tree of hosts virtual hosts under dir (nginx.conf,
// mime.types, conf.d/appNNNN.conf) and returns the main file's path and
// the bytes written.
func WriteTree(dir string, hosts int, o Options) (mainPath string, size int64, err error) {
	if err := os.MkdirAll(filepath.Join(dir, "conf.d"), 0o755); err != nil {
		return "", 0, err
	}
	write := func(p, s string) {
		if err == nil {
			err = os.WriteFile(p, []byte(s), 0o644)
			size += int64(len(s))
		}
	}
	mainPath = filepath.Join(dir, "nginx.conf")
	write(mainPath, Main(o, "conf.d/*.conf")+"}\n")
	write(filepath.Join(dir, "mime.types"), MimeTypes)
	for i := range hosts {
		write(filepath.Join(dir, "conf.d", fmt.Sprintf("app%04d.conf", i)), Host(o, i))
	}
	return mainPath, size, err
}

// HostsFor is how many hosts make about size bytes of configuration.
func HostsFor(size int) int {
	return max(1, size/len(Host(Options{}, 0)))
}

// SingleFile is one configuration of about size bytes (every host inline
// in the http block), as a generated or concatenated deployment is.
func SingleFile(size int, o Options) string {
	var b strings.Builder
	b.Grow(size + 8192)
	b.WriteString(strings.Replace(Main(o, ""), "    include mime.types;\n", "", 1))
	for i := 0; b.Len() < size; i++ {
		b.WriteString(indent(Host(o, i)))
	}
	b.WriteString("}\n")
	return b.String()
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n    ") + "\n"
}

// Elastic is the elasticsearch.yml of node i of a cluster of n nodes:
// cluster and node identity, paths, network, discovery, TLS, and some
// tuning, as a production node's file has.
func Elastic(i, n int) string {
	var hosts, masters []string
	for j := range min(n, 3) {
		hosts = append(hosts, fmt.Sprintf("\"es-%03d.internal:9300\"", j))
		masters = append(masters, fmt.Sprintf("es-%03d", j))
	}
	roles := "[ data, ingest ]"
	if i < 3 {
		roles = "[ master, data ]"
	}
	return fmt.Sprintf(`# Elasticsearch node %[1]d of %[2]d
cluster.name: logs-prod
node.name: es-%03[1]d
node.roles: %[3]s
node.attr.zone: zone-%[4]c

path:
  data: /var/lib/elasticsearch
  logs: /var/log/elasticsearch

bootstrap.memory_lock: true

network.host: 10.20.%[5]d.%[6]d
http.port: 9200
transport.port: 9300

discovery.seed_hosts: [ %[7]s ]
cluster.initial_master_nodes: [ %[8]s ]

xpack.security.enabled: true
xpack.security.transport.ssl.enabled: true
xpack.security.transport.ssl.verification_mode: certificate
xpack.security.transport.ssl.keystore.path: certs/transport.p12
xpack.security.transport.ssl.truststore.path: certs/transport.p12
xpack.security.http.ssl:
  enabled: true
  keystore.path: certs/http.p12

indices.memory.index_buffer_size: 20%%
indices.query.bool.max_clause_count: 4096
thread_pool.write.queue_size: 1000
action.destructive_requires_name: true
cluster.routing.allocation.awareness.attributes: zone
cluster.routing.allocation.disk.watermark.low: 85%%
cluster.routing.allocation.disk.watermark.high: 90%%
`, i, n, roles, 'a'+rune(i%3), i/250, i%250+1, strings.Join(hosts, ", "), strings.Join(quote(masters), ", "))
}

func quote(l []string) []string {
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = `"` + s + `"`
	}
	return out
}

// WriteElastic writes n nodes' settings under dir (es-NNN/elasticsearch.yml)
// and returns their paths.
func WriteElastic(dir string, n int) ([]string, error) {
	var paths []string
	for i := range n {
		d := filepath.Join(dir, fmt.Sprintf("es-%03d", i))
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
		p := filepath.Join(d, "elasticsearch.yml")
		if err := os.WriteFile(p, []byte(Elastic(i, n)), 0o644); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}
