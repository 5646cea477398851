package connectivity

import (
	"fmt"
	"net"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/inherit"
	"github.com/ngxlint/ngxlint/analyzer/nginx/vars"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var PassVariableNoResolver = registry.Add(&analyzer.Rule{
	ID:         "NGX108",
	Name:       "pass-variable-no-resolver",
	Severity:   analyzer.Warning,
	Summary:    "a *_pass target built from variables needs a resolver at request time, and none is in scope",
	Tags:       []analyzer.Tag{analyzer.TagConnectivity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"proxy_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "grpc_pass", "memcached_pass"},
	Visit:      visitPassVariableNoResolver,
	Doc: `## What it does
Finds a ` + "`proxy_pass`" + ` (or ` + "`fastcgi_pass`" + `, ` + "`grpc_pass`" + ` ..., and stream's ` + "`proxy_pass`" + `) whose
argument holds a variable, and whose host is not known to be an upstream group or an IP address,
at a level where no ` + "`resolver`" + ` applies (one set in the location, or inherited from the server
or the http block). A variable is known to hold a group name or an IP when every value a ` + "`set`" + `
or a ` + "`map`" + ` gives it is one. Variables computed by code (Lua, njs, Perl) and levels whose
includes did not load are left alone, as are files linted without the http block that includes
them (the resolver is most often set there).

## Why is this bad?
With a variable in the argument, nginx builds the address per request. A host that is not the name
of an upstream block must then be resolved at request time, through the ` + "`resolver`" + ` directive:
the system's resolver and hosts file are not used. Without one, each such request fails with 502
Bad Gateway and ` + "`no resolver defined to resolve HOST`" + ` in the error log. A variable in the path
alone (` + "`proxy_pass http://backend.example$request_uri;`" + `) has the same effect, and even
` + "`localhost`" + ` is then looked up through the resolver.

## Example
` + "```nginx" + `
location / {
    set $api api.internal:9000;
    proxy_pass http://$api;
}
` + "```" + `

## Use instead
` + "```nginx" + `
resolver 10.0.0.2 valid=30s;
location / {
    set $api api.internal:9000;
    proxy_pass http://$api;
}
` + "```" + `
Or name an upstream block (its servers are resolved at start-up), or write the IP address. There is
no fix: which nameserver to use is a decision about the deployment.
`,
})

// pathVars begin the path or the query of a URL, so the host ends
// before them.
var pathVars = map[string]bool{
	"request_uri": true, "uri": true, "document_uri": true, "is_args": true, "args": true,
	"query_string": true, "fastcgi_script_name": true, "fastcgi_path_info": true,
}

func visitPassVariableNoResolver(p *analyzer.Pass, d *nginx.Directive) {
	peers := analyzer.ResultOf(p.Workspace, analyzer.Peers)
	ps := peers.PassOf(d)
	if ps == nil || !ps.AddrOK || !ps.Addr.Variable || ps.Addr.Unix || d.Config == nil {
		return
	}
	hostRefs, literal, ok := targetHost(d)
	if !ok {
		return
	}
	ix := analyzer.ResultOf(p.Workspace, analyzer.Variables)
	inh := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	var missing []nginx.Site
	var why string
	for _, s := range d.Config.Sites() {
		need, reason := needsResolver(peers, ix, d, s, ps, hostRefs, literal)
		if !need {
			continue
		}
		r := inh.Resolve(d, s, "resolver", p.Settings.Nginx())
		// A file linted without its http block: the resolver is most
		// often set there (in nginx.conf), so say nothing.
		if len(r.Effective) > 0 || r.Unresolved || !topInSight(r.Levels, ps.Module) {
			continue
		}
		missing = append(missing, s)
		why = reason
	}
	if len(missing) == 0 {
		return
	}
	span := ps.Addr.HostSpan()
	if len(hostRefs) > 0 {
		span = hostRefs[0].Span()
	}
	if span.IsZero() {
		span = d.Args[0].Span()
	}
	var related []source.Related
	if len(d.Config.Sites()) > 1 {
		for _, s := range missing {
			related = append(related, s.Related()...)
		}
	}
	f := analyzer.Finding{Span: span, Related: related, Message: fmt.Sprintf("%s %s: %s; it is resolved per "+
		"request through the resolver directive, and none applies here (not in this block, nor inherited): each request "+
		"fails with 502 and \"no resolver defined to resolve ...\" in the error log; add a resolver (resolver 10.0.0.2 "+
		"valid=30s;) to the server or %s block, or name an upstream block", d.Name, d.Args[0].Value, why, ps.Module)}
	p.Report(f)
}

// targetHost splits the pass's argument: the variable references that
// make up its host (before any path), or the literal host when the
// variables are only in the path. ok is false when it cannot tell.
func targetHost(d *nginx.Directive) (refs []vars.Ref, literal string, ok bool) {
	arg := d.Args[0]
	v := arg.Value
	start := 0
	if i := strings.Index(v, "://"); i >= 0 {
		start = i + 3
	}
	end := len(v)
	if i := strings.IndexAny(v[start:], "/?"); i >= 0 {
		end = start + i
	}
	hostEnd := end
	if i := hostColon(v[start:end]); i >= 0 {
		hostEnd = start + i
	}
	q := 0
	if arg.Quote != 0 {
		q = 1
	}
	for _, r := range vars.Refs(arg) {
		at := r.Start() - arg.Start() - q
		if at < start {
			if at < 0 {
				return nil, "", false // an escape shifted the offsets: do not guess
			}
			continue // the scheme
		}
		if at >= end {
			break
		}
		if pathVars[r.Name] {
			end = at
			hostEnd = min(hostEnd, end)
			break
		}
		if at >= hostEnd {
			continue // the port
		}
		refs = append(refs, r)
	}
	if len(refs) == 0 {
		literal = v[start:end]
		if strings.Contains(literal, "$") {
			return nil, "", false
		}
		return nil, literal, true
	}
	// A host glued from text and a variable (http://octane$suffix) may be
	// a group name plus a query: only a lone variable, with or without a
	// written port, is read.
	first := refs[0].Start() - arg.Start() - q
	last := refs[len(refs)-1].End() - arg.Start() - q
	if first != start || last != hostEnd {
		return nil, "", false
	}
	return refs, "", true
}

// needsResolver says whether the host must be resolved at request time
// at site s, and why.
func needsResolver(peers *nginx.Peers, ix *vars.Index, d *nginx.Directive, s nginx.Site, ps *nginx.Pass, refs []vars.Ref, literal string) (bool, string) {
	if len(refs) == 0 {
		host := hostOf(literal)
		if host == "" || staticTarget(peers, d, ps.Module, literal) || implicitGroup(peers, ps, literal) {
			return false, ""
		}
		return true, fmt.Sprintf("the path holds a variable, so the host %s is not looked up at start-up", host)
	}
	if len(refs) > 1 {
		return true, "the host is built from " + refNames(refs)
	}
	val := ix.Ref(d, s, refs[0])
	switch val.Origin {
	case vars.Undefined, vars.Module:
		return false, "" // unknown-variable's business, or code decides
	case vars.Set, vars.Map, vars.SplitClients, vars.Geo:
		values, known := providedValues(val)
		if !known {
			return false, "" // values built from other variables: cannot tell
		}
		for _, x := range values {
			if !staticTarget(peers, d, ps.Module, x) {
				return true, fmt.Sprintf("the host comes from $%s, which can be %s (not an upstream name or IP)", refs[0].Name, x)
			}
		}
		return false, ""
	}
	return true, fmt.Sprintf("the host comes from $%s (%s)", refs[0].Name, val.Origin)
}

// hostColon is the index of the ':' that ends the host in an authority
// (outside an IPv6 literal's brackets), or -1.
func hostColon(auth string) int {
	depth := 0
	for i := 0; i < len(auth); i++ {
		switch auth[i] {
		case '[':
			depth++
		case ']':
			depth--
		case ':':
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

func refNames(refs []vars.Ref) string {
	names := make([]string, len(refs))
	for i, r := range refs {
		names[i] = "$" + r.Name
	}
	return strings.Join(names, ", ")
}

// providedValues lists the texts a set or map can give the variable;
// known is false when one of them holds a variable or a provider is not
// one whose values can be read.
func providedValues(v vars.Value) (out []string, known bool) {
	if len(v.Providers) == 0 {
		return nil, false
	}
	for _, p := range v.Providers {
		switch {
		case p.Name == "set" && len(p.Args) > 1:
			out = append(out, p.Args[1].Value)
		case (p.Name == "map" || p.Name == "split_clients" || p.Name == "geo") && p.HasBlock:
			for _, e := range p.Block {
				switch e.Name {
				case "hostnames", "volatile", "ranges", "delete", "proxy", "proxy_recursive":
					continue
				case "include":
					return nil, false
				}
				if len(e.Args) == 0 {
					return nil, false
				}
				out = append(out, e.Args[0].Value)
			}
			if p.Name != "split_clients" && nginx.FindAtLevel(p.Block, "default") == nil {
				out = append(out, "") // no default: the empty string
			}
		default:
			return nil, false
		}
	}
	for _, x := range out {
		if strings.Contains(x, "$") {
			return nil, false
		}
	}
	return out, true
}

// staticTarget: an address that needs no resolver: an upstream group's
// name (no port), an IP literal (with or without port), a unix socket,
// or nothing at all (nginx then fails otherwise).
func staticTarget(peers *nginx.Peers, d *nginx.Directive, module, x string) bool {
	if i := strings.Index(x, "://"); i >= 0 {
		x = x[i+3:]
	}
	if x == "" || strings.HasPrefix(strings.ToLower(x), "unix:") {
		return true
	}
	host := hostOf(x)
	if net.ParseIP(host) != nil {
		return true
	}
	return host == x && hasGroupNamed(peers, module, host, d)
}

// implicitGroup: a literal pass elsewhere in scope with the same host and
// port makes nginx keep an implicit upstream of that name, which a
// request-time lookup finds before asking the resolver.
func implicitGroup(peers *nginx.Peers, ps *nginx.Pass, hostport string) bool {
	return staticTwin(peers, ps, hostport) != nil
}

// staticTwin returns the literal pass in ps's scope whose implicit
// upstream a request-time target hostport matches (same host, same
// written port), or nil.
func staticTwin(peers *nginx.Peers, ps *nginx.Pass, hostport string) *nginx.Pass {
	scopes := map[*nginx.Config]bool{}
	for _, s := range ps.Directive.Config.Sites() {
		scopes[nginx.ScopeOf(s)] = true
	}
	h, port := splitHostPort(hostport) // nginx matches the port too
	for _, o := range peers.LiteralPasses(ps.Module, h, port) {
		if o == ps {
			continue
		}
		for _, s := range o.Directive.Config.Sites() {
			if scopes[nginx.ScopeOf(s)] {
				return o
			}
		}
	}
	return nil
}

// hostOf strips the port (and IPv6 brackets) from host[:port].
func hostOf(x string) string {
	h, _ := splitHostPort(x)
	return h
}

// splitHostPort splits host[:port] ([v6]:port); port is "" when none.
func splitHostPort(x string) (host, port string) {
	if strings.HasPrefix(x, "[") {
		if i := strings.Index(x, "]"); i > 0 {
			return x[1:i], strings.TrimPrefix(x[i+1:], ":")
		}
		return x, ""
	}
	if strings.Count(x, ":") == 1 {
		h, p, _ := strings.Cut(x, ":")
		return h, p
	}
	return x, ""
}

// topInSight: the outermost level walked is the module's top block, so a
// resolver set anywhere above would have been seen.
func topInSight(levels []inherit.Level, module string) bool {
	if len(levels) == 0 {
		return false
	}
	top := levels[len(levels)-1]
	return top.Block != nil && top.Context == module
}
