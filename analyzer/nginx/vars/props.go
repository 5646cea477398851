// Package vars answers "what can $x hold here" for nginx configurations: a
// sourced table of what each built-in variable can contain, the positions
// of variable references inside arguments, and an index of everything
// that defines a variable (set, map, geo, split_clients, module handlers,
// regex captures) with the scoping nginx applies. A question about a
// variable always gets an answer, "unknown" at worst; never an error.
package vars

import (
	"strings"

	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// Props is what a value can hold. Client, Upstream, CRLF and Slash say
// what it may contain; Number is a guarantee; Unknown means nothing is
// known (the value comes from code: Lua, Perl, njs; or from a regex we
// cannot read), so a rule should treat every "may" as possible.
type Props uint8

// The properties.
const (
	// Client: the client can choose (part of) the text.
	Client Props = 1 << iota
	// Upstream: the text comes from an upstream server's response.
	Upstream
	// CRLF: the value may contain a carriage return or a line feed.
	CRLF
	// Slash: the value may contain '/'.
	Slash
	// Number: the value holds only digits and dots, or nothing.
	Number
	// Unknown: nothing is known about the value.
	Unknown
)

var propNames = []struct {
	p    Props
	name string
}{
	{Client, "client"}, {Upstream, "upstream"}, {CRLF, "crlf"},
	{Slash, "slash"}, {Number, "number"}, {Unknown, "unknown"},
}

// String lists the properties, "client|slash"; "none" for a value that
// is known to hold only harmless text.
func (p Props) String() string {
	var parts []string
	for _, n := range propNames {
		if p&n.p != 0 {
			parts = append(parts, n.name)
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "|")
}

// May reports whether the value may have any of q, counting Unknown as
// "anything". For Number, which is a guarantee, ask Has instead.
func (p Props) May(q Props) bool { return p&Unknown != 0 || p&q != 0 }

// Has reports whether every property of q is set.
func (p Props) Has(q Props) bool { return p&q == q }

// Join is the properties of a value that is either a or b, or the
// concatenation of both: the possibilities add up, the Number guarantee
// holds only when both give it.
func Join(a, b Props) Props {
	num := a & b & Number
	out := (a|b)&^Number | num
	if out&Unknown != 0 {
		out &^= Number
	}
	return out
}

// literalProps is what a fixed text holds.
func literalProps(s string) Props {
	var p Props
	if strings.ContainsAny(s, "\r\n") {
		p |= CRLF
	}
	if strings.Contains(s, "/") {
		p |= Slash
	}
	if strings.Trim(s, "0123456789.") == "" {
		p |= Number
	}
	return p
}

// Origin says where a variable's value comes from.
type Origin uint8

// The origins.
const (
	// Undefined: nothing defines the variable; nginx refuses such a
	// configuration ("unknown variable").
	Undefined Origin = iota
	// Builtin: a variable of nginx or of a module (Value.Builtin).
	Builtin
	// Set: the rewrite module's set (or a module's directive that sets a
	// value from a template, such as auth_request_set).
	Set
	// Map, Geo, SplitClients: the result of that block.
	Map
	Geo
	SplitClients
	// Capture: a regex capture, numbered ($1) or named.
	Capture
	// Module: computed by code (perl_set, js_set, set_by_lua*, ...).
	Module
)

var originNames = [...]string{"undefined", "builtin", "set", "map", "geo", "split_clients", "capture", "module"}

func (o Origin) String() string {
	if int(o) < len(originNames) {
		return originNames[o]
	}
	return "origin?"
}

// Value is the answer to "what can $Name hold at this directive".
type Value struct {
	Name   string
	Origin Origin
	Props  Props
	// Builtin is the table entry when Name is a built-in variable (also
	// when a set overrides one, as `set $args ...` does).
	Builtin *spec.Variable
	// Providers are the directives that give the value here, most
	// recent first: the set, map, geo ... lines, or for a capture the
	// directives whose regex captured it. For related locations.
	Providers []*nginx.Directive
	// From lists the variables the value is derived from (a map's or
	// geo's source, the variables a set's template reads), as written.
	From []string
	// NoGroup: a capture that no regex in scope has (the regex has
	// fewer groups, or there is none): nginx gives an empty string.
	NoGroup bool
}

// AvailableIn reports whether nginx release ver has the built-in
// variable the value reads: false for a variable added after ver or
// removed by it. Values not read from a built-in are always available.
func (v Value) AvailableIn(ver spec.Version) bool {
	b := v.Builtin
	if b == nil || v.Origin != Builtin || ver.IsZero() {
		return true
	}
	if !b.Until.IsZero() && !ver.Less(b.Until) {
		return false
	}
	return b.Source != "nginx" || b.Since.IsZero() || !ver.Less(b.Since)
}

// Related points at the providers, for a finding's related locations:
// "$x is set here", "$1 is captured here", "$m is the result of this
// map".
func (v Value) Related() []source.Related {
	out := make([]source.Related, 0, len(v.Providers))
	for _, p := range v.Providers {
		msg := "$" + v.Name + " is defined here"
		switch {
		case v.Origin == Capture:
			msg = "$" + v.Name + " is captured by this regex"
		case p.Name == "map" || p.Name == "geo" || p.Name == "split_clients":
			msg = "$" + v.Name + " is the result of this " + p.Name
		case p.Name == "set":
			msg = "$" + v.Name + " is set here"
		}
		out = append(out, source.Related{Span: p.Span(), Message: msg})
	}
	return out
}
