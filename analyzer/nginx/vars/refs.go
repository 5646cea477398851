package vars

import (
	"strings"

	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// Ref is one variable reference inside an argument, as nginx's script
// compiler reads it: `$name`, `${name}` or a capture `$1` .. `$9` (one
// digit only: `$10` is `$1` followed by "0").
type Ref struct {
	// Name is the variable's name without '$' and braces; "1" for $1.
	Name string
	// Capture is 1..9 for a numbered capture, 0 otherwise.
	Capture int
	// Arg is the argument the reference is in.
	Arg *nginx.Arg
	// from and to are where the reference is in the argument's source
	// text, from the '$' to the end of the name ('}' included); Span
	// works the position out when a finding asks.
	from, to int32
}

// Span returns where the reference is written.
func (r Ref) Span() source.Span { return r.Arg.RawSpan(int(r.from), int(r.to)) }

// Start returns the byte offset in its file where the reference begins.
func (r Ref) Start() int { return r.Arg.Start() + int(r.from) }

// End returns the byte offset in its file just past the reference.
func (r Ref) End() int { return r.Arg.Start() + int(r.to) }

// isNameByte is the set nginx allows in a variable name.
func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// Refs returns the variable references of one argument, read from its
// source text so that each span is exact. A '$' nginx would reject (at
// the end, before a character that cannot start a name, an unclosed '{')
// is no reference.
func Refs(a *nginx.Arg) []Ref { return appendRefs(nil, a) }

// appendRefs appends the references of a to out.
func appendRefs(out []Ref, a *nginx.Arg) []Ref {
	raw := a.Raw()
	if raw == "" {
		raw = a.Value
	}
	var buf [8]refPos // an argument's few references, found without allocating
	for _, r := range appendScan(buf[:0], raw, true) {
		out = append(out, Ref{Name: r.name, Capture: r.capture, Arg: a, from: int32(r.from), to: int32(r.to)})
	}
	return out
}

// refPos is a reference found by scan: its byte range in the text.
type refPos struct {
	from, to int
	name     string
	capture  int
}

// scan finds the references in s the way ngx_http_script_compile reads
// them. With escapes, s is source text and the escapes nginx's
// tokenizer resolves (\" \' \\ \t \r \n) are skipped as one unit.
func scan(s string, escapes bool) []refPos { return appendScan(nil, s, escapes) }

// appendScan is scan appending to out.
func appendScan(out []refPos, s string, escapes bool) []refPos {
	for i := 0; i < len(s); {
		c := s[i]
		if escapes && c == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case '"', '\'', '\\', 't', 'r', 'n':
				i += 2
				continue
			}
			i++
			continue
		}
		if c != '$' || i+1 >= len(s) {
			i++
			continue
		}
		j := i + 1
		switch {
		case s[j] >= '1' && s[j] <= '9':
			out = append(out, refPos{i, j + 1, s[j : j+1], int(s[j] - '0')})
			i = j + 1
			continue
		case s[j] == '{':
			k := j + 1
			for k < len(s) && isNameByte(s[k]) {
				k++
			}
			if k < len(s) && s[k] == '}' && k > j+1 {
				out = append(out, refPos{i, k + 1, s[j+1 : k], 0})
				i = k + 1
				continue
			}
			i = j
			continue
		}
		k := j
		for k < len(s) && isNameByte(s[k]) {
			k++
		}
		if k > j {
			out = append(out, refPos{i, k, s[j:k], 0})
		}
		i = k
	}
	return out
}

// luaCode are directives whose arguments are code in another language,
// where '$' means something else.
var luaCode = map[string]bool{
	"perl": true, "lua_package_path": true, "lua_package_cpath": true,
}

// regexDirectives take a regex as their first argument (or every
// argument): its '$' is an anchor, not a variable.
var regexFirst = map[string]bool{
	"rewrite": true, "fastcgi_split_path_info": true,
}

// noScript are directives none of whose arguments nginx interpolates
// and where '$' can appear with another meaning.
var noScript = map[string]bool{
	"location": true, "server_name": true, "listen": true, "include": true,
	"valid_referers": true, "gzip_disable": true, "ssi_types": true,
	"types": true, "charset_map": true, "upstream": true,
}

// literalBlocks hold entries that are literal text (or regexes), never
// templates, except where DirectiveRefs says otherwise.
var literalBlocks = map[string]bool{
	"geo": true, "split_clients": true, "types": true, "charset_map": true,
	"match": true, "geoip2": true,
}

// DirectiveRefs returns the references in the arguments of d that nginx
// interpolates: regexes (location, rewrite's pattern, if's `~` operand,
// map keys, server_name), code (perl, inline Lua) and the variables a
// directive defines (set's first argument, map's result) are left out.
func DirectiveRefs(d *nginx.Directive) []Ref {
	if !anyDollar(d.Args) {
		return nil // most directives: asked by several rules each
	}
	args := scriptArgs(d)
	var out []Ref
	for _, a := range args {
		out = appendRefs(out, a)
	}
	return out
}

// anyDollar reports an argument with a '$' in it, which every reference
// starts with.
func anyDollar(args []*nginx.Arg) bool {
	for _, a := range args {
		if a.HasDollar() { // in the text Refs scans, as the parse found it
			return true
		}
	}
	return false
}

// scriptArgs picks the arguments of d that are templates.
func scriptArgs(d *nginx.Directive) []*nginx.Arg {
	args := d.Args
	if blk := innerBlock(d); blk != "" {
		switch {
		case blk == "map":
			// key value: only the value is a template
			if d.Name == "hostnames" || d.Name == "volatile" || d.Name == "include" || len(args) == 0 {
				return nil
			}
			return args[len(args)-1:]
		case literalBlocks[blk] || strings.HasPrefix(blk, "geoip2"):
			if strings.HasPrefix(blk, "geoip2") {
				return argsWith(args, "source=")
			}
			return nil
		}
	}
	name := d.Name
	switch {
	case noScript[name] || luaCode[name]:
		return nil
	case strings.HasSuffix(name, "_by_lua"):
		// set_by_lua $res <code> [$arg ...]: code is Lua
		if name == "set_by_lua" && len(args) > 2 {
			return args[2:]
		}
		return nil
	case regexFirst[name]:
		if len(args) > 1 && name == "rewrite" {
			return args[1:2]
		}
		return nil
	case name == "if":
		return ifOperands(args)
	case name == "map" || name == "split_clients":
		return first(args, 1)
	case name == "geo":
		if len(args) == 2 {
			return args[:1]
		}
		return nil
	case name == "perl_set" || name == "js_set":
		return nil
	case name == "proxy_redirect" || name == "proxy_cookie_path" || name == "proxy_cookie_domain" ||
		name == "uwsgi_cookie_path" || name == "uwsgi_cookie_domain" || name == "fastcgi_cookie_path":
		if len(args) > 0 && strings.HasPrefix(args[0].Value, "~") {
			return args[1:]
		}
		return args
	}
	if definesFirst(d) {
		return args[1:]
	}
	return args
}

// definesFirst: the first argument names the variable the directive
// defines (set $x ..., auth_request_set $x ..., set_by_lua_file $x ...).
func definesFirst(d *nginx.Directive) bool {
	if len(d.Args) == 0 || !strings.HasPrefix(d.Args[0].Value, "$") {
		return false
	}
	switch d.Name {
	case "set", "auth_request_set", "js_var", "auth_jwt_claim_set", "auth_jwt_header_set",
		"auth_oidc_claim_set":
		return true
	}
	return strings.HasPrefix(d.Name, "set_") // set_by_lua_*, set-misc's set_*
}

func first(args []*nginx.Arg, n int) []*nginx.Arg {
	if len(args) < n {
		return args
	}
	return args[:n]
}

func argsWith(args []*nginx.Arg, prefix string) []*nginx.Arg {
	var out []*nginx.Arg
	for _, a := range args {
		if strings.HasPrefix(a.Value, prefix) {
			out = append(out, a)
		}
	}
	return out
}

// ifOperands returns the arguments of an if condition other than a
// regex: `($x ~ re)` keeps `($x`; `($x = text)` keeps both sides.
func ifOperands(args []*nginx.Arg) []*nginx.Arg {
	for i, a := range args {
		switch strings.TrimSuffix(a.Value, ")") {
		case "~", "~*", "!~", "!~*":
			return args[:i]
		}
	}
	return args
}
