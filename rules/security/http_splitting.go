package security

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/pcre"
	"github.com/ngxlint/ngxlint/analyzer/nginx/vars"
)

var HTTPSplitting = registry.Add(&analyzer.Rule{
	ID:         "NGX403",
	Name:       "http-splitting",
	Severity:   analyzer.Warning,
	Summary:    "a variable that may hold a line feed goes into a response header or the request sent upstream",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"http_splitting"},
	Directives: []string{"rewrite", "return", "add_header", "add_trailer", "proxy_set_header", "proxy_pass", "more_set_headers", "more_set_input_headers"},
	Visit:      visitSplitting,
	Doc: `## What it does
Finds variables that can hold a carriage return or a line feed where nginx writes them into a
header line or a request line: the target of a redirecting ` + "`rewrite`" + ` or ` + "`return`" + ` (the
` + "`Location`" + ` header), ` + "`add_header`" + `, ` + "`add_trailer`" + `, ` + "`proxy_set_header`" + `, ` + "`proxy_pass`" + ` and headers-more's
` + "`more_set_headers`" + ` and ` + "`more_set_input_headers`" + `. It points at the variable. What a variable can hold comes from the variables model: ` + "`$uri`" + `
and ` + "`$document_uri`" + ` are decoded (` + "`%0d%0a`" + ` becomes a line break), ` + "`$request_uri`" + `, ` + "`$args`" + `
and header values are not and never hold one; ` + "`set`" + `, ` + "`map`" + ` and regex captures are followed,
so ` + "`$1`" + ` of ` + "`([a-z]+)`" + ` is safe and ` + "`$1`" + ` of ` + "`(.*)`" + ` is not. ` + "`$uri`" + ` is safe in a regex location
anchored at both ends whose pattern admits no line feed (` + "`$`" + ` still lets one final line feed
through, which can end the header block early but carries nothing of the client's). A lone
carriage return, which ` + "`.`" + ` admits, is not counted: nginx sends it, but HTTP parsers do not
take it as the end of a line. A variable computed by Lua, njs or
Perl is unknown, and the rule stays silent. ` + "`$remote_user`" + ` is safe where ` + "`auth_basic`" + ` applies (without ` + "`satisfy any`" + `): only a user found in
the password file gets through. ` + "`return`" + ` with a body (` + "`return 200 $uri`" + `) is not a
header, and neither is an internal ` + "`rewrite`" + `.

## Why is this bad?
A line break inside a header value ends the header: what follows is read by the client (or by
the upstream server) as headers or a body of the attacker's choosing (HTTP response splitting,
request splitting towards the upstream, cache poisoning, cross-site scripting).

## Example
` + "```nginx" + `
location /old/ {
    return 301 https://example.com$uri;
}
location ~ /files/(.*) {
    add_header X-File $1;
}
` + "```" + `

## Use instead
Use the raw, still-encoded ` + "`$request_uri`" + `, or a capture that cannot hold ` + "`\\r`" + ` or ` + "`\\n`" + `:
` + "```nginx" + `
location /old/ {
    return 301 https://example.com$request_uri;
}
location ~ /files/([^\r\n]*) {
    add_header X-File $1;
}
` + "```" + `
`,
})

// redirectCodes are the return codes whose text argument is the Location.
var redirectCodes = map[int]bool{301: true, 302: true, 303: true, 307: true, 308: true}

func visitSplitting(p *analyzer.Pass, d *nginx.Directive) {
	args, where := splitArgs(d)
	if len(args) == 0 {
		return
	}
	ix := analyzer.ResultOf(p.Workspace, analyzer.Variables)
	for _, r := range ix.DirectiveRefs(d) {
		if !containsArg(args, r.Arg) {
			continue
		}
		v, props := valueAt(ix, d, r)
		if v.Origin == vars.Undefined || props&vars.Unknown != 0 || !props.Has(vars.CRLF) {
			continue
		}
		if v.Origin == vars.Builtin && (r.Name == "uri" || r.Name == "document_uri") && uriWithoutNewline(d) {
			continue
		}
		if v.Origin == vars.Capture && !captureMayLF(v, r) {
			continue
		}
		if v.Origin == vars.Builtin && r.Name == "remote_user" && basicAuthChecked(p, d) {
			continue
		}
		p.Report(analyzer.Finding{
			Span: r.Span(),
			Message: fmt.Sprintf("$%s may hold a line feed%s, and %s: a client that sends %%0d%%0a "+
				"adds headers or a body of its own (HTTP splitting); use $request_uri (not decoded) or a capture "+
				"that excludes \\r and \\n", r.Name, why(v), where),
			Related: v.Related(),
		})
	}
}

// why says where a value's line break comes from.
func why(v vars.Value) string {
	switch v.Origin {
	case vars.Builtin:
		return " (nginx decodes it from the request)"
	case vars.Capture:
		return " (its regex group admits them)"
	case vars.Set, vars.Map:
		if len(v.From) > 0 {
			return " (it is made from $" + strings.Join(trimDollar(v.From), ", $") + ")"
		}
	}
	return ""
}

// splitArgs returns the arguments of d that end up in a header or request
// line, and a phrase saying where.
func splitArgs(d *nginx.Directive) ([]*nginx.Arg, string) {
	a := d.Args
	switch d.Name {
	case "add_header", "add_trailer":
		if len(a) >= 2 {
			return a[:2], d.Name + " writes it into a response header"
		}
	case "proxy_set_header":
		if len(a) >= 2 {
			return a[:2], "proxy_set_header writes it into a header sent upstream"
		}
	case "more_set_headers", "more_set_input_headers":
		var out []*nginx.Arg
		for i := 0; i < len(a); i++ {
			switch a[i].Value {
			case "-s", "-t":
				i++ // the option's value
				continue
			case "-r":
				continue
			}
			out = append(out, a[i])
		}
		where := "more_set_headers writes it into a response header"
		if d.Name == "more_set_input_headers" {
			where = "more_set_input_headers writes it into a request header sent upstream"
		}
		return out, where
	case "proxy_pass":
		if len(a) >= 1 && d.Module() != "stream" {
			return a[:1], "proxy_pass writes it into the request line sent upstream"
		}
	case "return":
		switch len(a) {
		case 1:
			if _, err := strconv.Atoi(a[0].Value); err != nil {
				return a[:1], "return writes it into the Location header"
			}
		case 2:
			if c, err := strconv.Atoi(a[0].Value); err == nil && redirectCodes[c] {
				return a[1:2], "return writes it into the Location header"
			}
		}
	case "rewrite":
		if len(a) >= 2 && rewriteRedirects(d) {
			return a[1:2], "rewrite redirects, writing it into the Location header"
		}
	}
	return nil, ""
}

// rewriteRedirects reports whether a rewrite answers with a redirect: the
// redirect or permanent flag, or a replacement that starts with a scheme.
func rewriteRedirects(d *nginx.Directive) bool {
	if len(d.Args) >= 3 {
		switch d.Args[2].Value {
		case "redirect", "permanent":
			return true
		}
	}
	r := d.Args[1].Value
	return strings.HasPrefix(r, "http://") || strings.HasPrefix(r, "https://") || strings.HasPrefix(r, "$scheme")
}

func containsArg(list []*nginx.Arg, a *nginx.Arg) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

// basicAuthChecked reports whether auth_basic applies at d at every site,
// without satisfy any: nginx then lets a request through only when the
// user and password are found in the user file, so $remote_user is a name
// from that file, not free text.
func basicAuthChecked(p *analyzer.Pass, d *nginx.Directive) bool {
	idx := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	v := p.Settings.Nginx()
	for _, s := range sitesOf(d) {
		on := false
		for _, x := range idx.Resolve(d, s, "auth_basic", v).Effective {
			on = len(x.Args) > 0 && x.Args[0].Value != "off"
		}
		for _, x := range idx.Resolve(d, s, "satisfy", v).Effective {
			if len(x.Args) > 0 && x.Args[0].Value == "any" {
				on = false
			}
		}
		if !on {
			return false
		}
	}
	return true
}

// lineFeed is what ends a header line for every HTTP parser; a lone CR
// does not (RFC 9112 lets a recipient take a bare LF as a line end, and
// asks it to reject or replace a bare CR).
const lineFeed pcre.CharSet = "\n"

// captureMayLF reports whether the capture r can hold a line feed: the
// model's CRLF property counts a lone CR too, which `.` admits.
func captureMayLF(v vars.Value, r vars.Ref) bool {
	if len(v.Providers) == 0 {
		return true
	}
	for _, pd := range v.Providers {
		found := false
		for _, ra := range regexesOf(pd) {
			re := parsed(ra)
			if re == nil {
				return true
			}
			g := re.Group(r.Capture)
			if r.Capture == 0 {
				if i, ok := re.Names[r.Name]; ok {
					g = re.Group(i)
				}
			}
			if g == nil {
				continue
			}
			found = true
			if g.CanMatch(lineFeed) {
				return true
			}
		}
		if !found {
			return true
		}
	}
	return false
}

// uriWithoutNewline reports whether d sits in a regex location (at any of
// its file's sites, at any depth) that is anchored at both ends and whose
// pattern admits no LF: $uri matched it whole, so it holds none, except
// that `$` lets one final LF through (nginx 1.22 then writes
// "Location: ...abc\n\r\n"), which can end the header block early but
// carries no text of the client's.
func uriWithoutNewline(d *nginx.Directive) bool {
	for _, s := range sitesOf(d) {
		ok := false
		for l := d.EnclosingIn(s, "location"); l != nil; l = l.EnclosingIn(s, "location") {
			for _, ra := range regexesOf(l) {
				if re := parsed(ra); re != nil && re.AnchoredStart && re.AnchoredEnd && !re.CanMatch(lineFeed) {
					ok = true
				}
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
