package security

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/pcre"
)

var OriginRegex = registry.Add(&analyzer.Rule{
	ID:         "NGX404",
	Name:       "origin-regex",
	Severity:   analyzer.Warning,
	Summary:    "a regex that validates $http_origin or $http_referer lets other sites through",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"origins"},
	Directives: []string{"if", "map"},
	Visit:      visitOriginRegex,
	Options: []analyzer.Option{{
		Name:    "domains",
		Doc:     "trusted domains (a subdomain of one counts too); when set, a check whose host is outside them is reported",
		Default: []string{},
	}, {
		Name:    "https-only",
		Doc:     "report a check that also accepts http:// origins and referers",
		Default: false,
	}},
	Doc: `## What it does
Reads the regexes that check ` + "`$http_origin`" + ` or ` + "`$http_referer`" + `, in an ` + "`if`" + ` condition
(` + "`~`" + `, ` + "`~*`" + `, ` + "`!~`" + `, ` + "`!~*`" + `) or as the keys of a ` + "`map`" + ` of one of them, and reports
the ways another site gets past them:
- the pattern is not anchored at the start (` + "`^`" + `): ` + "`https://evil.test/?https://example.com`" + ` or
  ` + "`https://notexample.com`" + ` contains the allowed text;
- the pattern is not anchored at the end (` + "`$`" + `) for an Origin, or, for a Referer, ends neither
  with ` + "`$`" + ` nor with the ` + "`/`" + ` after the host: ` + "`https://example.com.evil.test`" + ` starts with it;
- for a Referer, a loop after the scheme that can cross a ` + "`/`" + ` (` + "`^https://.*\\.example\\.com/`" + `) takes
  ` + "`https://evil.test/x.example.com/`" + `, a page anyone can publish;
- a ` + "`.`" + ` that is not escaped matches any character: ` + "`^https://www.example.com$`" + ` lets
  ` + "`https://wwwxexample.com`" + ` (a domain anyone can register) through.

Two options, off by default, follow Gixy's: ` + "`domains`" + ` lists the trusted domains, and a check
whose host (the literal name before the end of the pattern) is neither one of them nor a subdomain
of one is reported; ` + "`https-only`" + ` reports a check that accepts ` + "`http://`" + ` too:
` + "```yaml" + `
options:
  origin-regex:
    domains: [example.com, example.net]
    https-only: true
` + "```" + `

The finding about a dot points at the dot; the others at the pattern. A pattern PCRE cannot
parse is left to ` + "`regex-unparsed`" + `.

## Why is this bad?
These checks decide who may read responses with the user's cookies (CORS) or who may embed or
link to a resource. A pattern that a foreign origin satisfies hands it that access.

## Example
` + "```nginx" + `
location /api/ {
    if ($http_origin ~* (https://example.com)) {
        add_header Access-Control-Allow-Origin $http_origin;
    }
}
` + "```" + `

## Use instead
Anchor both ends and escape every dot:
` + "```nginx" + `
location /api/ {
    if ($http_origin ~* ^https://(www\.)?example\.com$) {
        add_header Access-Control-Allow-Origin $http_origin;
    }
}
` + "```" + `
`,
})

func visitOriginRegex(p *analyzer.Pass, d *nginx.Directive) {
	var header string
	var list []nginx.RegexArg
	switch d.Name {
	case "if":
		if len(d.Args) == 0 {
			return
		}
		header = checkedHeader(strings.TrimPrefix(d.Args[0].Value, "("))
		list = regexesOf(d)
	case "map":
		if len(d.Args) == 0 {
			return
		}
		header = checkedHeader(d.Args[0].Value)
		list = regexesIn(d, routingRegexes)
	}
	if header == "" {
		return
	}
	for _, ra := range list {
		re := parsed(ra)
		if re == nil {
			continue
		}
		checkOriginRegex(p, ra, re, header)
	}
}

// checkedHeader names the header a variable holds when it is one whose
// regex checks decide access; "" otherwise.
func checkedHeader(v string) string {
	switch strings.ToLower(v) {
	case "$http_origin":
		return "Origin"
	case "$http_referer":
		return "Referer"
	}
	return ""
}

func checkOriginRegex(p *analyzer.Pass, ra nginx.RegexArg, re *pcre.Regex, header string) {
	if !looksLikeHost(ra.Pattern) {
		return // a list of words to block, not a check of who is allowed
	}
	whole := ra.Span(0, len(ra.Pattern))
	anchoredEnd := re.AnchoredEnd && !endsWithAnything(ra.Pattern)
	if !re.AnchoredStart {
		p.Report(analyzer.Finding{
			Span: whole,
			Message: fmt.Sprintf("the %s check %s is not anchored with ^: it matches anywhere in the header, so "+
				"https://evil.test/?… or a domain that merely ends with the allowed one passes; start it with ^https://",
				header, quote(ra.Pattern)),
		})
	}
	if !anchoredEnd && (header != "Referer" || !endsWithSlash(ra.Pattern)) {
		ex := "https://example.com.evil.test"
		how := "is not anchored with $"
		if re.AnchoredEnd {
			how = "ends with .* before its $"
		}
		p.Report(analyzer.Finding{
			Span: whole,
			Message: fmt.Sprintf("the %s check %s %s: any value that starts with an allowed "+
				"origin passes, such as %s; end it with $%s", header, quote(ra.Pattern), how, ex, slashHint(header)),
		})
	}
	if header == "Referer" {
		refererPathLoop(p, ra, re)
	}
	if trusted := p.ListOption("domains"); len(trusted) > 0 {
		if host := patternHost(ra.Pattern); host != "" && !underAny(host, trusted) {
			p.Report(analyzer.Finding{
				Span: whole,
				Message: fmt.Sprintf("the %s check %s accepts %s, which is not among the trusted domains (%s)",
					header, quote(ra.Pattern), host, strings.Join(trusted, ", ")),
			})
		}
	}
	if p.BoolOption("https-only") && acceptsHTTP(ra.Pattern) {
		p.Report(analyzer.Finding{
			Span: whole,
			Message: fmt.Sprintf("the %s check %s accepts http:// as well as https://: a page served without TLS, "+
				"which anyone on the network can alter, passes", header, quote(ra.Pattern)),
		})
	}
	re.Walk(func(n *pcre.Node) bool {
		if n.Kind == pcre.Repeat || n.Kind == pcre.Lookaround {
			return false // .* and .+ are meant to match anything
		}
		if n.Kind == pcre.Any {
			if anchoredEnd && lastDot(ra.Pattern, n.Offset) {
				return true // example.com matching examplexcom needs a top-level domain "examplexcom"
			}
			p.Report(analyzer.Finding{
				Span: ra.Span(n.Offset, n.End),
				Message: fmt.Sprintf("this . in the %s check %s matches any character, not only a dot: a domain "+
					"such as %s, which anyone can register, passes; write \\.", header, quote(ra.Pattern),
					dotExample(ra.Pattern, n.Offset, lastDot(ra.Pattern, n.Offset))),
			})
		}
		return true
	})
}

// looksLikeHost reports whether a pattern names a host: it holds "://" or
// a dot between name characters (escaped or not).
func looksLikeHost(pattern string) bool {
	if strings.Contains(pattern, "://") {
		return true
	}
	for i := 1; i+1 < len(pattern); i++ {
		if pattern[i] == '.' && isHostChar(pattern[i+1]) && (isHostChar(pattern[i-1]) || pattern[i-1] == '\\') {
			return true
		}
	}
	return false
}

func isHostChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

// endsWithAnything reports whether a pattern ends with .* or .+ (before
// its closing parentheses and $), which undoes the end anchor.
func endsWithAnything(pattern string) bool {
	p := strings.TrimSuffix(pattern, "$")
	p = strings.TrimRight(p, ")")
	return strings.HasSuffix(p, ".*") || strings.HasSuffix(p, ".+")
}

// lastDot reports whether the dot at off is the last one of its host
// name in the pattern (the one before the top-level domain).
func lastDot(pattern string, off int) bool {
	for i := off + 1; i < len(pattern); i++ {
		c := pattern[i]
		if c == '.' {
			return false
		}
		if !isHostChar(c) && c != '\\' {
			return true
		}
	}
	return true
}

// refererPathLoop reports a loop after the scheme that can cross a '/'
// and is followed by more of the host: in a Referer the loop can hold a
// whole foreign URL up to a path that ends with the allowed name, as
// `^https?://.*\.example\.com/` accepts https://evil.test/x.example.com/.
// (An Origin has no path, so the same loop there only admits subdomains.)
func refererPathLoop(p *analyzer.Pass, ra nginx.RegexArg, re *pcre.Regex) {
	scheme := strings.Index(ra.Pattern, "://")
	if scheme < 0 {
		return
	}
	re.Walk(func(n *pcre.Node) bool {
		if n.Kind == pcre.Lookaround {
			return false
		}
		if n.Kind != pcre.Repeat || n.Max != -1 || n.Offset < scheme+3 || len(n.Sub) == 0 || !n.Sub[0].Matches('/') {
			return true
		}
		if !strings.Contains(ra.Pattern[n.End:], ".") {
			return true // nothing of the host follows
		}
		p.Report(analyzer.Finding{
			Span: ra.Span(n.Offset, n.End),
			Message: fmt.Sprintf("this %s in the Referer check %s can run over a '/': a page such as "+
				"https://evil.test/x%s passes; match the host's labels with [a-z0-9.-]+ (or [^/]+) instead",
				ra.Pattern[n.Offset:n.End], quote(ra.Pattern), tailHost(ra.Pattern[n.End:])),
		})
		return false
	})
}

// tailHost is the literal host text after a loop, unescaped, for a message.
func tailHost(rest string) string {
	var b strings.Builder
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case c == '\\' && i+1 < len(rest):
			i++
			b.WriteByte(rest[i])
		case isHostChar(c) || c == '.' || c == '/':
			b.WriteByte(c)
		default:
			return b.String()
		}
	}
	return b.String()
}

// patternHost is the literal host name a pattern ends with, before its
// end anchor, a port group and a closing slash: "example.com" for
// ^https://(www\.)?example\.com(:[0-9]+)?$; "" when there is none.
func patternHost(pattern string) string {
	p := strings.TrimSuffix(pattern, "$")
	for _, port := range []string{"(:[0-9]+)?", "(:\\d+)?", "(:[0-9]*)?", "(:\\d*)?"} {
		p = strings.TrimSuffix(p, port)
	}
	p = strings.TrimSuffix(strings.TrimRight(p, ")"), "/")
	i := len(p)
	for i > 0 {
		c := p[i-1]
		if isHostChar(c) {
			i--
			continue
		}
		if c == '.' && i >= 2 && p[i-2] == '\\' {
			i -= 2
			continue
		}
		break
	}
	host := strings.TrimLeft(strings.ReplaceAll(p[i:], "\\.", "."), ".")
	if !strings.Contains(host, ".") {
		return ""
	}
	return strings.ToLower(host)
}

// underAny reports whether host is one of domains or a subdomain of one.
func underAny(host string, domains []string) bool {
	for _, d := range domains {
		d = strings.ToLower(strings.TrimPrefix(d, "."))
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// acceptsHTTP reports whether a pattern also takes the http scheme.
func acceptsHTTP(pattern string) bool {
	lower := strings.ToLower(pattern)
	return strings.Contains(lower, "http://") || strings.Contains(lower, "https?://") ||
		strings.Contains(lower, "(http|https)") || strings.Contains(lower, "(https|http)")
}

func slashHint(header string) string {
	if header == "Referer" {
		return " (or with the / after the host)"
	}
	return ""
}

// endsWithSlash reports whether a Referer pattern ends with the slash
// that closes the host (optionally inside a closing group).
func endsWithSlash(pattern string) bool {
	p := strings.TrimRight(pattern, ")")
	return strings.HasSuffix(p, "/")
}

// dotExample is the pattern's text around the dot at off with the dot
// replaced by a letter, for the message.
func dotExample(pattern string, off int, last bool) string {
	start, end := off, off+1
	isHost := func(c byte) bool { return isHostChar(c) || c == '.' || c == '\\' }
	for start > 0 && isHost(pattern[start-1]) {
		start--
	}
	for end < len(pattern) && isHost(pattern[end]) {
		end++
	}
	host := pattern[start:off] + "x" + pattern[off+1:end]
	host = strings.ReplaceAll(host, "\\", "")
	if last {
		host += ".evil.test"
	}
	return host
}
