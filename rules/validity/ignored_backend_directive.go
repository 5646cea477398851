package validity

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var IgnoredBackendDirective = registry.Add(&analyzer.Rule{
	ID:         "NGX324",
	Name:       "ignored-backend-directive",
	Severity:   analyzer.Warning,
	Summary:    "proxy_* directives in a location that hands requests to fastcgi_pass, uwsgi_pass or grpc_pass (or the other pairs): they never reach the backend",
	Tags:       []analyzer.Tag{analyzer.TagValidity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"location"},
	Visit:      visitIgnoredBackend,
	Doc: `## What it does
Finds a ` + "`location`" + ` whose content handler is one of ` + "`proxy_pass`" + `, ` + "`fastcgi_pass`" + `, ` + "`uwsgi_pass`" + `,
` + "`scgi_pass`" + `, ` + "`grpc_pass`" + ` or ` + "`memcached_pass`" + `, and that also holds, at its own level, directives of
another of these modules: ` + "`proxy_set_header`" + ` beside ` + "`fastcgi_pass`" + `, ` + "`fastcgi_param`" + ` beside
` + "`proxy_pass`" + `, ` + "`proxy_read_timeout`" + ` beside ` + "`uwsgi_pass`" + ` ... Lines that an ` + "`include`" + ` brings in are
reported once, at the ` + "`include`" + `; a location with an ` + "`include`" + ` that loaded nothing is left
alone. A location whose nested ` + "`location`" + ` or ` + "`if`" + ` blocks use the other
module's handler is left alone (they inherit the lines), and so are lines written at the server
or http level, which are inherited only where they apply.

## Why is this bad?
Each module reads only its own directives: ` + "`fastcgi_pass`" + ` never sends the headers of
` + "`proxy_set_header`" + `, and ` + "`grpc_pass`" + ` ignores ` + "`proxy_read_timeout`" + `. nginx accepts the lines and does
nothing with them, so the backend misses the ` + "`Host`" + ` or ` + "`X-Forwarded-For`" + ` it was meant to get, and the
timeout that was meant to be raised stays at its default.

## Example
` + "```nginx" + `
location / {
    proxy_set_header X-Request-Id $request_id;
    proxy_read_timeout 300s;
    grpc_pass grpc://127.0.0.1:50051;
}
` + "```" + `

## Use instead
Use the directives of the module that handles the location:
` + "```nginx" + `
location / {
    grpc_set_header X-Request-Id $request_id;
    grpc_read_timeout 300s;
    grpc_pass grpc://127.0.0.1:50051;
}
` + "```" + `
`,
})

// backendModules are the modules whose *_pass is a location's content
// handler, with the handler directive of each.
var backendModules = map[string]string{
	"ngx_http_proxy_module": "proxy_pass", "ngx_http_fastcgi_module": "fastcgi_pass",
	"ngx_http_uwsgi_module": "uwsgi_pass", "ngx_http_scgi_module": "scgi_pass",
	"ngx_http_grpc_module": "grpc_pass", "ngx_http_memcached_module": "memcached_pass",
}

// usefulElsewhere are directives of these modules that matter without
// their handler: they set variables that any directive may read.
var usefulElsewhere = map[string]bool{"fastcgi_split_path_info": true, "fastcgi_index": true}

var locationPath = []string{"http", "server", "location"}

// backendModule is the backend module name belongs to, or "". Asked for
// every line of every location: answered from a table made once.
func backendModule(name string) string { v, _ := backendModuleTable().Of(name); return v }

// directiveBackend is backendModule of d's name, read by its number.
func directiveBackend(d *nginx.Directive) string {
	return backendModuleTable().Value(d.NameID(), d.Name)
}

var backendModuleTable = sync.OnceValue(func() *spec.NameMap[string] {
	out := map[string]string{}
	for _, d := range spec.All() {
		if m := backendModuleOf(d.Name); m != "" {
			out[d.Name] = m
		}
	}
	return spec.NewNameMap(out)
})

func backendModuleOf(name string) string {
	if usefulElsewhere[name] {
		return ""
	}
	sd := spec.For(name, locationPath)
	if sd == nil {
		return ""
	}
	if _, ok := backendModules[sd.Module]; ok {
		return sd.Module
	}
	return ""
}

// levelLine is a directive at a location's level and the child of the
// location (itself, or the include) that brings it.
type levelLine struct {
	d, via *nginx.Directive
}

func visitIgnoredBackend(p *analyzer.Pass, d *nginx.Directive) {
	if d.Module() != "http" && d.Module() != "" {
		return
	}
	for _, c := range d.Block {
		if c.Name == "include" && len(c.Includes()) == 0 {
			return // the missing file may hold another handler
		}
	}
	// First, without keeping anything: the handler, and whether directives
	// of more than one backend module are there at all (most locations
	// hold one module's, and have nothing to report).
	var handler *nginx.Directive
	first, mixed, twoHandlers := "", false, false
	nginx.AtLevel(d.Block, func(x *nginx.Directive) bool {
		m := directiveBackend(x)
		if m == "" {
			return true
		}
		if first == "" {
			first = m
		} else if m != first {
			mixed = true
		}
		if backendModules[m] == x.Name {
			if handler != nil && directiveBackend(handler) != m {
				twoHandlers = true // another rule's business
				return false
			}
			handler = x
		}
		return true
	})
	if handler == nil || !mixed || twoHandlers {
		return
	}
	var lines []levelLine
	for _, c := range d.Block {
		if c.Name == "include" {
			nginx.AtLevel([]*nginx.Directive{c}, func(x *nginx.Directive) bool {
				lines = append(lines, levelLine{x, c})
				return true
			})
			continue
		}
		lines = append(lines, levelLine{c, c})
	}
	own := directiveBackend(handler)
	nested := nestedHandlers(d.Block)
	byInclude := map[*nginx.Directive][]*nginx.Directive{}
	var includes []*nginx.Directive
	for _, l := range lines {
		m := directiveBackend(l.d)
		if m == "" || m == own || nested[m] {
			continue
		}
		if l.via != l.d {
			if byInclude[l.via] == nil {
				includes = append(includes, l.via)
			}
			byInclude[l.via] = append(byInclude[l.via], l.d)
			continue
		}
		p.Report(analyzer.Finding{Span: l.d.NameSpan(), Message: ignoredMessage(l.d.Name, handler, d),
			Related: []source.Related{{Span: handler.Span(), Message: "the location's requests go to " + handler.Name + " here"}}})
	}
	for _, inc := range includes {
		xs := byInclude[inc]
		names := map[string]bool{}
		var rel []source.Related
		for _, x := range xs {
			names[x.Name] = true
			rel = append(rel, source.Related{Span: x.Span(), Message: x.Name + " has no effect in this location"})
		}
		list := make([]string, 0, len(names))
		for n := range names {
			list = append(list, n)
		}
		sort.Strings(list)
		rel = append(rel, source.Related{Span: handler.Span(), Message: "the location's requests go to " + handler.Name + " here"})
		p.Report(analyzer.Finding{Span: inc.NameSpan(), Related: rel, Message: fmt.Sprintf("this include brings %s "+
			"into a location that hands requests to %s (%s): %s reads none of them, so they never reach the "+
			"backend; include the file where its module handles the requests", joinAnd(list, 4),
			handler.Name, where(handler.Span(), inc.Span().File), handler.Name)})
	}
}

func ignoredMessage(name string, handler, loc *nginx.Directive) string {
	msg := fmt.Sprintf("%s has no effect here: this location hands requests to %s (%s), which reads none of "+
		"the %s directives, so it never reaches the backend", name, handler.Name, where(handler.Span(), loc.Span().File),
		prefixOf(name))
	if eq := equivalent(name, handler.Name); eq != "" {
		msg += "; use " + eq
	} else {
		msg += "; remove it or move it to the location it was meant for"
	}
	return msg
}

func prefixOf(name string) string {
	if i := strings.IndexByte(name, '_'); i > 0 {
		return name[:i+1] + "*"
	}
	return name
}

// equivalent is the directive of handler's module that does what name
// does in its own: proxy_read_timeout → fastcgi_read_timeout,
// proxy_set_header ↔ fastcgi_param (whose names differ).
func equivalent(name, handler string) string {
	from := strings.TrimSuffix(prefixOf(name), "*")
	to := strings.TrimSuffix(handler, "pass")
	rest := strings.TrimPrefix(name, from)
	if d := to + rest; spec.For(d, locationPath) != nil && backendModule(d) != "" {
		return d
	}
	swapped := map[string]string{"set_header": "param", "param": "set_header"}[rest]
	if d := to + swapped; swapped != "" && spec.For(d, locationPath) != nil && backendModule(d) != "" {
		if swapped == "param" {
			return d + " (a request header X-Name is the parameter HTTP_X_NAME)"
		}
		return d
	}
	return ""
}

// nestedHandlers lists the backend modules whose handler some block
// inside list uses (nested locations, if, limit_except): they inherit the
// location's lines.
func nestedHandlers(list []*nginx.Directive) map[string]bool {
	out := map[string]bool{}
	var walk func(list []*nginx.Directive, inner bool, depth int)
	walk = func(list []*nginx.Directive, inner bool, depth int) {
		if depth > 32 {
			return
		}
		nginx.AtLevel(list, func(x *nginx.Directive) bool {
			if m := directiveBackend(x); inner && m != "" && backendModules[m] == x.Name {
				out[m] = true
			}
			if x.HasBlock {
				walk(x.Block, true, depth+1)
			}
			return true
		})
	}
	walk(list, false, 0)
	return out
}

// joinAnd joins "a, b and c", naming at most max items.
func joinAnd(items []string, max int) string {
	if len(items) > max {
		items = append(items[:max:max], fmt.Sprintf("%d more", len(items)-max))
	}
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
