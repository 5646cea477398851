// Package catalog is a small table of common nginx directives and
// variables: syntax, the contexts a directive may appear in, and one line
// on what it does. The language server uses it for hover and completion.
// It is deliberately minimal (the directives people actually write in
// front of Node.js apps and Elasticsearch), not a mirror of nginx's docs.
package catalog

import (
	"sort"
	"strings"
)

// Context labels, as nginx's reference names them. A directive inside an
// `if` block is in "if in server" or "if in location"; stream and its
// blocks have their own labels because the same names mean other things
// there.
const (
	Main           = "main"
	Events         = "events"
	HTTP           = "http"
	Server         = "server"
	Location       = "location"
	IfInServer     = "if in server"
	IfInLocation   = "if in location"
	LimitExcept    = "limit_except"
	Upstream       = "upstream"
	Stream         = "stream"
	StreamServer   = "stream server"
	StreamUpstream = "stream upstream"
	Mail           = "mail"
	// Any marks a directive valid everywhere (include).
	Any = "any"
)

// Directive is one entry of the table. A name may have several entries
// when it means different things in different modules (server in http, in
// upstream and in stream).
type Directive struct {
	Name     string
	Module   string // "core", "http", "proxy", "stream", ...
	Syntax   string
	Contexts []string
	Summary  string
}

// AllowedIn reports whether the directive may appear in context label ctx.
func (d *Directive) AllowedIn(ctx string) bool {
	for _, c := range d.Contexts {
		if c == ctx || c == Any {
			return true
		}
	}
	return false
}

// Block reports whether the directive opens a block ({ ... }).
func (d *Directive) Block() bool { return strings.HasSuffix(d.Syntax, "{ ... }") }

var (
	directives []*Directive
	byName     = map[string][]*Directive{}
)

func init() {
	for _, line := range strings.Split(table, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		// The syntax field may itself contain '|': split three fields off
		// the left and the summary off the right.
		f := strings.SplitN(line, " | ", 4)
		if len(f) != 4 {
			panic("catalog: malformed entry: " + line)
		}
		i := strings.LastIndex(f[3], " | ")
		if i < 0 {
			panic("catalog: malformed entry: " + line)
		}
		f = append(f[:3], f[3][:i], f[3][i+3:])
		d := &Directive{
			Name:    strings.TrimSpace(f[0]),
			Module:  strings.TrimSpace(f[1]),
			Syntax:  strings.TrimSpace(f[3]),
			Summary: strings.TrimSpace(f[4]),
		}
		for _, c := range strings.Split(f[2], ",") {
			d.Contexts = append(d.Contexts, strings.TrimSpace(c))
		}
		directives = append(directives, d)
		byName[d.Name] = append(byName[d.Name], d)
	}
}

// All returns every entry, in table order.
func All() []*Directive { return directives }

// Lookup returns every entry for name (nil when the table lacks it).
func Lookup(name string) []*Directive { return byName[name] }

// For returns the entry for name that is valid in context label ctx, else
// the first entry for the name, else nil.
func For(name, ctx string) *Directive {
	ds := byName[name]
	for _, d := range ds {
		if d.AllowedIn(ctx) {
			return d
		}
	}
	if len(ds) > 0 {
		return ds[0]
	}
	return nil
}

// InContext returns the directives valid in context label ctx, one entry
// per name, sorted by name.
func InContext(ctx string) []*Directive {
	var out []*Directive
	seen := map[string]bool{}
	for _, d := range directives {
		if !seen[d.Name] && d.AllowedIn(ctx) {
			seen[d.Name] = true
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Label turns a block path, outermost first (as nginx.Directive.Context
// returns it, plus the block itself), into a context label: [] is main,
// ["http","server","location","if"] is "if in location", ["stream",
// "upstream"] is "stream upstream". Blocks the table knows nothing about
// (map, types, geo, a Lua block) yield "".
func Label(path []string) string {
	if len(path) == 0 {
		return Main
	}
	last := path[len(path)-1]
	stream := path[0] == "stream"
	switch last {
	case "events", "http", "stream", "mail":
		if len(path) == 1 {
			return last
		}
		return ""
	case "server":
		if stream {
			return StreamServer
		}
		if path[0] == "mail" {
			return ""
		}
		return Server
	case "upstream":
		if stream {
			return StreamUpstream
		}
		return Upstream
	case "location":
		return Location
	case "limit_except":
		return LimitExcept
	case "if":
		if len(path) >= 2 && path[len(path)-2] == "server" {
			return IfInServer
		}
		return IfInLocation
	}
	return ""
}

// Variable is a built-in nginx variable. A name ending in "_" is a family
// ($http_ + a header name).
type Variable struct {
	Name    string // without the '$'
	Summary string
}

// Variables returns the common built-in variables, sorted by name.
func Variables() []Variable { return variables }

var variables = func() []Variable {
	var out []Variable
	for _, line := range strings.Split(variableTable, "\n") {
		name, summary, ok := strings.Cut(strings.TrimSpace(line), " | ")
		if !ok {
			continue
		}
		out = append(out, Variable{Name: strings.TrimSpace(name), Summary: strings.TrimSpace(summary)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}()
