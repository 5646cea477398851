package syntax

import (
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/pcre"
)

var InvalidRegex = registry.Add(&analyzer.Rule{
	ID:        "NGX005",
	Name:      "invalid-regex",
	Severity:  analyzer.Error,
	Summary:   "a regular expression does not compile, so nginx refuses the configuration",
	Tags:      []analyzer.Tag{analyzer.TagSyntax},
	Precision: analyzer.PrecisionHigh,
	Run:       runInvalidRegex,
	Doc: `## What it does
Compiles the regular expressions of ` + "`location ~`" + ` and ` + "`location ~*`" + `, ` + "`rewrite`" + `,
` + "`server_name ~`" + `, the ` + "`~`" + ` keys of a ` + "`map`" + ` block and the ` + "`~`" + ` operators of ` + "`if`" + `, and reports one
that cannot compile: an unclosed ` + "`[`" + ` or ` + "`(`" + `, an unmatched ` + "`)`" + `, a quantifier with nothing to
repeat, a trailing backslash, a range written backwards. nginx uses PCRE, which knows more syntax
than this check does (look-arounds, possessive quantifiers, ` + "`\\Q...\\E`" + `); an expression using it is
left alone rather than guessed at.

## Why is this bad?
nginx compiles every regular expression when it loads the configuration; one that does not
compile stops ` + "`nginx -t`" + ` and a reload with a ` + "`pcre2_compile() failed`" + ` error, so the
server keeps running the old configuration, or does not start at all.

## Example
` + "```nginx" + `
location ~ ^/static/[a-z+\.(css|js)$ {
    expires 30d;
}
` + "```" + `

## Use instead
` + "```nginx" + `
location ~ ^/static/[a-z]+\.(css|js)$ {
    expires 30d;
}
` + "```" + `
`,
})

func runInvalidRegex(p *analyzer.Pass) {
	p.Workspace.WalkNginx(func(d *nginx.Directive) {
		if !p.InFocus(d) {
			return // its findings would be at d, in a file not asked about
		}
		for _, a := range regexArgs(d) {
			pattern := a.Value
			if d.InnerContext() == "map" || d.Name == "server_name" {
				pattern = strings.TrimPrefix(strings.TrimPrefix(pattern, "~*"), "~")
			}
			if why := pcre.SharedError(pattern, a.ci); why != "" {
				p.Reportf(a.Span, "the regular expression %q does not compile (%s): nginx -t fails with a PCRE error", pattern, why)
			}
		}
	})
}

// regexArg is an argument nginx compiles as a regular expression, and
// whether it compiles it caseless (~*, !~*, and every server_name regex),
// the flag the other readers of the pattern parse it with.
type regexArg struct {
	*nginx.Arg
	ci bool
}

// regexArgs are the arguments of d that nginx compiles as regular
// expressions.
func regexArgs(d *nginx.Directive) []regexArg {
	var out []regexArg
	switch {
	case d.Name == "location" && len(d.Args) == 2 && (d.Args[0].Value == "~" || d.Args[0].Value == "~*"):
		out = append(out, regexArg{d.Args[1], d.Args[0].Value == "~*"})
	case d.Name == "rewrite" && len(d.Args) >= 2:
		out = append(out, regexArg{d.Args[0], false})
	case d.Name == "server_name":
		for _, a := range d.Args {
			if strings.HasPrefix(a.Value, "~") {
				out = append(out, regexArg{a, true})
			}
		}
	case d.Name == "if":
		for i, a := range d.Args {
			switch a.Value {
			case "~", "~*", "!~", "!~*":
				if i+1 < len(d.Args) {
					// The closing parenthesis of the condition is not
					// part of the expression.
					last := d.Args[i+1]
					if i+2 == len(d.Args) && last.Quote == 0 && strings.HasSuffix(last.Value, ")") {
						trimmed := *last
						trimmed.Value = strings.TrimSuffix(last.Value, ")")
						last = &trimmed
					}
					out = append(out, regexArg{last, strings.HasSuffix(a.Value, "*")})
				}
			}
		}
	case d.InnerContext() == "map" && strings.HasPrefix(d.Name, "~"):
		out = append(out, regexArg{&nginx.Arg{Value: d.Name, Raw: d.Name, Span: d.NameSpan}, strings.HasPrefix(d.Name, "~*")})
	}
	return out
}
