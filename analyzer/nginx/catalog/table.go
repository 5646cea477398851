package catalog

// table: name | module | contexts | syntax | summary. Contexts and syntax
// follow nginx's reference; the summaries are ours.
const table = `
// core (main context)
user | core | main | user user [group]; | Runs worker processes as this user and group.
worker_processes | core | main | worker_processes number | auto; | Sets how many worker processes serve connections; auto matches the CPU cores.
error_log | core | main, http, server, location, stream, stream server, mail | error_log file [level]; | Where errors are logged, and from which severity on.
pid | core | main | pid file; | File that holds the master process ID.
include | core | any | include file | mask; | Pulls another file (or every file a wildcard matches) into this place of the configuration.
events | core | main | events { ... } | Block for connection-processing settings.
worker_rlimit_nofile | core | main | worker_rlimit_nofile number; | Raises the open-file limit of worker processes.
daemon | core | main | daemon on | off; | Whether nginx detaches into the background.
master_process | core | main | master_process on | off; | Whether a master process supervises workers (off is for development only).
load_module | core | main | load_module file; | Loads a dynamic module.
env | core | main | env variable[=value]; | Keeps (or sets) an environment variable for worker processes.
pcre_jit | core | main | pcre_jit on | off; | Compiles regular expressions just in time when they are parsed.
thread_pool | core | main | thread_pool name threads=number [max_queue=number]; | Defines a thread pool for blocking file operations.
worker_shutdown_timeout | core | main | worker_shutdown_timeout time; | Caps how long an old worker waits for its connections on reload.
worker_cpu_affinity | core | main | worker_cpu_affinity cpumask ... | auto; | Pins worker processes to CPUs.
worker_priority | core | main | worker_priority number; | Scheduling priority (nice value) of worker processes.
working_directory | core | main | working_directory directory; | Current folder of workers, where core dumps go.
timer_resolution | core | main | timer_resolution interval; | Updates the cached time less often, saving system calls.

// events
worker_connections | events | events | worker_connections number; | Most simultaneous connections one worker may hold, upstream ones included.
use | events | events | use method; | Picks the connection-processing method (epoll, kqueue, ...).
multi_accept | events | events | multi_accept on | off; | Lets a worker accept every pending connection at once.
accept_mutex | events | events | accept_mutex on | off; | Makes workers take turns accepting new connections.
accept_mutex_delay | events | events | accept_mutex_delay time; | How long a worker waits before retrying the accept mutex.

// http core
http | http | main | http { ... } | Block for HTTP server settings.
server | http | http | server { ... } | One virtual server: the listen addresses and names it answers for.
listen | http | server | listen address[:port] [default_server] [ssl] [reuseport] ...; | Address and port this virtual server accepts requests on.
server_name | http | server | server_name name ...; | Host names (exact, wildcard or regex) this virtual server answers for.
location | http | server, location | location [ = | ~ | ~* | ^~ ] uri { ... } | Settings for requests whose URI matches a prefix or regular expression.
root | http | http, server, location, if in location | root path; | Folder that request URIs are appended to when serving files.
alias | http | location | alias path; | Replaces the matched location prefix with this path when serving files.
try_files | http | server, location | try_files file ... uri | =code; | Serves the first file that exists, else redirects internally to the last argument.
client_max_body_size | http | http, server, location | client_max_body_size size; | Largest request body accepted; bigger requests get 413.
client_body_buffer_size | http | http, server, location | client_body_buffer_size size; | Memory buffer for a request body before it spills to a temporary file.
client_body_timeout | http | http, server, location | client_body_timeout time; | Longest pause allowed between two reads of the request body.
client_header_timeout | http | http, server | client_header_timeout time; | Time allowed to receive the whole request header.
client_header_buffer_size | http | http, server | client_header_buffer_size size; | Buffer for a normal request header.
large_client_header_buffers | http | http, server | large_client_header_buffers number size; | Buffers for long request lines and headers.
keepalive_timeout | http | http, server, location | keepalive_timeout timeout [header_timeout]; | How long an idle client keep-alive connection stays open.
keepalive_requests | http | http, server, location | keepalive_requests number; | Requests served over one client keep-alive connection before it closes.
send_timeout | http | http, server, location | send_timeout time; | Longest pause allowed between two writes to the client.
sendfile | http | http, server, location, if in location | sendfile on | off; | Sends files with the kernel's sendfile().
tcp_nopush | http | http, server, location | tcp_nopush on | off; | Sends headers and the start of a file in one packet (with sendfile).
tcp_nodelay | http | http, server, location | tcp_nodelay on | off; | Disables Nagle's algorithm on keep-alive connections.
types | http | http, server, location | types { ... } | Maps file extensions to MIME types.
default_type | http | http, server, location | default_type mime-type; | MIME type of responses whose extension has no mapping.
server_tokens | http | http, server, location | server_tokens on | off | build | string; | Whether the nginx version appears in error pages and the Server header.
resolver | http | http, server, location, stream, stream server | resolver address ... [valid=time] [ipv6=on|off]; | DNS servers used to resolve names at run time (variables in proxy_pass, OCSP).
resolver_timeout | http | http, server, location, stream, stream server | resolver_timeout time; | How long a run-time DNS lookup may take.
error_page | http | http, server, location, if in location | error_page code ... [=[response]] uri; | URI or redirect shown for the given status codes.
internal | http | location | internal; | The location only serves internal redirects, never direct client requests.
limit_except | http | location | limit_except method ... { ... } | Restricts the HTTP methods allowed in a location, except the ones named.
server_names_hash_bucket_size | http | http | server_names_hash_bucket_size size; | Bucket size of the server-name hash; raise it for long names.
server_names_hash_max_size | http | http | server_names_hash_max_size size; | Largest size of the server-name hash.
types_hash_max_size | http | http, server, location | types_hash_max_size size; | Largest size of the MIME types hash.
underscores_in_headers | http | http, server | underscores_in_headers on | off; | Accepts request header names that contain underscores.
ignore_invalid_headers | http | http, server | ignore_invalid_headers on | off; | Drops request headers with invalid names.
absolute_redirect | http | http, server, location | absolute_redirect on | off; | Whether redirects nginx issues carry the scheme and host.
port_in_redirect | http | http, server, location | port_in_redirect on | off; | Whether redirects nginx issues carry the listen port.
server_name_in_redirect | http | http, server, location | server_name_in_redirect on | off; | Whether redirects use the primary server_name instead of the Host header.
reset_timedout_connection | http | http, server, location | reset_timedout_connection on | off; | Resets timed-out connections instead of a graceful close.
open_file_cache | http | http, server, location | open_file_cache off | max=N [inactive=time]; | Caches open file descriptors and lookups.
log_not_found | http | http, server, location | log_not_found on | off; | Whether missing files are written to the error log.
charset | charset | http, server, location, if in location | charset charset | off; | Adds this charset to the Content-Type response header.
index | index | http, server, location | index file ...; | Files tried, in order, for a request ending in '/'.
autoindex | autoindex | http, server, location | autoindex on | off; | Lists the folder's contents for a request ending in '/'.
stub_status | stub_status | server, location | stub_status; | Serves basic connection counters at this location.

// rewrite
return | rewrite | server, location, if in server, if in location | return code [text] | code URL | URL; | Stops processing and answers with this status (and body or redirect target).
rewrite | rewrite | server, location, if in server, if in location | rewrite regex replacement [last | break | redirect | permanent]; | Rewrites the URI when it matches the regular expression.
set | rewrite | server, location, if in server, if in location | set $variable value; | Assigns a value to a variable.
if | rewrite | server, location | if (condition) { ... } | Applies the block when the condition holds (use sparingly in locations).
break | rewrite | server, location, if in server, if in location | break; | Stops running the current set of rewrite-module directives.
rewrite_log | rewrite | http, server, location, if in server, if in location | rewrite_log on | off; | Logs rewrite results to the error log at notice level.

// headers, access, auth
add_header | headers | http, server, location, if in location | add_header name value [always]; | Adds a response header (to 2xx/3xx only unless always is given).
expires | headers | http, server, location, if in location | expires [modified] time | epoch | max | off; | Sets the Expires and Cache-Control response headers.
allow | access | http, server, location, limit_except | allow address | CIDR | unix: | all; | Permits access from these addresses.
deny | access | http, server, location, limit_except | deny address | CIDR | unix: | all; | Refuses access from these addresses.
satisfy | access | http, server, location | satisfy all | any; | Whether all access checks or any one of them must pass.
auth_basic | auth_basic | http, server, location, limit_except | auth_basic string | off; | Requires HTTP basic authentication, with this realm.
auth_basic_user_file | auth_basic | http, server, location, limit_except | auth_basic_user_file file; | Password file for basic authentication.
auth_request | auth_request | http, server, location | auth_request uri | off; | Authorises each request with a subrequest to this URI.

// log
access_log | log | http, server, location, if in location, limit_except, stream, stream server | access_log path [format [buffer=size] [if=condition]] | off; | Where requests are logged, and in which format.
log_format | log | http, stream | log_format name [escape=default|json|none] string ...; | Defines a named format for access_log.
open_log_file_cache | log | http, server, location, stream, stream server | open_log_file_cache max=N [inactive=time] | off; | Caches descriptors of log files whose names contain variables.

// gzip
gzip | gzip | http, server, location, if in location | gzip on | off; | Compresses responses with gzip.
gzip_types | gzip | http, server, location | gzip_types mime-type ...; | MIME types compressed besides text/html.
gzip_comp_level | gzip | http, server, location | gzip_comp_level level; | Compression level, 1 (fast) to 9 (small).
gzip_min_length | gzip | http, server, location | gzip_min_length length; | Smallest response (by Content-Length) worth compressing.
gzip_proxied | gzip | http, server, location | gzip_proxied off | expired | no-cache | no-store | private | no_last_modified | no_etag | auth | any ...; | Which responses to proxied requests are compressed.
gzip_vary | gzip | http, server, location | gzip_vary on | off; | Adds "Vary: Accept-Encoding" to compressible responses.

// map, geo, limits, real IP
map | map | http, stream | map string $variable { ... } | Defines a variable whose value depends on another value.
geo | geo | http, stream | geo [$address] $variable { ... } | Defines a variable whose value depends on the client address.
split_clients | split_clients | http, stream | split_clients string $variable { ... } | Splits clients into percentage buckets, for A/B tests.
limit_req_zone | limit_req | http | limit_req_zone key zone=name:size rate=rate; | Declares a shared zone that limits the request rate per key.
limit_req | limit_req | http, server, location | limit_req zone=name [burst=number] [nodelay | delay=number]; | Applies a request-rate limit zone here.
limit_req_status | limit_req | http, server, location | limit_req_status code; | Status returned to rate-limited requests.
limit_conn_zone | limit_conn | http, stream | limit_conn_zone key zone=name:size; | Declares a shared zone that counts connections per key.
limit_conn | limit_conn | http, server, location, stream, stream server | limit_conn zone number; | Caps simultaneous connections per key of a zone.
set_real_ip_from | realip | http, server, location, stream, stream server | set_real_ip_from address | CIDR | unix:; | Trusted proxy addresses whose client-address header is believed.
real_ip_header | realip | http, server, location | real_ip_header field | X-Real-IP | X-Forwarded-For | proxy_protocol; | Request header that carries the real client address.

// upstream
upstream | upstream | http | upstream name { ... } | A named group of backend servers that *_pass directives can target.
server | upstream | upstream | server address [weight=number] [max_fails=number] [fail_timeout=time] [backup] [down]; | One backend of the group; a host name becomes one peer per address it resolves to.
keepalive | upstream | upstream | keepalive connections; | Idle keep-alive connections to the backends each worker keeps.
keepalive_timeout | upstream | upstream | keepalive_timeout timeout; | How long an idle backend keep-alive connection stays open.
keepalive_requests | upstream | upstream | keepalive_requests number; | Requests sent over one backend keep-alive connection before it closes.
least_conn | upstream | upstream, stream upstream | least_conn; | Sends each request to the backend with the fewest active connections.
ip_hash | upstream | upstream | ip_hash; | Pins clients to a backend by their address.
hash | upstream | upstream, stream upstream | hash key [consistent]; | Picks the backend by hashing a key.
zone | upstream | upstream, stream upstream | zone name [size]; | Shares the group's state between workers in shared memory.
random | upstream | upstream, stream upstream | random [two [method]]; | Picks a backend at random (or the better of two).

// proxy
proxy_pass | proxy | location, if in location, limit_except | proxy_pass URL; | Forwards requests to this backend URL or upstream group.
proxy_set_header | proxy | http, server, location | proxy_set_header field value; | Sets a request header sent to the backend (inherited only when none are set at this level).
proxy_http_version | proxy | http, server, location | proxy_http_version 1.0 | 1.1; | HTTP version spoken to the backend; 1.1 is needed for keep-alive and WebSocket.
proxy_connect_timeout | proxy | http, server, location, stream, stream server | proxy_connect_timeout time; | How long connecting to a backend may take.
proxy_read_timeout | proxy | http, server, location | proxy_read_timeout time; | Longest pause allowed between two reads from the backend.
proxy_send_timeout | proxy | http, server, location | proxy_send_timeout time; | Longest pause allowed between two writes to the backend.
proxy_buffering | proxy | http, server, location | proxy_buffering on | off; | Whether backend responses are buffered before being sent on.
proxy_buffers | proxy | http, server, location | proxy_buffers number size; | Number and size of buffers for one backend response.
proxy_buffer_size | proxy | http, server, location | proxy_buffer_size size; | Buffer for the first part of the backend response (its headers).
proxy_busy_buffers_size | proxy | http, server, location | proxy_busy_buffers_size size; | How much of the buffers may be busy sending to the client.
proxy_redirect | proxy | http, server, location | proxy_redirect default | off | redirect replacement; | Rewrites Location and Refresh headers of backend responses.
proxy_hide_header | proxy | http, server, location | proxy_hide_header field; | Drops a backend response header.
proxy_pass_header | proxy | http, server, location | proxy_pass_header field; | Passes on a backend response header that is hidden by default.
proxy_cache | proxy | http, server, location | proxy_cache zone | off; | Caches backend responses in this zone.
proxy_cache_path | proxy | http | proxy_cache_path path keys_zone=name:size [levels=levels] [max_size=size] [inactive=time]; | Declares an on-disk cache and its key zone.
proxy_cache_key | proxy | http, server, location | proxy_cache_key string; | Key that identifies a cached response.
proxy_cache_valid | proxy | http, server, location | proxy_cache_valid [code ...] time; | How long responses with these codes stay cached.
proxy_cache_bypass | proxy | http, server, location | proxy_cache_bypass string ...; | Conditions under which the cache is not read.
proxy_no_cache | proxy | http, server, location | proxy_no_cache string ...; | Conditions under which a response is not stored.
proxy_next_upstream | proxy | http, server, location | proxy_next_upstream error | timeout | invalid_header | http_500 | http_502 | http_503 | http_504 | non_idempotent | off ...; | Failures after which the request is retried on the next backend.
proxy_next_upstream_tries | proxy | http, server, location | proxy_next_upstream_tries number; | Caps the number of backends tried for one request.
proxy_next_upstream_timeout | proxy | http, server, location | proxy_next_upstream_timeout time; | Caps the time spent retrying backends for one request.
proxy_intercept_errors | proxy | http, server, location | proxy_intercept_errors on | off; | Handles backend error statuses with error_page.
proxy_request_buffering | proxy | http, server, location | proxy_request_buffering on | off; | Whether the request body is read fully before it is forwarded.
proxy_ignore_headers | proxy | http, server, location | proxy_ignore_headers field ...; | Backend response headers whose processing is disabled.
proxy_cookie_path | proxy | http, server, location | proxy_cookie_path off | path replacement; | Rewrites the path attribute of Set-Cookie from the backend.
proxy_cookie_domain | proxy | http, server, location | proxy_cookie_domain off | domain replacement; | Rewrites the domain attribute of Set-Cookie from the backend.
proxy_bind | proxy | http, server, location, stream, stream server | proxy_bind address [transparent] | off; | Local address outgoing backend connections come from.
proxy_ssl_verify | proxy | http, server, location, stream, stream server | proxy_ssl_verify on | off; | Verifies the HTTPS backend's certificate.
proxy_ssl_server_name | proxy | http, server, location, stream, stream server | proxy_ssl_server_name on | off; | Sends SNI when connecting to an HTTPS backend.
proxy_ssl_name | proxy | http, server, location, stream, stream server | proxy_ssl_name name; | Name used for SNI and certificate checks of an HTTPS backend.
proxy_ssl_trusted_certificate | proxy | http, server, location, stream, stream server | proxy_ssl_trusted_certificate file; | CA certificates that backend certificates are checked against.

// fastcgi and the other *_pass modules
fastcgi_pass | fastcgi | location, if in location | fastcgi_pass address; | Forwards requests to a FastCGI server (PHP-FPM, ...).
fastcgi_param | fastcgi | http, server, location | fastcgi_param parameter value [if_not_empty]; | Sets a parameter sent to the FastCGI server.
fastcgi_index | fastcgi | http, server, location | fastcgi_index name; | File name appended to URIs ending in '/' for $fastcgi_script_name.
fastcgi_split_path_info | fastcgi | location | fastcgi_split_path_info regex; | Splits the URI into $fastcgi_script_name and $fastcgi_path_info.
fastcgi_connect_timeout | fastcgi | http, server, location | fastcgi_connect_timeout time; | How long connecting to the FastCGI server may take.
fastcgi_read_timeout | fastcgi | http, server, location | fastcgi_read_timeout time; | Longest pause allowed between two reads from the FastCGI server.
fastcgi_send_timeout | fastcgi | http, server, location | fastcgi_send_timeout time; | Longest pause allowed between two writes to the FastCGI server.
fastcgi_buffers | fastcgi | http, server, location | fastcgi_buffers number size; | Number and size of buffers for one FastCGI response.
fastcgi_buffer_size | fastcgi | http, server, location | fastcgi_buffer_size size; | Buffer for the first part of the FastCGI response.
fastcgi_intercept_errors | fastcgi | http, server, location | fastcgi_intercept_errors on | off; | Handles FastCGI error statuses with error_page.
fastcgi_keep_conn | fastcgi | http, server, location | fastcgi_keep_conn on | off; | Keeps FastCGI connections open (with upstream keepalive).
fastcgi_cache | fastcgi | http, server, location | fastcgi_cache zone | off; | Caches FastCGI responses in this zone.
fastcgi_cache_path | fastcgi | http | fastcgi_cache_path path keys_zone=name:size [levels=levels] [max_size=size]; | Declares an on-disk FastCGI cache and its key zone.
fastcgi_cache_key | fastcgi | http, server, location | fastcgi_cache_key string; | Key that identifies a cached FastCGI response.
fastcgi_cache_valid | fastcgi | http, server, location | fastcgi_cache_valid [code ...] time; | How long FastCGI responses with these codes stay cached.
fastcgi_next_upstream | fastcgi | http, server, location | fastcgi_next_upstream error | timeout | invalid_header | http_500 | http_503 | off ...; | Failures after which the request goes to the next FastCGI server.
uwsgi_pass | uwsgi | location, if in location | uwsgi_pass [protocol://]address; | Forwards requests to a uwsgi server.
scgi_pass | scgi | location, if in location | scgi_pass address; | Forwards requests to an SCGI server.
grpc_pass | grpc | location, if in location | grpc_pass address; | Forwards requests to a gRPC server.
memcached_pass | memcached | location, if in location | memcached_pass address; | Answers from memcached, keyed by $memcached_key.

// ssl and http2
ssl_certificate | ssl | http, server, stream, stream server | ssl_certificate file; | Certificate chain (PEM) presented to clients.
ssl_certificate_key | ssl | http, server, stream, stream server | ssl_certificate_key file; | Private key of the certificate.
ssl_protocols | ssl | http, server, stream, stream server | ssl_protocols [TLSv1.2] [TLSv1.3] ...; | TLS versions offered to clients.
ssl_ciphers | ssl | http, server, stream, stream server | ssl_ciphers ciphers; | Cipher list (OpenSSL syntax) offered for TLS 1.2 and older.
ssl_prefer_server_ciphers | ssl | http, server, stream, stream server | ssl_prefer_server_ciphers on | off; | Prefers the server's cipher order to the client's.
ssl_session_cache | ssl | http, server, stream, stream server | ssl_session_cache off | none | [builtin[:size]] [shared:name:size]; | Cache of TLS sessions for resumption.
ssl_session_timeout | ssl | http, server, stream, stream server | ssl_session_timeout time; | How long a cached TLS session may be resumed.
ssl_session_tickets | ssl | http, server, stream, stream server | ssl_session_tickets on | off; | Whether sessions resume through TLS session tickets.
ssl_stapling | ssl | http, server | ssl_stapling on | off; | Staples the certificate's OCSP response to the handshake.
ssl_stapling_verify | ssl | http, server | ssl_stapling_verify on | off; | Verifies stapled OCSP responses.
ssl_trusted_certificate | ssl | http, server, stream, stream server | ssl_trusted_certificate file; | CA certificates for OCSP and client checks, not sent to clients.
ssl_client_certificate | ssl | http, server, stream, stream server | ssl_client_certificate file; | CA certificates client certificates are verified against (and advertised).
ssl_verify_client | ssl | http, server, stream, stream server | ssl_verify_client on | off | optional | optional_no_ca; | Requests or requires a client certificate.
ssl_verify_depth | ssl | http, server, stream, stream server | ssl_verify_depth number; | Longest client certificate chain accepted.
ssl_dhparam | ssl | http, server, stream, stream server | ssl_dhparam file; | Diffie-Hellman parameters for DHE ciphers.
ssl_ecdh_curve | ssl | http, server, stream, stream server | ssl_ecdh_curve curve; | Curves offered for ECDHE key exchange.
ssl_buffer_size | ssl | http, server | ssl_buffer_size size; | Size of the buffer TLS records are sent from.
ssl_password_file | ssl | http, server, stream, stream server | ssl_password_file file; | Passphrases for encrypted private keys.
http2 | http2 | http, server | http2 on | off; | Enables HTTP/2 on this server's TLS listeners (nginx 1.25.1 and later).

// stream
stream | stream | main | stream { ... } | Block for TCP and UDP proxying.
server | stream | stream | server { ... } | One TCP/UDP virtual server.
listen | stream | stream server | listen address:port [ssl] [udp] [proxy_protocol] ...; | Address and port this TCP/UDP server accepts connections on.
proxy_pass | stream | stream server | proxy_pass address; | Forwards the connection to this address or upstream group (no scheme).
proxy_timeout | stream | stream, stream server | proxy_timeout timeout; | Longest pause between two reads or writes on either side.
proxy_protocol | stream | stream, stream server | proxy_protocol on | off; | Sends the PROXY protocol header to the backend.
proxy_responses | stream | stream, stream server | proxy_responses number; | UDP datagrams expected back per client datagram.
ssl_preread | stream | stream, stream server | ssl_preread on | off; | Reads SNI and ALPN from the ClientHello without terminating TLS.
preread_timeout | stream | stream, stream server | preread_timeout timeout; | How long the preread phase may take.
upstream | stream | stream | upstream name { ... } | A named group of TCP/UDP backends.
server | stream | stream upstream | server address [weight=number] [max_fails=number] [fail_timeout=time] [backup] [down]; | One TCP/UDP backend of the group.

// mail
mail | mail | main | mail { ... } | Block for the mail (IMAP, POP3, SMTP) proxy.
`

// variableTable: name | summary (names without '$').
const variableTable = `
args | Arguments of the request line (the query string).
arg_ | One query argument, e.g. $arg_page.
binary_remote_addr | Client address in binary form, compact for limit zones.
body_bytes_sent | Bytes of response body sent to the client.
bytes_received | Bytes received from the client (stream).
bytes_sent | Bytes sent to the client.
connection | Serial number of the connection.
connection_requests | Requests made so far over this connection.
content_length | The Content-Length request header.
content_type | The Content-Type request header.
cookie_ | One request cookie, e.g. $cookie_session.
document_root | root or alias value for the current request.
document_uri | Same as $uri.
fastcgi_path_info | Path info captured by fastcgi_split_path_info.
fastcgi_script_name | Request URI, or with fastcgi_index, the script name.
host | Host from the request line, else the Host header, else the server name.
hostname | Host name of the machine nginx runs on.
http_ | One request header, lower-cased with '-' as '_', e.g. $http_user_agent.
http_referer | The Referer request header.
http_upgrade | The Upgrade request header (WebSocket).
http_user_agent | The User-Agent request header.
http_x_forwarded_for | The X-Forwarded-For request header.
https | "on" for a TLS connection, else empty.
is_args | "?" when the request has arguments, else empty.
limit_rate | Sets or reads the response rate limit.
msec | Current time in seconds with millisecond resolution.
nginx_version | nginx version.
pid | Process ID of the worker.
protocol | TCP or UDP (stream).
proxy_add_x_forwarded_for | X-Forwarded-For from the client with $remote_addr appended.
proxy_host | Host and port of the proxied server, as written in proxy_pass.
proxy_port | Port of the proxied server, as written in proxy_pass.
query_string | Same as $args.
realip_remote_addr | Original client address before the realip module replaced it.
realpath_root | document_root with symbolic links resolved.
remote_addr | Client address.
remote_port | Client port.
remote_user | User name from basic authentication.
request | Full original request line.
request_body | Request body, when it was read into a buffer.
request_filename | File path of the current request, from root or alias and the URI.
request_id | Unique request identifier (32 hex digits).
request_length | Request length, line, header and body included.
request_method | Request method, e.g. GET or POST.
request_time | Time spent on the request, in seconds with milliseconds.
request_uri | Original request URI with its arguments.
scheme | Request scheme, http or https.
sent_http_ | One response header, e.g. $sent_http_content_type.
server_addr | Address of the server that accepted the request.
server_name | Name of the server that accepted the request.
server_port | Port of the server that accepted the request.
server_protocol | Request protocol, e.g. HTTP/1.1.
session_time | Session duration in seconds (stream).
ssl_cipher | Cipher of the TLS connection.
ssl_client_verify | Result of client certificate verification.
ssl_preread_server_name | SNI name read by ssl_preread (stream).
ssl_protocol | Protocol of the TLS connection.
ssl_server_name | Server name requested through SNI.
status | Response status.
time_iso8601 | Local time in ISO 8601 format.
time_local | Local time in the common log format.
upstream_addr | Address (and port) of the backend(s) that handled the request.
upstream_cache_status | Cache outcome: HIT, MISS, BYPASS, EXPIRED, ...
upstream_connect_time | Time spent connecting to the backend.
upstream_header_time | Time until the backend's response header arrived.
upstream_response_time | Time spent receiving the backend's response.
upstream_status | Status of the backend's response.
uri | Current URI, normalised (changes with rewrites and internal redirects).
`
