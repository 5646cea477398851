package spec

import (
	"fmt"
	"strconv"
	"strings"
)

// ArgKind is how nginx parses the value of a directive whose handler is
// one of its generic slots (ngx_conf_set_size_slot and the like).
type ArgKind uint8

// The kinds, by the slot that parses them.
const (
	KindSize    ArgKind = iota + 1 // ngx_parse_size: digits, then k or m
	KindOffset                     // ngx_parse_offset: digits, then k, m or g
	KindMsec                       // ngx_parse_time in milliseconds: 500ms, 30s, 1m 30s
	KindSec                        // ngx_parse_time in seconds: no ms
	KindNumber                     // ngx_atoi: digits only
	KindEnum                       // one word of Values (any letter case)
	KindBitmask                    // one or more words of Values (any letter case)
	KindBufs                       // ngx_conf_set_bufs_slot: a number and a size, both above zero
)

var kindNames = [...]string{"", "size", "size", "time", "time in seconds", "number", "value", "value",
	"number and size of buffers"}

func (k ArgKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind?"
}

// ArgType is the type of a directive's value.
type ArgType struct {
	Kind ArgKind
	// Values lists the words an enum or bitmask takes, as nginx spells them.
	Values []string
	// Check is the test a post handler of the directive adds to a number
	// or a size that parses (nil: none); it returns what nginx says.
	Check func(n int64) (ok bool, nginxSays string)
}

// between is ngx_conf_check_num_bounds.
func between(lo, hi int64) func(int64) (bool, string) {
	return func(n int64) (bool, string) {
		return n >= lo && n <= hi, fmt.Sprintf("value must be between %d and %d", lo, hi)
	}
}

// oneOf is a post handler that takes a list of sizes.
func oneOf(says string, sizes ...int64) func(int64) (bool, string) {
	return func(n int64) (bool, string) {
		for _, s := range sizes {
			if n == s {
				return true, ""
			}
		}
		return false, says
	}
}

func powerOfTwo(n int64) (bool, string) {
	return n > 0 && n&(n-1) == 0, "must be a power of two"
}

// argKey is a directive of one family: "http", "stream", "main" (core and
// events), or "" for a directive that has the same type in http and
// stream.
type argKey struct{ name, family string }

// ArgTypeOf returns the type of the value of directive name in family
// ("http", "stream", "" for main or unknown), or nil when the directive is
// not parsed by a generic slot (a handler of its own, a flag: see the
// flag rules) or is not in the table. In an unknown family ("") only a
// directive that has one type everywhere answers.
func ArgTypeOf(name, family string) *ArgType { return ArgTypeOfID(ID(name), family) }

// ArgTypeOfID is ArgTypeOf by the name's number.
func ArgTypeOfID(id NameID, family string) *ArgType {
	if int(id) >= len(argTypeByID) {
		return nil
	}
	byFamily := argTypeByID[id]
	if len(byFamily) == 0 {
		return nil
	}
	in := func(family string) *ArgType {
		for _, e := range byFamily {
			if e.family == family {
				return e.t
			}
		}
		return nil
	}
	if t := in(""); t != nil {
		return t
	}
	switch family {
	case "http", "stream":
		return in(family)
	case "":
		if t := in("main"); t != nil {
			return t
		}
		h, s := in("http"), in("stream")
		if h != nil && s == nil && !streamFlags[NameOf(id)] {
			return h
		}
	}
	return nil
}

// ArgTypeNames lists the directives ArgTypeOf knows, each once, sorted.
func ArgTypeNames() []string {
	var out []string
	for id, byFamily := range argTypeByID {
		if len(byFamily) > 0 {
			out = append(out, names[id])
		}
	}
	return out
}

// ValueSince is the first release whose directive name accepts value
// (an enum or bitmask word added after the directive itself); zero when
// every release that has the directive does.
func ValueSince(name, value string) Version {
	return valueSince[name+" "+strings.ToLower(value)]
}

// valueSince was found by bisecting the release tags for the first whose
// enum or bitmask array holds the word (words as old as their directive
// are left out).
var valueSince = map[string]Version{
	"proxy_http_version 2":                   v(1, 29, 4),
	"server_tokens build":                    v(1, 11, 10),
	"ssl_verify_client optional_no_ca":       v(1, 3, 8),
	"gzip_static always":                     v(1, 3, 6),
	"ssl_protocols tlsv1.3":                  v(1, 13, 0),
	"proxy_ssl_protocols tlsv1.3":            v(1, 13, 0),
	"uwsgi_ssl_protocols tlsv1.3":            v(1, 13, 0),
	"proxy_next_upstream http_429":           v(1, 11, 13),
	"proxy_next_upstream non_idempotent":     v(1, 9, 13),
	"proxy_next_upstream http_403":           v(1, 5, 1),
	"proxy_cache_use_stale http_429":         v(1, 11, 13),
	"proxy_cache_use_stale non_idempotent":   v(1, 9, 13),
	"proxy_cache_use_stale http_403":         v(1, 5, 1),
	"fastcgi_next_upstream http_429":         v(1, 11, 13),
	"fastcgi_next_upstream non_idempotent":   v(1, 9, 13),
	"fastcgi_next_upstream http_403":         v(1, 5, 1),
	"fastcgi_cache_use_stale http_429":       v(1, 11, 13),
	"fastcgi_cache_use_stale non_idempotent": v(1, 9, 13),
	"fastcgi_cache_use_stale http_403":       v(1, 5, 1),
	"uwsgi_next_upstream http_429":           v(1, 11, 13),
	"uwsgi_next_upstream non_idempotent":     v(1, 9, 13),
	"uwsgi_next_upstream http_403":           v(1, 5, 1),
	"uwsgi_cache_use_stale http_429":         v(1, 11, 13),
	"uwsgi_cache_use_stale non_idempotent":   v(1, 9, 13),
	"uwsgi_cache_use_stale http_403":         v(1, 5, 1),
	"scgi_next_upstream http_429":            v(1, 11, 13),
	"scgi_next_upstream non_idempotent":      v(1, 9, 13),
	"scgi_next_upstream http_403":            v(1, 5, 1),
	"scgi_cache_use_stale http_429":          v(1, 11, 13),
	"scgi_cache_use_stale non_idempotent":    v(1, 9, 13),
	"scgi_cache_use_stale http_403":          v(1, 5, 1),
}

// ParseSize reports whether s is a size as ngx_parse_size reads it, or,
// with offset, as ngx_parse_offset does (which also takes g).
func ParseSize(s string, offset bool) bool {
	_, ok := SizeValue(s, offset)
	return ok
}

// SizeValue is ParseSize with the size in bytes.
func SizeValue(s string, offset bool) (int64, bool) {
	if s == "" {
		return 0, false
	}
	scale := int64(1)
	switch s[len(s)-1] {
	case 'k', 'K':
		scale, s = 1<<10, s[:len(s)-1]
	case 'm', 'M':
		scale, s = 1<<20, s[:len(s)-1]
	case 'g', 'G':
		if !offset {
			return 0, false
		}
		scale, s = 1<<30, s[:len(s)-1]
	}
	if !digits(s, 12) {
		return 0, digits(s, 18) // too large to count here, but a size
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	return n * scale, true
}

// ParseNumber reports whether s is a number as ngx_atoi reads it.
func ParseNumber(s string) bool { return digits(s, 18) }

// NumberValue is ParseNumber with the number.
func NumberValue(s string) (int64, bool) {
	if !digits(s, 18) {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// digits: one or more decimal digits, at most max of them (a bound that
// keeps every value below nginx's overflow checks for 64-bit builds).
func digits(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseTime reports whether s is a time as ngx_parse_time reads it:
// numbers each followed by a unit, units in decreasing order (y M w d h m
// s ms), at most one of each, spaces between them; the last number may go
// without a unit (seconds, or milliseconds without sec). With sec, the
// value is in seconds, and y and M are allowed but ms is not; without
// it, y and M are not.
func ParseTime(s string, sec bool) bool {
	const (
		stStart = iota
		stYear
		stMonth
		stWeek
		stDay
		stHour
		stMin
		stSec
		stMsec
		stLast
	)
	step := stMonth
	if sec {
		step = stStart
	}
	valid := false
	n := 0 // digits of the current number
	for i := 0; i < len(s); {
		c := s[i]
		i++
		if c >= '0' && c <= '9' {
			n++
			if n > 15 {
				return false
			}
			valid = true
			continue
		}
		next := -1
		switch c {
		case 'y':
			if step <= stStart {
				next = stYear
			}
		case 'M':
			if step < stMonth {
				next = stMonth
			}
		case 'w':
			if step < stWeek {
				next = stWeek
			}
		case 'd':
			if step < stDay {
				next = stDay
			}
		case 'h':
			if step < stHour {
				next = stHour
			}
		case 'm':
			if i < len(s) && s[i] == 's' {
				if !sec && step < stMsec {
					next = stMsec
				}
				i++
			} else if step < stMin {
				next = stMin
			}
		case 's':
			if step < stSec {
				next = stSec
			}
		case ' ':
			if step < stSec {
				next = stLast
			}
		}
		if next < 0 {
			return false
		}
		step = next
		n = 0
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	return valid
}

// argTypes was read from the ngx_command_t arrays of nginx's http,
// stream, core and event modules at release-1.31.4: every directive whose
// handler is ngx_conf_set_size_slot, _off_slot, _msec_slot, _sec_slot,
// _num_slot, _enum_slot, _bitmask_slot or _bufs_slot, with the words of its
// ngx_conf_enum_t or ngx_conf_bitmask_t array. The same listing at
// release-1.18.0 and release-1.22.1 gives no directive another kind (only
// directives added or removed). keepalive_timeout (a handler of its own
// in the core module, a msec slot in upstream keepalive) takes a time
// first in both.
var argTypes = map[argKey]ArgType{
	// ngx_conf_set_bufs_slot
	{"fastcgi_buffers", "http"}:                 {Kind: KindBufs},
	{"gunzip_buffers", "http"}:                  {Kind: KindBufs},
	{"gzip_buffers", "http"}:                    {Kind: KindBufs},
	{"proxy_buffers", "http"}:                   {Kind: KindBufs},
	{"scgi_buffers", "http"}:                    {Kind: KindBufs},
	{"uwsgi_buffers", "http"}:                   {Kind: KindBufs},
	{"output_buffers", "http"}:                  {Kind: KindBufs},
	{"large_client_header_buffers", "http"}:     {Kind: KindBufs},
	{"accept_mutex_delay", "main"}:              {Kind: KindMsec},
	{"auth_delay", "http"}:                      {Kind: KindMsec},
	{"autoindex_format", "http"}:                {Kind: KindEnum, Values: []string{"html", "json", "jsonp", "xml"}},
	{"client_body_buffer_size", "http"}:         {Kind: KindSize},
	{"client_body_in_file_only", "http"}:        {Kind: KindEnum, Values: []string{"off", "on", "clean"}},
	{"client_body_timeout", "http"}:             {Kind: KindMsec},
	{"client_header_buffer_size", "http"}:       {Kind: KindSize},
	{"client_header_timeout", "http"}:           {Kind: KindMsec},
	{"client_max_body_size", "http"}:            {Kind: KindOffset},
	{"connection_pool_size", "http"}:            {Kind: KindSize},
	{"dav_methods", "http"}:                     {Kind: KindBitmask, Values: []string{"off", "put", "delete", "mkcol", "copy", "move"}},
	{"directio_alignment", "http"}:              {Kind: KindOffset},
	{"fastcgi_buffer_size", "http"}:             {Kind: KindSize},
	{"fastcgi_busy_buffers_size", "http"}:       {Kind: KindSize},
	{"fastcgi_cache_lock_age", "http"}:          {Kind: KindMsec},
	{"fastcgi_cache_lock_timeout", "http"}:      {Kind: KindMsec},
	{"fastcgi_cache_max_range_offset", "http"}:  {Kind: KindOffset},
	{"fastcgi_cache_methods", "http"}:           {Kind: KindBitmask, Values: cacheMethods},
	{"fastcgi_cache_min_uses", "http"}:          {Kind: KindNumber},
	{"fastcgi_cache_use_stale", "http"}:         {Kind: KindBitmask, Values: fastcgiNext},
	{"fastcgi_connect_timeout", "http"}:         {Kind: KindMsec},
	{"fastcgi_ignore_headers", "http"}:          {Kind: KindBitmask, Values: ignoreHeaders},
	{"fastcgi_max_temp_file_size", "http"}:      {Kind: KindSize},
	{"fastcgi_next_upstream", "http"}:           {Kind: KindBitmask, Values: fastcgiNext},
	{"fastcgi_next_upstream_timeout", "http"}:   {Kind: KindMsec},
	{"fastcgi_next_upstream_tries", "http"}:     {Kind: KindNumber},
	{"fastcgi_read_timeout", "http"}:            {Kind: KindMsec},
	{"fastcgi_send_lowat", "http"}:              {Kind: KindSize},
	{"fastcgi_send_timeout", "http"}:            {Kind: KindMsec},
	{"fastcgi_socket_rcvbuf", "http"}:           {Kind: KindSize},
	{"fastcgi_socket_sndbuf", "http"}:           {Kind: KindSize},
	{"fastcgi_temp_file_write_size", "http"}:    {Kind: KindSize},
	{"grpc_buffer_size", "http"}:                {Kind: KindSize},
	{"grpc_connect_timeout", "http"}:            {Kind: KindMsec},
	{"grpc_ignore_headers", "http"}:             {Kind: KindBitmask, Values: ignoreHeaders},
	{"grpc_next_upstream", "http"}:              {Kind: KindBitmask, Values: grpcNext},
	{"grpc_next_upstream_timeout", "http"}:      {Kind: KindMsec},
	{"grpc_next_upstream_tries", "http"}:        {Kind: KindNumber},
	{"grpc_read_timeout", "http"}:               {Kind: KindMsec},
	{"grpc_send_timeout", "http"}:               {Kind: KindMsec},
	{"grpc_socket_rcvbuf", "http"}:              {Kind: KindSize},
	{"grpc_socket_sndbuf", "http"}:              {Kind: KindSize},
	{"grpc_ssl_protocols", "http"}:              {Kind: KindBitmask, Values: sslProtocols},
	{"grpc_ssl_verify_depth", "http"}:           {Kind: KindNumber},
	{"gzip_comp_level", "http"}:                 {Kind: KindNumber, Check: between(1, 9)},
	{"gzip_hash", "http"}:                       {Kind: KindSize, Check: oneOf("must be 512, 1k, 2k, 4k, 8k, 16k, 32k, 64k, or 128k", 512, 1<<10, 2<<10, 4<<10, 8<<10, 16<<10, 32<<10, 64<<10, 128<<10)},
	{"gzip_http_version", "http"}:               {Kind: KindEnum, Values: []string{"1.0", "1.1"}},
	{"gzip_min_length", "http"}:                 {Kind: KindSize},
	{"gzip_proxied", "http"}:                    {Kind: KindBitmask, Values: []string{"off", "expired", "no-cache", "no-store", "private", "no_last_modified", "no_etag", "auth", "any"}},
	{"gzip_static", "http"}:                     {Kind: KindEnum, Values: []string{"off", "on", "always"}},
	{"gzip_window", "http"}:                     {Kind: KindSize, Check: oneOf("must be 512, 1k, 2k, 4k, 8k, 16k, or 32k", 512, 1<<10, 2<<10, 4<<10, 8<<10, 16<<10, 32<<10)},
	{"http2_body_preread_size", "http"}:         {Kind: KindSize},
	{"http2_chunk_size", "http"}:                {Kind: KindSize},
	{"http2_max_concurrent_streams", "http"}:    {Kind: KindNumber},
	{"http2_pool_size", "http"}:                 {Kind: KindSize},
	{"http2_recv_buffer_size", "http"}:          {Kind: KindSize},
	{"http2_streams_index_size", "http"}:        {Kind: KindNumber, Check: powerOfTwo},
	{"http3_max_concurrent_streams", "http"}:    {Kind: KindNumber},
	{"http3_stream_buffer_size", "http"}:        {Kind: KindSize},
	{"if_modified_since", "http"}:               {Kind: KindEnum, Values: []string{"off", "exact", "before"}},
	{"image_filter_buffer", "http"}:             {Kind: KindSize},
	{"keepalive_disable", "http"}:               {Kind: KindBitmask, Values: []string{"none", "msie6", "safari"}},
	{"keepalive_min_timeout", "http"}:           {Kind: KindMsec},
	{"keepalive_requests", "http"}:              {Kind: KindNumber},
	{"keepalive_time", "http"}:                  {Kind: KindMsec},
	{"keepalive_timeout", "http"}:               {Kind: KindMsec},
	{"limit_conn_log_level", ""}:                {Kind: KindEnum, Values: logLevels},
	{"limit_conn_status", "http"}:               {Kind: KindNumber, Check: between(400, 599)},
	{"limit_req_log_level", "http"}:             {Kind: KindEnum, Values: logLevels},
	{"limit_req_status", "http"}:                {Kind: KindNumber, Check: between(400, 599)},
	{"lingering_close", "http"}:                 {Kind: KindEnum, Values: []string{"off", "on", "always"}},
	{"lingering_time", "http"}:                  {Kind: KindMsec},
	{"lingering_timeout", "http"}:               {Kind: KindMsec},
	{"map_hash_bucket_size", ""}:                {Kind: KindNumber},
	{"map_hash_max_size", ""}:                   {Kind: KindNumber},
	{"max_headers", "http"}:                     {Kind: KindNumber},
	{"max_ranges", "http"}:                      {Kind: KindNumber},
	{"memcached_buffer_size", "http"}:           {Kind: KindSize},
	{"memcached_connect_timeout", "http"}:       {Kind: KindMsec},
	{"memcached_gzip_flag", "http"}:             {Kind: KindNumber},
	{"memcached_next_upstream", "http"}:         {Kind: KindBitmask, Values: memcachedNext},
	{"memcached_next_upstream_timeout", "http"}: {Kind: KindMsec},
	{"memcached_next_upstream_tries", "http"}:   {Kind: KindNumber},
	{"memcached_read_timeout", "http"}:          {Kind: KindMsec},
	{"memcached_send_timeout", "http"}:          {Kind: KindMsec},
	{"min_delete_depth", "http"}:                {Kind: KindNumber},
	{"mp4_buffer_size", "http"}:                 {Kind: KindSize},
	{"mp4_max_buffer_size", "http"}:             {Kind: KindSize},
	{"open_file_cache_min_uses", "http"}:        {Kind: KindNumber},
	{"open_file_cache_valid", "http"}:           {Kind: KindSec},
	{"postpone_gzipping", "http"}:               {Kind: KindSize},
	{"postpone_output", "http"}:                 {Kind: KindSize},
	{"preread_buffer_size", "stream"}:           {Kind: KindSize},
	{"preread_timeout", "stream"}:               {Kind: KindMsec},
	{"proxy_buffer_size", ""}:                   {Kind: KindSize},
	{"proxy_busy_buffers_size", "http"}:         {Kind: KindSize},
	{"proxy_cache_lock_age", "http"}:            {Kind: KindMsec},
	{"proxy_cache_lock_timeout", "http"}:        {Kind: KindMsec},
	{"proxy_cache_max_range_offset", "http"}:    {Kind: KindOffset},
	{"proxy_cache_methods", "http"}:             {Kind: KindBitmask, Values: cacheMethods},
	{"proxy_cache_min_uses", "http"}:            {Kind: KindNumber},
	{"proxy_cache_use_stale", "http"}:           {Kind: KindBitmask, Values: proxyNext},
	{"proxy_connect_timeout", ""}:               {Kind: KindMsec},
	{"proxy_downstream_buffer", "stream"}:       {Kind: KindSize},
	{"proxy_headers_hash_bucket_size", "http"}:  {Kind: KindNumber},
	{"proxy_headers_hash_max_size", "http"}:     {Kind: KindNumber},
	{"proxy_http_version", "http"}:              {Kind: KindEnum, Values: []string{"1.0", "1.1", "2"}},
	{"proxy_ignore_headers", "http"}:            {Kind: KindBitmask, Values: ignoreHeaders},
	{"proxy_max_temp_file_size", "http"}:        {Kind: KindSize},
	{"proxy_next_upstream", "http"}:             {Kind: KindBitmask, Values: proxyNext},
	{"proxy_next_upstream_timeout", ""}:         {Kind: KindMsec},
	{"proxy_next_upstream_tries", ""}:           {Kind: KindNumber},
	{"proxy_protocol_timeout", "stream"}:        {Kind: KindMsec},
	{"proxy_read_timeout", "http"}:              {Kind: KindMsec},
	{"proxy_requests", "stream"}:                {Kind: KindNumber},
	{"proxy_responses", "stream"}:               {Kind: KindNumber},
	{"proxy_send_lowat", "http"}:                {Kind: KindSize},
	{"proxy_send_timeout", "http"}:              {Kind: KindMsec},
	{"proxy_socket_rcvbuf", ""}:                 {Kind: KindSize},
	{"proxy_socket_sndbuf", ""}:                 {Kind: KindSize},
	{"proxy_ssl_protocols", ""}:                 {Kind: KindBitmask, Values: sslProtocols},
	{"proxy_ssl_verify_depth", ""}:              {Kind: KindNumber},
	{"proxy_temp_file_write_size", "http"}:      {Kind: KindSize},
	{"proxy_timeout", "stream"}:                 {Kind: KindMsec},
	{"proxy_upstream_buffer", "stream"}:         {Kind: KindSize},
	{"quic_active_connection_id_limit", "http"}: {Kind: KindNumber},
	{"read_ahead", "http"}:                      {Kind: KindSize},
	{"referer_hash_bucket_size", "http"}:        {Kind: KindNumber},
	{"referer_hash_max_size", "http"}:           {Kind: KindNumber},
	{"request_pool_size", "http"}:               {Kind: KindSize},
	{"resolver_timeout", ""}:                    {Kind: KindMsec},
	{"satisfy", "http"}:                         {Kind: KindEnum, Values: []string{"all", "any"}},
	{"scgi_buffer_size", "http"}:                {Kind: KindSize},
	{"scgi_busy_buffers_size", "http"}:          {Kind: KindSize},
	{"scgi_cache_lock_age", "http"}:             {Kind: KindMsec},
	{"scgi_cache_lock_timeout", "http"}:         {Kind: KindMsec},
	{"scgi_cache_max_range_offset", "http"}:     {Kind: KindOffset},
	{"scgi_cache_methods", "http"}:              {Kind: KindBitmask, Values: cacheMethods},
	{"scgi_cache_min_uses", "http"}:             {Kind: KindNumber},
	{"scgi_cache_use_stale", "http"}:            {Kind: KindBitmask, Values: scgiNext},
	{"scgi_connect_timeout", "http"}:            {Kind: KindMsec},
	{"scgi_ignore_headers", "http"}:             {Kind: KindBitmask, Values: ignoreHeaders},
	{"scgi_max_temp_file_size", "http"}:         {Kind: KindSize},
	{"scgi_next_upstream", "http"}:              {Kind: KindBitmask, Values: scgiNext},
	{"scgi_next_upstream_timeout", "http"}:      {Kind: KindMsec},
	{"scgi_next_upstream_tries", "http"}:        {Kind: KindNumber},
	{"scgi_read_timeout", "http"}:               {Kind: KindMsec},
	{"scgi_send_timeout", "http"}:               {Kind: KindMsec},
	{"scgi_socket_rcvbuf", "http"}:              {Kind: KindSize},
	{"scgi_socket_sndbuf", "http"}:              {Kind: KindSize},
	{"scgi_temp_file_write_size", "http"}:       {Kind: KindSize},
	{"send_lowat", "http"}:                      {Kind: KindSize},
	{"send_timeout", "http"}:                    {Kind: KindMsec},
	{"sendfile_max_chunk", "http"}:              {Kind: KindSize},
	{"server_names_hash_bucket_size", ""}:       {Kind: KindNumber},
	{"server_names_hash_max_size", ""}:          {Kind: KindNumber},
	{"server_tokens", "http"}:                   {Kind: KindEnum, Values: []string{"off", "on", "build"}},
	{"slice", "http"}:                           {Kind: KindSize},
	{"ssi_min_file_chunk", "http"}:              {Kind: KindSize},
	{"ssi_value_length", "http"}:                {Kind: KindSize},
	{"ssl_buffer_size", "http"}:                 {Kind: KindSize},
	{"ssl_handshake_timeout", "stream"}:         {Kind: KindMsec},
	{"ssl_ocsp", ""}:                            {Kind: KindEnum, Values: []string{"off", "on", "leaf"}},
	{"ssl_protocols", ""}:                       {Kind: KindBitmask, Values: sslProtocols},
	{"ssl_session_timeout", ""}:                 {Kind: KindSec},
	{"ssl_verify_client", ""}:                   {Kind: KindEnum, Values: []string{"off", "on", "optional", "optional_no_ca"}},
	{"ssl_verify_depth", ""}:                    {Kind: KindNumber},
	{"subrequest_output_buffer_size", "http"}:   {Kind: KindSize},
	{"timer_resolution", "main"}:                {Kind: KindMsec},
	{"tunnel_buffer_size", "http"}:              {Kind: KindSize},
	{"tunnel_connect_timeout", "http"}:          {Kind: KindMsec},
	{"tunnel_next_upstream", "http"}:            {Kind: KindBitmask, Values: tunnelNext},
	{"tunnel_next_upstream_timeout", "http"}:    {Kind: KindMsec},
	{"tunnel_next_upstream_tries", "http"}:      {Kind: KindNumber},
	{"tunnel_read_timeout", "http"}:             {Kind: KindMsec},
	{"tunnel_send_lowat", "http"}:               {Kind: KindSize},
	{"tunnel_send_timeout", "http"}:             {Kind: KindMsec},
	{"tunnel_socket_rcvbuf", "http"}:            {Kind: KindSize},
	{"tunnel_socket_sndbuf", "http"}:            {Kind: KindSize},
	{"types_hash_bucket_size", "http"}:          {Kind: KindNumber},
	{"types_hash_max_size", "http"}:             {Kind: KindNumber},
	{"userid", "http"}:                          {Kind: KindEnum, Values: []string{"off", "log", "v1", "on"}},
	{"userid_flags", "http"}:                    {Kind: KindBitmask, Values: []string{"off", "secure", "httponly", "samesite=strict", "samesite=lax", "samesite=none"}},
	{"userid_service", "http"}:                  {Kind: KindNumber},
	{"uwsgi_buffer_size", "http"}:               {Kind: KindSize},
	{"uwsgi_busy_buffers_size", "http"}:         {Kind: KindSize},
	{"uwsgi_cache_lock_age", "http"}:            {Kind: KindMsec},
	{"uwsgi_cache_lock_timeout", "http"}:        {Kind: KindMsec},
	{"uwsgi_cache_max_range_offset", "http"}:    {Kind: KindOffset},
	{"uwsgi_cache_methods", "http"}:             {Kind: KindBitmask, Values: cacheMethods},
	{"uwsgi_cache_min_uses", "http"}:            {Kind: KindNumber},
	{"uwsgi_cache_use_stale", "http"}:           {Kind: KindBitmask, Values: uwsgiNext},
	{"uwsgi_connect_timeout", "http"}:           {Kind: KindMsec},
	{"uwsgi_ignore_headers", "http"}:            {Kind: KindBitmask, Values: ignoreHeaders},
	{"uwsgi_max_temp_file_size", "http"}:        {Kind: KindSize},
	{"uwsgi_modifier1", "http"}:                 {Kind: KindNumber, Check: between(0, 255)},
	{"uwsgi_modifier2", "http"}:                 {Kind: KindNumber, Check: between(0, 255)},
	{"uwsgi_next_upstream", "http"}:             {Kind: KindBitmask, Values: uwsgiNext},
	{"uwsgi_next_upstream_timeout", "http"}:     {Kind: KindMsec},
	{"uwsgi_next_upstream_tries", "http"}:       {Kind: KindNumber},
	{"uwsgi_read_timeout", "http"}:              {Kind: KindMsec},
	{"uwsgi_send_timeout", "http"}:              {Kind: KindMsec},
	{"uwsgi_socket_rcvbuf", "http"}:             {Kind: KindSize},
	{"uwsgi_socket_sndbuf", "http"}:             {Kind: KindSize},
	{"uwsgi_ssl_protocols", "http"}:             {Kind: KindBitmask, Values: sslProtocols},
	{"uwsgi_ssl_verify_depth", "http"}:          {Kind: KindNumber},
	{"uwsgi_temp_file_write_size", "http"}:      {Kind: KindSize},
	{"variables_hash_bucket_size", ""}:          {Kind: KindNumber},
	{"variables_hash_max_size", ""}:             {Kind: KindNumber},
	{"worker_aio_requests", "main"}:             {Kind: KindNumber},
	{"worker_rlimit_core", "main"}:              {Kind: KindOffset},
	{"worker_rlimit_nofile", "main"}:            {Kind: KindNumber},
	{"worker_shutdown_timeout", "main"}:         {Kind: KindMsec},
}

// streamFlags are directives of the table's http modules that stream
// modules have too, as a flag (the only such name at release-1.31.4).
var streamFlags = map[string]bool{"proxy_next_upstream": true}

var (
	sslProtocols  = []string{"SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}
	logLevels     = []string{"info", "notice", "warn", "error"}
	cacheMethods  = []string{"GET", "HEAD", "POST"}
	ignoreHeaders = []string{"X-Accel-Redirect", "X-Accel-Expires", "X-Accel-Limit-Rate", "X-Accel-Buffering",
		"X-Accel-Charset", "Expires", "Cache-Control", "Set-Cookie", "Vary"}
	proxyNext = []string{"error", "timeout", "invalid_header", "non_idempotent", "http_500", "http_502", "http_503",
		"http_504", "http_403", "http_404", "http_429", "updating", "off"}
	grpcNext = []string{"error", "timeout", "invalid_header", "non_idempotent", "http_500", "http_502", "http_503",
		"http_504", "http_403", "http_404", "http_429", "off"}
	// fastcgi, uwsgi and scgi have no http_502 and http_504
	fastcgiNext = []string{"error", "timeout", "invalid_header", "non_idempotent", "http_500", "http_503", "http_403",
		"http_404", "http_429", "updating", "off"}
	uwsgiNext     = fastcgiNext
	scgiNext      = fastcgiNext
	memcachedNext = []string{"error", "timeout", "invalid_response", "not_found", "off"}
	tunnelNext    = []string{"error", "timeout", "off"}
)
