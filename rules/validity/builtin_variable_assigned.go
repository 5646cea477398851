package validity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/pcre"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/nginx/vars"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var BuiltinVariableAssigned = registry.Add(&analyzer.Rule{
	ID:        "NGX334",
	Name:      "builtin-variable-assigned",
	Severity:  analyzer.Error,
	Summary:   "set, map, geo or a named regex capture defines one of nginx's own variables ($remote_addr, $scheme ...), so nginx refuses to start",
	Tags:      []analyzer.Tag{analyzer.TagValidity},
	Precision: analyzer.PrecisionHigh,
	Fix:       analyzer.FixNone,
	Directives: []string{"set", "auth_request_set", "map", "geo", "split_clients", "perl_set", "js_set", "js_var",
		"location", "if", "rewrite", "server_name", "fastcgi_split_path_info", "proxy_redirect", "proxy_cookie_path",
		"proxy_cookie_domain"},
	Visit: visitBuiltinVariableAssigned,
	Doc: `## What it does
Finds a variable defined by ` + "`set`" + `, ` + "`auth_request_set`" + `, ` + "`map`" + `, ` + "`geo`" + `,
` + "`split_clients`" + `, ` + "`perl_set`" + `, ` + "`js_set`" + `, ` + "`js_var`" + ` or a named capture of a regex
(` + "`(?<name>...)`" + ` in a ` + "`location`" + `, ` + "`if`" + `, ` + "`rewrite`" + `, ` + "`server_name`" + ` or map key) whose name is
one of nginx's own variables, of the http or stream module the directive is in, in the configured
release. nginx lets only a few of its own be assigned (` + "`$args`" + `, ` + "`$limit_rate`" + `, ` + "`$proxy_host`" + `,
` + "`$proxy_port`" + `, the ` + "`$ssl_...`" + ` ones and the browser module's); a prefix family such as
` + "`$http_...`" + ` or ` + "`$arg_...`" + ` may be defined too (the name becomes a variable of its own). Variables
of modules a build may lack (realip, geoip, HTTP/2 and 3, stub_status, ssl_preread) are left
alone.

## Why is this bad?
nginx refuses to start with ` + "`the duplicate \"remote_addr\" variable`" + `. The usual cause is an attempt
to overwrite a request property: ` + "`set $remote_addr $http_x_forwarded_for;`" + ` to take the client
address from a proxy, or ` + "`set $scheme https;`" + ` behind a TLS-terminating load balancer. Use a
variable of your own, or the module made for it (realip's ` + "`set_real_ip_from`" + ` and
` + "`real_ip_header`" + ` for the client address).

## Example
` + "```nginx" + `
location / {
    set $scheme https;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_pass http://127.0.0.1:8080;
}
` + "```" + `

## Use instead
` + "```nginx" + `
location / {
    set $forwarded_proto https;
    proxy_set_header X-Forwarded-Proto $forwarded_proto;
    proxy_pass http://127.0.0.1:8080;
}
` + "```" + `
`,
})

// alwaysBuilt are the modules whose variables exist whenever their
// family (http, stream) is built: the core, upstream and the default
// modules; ssl is in every package nginx ships in.
var alwaysBuilt = map[string]bool{
	"ngx_http_core_module": true, "ngx_http_upstream_module": true, "ngx_http_proxy_module": true,
	"ngx_http_fastcgi_module": true, "ngx_http_grpc_module": true, "ngx_http_limit_conn_module": true,
	"ngx_http_limit_req_module": true, "ngx_http_ssi_filter_module": true, "ngx_http_browser_module": true,
	"ngx_stream_core_module": true, "ngx_stream_upstream_module": true, "ngx_stream_limit_conn_module": true,
}

func visitBuiltinVariableAssigned(p *analyzer.Pass, d *nginx.Directive) {
	fam := d.Module()
	if fam != "http" && fam != "stream" {
		return
	}
	check := func(name string, span source.Span, what string) {
		v := spec.LookupVariableIn(strings.ToLower(name), fam)
		if v == nil || v.Prefix || !v.Has(p.Settings.Nginx()) || !alwaysBuilt[v.Module] || v.Changeable() {
			return
		}
		advice := "name a variable of your own"
		if v.Name == "remote_addr" || v.Name == "binary_remote_addr" {
			advice = "to take the client address from a proxy's header, use set_real_ip_from and real_ip_header " +
				"(the realip module); otherwise name a variable of your own"
		}
		p.Report(analyzer.Finding{Span: span, Message: fmt.Sprintf("%s defines $%s, one of nginx's own variables, "+
			"which cannot be assigned: nginx refuses to start (the duplicate %q variable); %s", what, name, name, advice)})
	}
	if a, name := definedVariable(d); a != nil {
		check(name, a.ValueSpan(1, len(a.Value)), d.Name)
	}
	regexes := nginx.Regexes(d)
	if d.Name == "map" && d.HasBlock { // the keys
		nginx.AtLevel(d.Block, func(e *nginx.Directive) bool {
			regexes = append(regexes, nginx.Regexes(e)...)
			return true
		})
	}
	for _, r := range regexes {
		re, err := r.Parse()
		if err != nil || len(re.Names) == 0 {
			continue
		}
		for name, i := range re.Names {
			start := groupNameAt(r.Pattern, re.Group(i), name)
			check(name, r.Span(start, start+len(name)), "the named capture of this "+r.Kind()+" regex")
		}
	}
}

// definedVariable is the variable a defining directive names (its
// argument and the name without '$'), when it is one plain name.
func definedVariable(d *nginx.Directive) (*nginx.Arg, string) {
	a, _ := vars.DefinedArg(d)
	if a == nil || len(a.Value) < 2 || a.Value[0] != '$' || strings.ContainsAny(a.Value[1:], "${}") {
		return nil, ""
	}
	return a, a.Value[1:]
}

// groupNameAt is the offset of a named group's name in the pattern,
// after its (?<, (?P< or (?' (the parsed group starts at its '('); -1,
// which spans the whole argument, when the text does not read so.
func groupNameAt(pattern string, g *pcre.Node, name string) int {
	if g == nil || !strings.HasPrefix(pattern[g.Offset:], "(?") {
		return -1
	}
	i := g.Offset + 2
	if i < len(pattern) && pattern[i] == 'P' {
		i++
	}
	i++ // '<' or '\''
	if !strings.HasPrefix(pattern[min(i, len(pattern)):], name) {
		return -1
	}
	return i
}
