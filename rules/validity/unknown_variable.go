package validity

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/nginx/vars"
)

var UnknownVariable = registry.Add(&analyzer.Rule{
	ID:         "NGX320",
	Name:       "unknown-variable",
	Severity:   analyzer.Error,
	Summary:    "a $variable that nothing defines (or an unrendered template placeholder): nginx refuses to start",
	Tags:       []analyzer.Tag{analyzer.TagValidity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"*"}, // any directive may interpolate a variable
	Visit:      visitUnknownVariable,
	Doc: `## What it does
Reads every variable that nginx interpolates in an argument (` + "`$name`" + ` or ` + "`${name}`" + `) and reports
the one that no built-in variable of the configured nginx version (` + "`nginx.version`" + ` in
` + "`.ngxlint.yml`" + ` or ` + "`--nginx-version`" + `) and nothing in the configuration defines: no ` + "`set`" + `,
` + "`map`" + `, ` + "`geo`" + `, ` + "`split_clients`" + `, regex capture, or module directive (` + "`perl_set`" + `,
` + "`js_set`" + `, ` + "`set_by_lua*`" + ` ...). Names are compared without letter case, as nginx does. A built-in
variable that the configured version does not have yet (or no longer has) is reported with the
version that has it.

A name in capitals (` + "`$PUBLIC_DOMAIN`" + `, ` + "`${WEBSERVER_HOST}`" + `) is most likely a placeholder of a
template (envsubst, the Docker image's ` + "`templates/`" + `, Ansible) that was not rendered, and the
message says so. A placeholder in ` + "`server_name`" + ` or another directive that does not expand
variables (` + "`error_log`" + `, ` + "`proxy_cache_path`" + `, ` + "`ssl_dhparam`" + ` ...) is a warning: nginx starts, but takes it
as written (in ` + "`server_name`" + `, a name no request matches). Where nginx must parse the value it is
an error, since nginx refuses to start: an upstream ` + "`server`" + ` or a ` + "`resolver`" + ` ("host not found"),
` + "`listen`" + ` ("invalid port"), ` + "`set_real_ip_from`" + `, ` + "`allow`" + ` and ` + "`deny`" + `. The value
of a directive with a typed argument (` + "`client_max_body_size ${UPLOAD_LIMIT}m`" + `) is left to
` + "`invalid-argument-value`" + `.

The rule is quieter where the definition may be out of sight: a fragment linted without the main
file that includes it, a configuration with an ` + "`include`" + ` that loaded nothing, or one that loads
a dynamic module (` + "`load_module`" + `), or whose build declares third-party directives in
` + "`.ngxlint.yml`" + `, are reported at info level (a placeholder there stays a warning).
In a file named as a template (` + "`*.template`" + `, ` + "`*.j2`" + `, ` + "`*.tmpl`" + `, ` + "`*.erb`" + ` ...), placeholders are
meant to be there: their findings are info.

## Why is this bad?
nginx resolves every variable name when it reads the configuration: an unknown one stops it with
` + "`unknown \"name\" variable`" + ` (` + "`nginx -t`" + ` fails), and a reload keeps the old configuration. A
template rendered without its environment variable, or a copy of a snippet without the ` + "`map`" + `
that defined its variable, are the usual causes.

## Example
` + "```nginx" + `
server {
    server_name example.com;
    return 301 https://${PUBLIC_DOMAIN}$request_uri;
    location / {
        proxy_set_header Connection $connection_upgrade;
        proxy_pass http://app;
    }
}
` + "```" + `

## Use instead
Render the template before nginx reads it, and define the variables the configuration reads:
` + "```nginx" + `
map $http_upgrade $connection_upgrade {
    default upgrade;
    ''      close;
}
server {
    server_name example.com;
    return 301 https://example.com$request_uri;
    location / {
        proxy_set_header Connection $connection_upgrade;
        proxy_pass http://app;
    }
}
` + "```" + `
`,
})

func visitUnknownVariable(p *analyzer.Pass, d *nginx.Directive) {
	switch {
	case d.Name == "server_name":
		checkServerNamePlaceholders(p, d)
		return
	case spec.ArgTypeOfID(d.NameID(), d.Module()) != nil:
		return // a typed value: invalid-argument-value's
	case literalArgs(d):
		checkLiteralPlaceholders(p, d)
		return
	}
	ix := analyzer.ResultOf(p.Workspace, analyzer.Variables)
	refs := ix.DirectiveRefs(d)
	if len(refs) == 0 {
		return
	}
	for _, r := range refs {
		if r.Capture == 0 {
			checkRef(p, ix, d, r, p.Settings.Nginx())
		}
	}
}

// checkRef reports r when it is undefined (or too new for ver) at any of
// d's sites, once, at the reference.
func checkRef(p *analyzer.Pass, ix *vars.Index, d *nginx.Directive, r vars.Ref, ver spec.Version) {
	var undefAt []nginx.Site
	var tooNew *spec.Variable // the built-in, when too new at some site
	for _, s := range sitesOf(d) {
		v := ix.At(d, s, r.Name)
		switch {
		case v.Origin == vars.Undefined:
			fam := d.Module()
			if s.Root != nil && s.Root.Implied != nil {
				fam = ""
			}
			if ix.DefinedFold(r.Name, fam) {
				continue
			}
			undefAt = append(undefAt, s)
		case v.Origin == vars.Builtin && !v.AvailableIn(ver) && tooNew == nil:
			tooNew = v.Builtin
		}
	}
	if tooNew != nil && len(undefAt) == 0 {
		b := tooNew
		when := fmt.Sprintf("needs nginx %s or later", b.Since)
		if !b.Until.IsZero() && !ver.Less(b.Until) {
			when = fmt.Sprintf("was removed in nginx %s", b.Until)
		}
		p.Report(analyzer.Finding{Span: r.Span(), Message: fmt.Sprintf("$%s %s (module %s) and the configuration is for "+
			"nginx %s, so nginx refuses to start with unknown %q variable; upgrade nginx or do without it",
			r.Name, when, b.Module, ver, strings.ToLower(r.Name))})
		return
	}
	if len(undefAt) == 0 {
		return
	}
	placeholder := looksLikePlaceholder(r)
	f := analyzer.Finding{Span: r.Span()}
	unsure := ""
	sure, loadsModule := false, false
	for _, s := range undefAt {
		if s.Root != nil && nginx.FindAtLevel(s.Root.Directives, "load_module") != nil {
			loadsModule = true
		} else if s.Root != nil && s.Root.Implied == nil && !analyzer.ResultOf(p.Workspace, blindRoots)[s.Root] {
			sure = true
		}
	}
	switch {
	case loadsModule && !sure:
		unsure = "; a module loaded with load_module may define it"
	case len(p.Settings.Directives) > 0:
		// declared third-party modules may add variables the table lacks
		unsure = "; a third-party module of this build (declared in .ngxlint.yml) may define it"
	case !sure && undefAt[0].Root != nil && undefAt[0].Root.Implied != nil:
		unsure = "; this file is linted without the main file that includes it, which may define it"
	case !sure:
		unsure = "; an include of this configuration loaded no file, which may define it"
	}
	name := strings.ToLower(r.Name)
	switch {
	case placeholder:
		f.Message = fmt.Sprintf("%s looks like a template placeholder that was not rendered: nothing defines "+
			"a variable $%s, so nginx refuses to start with unknown %q variable; render the template "+
			"(envsubst, the image's templates/ folder) before nginx reads it", refText(d, r), r.Name, name)
		if unsure != "" {
			f.Severity = analyzer.Warning
		}
	default:
		fix := "define it or fix the name"
		if c := closestVariable(r.Name, d.Module()); c != "" {
			fix = "did you mean $" + c + "?"
		}
		f.Message = fmt.Sprintf("nothing defines $%s (no built-in variable of nginx %s, set, map, geo, "+
			"split_clients or capture), so nginx refuses to start with unknown %q variable; %s", r.Name, ver, name, fix)
		if unsure != "" {
			f.Severity = analyzer.Info
			f.Message += unsure
		}
	}
	if len(sitesOf(d)) > 1 {
		for _, s := range undefAt {
			f.Related = append(f.Related, s.Related()...)
		}
	}
	if placeholder {
		inTemplate(&f)
	}
	p.Report(f)
}

// refText is the reference as written ("${NAME}" or "$NAME").
func refText(d *nginx.Directive, r vars.Ref) string {
	if d.Config != nil && d.Config.File != nil {
		return d.Config.File.Text(r.Span())
	}
	return "$" + r.Name
}

// sitesOf lists d's inclusion sites.
func sitesOf(d *nginx.Directive) []nginx.Site {
	if d.Config == nil {
		return []nginx.Site{{}}
	}
	return d.Config.Sites()
}

// blindRoots are the root files (not included by another) whose
// configuration has an include that loaded nothing (see hasBlindInclude),
// worked out once per run, on the first undefined variable.
var blindRoots = &analyzer.Model[map[*nginx.Config]bool]{
	Name: "validity/blind-roots",
	Compute: func(ws *analyzer.Workspace) map[*nginx.Config]bool {
		out := map[*nginx.Config]bool{}
		for _, c := range ws.Nginx {
			if len(c.IncludedBy) == 0 && hasBlindInclude(c) {
				out[c] = true
			}
		}
		return out
	},
}

// hasBlindInclude reports whether the configuration of root has an
// include that loaded no file other than the stock ones that define no
// variable (mime.types, *_params).
func hasBlindInclude(root *nginx.Config) bool {
	found := false
	nginx.WalkExpanded(root.Directives, func(d *nginx.Directive) bool {
		found = found || blindInclude(d)
		return !found
	})
	return found
}

func stockInclude(path string) bool {
	base := filepath.Base(path)
	return base == "mime.types" || strings.HasSuffix(base, "_params") || strings.HasSuffix(base, "_params.conf")
}

// looksLikePlaceholder: a name in capitals (envsubst's and most template
// tools' convention); nginx's own variables are lower case.
func looksLikePlaceholder(r vars.Ref) bool {
	return isCapitals(r.Name)
}

func isCapitals(name string) bool {
	letters := 0
	for _, c := range name {
		switch {
		case c >= 'A' && c <= 'Z':
			letters++
		case c >= '0' && c <= '9' || c == '_':
		default:
			return false
		}
	}
	return letters >= 2
}

// checkServerNamePlaceholders reports a server_name argument that holds
// a template placeholder: nginx does not expand variables there.
func checkServerNamePlaceholders(p *analyzer.Pass, d *nginx.Directive) {
	for _, a := range d.Args {
		v := a.Value
		if strings.HasPrefix(v, "~") || strings.EqualFold(v, "$hostname") {
			continue
		}
		if !placeholderText(v) {
			continue
		}
		f := analyzer.Finding{Span: a.Span(), Severity: analyzer.Warning, Message: fmt.Sprintf("server_name %s looks "+
			"like a template placeholder that was not rendered: nginx does not expand variables in server_name, so "+
			"it takes %q as a literal name that no request's Host matches; render the template before nginx reads it",
			v, strings.ToLower(v))}
		inTemplate(&f)
		p.Report(f)
	}
}

// literalDirectives take their arguments as written: nginx expands no
// variable in them, so a '$' there is no reference (nginx -t does not
// complain about it; the value is simply wrong). Read by number
// (spec.NameMap): literalArgs asks it of every directive.
var literalDirectives = spec.NewNameSet(
	"error_log", "pid", "user", "worker_processes", "load_module", "env",
	"resolver", "allow", "deny", "ssl_dhparam", "ssl_ciphers",
	"ssl_client_certificate", "ssl_trusted_certificate", "ssl_crl", "ssl_ecdh_curve",
	"proxy_cache_path", "fastcgi_cache_path", "uwsgi_cache_path", "scgi_cache_path",
	"client_body_temp_path", "proxy_temp_path", "fastcgi_temp_path", "uwsgi_temp_path",
	"scgi_temp_path", "set_real_ip_from", "real_ip_header",
)

// literalArgs: d takes its arguments literally (an upstream server's
// address included).
func literalArgs(d *nginx.Directive) bool {
	return literalDirectives.Value(d.NameID(), d.Name) || d.Name == "listen" || d.Name == "server" && d.InnerContext() == "upstream"
}

// literalRefusals say what nginx -t answers (1.22, checked by hand) when
// a placeholder is left in a directive that takes its value literally
// and must parse it; "" for a value nginx takes as written.
var literalRefusals = map[string]func(v string) string{
	"server": func(v string) string { return fmt.Sprintf("host not found in upstream %q", v) },
	"listen": func(v string) string {
		if i := strings.LastIndexByte(v, ':'); i >= 0 && placeholderText(v[i:]) {
			return fmt.Sprintf("invalid port in %q of the \"listen\" directive", v)
		}
		return fmt.Sprintf("host not found in %q of the \"listen\" directive", v)
	},
	"resolver":         func(v string) string { return fmt.Sprintf("host not found in resolver %q", v) },
	"set_real_ip_from": func(v string) string { return fmt.Sprintf("host not found in set_real_ip_from %q", v) },
	"allow":            func(v string) string { return fmt.Sprintf("invalid parameter %q", v) },
	"deny":             func(v string) string { return fmt.Sprintf("invalid parameter %q", v) },
	"worker_processes": func(string) string { return `"worker_processes" directive invalid value` },
}

// checkLiteralPlaceholders reports the template placeholders in the
// arguments of a directive that takes them literally.
func checkLiteralPlaceholders(p *analyzer.Pass, d *nginx.Directive) {
	what := d.Name
	if d.Name == "server" {
		what = "an upstream server address"
	}
	for i, a := range d.Args {
		if !placeholderText(a.Value) {
			continue
		}
		f := analyzer.Finding{Span: a.Span(), Severity: analyzer.Warning, Message: fmt.Sprintf("%s looks like a "+
			"template placeholder that was not rendered: nginx does not expand variables in %s and takes it as "+
			"written; render the template before nginx reads it", a.Value, what)}
		if refuse := literalRefusals[d.Name]; refuse != nil && (i == 0 || d.Name != "server" && d.Name != "listen") {
			f.Severity = analyzer.Error
			f.Message = fmt.Sprintf("%s looks like a template placeholder that was not rendered: nginx does not expand "+
				"variables in %s and refuses to start with %s; render the template before nginx reads it",
				a.Value, what, refuse(a.Value))
		}
		inTemplate(&f)
		p.Report(f)
	}
}

// placeholderText: `${NAME}`, `$NAME` in capitals, or `{{ ... }}`.
func placeholderText(v string) bool {
	if strings.Contains(v, "{{") && strings.Contains(v, "}}") {
		return true
	}
	for i := 0; i < len(v); i++ {
		if v[i] != '$' {
			continue
		}
		rest := strings.TrimPrefix(v[i+1:], "{")
		end := 0
		for end < len(rest) && (rest[end] >= 'A' && rest[end] <= 'Z' || rest[end] >= '0' && rest[end] <= '9' || rest[end] == '_') {
			end++
		}
		if isCapitals(rest[:end]) {
			return true
		}
	}
	return false
}
