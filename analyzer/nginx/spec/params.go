package spec

// Param is one parameter of a directive that rules read: a flag word
// (`backup`, `default_server`) or a name=value (`weight=`, `backlog=`).
//
// The table is written by hand: the sources parse parameters in C code,
// not in data. Each version below was checked by finding the parameter's
// string comparison in the directive's handler at every release tag of
// github.com/nginx/nginx (ngx_http_core_listen, ngx_http_upstream_server,
// ngx_stream_core_listen, ngx_stream_upstream_server) and against the
// module's page on nginx.org.
type Param struct {
	Name  string // without '='
	Value bool   // written name=value
	// Since is the first release that parses it; Until the first that no
	// longer does (zero: still does). Deprecated is the release from
	// which nginx warns about it (zero: it does not).
	Since, Until, Deprecated Version
	// Commercial marks a parameter only NGINX Plus has; open source
	// nginx rejects it in every version.
	Commercial bool
	// Instead names what to use when Deprecated or Until is set.
	Instead string
}

// paramKey is a directive of one module.
type paramKey struct{ module, directive string }

func v(major, minor, patch int) Version { return Version{major, minor, patch} }

var params = map[paramKey][]Param{
	{"ngx_http_core_module", "listen"}: {
		{Name: "default_server", Since: v(0, 8, 21)},
		{Name: "default", Since: v(0, 1, 36), Deprecated: v(0, 8, 21), Instead: "default_server"},
		{Name: "ssl", Since: v(0, 7, 14)},
		{Name: "spdy", Since: v(1, 3, 15), Until: v(1, 9, 5), Instead: "http2"},
		{Name: "http2", Since: v(1, 9, 5), Deprecated: v(1, 25, 1), Instead: "the http2 directive"},
		{Name: "quic", Since: v(1, 25, 0)},
		{Name: "proxy_protocol", Since: v(1, 5, 12)},
		{Name: "reuseport", Since: v(1, 9, 1)},
		{Name: "ipv6only", Value: true, Since: v(0, 7, 42)},
		{Name: "backlog", Value: true, Since: v(0, 3, 3)},
		{Name: "rcvbuf", Value: true, Since: v(0, 3, 3)},
		{Name: "sndbuf", Value: true, Since: v(0, 3, 3)},
		{Name: "accept_filter", Value: true, Since: v(0, 3, 3)},
		{Name: "so_keepalive", Value: true, Since: v(1, 1, 11)},
		{Name: "fastopen", Value: true, Since: v(1, 5, 8)},
		{Name: "deferred", Since: v(0, 1, 36)},
		{Name: "bind", Since: v(0, 1, 36)},
		{Name: "setfib", Value: true, Since: v(0, 8, 44)},
		{Name: "multipath", Since: v(1, 29, 7)},
	},
	{"ngx_stream_core_module", "listen"}: {
		{Name: "default_server", Since: v(1, 25, 5)},
		{Name: "ssl", Since: v(1, 9, 0)},
		{Name: "udp", Since: v(1, 9, 13)},
		{Name: "proxy_protocol", Since: v(1, 11, 4)},
		{Name: "reuseport", Since: v(1, 9, 1)},
		{Name: "ipv6only", Value: true, Since: v(1, 9, 0)},
		{Name: "backlog", Value: true, Since: v(1, 9, 2)},
		{Name: "rcvbuf", Value: true, Since: v(1, 13, 0)},
		{Name: "sndbuf", Value: true, Since: v(1, 13, 0)},
		{Name: "accept_filter", Value: true, Since: v(1, 25, 5)},
		{Name: "so_keepalive", Value: true, Since: v(1, 9, 0)},
		{Name: "fastopen", Value: true, Since: v(1, 21, 0)},
		{Name: "deferred", Since: v(1, 25, 5)},
		{Name: "bind", Since: v(1, 9, 0)},
		{Name: "setfib", Value: true, Since: v(1, 25, 5)},
		{Name: "multipath", Since: v(1, 29, 7)},
	},
	{"ngx_http_upstream_module", "server"}: {
		{Name: "weight", Value: true, Since: v(0, 5, 0)},
		{Name: "max_fails", Value: true, Since: v(0, 5, 0)},
		{Name: "fail_timeout", Value: true, Since: v(0, 5, 0)},
		{Name: "down", Since: v(0, 5, 0)},
		{Name: "backup", Since: v(0, 6, 7)},
		{Name: "max_conns", Value: true, Since: v(1, 11, 5)},
		{Name: "resolve", Since: v(1, 27, 3)},
		{Name: "service", Value: true, Since: v(1, 27, 3)},
		{Name: "drain", Since: v(1, 29, 6)},
		{Name: "route", Value: true, Since: v(1, 29, 6)},
		{Name: "slow_start", Value: true, Commercial: true},
	},
	{"ngx_stream_upstream_module", "server"}: {
		{Name: "weight", Value: true, Since: v(1, 9, 0)},
		{Name: "max_fails", Value: true, Since: v(1, 9, 0)},
		{Name: "fail_timeout", Value: true, Since: v(1, 9, 0)},
		{Name: "down", Since: v(1, 9, 0)},
		{Name: "backup", Since: v(1, 9, 0)},
		{Name: "max_conns", Value: true, Since: v(1, 11, 5)},
		{Name: "resolve", Since: v(1, 27, 3)},
		{Name: "service", Value: true, Since: v(1, 27, 3)},
		{Name: "slow_start", Value: true, Commercial: true},
	},
}

// Params returns the parameters the table knows for d (nil when it has
// no list for d's directive). The slice is shared: do not modify it.
func (d *Directive) Params() []Param { return params[paramKey{d.Module, d.Name}] }

// Param finds the parameter name of d ("weight" or "weight=..." both
// work), nil when the table has no such parameter for d.
func (d *Directive) Param(name string) *Param {
	name = paramName(name)
	ps := params[paramKey{d.Module, d.Name}]
	for i := range ps {
		if ps[i].Name == name {
			return &ps[i]
		}
	}
	return nil
}

// HasParam answers "does nginx v accept parameter param of d". known is
// false when the table has no parameter list for d (then ok is false
// too); a parameter missing from a list it has is not accepted by any
// version (ok false, known true).
func (d *Directive) HasParam(param string, v Version) (ok, known bool) {
	if params[paramKey{d.Module, d.Name}] == nil {
		return false, false
	}
	p := d.Param(param)
	if p == nil {
		return false, true
	}
	return p.In(v), true
}

// In reports whether open source nginx v parses p.
func (p *Param) In(v Version) bool {
	if p.Commercial || v.Less(p.Since) {
		return false
	}
	return p.Until.IsZero() || v.Less(p.Until)
}

// DeprecatedIn reports whether nginx v parses p but warns about it.
func (p *Param) DeprecatedIn(v Version) bool {
	return p.In(v) && !p.Deprecated.IsZero() && !v.Less(p.Deprecated)
}

// HasParam is (*Directive).HasParam for the entry of directive that module
// declares; known is false for a directive or module without a list.
func HasParam(module, directive, param string, v Version) (ok, known bool) {
	d := Directive{Module: module, Name: directive}
	return d.HasParam(param, v)
}

func paramName(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '=' {
			return s[:i]
		}
	}
	return s
}
