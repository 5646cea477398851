package nginx

import (
	"strings"

	"github.com/ngxlint/ngxlint/analyzer/nginx/pcre"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// RegexArg is one regular expression nginx compiles from a directive.
type RegexArg struct {
	Directive *Directive
	// Arg holds the pattern: an argument, or for a map entry its key.
	Arg *Arg
	// Start is where the pattern begins in Arg.Value (after ~, ~* or the
	// "(" of an if condition).
	Start   int
	Pattern string
	// CaseInsensitive: ~*, !~*, and the directives nginx always compiles
	// without case (server_name, valid_referers, gzip_disable).
	CaseInsensitive bool
	// Negated: if's !~ and !~*, whose block runs when the regex does not
	// match (so without its captures).
	Negated bool
}

// Parse parses the pattern as nginx's PCRE would. The result is shared
// with the other readers of the same pattern (pcre.ParseCached): read only.
func (r RegexArg) Parse() (*pcre.Regex, error) {
	return pcre.ParseCached(r.Pattern, r.CaseInsensitive)
}

// Span returns the source span of bytes [start, end) of the pattern, e.g.
// of a *pcre.Error: r.Span(e.Offset, e.Offset+1); a range outside the
// argument's value gives the whole argument.
func (r RegexArg) Span(start, end int) source.Span {
	if start < 0 || end < start || r.Start+end > len(r.Arg.Value) {
		return r.Arg.Span()
	}
	return r.Arg.ValueSpan(r.Start+start, r.Start+end)
}

// Kind names what the regex is, for messages and for rules that read some
// kinds only: the directive's name, or "map" for a map entry (whose name
// is its key).
func (r RegexArg) Kind() string {
	if r.Directive.InnerContext() == "map" {
		return "map"
	}
	return r.Directive.Name
}

// Regexes lists the regexes nginx compiles from d: location ~ and ~*,
// if's ~ !~ ~* !~*, rewrite, map keys ~ and ~*, server_name ~, and the
// regex arguments of valid_referers, gzip_disable, proxy_redirect,
// proxy_cookie_path, proxy_cookie_domain and fastcgi_split_path_info.
func Regexes(d *Directive) []RegexArg {
	var out []RegexArg
	args := d.Args
	if d.InnerContext() == "map" { // an entry, in the block or a file it includes
		if key := d.nameArg(); key != nil {
			out = appendTilde(out, d, key, false)
		}
		return out
	}
	switch d.Name {
	case "location":
		switch {
		case len(args) == 2 && (args[0].Value == "~" || args[0].Value == "~*"):
			out = append(out, RegexArg{Directive: d, Arg: args[1], Pattern: args[1].Value, CaseInsensitive: args[0].Value == "~*"})
		case len(args) == 1:
			out = appendTilde(out, d, args[0], false)
		}
	case "if":
		if a, start, pattern, ci, negated, ok := ifRegex(args); ok {
			out = append(out, RegexArg{Directive: d, Arg: a, Start: start, Pattern: pattern, CaseInsensitive: ci, Negated: negated})
		}
	case "rewrite", "fastcgi_split_path_info":
		if len(args) > 0 {
			out = append(out, RegexArg{Directive: d, Arg: args[0], Pattern: args[0].Value})
		}
	case "server_name", "valid_referers":
		for _, a := range args {
			out = appendTilde(out, d, a, true)
		}
	case "gzip_disable":
		for _, a := range args {
			if a.Value != "msie6" && a.Value != "degradation" {
				out = append(out, RegexArg{Directive: d, Arg: a, Pattern: a.Value, CaseInsensitive: true})
			}
		}
	case "proxy_redirect", "proxy_cookie_path", "proxy_cookie_domain":
		if len(args) > 0 {
			out = appendTilde(out, d, args[0], false)
		}
	}
	return out
}

// appendTilde appends the regex of a "~re" or "~*re" argument of d, if a
// is one; ci says whether nginx compiles ~ alone caseless already.
func appendTilde(out []RegexArg, d *Directive, a *Arg, ci bool) []RegexArg {
	v := a.Value
	switch {
	case strings.HasPrefix(v, "~*"):
		return append(out, RegexArg{Directive: d, Arg: a, Start: 2, Pattern: v[2:], CaseInsensitive: true})
	case strings.HasPrefix(v, "~"):
		return append(out, RegexArg{Directive: d, Arg: a, Start: 1, Pattern: v[1:], CaseInsensitive: ci})
	}
	return out
}

// RegexDirectives names the directives whose regexes RegexesIn lists, for
// the rules that visit them: those Regexes reads, and "map" for the
// entries of a map block.
var RegexDirectives = []string{"location", "if", "rewrite", "fastcgi_split_path_info", "server_name",
	"valid_referers", "gzip_disable", "proxy_redirect", "proxy_cookie_path", "proxy_cookie_domain", "map"}

// RegexesIn lists the regexes nginx compiles from d, a directive
// RegexDirectives names: Regexes of d, or for a map block those of its
// entries, included files' entries too. A map entry itself lists none
// (its map does), whatever its key.
func RegexesIn(d *Directive) []RegexArg {
	if d.InnerContext() == "map" {
		return nil
	}
	if d.Name != "map" {
		return Regexes(d)
	}
	var out []RegexArg
	AtLevel(d.Block, func(e *Directive) bool {
		out = append(out, Regexes(e)...)
		return true
	})
	return out
}

// ifRegex finds the regex of an if condition. nginx drops the "(" that
// starts the first word and the ")" that ends the last, quoted or not, so
// "($a ~ x)", "( $a ~ x )" and ("$a" ~ "x") all compare $a with x.
// negated is true for !~ and !~*.
func ifRegex(args []*Arg) (a *Arg, start int, pattern string, ci, negated, ok bool) {
	if len(args) == 0 || !strings.HasPrefix(args[0].Value, "(") || !strings.HasSuffix(args[len(args)-1].Value, ")") {
		return nil, 0, "", false, false, false
	}
	words := make([]string, len(args))
	for i, x := range args {
		words[i] = x.Value
	}
	offs := make([]int, len(args))
	words[0], offs[0] = words[0][1:], 1
	if words[0] == "" {
		args, words, offs = args[1:], words[1:], offs[1:]
	}
	if len(args) == 0 {
		return nil, 0, "", false, false, false
	}
	last := len(words) - 1
	words[last] = words[last][:len(words[last])-1]
	if words[last] == "" && len(words) != 3 {
		args, words, offs = args[:last], words[:last], offs[:last]
	}
	if len(words) != 3 {
		return nil, 0, "", false, false, false
	}
	switch words[1] {
	case "~", "!~":
		return args[2], offs[2], words[2], false, words[1] == "!~", true
	case "~*", "!~*":
		return args[2], offs[2], words[2], true, words[1] == "!~*", true
	}
	return nil, 0, "", false, false, false
}

// nameArg returns the directive's name as an argument, for a map entry
// whose key is a pattern. Nil when the name's source text is not known.
func (d *Directive) nameArg() *Arg {
	if d.Config == nil || d.Config.File == nil {
		return nil
	}
	raw := d.rawName()
	if raw == "" {
		return nil
	}
	var quote byte
	if raw[0] == '"' || raw[0] == '\'' {
		quote = raw[0]
	}
	a := argAt(d.Config.File, d.Start(), d.Start()+len(raw), d.Name, quote)
	return &a
}
