package spec

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/internal/lazyre"
)

// A Refusal is an argument a directive's own parser refuses, so that nginx
// does not start.
type Refusal struct {
	Arg int // the argument's index; -1 for one that is missing

	Takes string // what the directive takes there
	Says  string // nginx's message
}

func refuse(arg int, takes, says string) *Refusal {
	return &Refusal{Arg: arg, Takes: takes, Says: says}
}

// ownParser reads a directive's arguments as its handler in nginx's
// sources does; nil when it takes them.
type ownParser func(args []string) *Refusal

// ownParsers are the handlers read, by family ("" for the main and events
// levels) and name. Each was read in nginx's sources and is the same from
// 1.22 to 1.29; what a release changed (keepalive 0, taken since 1.29.0)
// is left out.
var ownParsers = map[argKey]ownParser{
	{"worker_processes", ""}: func(a []string) *Refusal {
		if a[0] == "auto" || ParseNumber(a[0]) {
			return nil
		}
		return refuse(0, "auto or a whole number", `"worker_processes" directive invalid value`)
	},
	{"worker_connections", ""}: number(`invalid number "%s"`),
	{"worker_priority", ""}: func(a []string) *Refusal {
		v := a[0]
		if v != "" && (v[0] == '-' || v[0] == '+') {
			v = v[1:]
		}
		if ParseNumber(v) {
			return nil
		}
		return refuse(0, "a whole number with an optional sign (-5)", `"worker_priority" directive invalid number`)
	},
	{"use", ""}: func(a []string) *Refusal {
		switch a[0] {
		case "epoll", "select", "poll", "kqueue", "eventport", "/dev/poll", "iocp":
			return nil
		}
		return refuse(0, "the name of an event method (epoll on Linux, kqueue on BSD and macOS)", fmt.Sprintf("invalid event type %q", a[0]))
	},
	{"keepalive", "http"}:            number(`invalid value "%s" in "keepalive" directive`),
	{"set", "http"}:                  variableName,
	{"set", "stream"}:                variableName,
	{"auth_request_set", "http"}:     variableName,
	{"return", "http"}:               httpReturn,
	{"allow", "http"}:                accessRule,
	{"deny", "http"}:                 accessRule,
	{"allow", "stream"}:              accessRule,
	{"deny", "stream"}:               accessRule,
	{"limit_conn", "http"}:           limitConn,
	{"limit_conn", "stream"}:         limitConn,
	{"proxy_pass", "http"}:           proxyPassScheme,
	{"error_page", "http"}:           errorPage,
	{"proxy_cache_valid", "http"}:    cacheValid,
	{"fastcgi_cache_valid", "http"}:  cacheValid,
	{"uwsgi_cache_valid", "http"}:    cacheValid,
	{"scgi_cache_valid", "http"}:     cacheValid,
	{"expires", "http"}:              expires,
	{"limit_rate", "http"}:           constantSize("limit_rate"),
	{"limit_rate_after", "http"}:     constantSize("limit_rate_after"),
	{"proxy_limit_rate", "http"}:     constantSize("proxy_limit_rate"),
	{"fastcgi_limit_rate", "http"}:   constantSize("fastcgi_limit_rate"),
	{"uwsgi_limit_rate", "http"}:     constantSize("uwsgi_limit_rate"),
	{"scgi_limit_rate", "http"}:      constantSize("scgi_limit_rate"),
	{"limit_req", "http"}:            limitReq,
	{"limit_req_zone", "http"}:       limitZone("limit_req_zone", true),
	{"limit_conn_zone", "http"}:      limitZone("limit_conn_zone", false),
	{"server", "http"}:               upstreamServer,
	{"server", "stream"}:             upstreamServer,
	{"add_header", "http"}:           always,
	{"add_trailer", "http"}:          always,
	{"proxy_redirect", "http"}:       proxyRedirect,
	{"open_file_cache", "http"}:      openFileCache,
	{"proxy_cache_path", "http"}:     cachePath("proxy_cache_path"),
	{"fastcgi_cache_path", "http"}:   cachePath("fastcgi_cache_path"),
	{"uwsgi_cache_path", "http"}:     cachePath("uwsgi_cache_path"),
	{"scgi_cache_path", "http"}:      cachePath("scgi_cache_path"),
	{"aio", "http"}:                  aioValue,
	{"directio", "http"}:             directio,
	{"proxy_store_access", "http"}:   storeAccess,
	{"fastcgi_store_access", "http"}: storeAccess,
	{"uwsgi_store_access", "http"}:   storeAccess,
	{"scgi_store_access", "http"}:    storeAccess,
	{"dav_access", "http"}:           storeAccess,
	{"open_log_file_cache", "http"}:  openLogFileCache,
	{"worker_cpu_affinity", ""}:      cpuAffinity,
	{"rewrite", "http"}:              rewriteFlag,
	{"listen", "http"}:               listenParams(false),
	{"listen", "stream"}:             listenParams(true),
	{"ssl_session_cache", "http"}:    sessionCache,
	{"ssl_session_cache", "stream"}:  sessionCache,
}

// versionedParsers are the handlers whose reading changed between
// releases: they are given the configured nginx version.
var versionedParsers = map[argKey]func(args []string, v Version) *Refusal{
	{"proxy_bind", "http"}: bindAddress, {"fastcgi_bind", "http"}: bindAddress, {"uwsgi_bind", "http"}: bindAddress,
	{"scgi_bind", "http"}: bindAddress, {"grpc_bind", "http"}: bindAddress, {"memcached_bind", "http"}: bindAddress,
	{"proxy_bind", "stream"}: bindAddress,
}

// OwnParserNames lists the directives CheckOwnParser reads, sorted.
func OwnParserNames() []string {
	var out []string
	for id, own := range ownParserByID {
		if len(own) > 0 {
			out = append(out, names[id])
		}
	}
	return out
}

// CheckOwnParser reads args, the unquoted arguments of a directive of the
// family ("http", "stream", or "" at the main and events levels), as the
// directive's own handler in nginx does (the caller has checked their
// number), for the directives whose handler is not one of the generic
// slots ArgTypeOf describes. It returns the first argument nginx refuses,
// or nil: also for a directive it does not read, and for arguments nginx
// only judges at run time. v is the configured release, for the handlers
// that changed.
func CheckOwnParser(name, family string, args []string, v Version) *Refusal {
	return CheckOwnParserID(ID(name), family, args, v)
}

// CheckOwnParserID is CheckOwnParser for a numbered name.
func CheckOwnParserID(id NameID, family string, args []string, v Version) *Refusal {
	if len(args) == 0 || int(id) >= len(ownParserByID) {
		return nil
	}
	for _, p := range ownParserByID[id] {
		if p.family == family {
			return p.parse(args, v)
		}
	}
	return nil
}

// number is ngx_atoi's test of the only argument.
func number(says string) ownParser {
	return func(a []string) *Refusal {
		if ParseNumber(a[0]) {
			return nil
		}
		return refuse(0, "a whole number, digits only", fmt.Sprintf(says, a[0]))
	}
}

// variableName: set and auth_request_set name the variable with its $.
func variableName(a []string) *Refusal {
	if strings.HasPrefix(a[0], "$") {
		return nil
	}
	return refuse(0, "a variable name with its $ ($name)", fmt.Sprintf("invalid variable name %q", a[0]))
}

// httpReturn: a status code up to 999, or, alone, a URL that starts with
// http://, https:// or $scheme (case matters).
func httpReturn(a []string) *Refusal {
	if n, ok := NumberValue(a[0]); ok {
		if n <= 999 {
			return nil
		}
	} else if len(a) == 1 && (strings.HasPrefix(a[0], "http://") || strings.HasPrefix(a[0], "https://") ||
		strings.HasPrefix(a[0], "$scheme")) {
		return nil
	}
	takes := "a status code (0 to 999), then optionally a text or URL"
	if len(a) == 1 {
		takes = "a status code, or alone a URL that starts with http://, https:// or $scheme"
	}
	return refuse(0, takes, fmt.Sprintf("invalid return code %q", a[0]))
}

// accessRule: all, unix:, an address, or an address with a prefix length.
func accessRule(a []string) *Refusal {
	if a[0] == "all" || a[0] == "unix:" || cidrOK(a[0]) {
		return nil
	}
	return refuse(0, "all, unix:, or one address or network (10.0.0.0/8, 2001:db8::/32); a host name is not looked up",
		fmt.Sprintf("invalid parameter %q", a[0]))
}

// cidrOK is ngx_ptocidr's test: an IPv4 address as ngx_inet_addr reads
// it, or an IPv6 address as ngx_inet6_addr does, then an optional /length
// of at most 32 or 128.
func cidrOK(s string) bool {
	addr, mask, hasMask := strings.Cut(s, "/")
	max := int64(32)
	if !inetAddr(addr) {
		if !inet6Addr(addr) {
			return false
		}
		max = 128
	}
	if !hasMask {
		return true
	}
	n, ok := NumberValue(mask)
	return ok && n <= max
}

// inetAddr is ngx_inet_addr: four dot-separated decimal octets (an empty
// one counts as 0), each at most 255; 255.255.255.255 is its error value.
func inetAddr(s string) bool {
	octet, dots := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			octet = octet*10 + int(c-'0')
			if octet > 255 {
				return false
			}
		case c == '.':
			octet = 0
			dots++
		default:
			return false
		}
	}
	return dots == 3 && s != "255.255.255.255"
}

// limitConn: a zone, then a number of connections from 1 to 65535.
func limitConn(a []string) *Refusal {
	if len(a) != 2 {
		return nil
	}
	n, ok := NumberValue(a[1])
	switch {
	case !ok || n <= 0:
		return refuse(1, "a zone, then a number of connections from 1 to 65535", fmt.Sprintf("invalid number of connections %q", a[1]))
	case n > 65535:
		return refuse(1, "a zone, then a number of connections from 1 to 65535", "connection limit must be less 65536")
	}
	return nil
}

// proxyPassScheme: without variables, the URL starts with http:// or
// https:// (any letter case).
func proxyPassScheme(a []string) *Refusal {
	u := strings.ToLower(a[0])
	if strings.Contains(a[0], "$") || strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
		return nil
	}
	fixed := "http://" + a[0]
	if _, rest, ok := strings.Cut(a[0], "://"); ok {
		fixed = "http://" + rest // another scheme: replace it
	}
	return refuse(0, "a URL that starts with http:// or https:// ("+fixed+")", "invalid URL prefix")
}

// errorPage: status codes from 300 to 599 (not 499), an optional =code
// before the URI, then the URI.
func errorPage(a []string) *Refusal {
	if len(a) < 2 {
		return nil
	}
	codes := len(a) - 1
	if eq := a[len(a)-2]; strings.HasPrefix(eq, "=") {
		if len(a) == 2 || len(eq) > 1 && !ParseNumber(eq[1:]) {
			return refuse(len(a)-2, "status codes, then =code or = to change the response's status, then a URI",
				fmt.Sprintf("invalid value %q", eq))
		}
		codes--
	}
	for i, c := range a[:codes] {
		n, ok := NumberValue(c)
		switch {
		case !ok || n == 499:
			return refuse(i, "status codes from 300 to 599 (not 499), then a URI", fmt.Sprintf("invalid value %q", c))
		case n < 300 || n > 599:
			return refuse(i, "status codes from 300 to 599, then a URI", fmt.Sprintf("value %q must be between 300 and 599", c))
		}
	}
	return nil
}

// cacheValid: optional status codes (100 to 599) or any, then a time.
func cacheValid(a []string) *Refusal {
	last := len(a) - 1
	if !ParseTime(a[last], true) {
		return refuse(last, "optional status codes, then a time (10m, 1h)", fmt.Sprintf("invalid time value %q", a[last]))
	}
	for i, c := range a[:last] {
		if c == "any" {
			continue
		}
		if n, ok := NumberValue(c); !ok || n < 100 || n > 599 {
			return refuse(i, "status codes from 100 to 599 or any, then a time", fmt.Sprintf("invalid status %q", c))
		}
	}
	return nil
}

// sessionCache: off, none, builtin[:number], shared:name:size with the
// size at least 8 pages (32k with 4k pages; larger pages are not assumed).
func sessionCache(a []string) *Refusal {
	const takes = "off, none, builtin, builtin:N or shared:NAME:SIZE (shared:SSL:10m)"
	for i, v := range a {
		switch {
		case v == "off" || v == "none" || v == "builtin":
			continue
		case strings.HasPrefix(v, "builtin:") && len(v) > len("builtin:"):
			if ParseNumber(v[len("builtin:"):]) {
				continue
			}
		case strings.HasPrefix(v, "shared:") && len(v) > len("shared:"):
			name, size, found := strings.Cut(v[len("shared:"):], ":")
			if name != "" && found {
				n, ok := SizeValue(size, false)
				if ok && n < 8*4096 {
					return refuse(i, "a shared cache of at least 32k (8 memory pages)", fmt.Sprintf("session cache %q is too small", v))
				}
				if ok {
					continue
				}
			}
		}
		return refuse(i, takes, fmt.Sprintf("invalid session cache %q", v))
	}
	return nil
}

// expires: [modified] then epoch, max, off, or a time with an optional
// + or -, or @ and a time of day; a value with variables is read at run
// time.
func expires(a []string) *Refusal {
	const says = `"expires" directive `
	const takes = "[modified] then epoch, max, off, a time with an optional + or - (1h, -1), or @ and a time of day (@15h30m)"
	v, modified := a[0], false
	if len(a) > 2 {
		return nil // the argument count is another check's
	}
	if len(a) == 2 {
		if a[0] != "modified" {
			return refuse(0, takes, says+"invalid value")
		}
		v, modified = a[1], true
	}
	i := len(a) - 1
	switch {
	case strings.Contains(v, "$"):
		return nil
	case !modified && (v == "epoch" || v == "max" || v == "off"):
		return nil
	}
	daily := strings.HasPrefix(v, "@")
	if daily && modified {
		return refuse(i, "a time after modified, not a time of day", says+`daily time cannot be used with "modified" parameter`)
	}
	if daily || strings.HasPrefix(v, "+") || strings.HasPrefix(v, "-") {
		v = v[1:]
	}
	if !ParseTime(v, true) {
		return refuse(i, takes, says+"invalid value")
	}
	if daily && timeSeconds(v) > 24*60*60 {
		return refuse(i, "a time of day up to 24h after @", says+"daily time value must be less than 24 hours")
	}
	return nil
}

// timeSeconds adds up a time ParseTime took, in seconds.
func timeSeconds(s string) int64 {
	units := map[string]int64{"y": 365 * 86400, "M": 30 * 86400, "w": 7 * 86400, "d": 86400, "h": 3600, "m": 60, "s": 1, "": 1}
	var total, n int64
	unit := ""
	flush := func() {
		total += n * units[unit]
		n, unit = 0, ""
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if unit != "" {
				flush()
			}
			n = n*10 + int64(c-'0')
		case c == ' ':
			flush()
		default:
			unit += string(c)
		}
	}
	flush()
	return total
}

// constantSize: a size, unless the value has variables (read at run time
// since 1.27.0; a plain size before).
func constantSize(name string) ownParser {
	return func(a []string) *Refusal {
		if len(a) != 1 || strings.Contains(a[0], "$") || ParseSize(a[0], false) {
			return nil
		}
		return refuse(0, "a size in bytes per second with an optional k or m (100k)", fmt.Sprintf("%q directive invalid value", name))
	}
}

// limitReq: zone=NAME, burst=N and delay=N above zero, nodelay.
func limitReq(a []string) *Refusal {
	const takes = "zone=NAME, then optionally burst=N, nodelay or delay=N"
	zone := false
	for i, v := range a {
		switch {
		case strings.HasPrefix(v, "zone="):
			zone = true
		case strings.HasPrefix(v, "burst="):
			if n, ok := NumberValue(v[len("burst="):]); !ok || n <= 0 {
				return refuse(i, "burst= a number above zero", fmt.Sprintf("invalid burst value %q", v))
			}
		case strings.HasPrefix(v, "delay="):
			if n, ok := NumberValue(v[len("delay="):]); !ok || n <= 0 {
				return refuse(i, "delay= a number above zero", fmt.Sprintf("invalid delay value %q", v))
			}
		case v == "nodelay":
		default:
			return refuse(i, takes, fmt.Sprintf("invalid parameter %q", v))
		}
	}
	if !zone {
		return refuse(-1, takes, `"limit_req" must have "zone" parameter`)
	}
	return nil
}

// limitZone: a key, then zone=NAME:SIZE with the size at least 8 pages
// (32k with 4k pages) and, for limit_req_zone, rate=Nr/s or Nr/m.
func limitZone(name string, rate bool) ownParser {
	takes := "a key, then zone=NAME:SIZE"
	if rate {
		takes += " and rate=Nr/s or rate=Nr/m"
	}
	return func(a []string) *Refusal {
		named := false
		for i := 1; i < len(a); i++ {
			v := a[i]
			switch {
			case strings.HasPrefix(v, "zone="):
				zname, size, found := strings.Cut(v[len("zone="):], ":")
				n, ok := SizeValue(size, false)
				switch {
				case !found || !ok:
					return refuse(i, takes, fmt.Sprintf("invalid zone size %q", v))
				case n < 8*4096:
					return refuse(i, "a zone of at least 32k (8 memory pages)", fmt.Sprintf("zone %q is too small", v))
				}
				named = zname != ""
			case rate && strings.HasPrefix(v, "rate="):
				r := v[len("rate="):]
				if strings.HasSuffix(r, "r/s") || strings.HasSuffix(r, "r/m") {
					r = r[:len(r)-3]
				}
				if n, ok := NumberValue(r); !ok || n <= 0 {
					return refuse(i, "rate= a number of requests above zero, then r/s or r/m (10r/s)", fmt.Sprintf("invalid rate %q", v))
				}
			default:
				return refuse(i, takes, fmt.Sprintf("invalid parameter %q", v))
			}
		}
		if !named {
			return refuse(-1, takes, fmt.Sprintf("%q must have \"zone\" parameter", name))
		}
		return nil
	}
}

// upstreamServer: an upstream server's parameters after its address,
// as any release reads them: a parameter of another release or of NGINX
// Plus (resolve, service=, drain, route=, slow_start=) is taken.
func upstreamServer(a []string) *Refusal {
	const takes = "an address, then weight=N, max_conns=N, max_fails=N, fail_timeout=TIME, backup, down, resolve or service=NAME"
	for i := 1; i < len(a); i++ {
		v := a[i]
		name, value, hasValue := strings.Cut(v, "=")
		ok := true
		switch {
		case hasValue && name == "weight":
			n, isNum := NumberValue(value)
			ok = isNum && n > 0
		case hasValue && (name == "max_conns" || name == "max_fails"):
			ok = ParseNumber(value)
		case hasValue && name == "fail_timeout":
			ok = ParseTime(value, true)
		case hasValue && (name == "route" || name == "service" || name == "slow_start"):
		case !hasValue && (v == "backup" || v == "down" || v == "drain" || v == "resolve"):
		default:
			ok = false
		}
		if !ok {
			return refuse(i, takes, fmt.Sprintf("invalid parameter %q", v))
		}
	}
	return nil
}

// always: add_header and add_trailer take always as a third argument.
func always(a []string) *Refusal {
	if len(a) == 3 && a[2] != "always" {
		return refuse(2, "a name, a value, then optionally always", fmt.Sprintf("invalid parameter %q", a[2]))
	}
	return nil
}

// proxyRedirect: one argument is off or default (in lower case).
func proxyRedirect(a []string) *Refusal {
	if len(a) == 1 && a[0] != "off" && a[0] != "default" {
		return refuse(0, "off, default, or a redirect then its replacement", fmt.Sprintf("invalid parameter %q", a[0]))
	}
	return nil
}

// openFileCache: off, or max=N above zero with an optional inactive=TIME.
func openFileCache(a []string) *Refusal {
	const takes = "off, or max=N and optionally inactive=TIME"
	off, max := false, false
	for i, v := range a {
		ok := true
		switch {
		case strings.HasPrefix(v, "max="):
			n, isNum := NumberValue(v[len("max="):])
			ok, max = isNum && n > 0, true
		case strings.HasPrefix(v, "inactive="):
			ok = ParseTime(v[len("inactive="):], true)
		case v == "off":
			off = true
		default:
			ok = false
		}
		if !ok {
			return refuse(i, takes, fmt.Sprintf("invalid \"open_file_cache\" parameter %q", v))
		}
	}
	if !off && !max {
		return refuse(-1, takes, `"open_file_cache" must have the "max" parameter`)
	}
	return nil
}

// cacheLevels is what levels= takes: one to three digits 1 or 2,
// separated by ':' (or nothing).
var cacheLevels = lazyre.New(`^([12](:[12]){0,2})?$`)

// cachePath: a path, then keys_zone=NAME:SIZE (required, at least two
// memory pages: 8k with 4k pages) and the optional parameters, each with
// the value its parser takes; the purger ones are NGINX Plus's.
func cachePath(name string) ownParser {
	const takes = "a path, then keys_zone=NAME:SIZE and optionally levels=, inactive=, max_size=, min_free=, use_temp_path=, " +
		"loader_* and manager_* parameters"
	return func(a []string) *Refusal {
		zone := false
		for i := 1; i < len(a); i++ {
			v := a[i]
			param, value, _ := strings.Cut(v, "=")
			var ok bool
			says := fmt.Sprintf("invalid %s value %q", param, v)
			switch param {
			case "levels":
				ok, says = cacheLevels.Re().MatchString(value), fmt.Sprintf(`invalid "levels" %q`, v)
			case "use_temp_path":
				ok, says = value == "on" || value == "off", fmt.Sprintf(`invalid use_temp_path value %q, it must be "on" or "off"`, v)
			case "keys_zone":
				zname, size, found := strings.Cut(value, ":")
				n, sizeOK := SizeValue(size, false)
				ok, says = found && sizeOK, fmt.Sprintf("invalid keys zone size %q", v)
				if ok && n < 2*4096 {
					return refuse(i, "a keys zone of at least 8k (two memory pages)", fmt.Sprintf("keys zone %q is too small", v))
				}
				zone = zone || ok && zname != ""
			case "inactive":
				ok = ParseTime(value, true)
			case "max_size", "min_free":
				ok = ParseSize(value, true)
			case "loader_files", "manager_files":
				ok = ParseNumber(value)
			case "loader_sleep", "loader_threshold", "manager_sleep", "manager_threshold":
				ok = ParseTime(value, false)
			case "purger", "purger_files", "purger_sleep", "purger_threshold":
				ok = true // NGINX Plus
			default:
				ok, says = false, fmt.Sprintf("invalid parameter %q", v)
			}
			if !ok {
				return refuse(i, takes, says)
			}
		}
		if !zone {
			return refuse(-1, takes, fmt.Sprintf(`%q must have "keys_zone" parameter`, name))
		}
		return nil
	}
}

// listenParams: the parameters after a listen address, as any release on
// any platform takes them (setfib= and accept_filter= are FreeBSD's, quic
// needs 1.25.0 and the HTTP/3 module, multipath 1.29.7): an unknown word
// or a value its parser refuses is an error everywhere.
func listenParams(stream bool) ownParser {
	flags := map[string]bool{"default_server": true, "bind": true, "deferred": true, "reuseport": true, "multipath": true,
		"ssl": true, "proxy_protocol": true}
	if stream {
		flags["udp"] = true
	} else {
		for _, f := range []string{"default", "http2", "spdy", "quic"} { // spdy is deprecated-directive's
			flags[f] = true
		}
	}
	const takes = "an address, then parameters such as default_server, ssl, reuseport, backlog=N, so_keepalive=on"
	return func(a []string) *Refusal {
		for i := 1; i < len(a); i++ {
			v := a[i]
			if flags[v] {
				continue
			}
			param, value, hasValue := strings.Cut(v, "=")
			ok, says := true, fmt.Sprintf("invalid %s %q", param, v)
			switch {
			case !hasValue:
				ok, says = false, fmt.Sprintf("invalid parameter %q", v)
			case param == "backlog":
				n, isNum := NumberValue(value)
				ok = isNum && n > 0
			case param == "rcvbuf" || param == "sndbuf":
				ok = ParseSize(value, false)
			case param == "fastopen" || param == "setfib":
				ok = ParseNumber(value)
			case param == "accept_filter":
			case param == "ipv6only" && strings.HasPrefix(value, "o"):
				ok, says = value == "on" || value == "off", fmt.Sprintf("invalid ipv6only flags %q", value)
			case param == "so_keepalive":
				ok, says = keepaliveValue(value), fmt.Sprintf("invalid so_keepalive value: %q", value)
			default:
				ok, says = false, fmt.Sprintf("invalid parameter %q", v)
			}
			if !ok {
				return refuse(i, takes, says)
			}
		}
		return nil
	}
}

// keepaliveValue is so_keepalive's value: on, off, or
// [idle]:[interval]:[count] with not all three zero or missing.
func keepaliveValue(v string) bool {
	if v == "on" || v == "off" {
		return true
	}
	idle, rest, _ := strings.Cut(v, ":")
	intvl, cnt, _ := strings.Cut(rest, ":")
	var total int64
	for _, t := range []string{idle, intvl} {
		if t == "" {
			continue
		}
		if !ParseTime(t, true) {
			return false
		}
		total += timeSeconds(t)
	}
	if cnt != "" {
		n, ok := NumberValue(cnt)
		if !ok {
			return false
		}
		total += n
	}
	return total > 0
}

// rewriteFlag: rewrite's third argument is last, break, redirect or
// permanent, in lower case.
func rewriteFlag(a []string) *Refusal {
	if len(a) == 3 {
		switch a[2] {
		case "last", "break", "redirect", "permanent":
		default:
			return refuse(2, "a regex, a replacement, then last, break, redirect or permanent", fmt.Sprintf("invalid parameter %q", a[2]))
		}
	}
	return nil
}

// bindAddress: off, an address with variables, or an IP address with an
// optional port (ngx_parse_addr_port: a host name is not looked up), then
// optionally transparent.
func bindAddress(a []string, ver Version) *Refusal {
	v := a[0]
	switch {
	case strings.Contains(v, "$") || v == "off" && len(a) == 1:
	case !addrPort(v, !ver.Less(Version{Major: 1, Minor: 27, Patch: 3})):
		return refuse(0, "an IP address with an optional port (10.0.0.5, [2001:db8::5]:0 is not a port), a variable, or off",
			fmt.Sprintf("invalid address %q", v))
	}
	if len(a) == 2 && a[1] != "transparent" {
		return refuse(1, "an address, then optionally transparent", fmt.Sprintf("invalid parameter %q", a[1]))
	}
	return nil
}

// addrPort is ngx_parse_addr_port's test: an address, or one with :port
// from 1 to 65535 ([IPv6]:port); [IPv6] alone since 1.27.3 (bracketed).
func addrPort(v string, bracketed bool) bool {
	if ipAddr(v) {
		return true
	}
	host, port := "", ""
	if strings.HasPrefix(v, "[") {
		end := strings.IndexByte(v, ']')
		switch {
		case end == len(v)-1:
			return bracketed && ipAddr(v[1:end])
		case end < 0 || v[end+1] != ':':
			return false
		}
		host, port = v[1:end], v[end+2:]
	} else {
		var found bool
		if host, port, found = strings.Cut(v, ":"); !found {
			return false
		}
	}
	n, ok := NumberValue(port)
	return ok && n >= 1 && n <= 65535 && ipAddr(host)
}

// ipAddr is ngx_parse_addr: IPv4 as ngx_inet_addr reads it, or IPv6 as
// ngx_inet6_addr does.
func ipAddr(s string) bool {
	return inetAddr(s) || inet6Addr(s)
}

// inet6Addr is ngx_inet6_addr: eight colon-separated groups of one to four
// hex digits, one "::" standing for the zero groups left out, the last two
// groups optionally written as an IPv4 address after a colon. Like nginx it
// skips one leading colon before reading, so ":1::2" passes where Go's
// netip refuses it.
func inet6Addr(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == ':' {
		s = s[1:]
	}
	groups := 8   // the groups still to fill
	nibbles := 0  // hex digits in the group being read
	zero := false // a "::" was seen
	after := -1   // where the text after the last colon starts
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ':' {
			switch {
			case nibbles > 0:
				after = i + 1
				groups--
				if groups == 0 {
					return false
				}
				nibbles = 0
				continue
			case !zero:
				after = i + 1
				zero = true
				continue
			}
			return false
		}
		if c == '.' && nibbles > 0 {
			// the rest, from the last colon on, is an IPv4 address: two groups
			if groups < 2 || after < 0 || !inetAddr(s[after:]) {
				return false
			}
			groups--
			break
		}
		nibbles++
		if nibbles > 4 || !isHexDigit(c) {
			return false
		}
	}
	if nibbles == 0 && !zero {
		return false
	}
	groups--
	if groups > 0 {
		return zero // "::" fills the rest
	}
	return !zero // eight groups and a "::" is one too many
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f'
}

// aioValue: on, off, threads or threads=POOL (whether this build has file
// AIO or threads is not known here).
func aioValue(a []string) *Refusal {
	v := a[0]
	if v == "on" || v == "off" || v == "threads" || strings.HasPrefix(v, "threads=") {
		return nil
	}
	return refuse(0, "on, off, threads or threads=POOL", `"aio" directive invalid value`)
}

// directio: off or a size (k, m or g).
func directio(a []string) *Refusal {
	if a[0] == "off" || ParseSize(a[0], true) {
		return nil
	}
	return refuse(0, "off or a size (4m)", `"directio" directive invalid value`)
}

// storeAccess: user:, group: or all:, then rw or r.
func storeAccess(a []string) *Refusal {
	for i, v := range a {
		who, rights, _ := strings.Cut(v, ":")
		if (who == "user" || who == "group" || who == "all") && (rights == "rw" || rights == "r") {
			continue
		}
		return refuse(i, "user:, group: or all:, each then rw or r (user:rw group:r)", fmt.Sprintf("invalid value %q", v))
	}
	return nil
}

// openLogFileCache: off, or max=N with optional inactive=TIME,
// min_uses=N and valid=TIME.
func openLogFileCache(a []string) *Refusal {
	const takes = "off, or max=N and optionally inactive=TIME, min_uses=N, valid=TIME"
	off, max := false, false
	for i, v := range a {
		param, value, _ := strings.Cut(v, "=")
		ok := true
		switch {
		case v == "off":
			off = true
		case param == "max" && strings.HasPrefix(v, "max="):
			n, isNum := NumberValue(value)
			ok, max = isNum, max || isNum && n > 0
		case param == "min_uses" && strings.HasPrefix(v, "min_uses="):
			ok = ParseNumber(value)
		case (param == "inactive" || param == "valid") && strings.Contains(v, "="):
			ok = ParseTime(value, true)
		default:
			ok = false
		}
		if !ok {
			return refuse(i, takes, fmt.Sprintf("invalid \"open_log_file_cache\" parameter %q", v))
		}
	}
	if !off && !max {
		return refuse(-1, takes, `"open_log_file_cache" must have "max" parameter`)
	}
	return nil
}

// cpuAffinity: auto with at most one mask, or masks of 0 and 1 (spaces
// are skipped), one per worker.
func cpuAffinity(a []string) *Refusal {
	masks := a
	if a[0] == "auto" {
		if len(a) > 2 {
			return refuse(2, "auto and at most one mask", `invalid number of arguments in "worker_cpu_affinity" directive`)
		}
		masks = a[1:]
	}
	for i, m := range masks {
		for j := len(m) - 1; j >= 0; j-- {
			if c := m[j]; c != '0' && c != '1' && c != ' ' {
				return refuse(i+len(a)-len(masks), "auto, or one mask of 0 and 1 per worker (0101)",
					fmt.Sprintf("invalid character %q in \"worker_cpu_affinity\"", string(c)))
			}
		}
	}
	return nil
}
