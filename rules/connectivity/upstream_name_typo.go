package connectivity

import (
	"fmt"
	"net"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/editdist"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var UpstreamNameTypo = registry.Add(&analyzer.Rule{
	ID:         "NGX112",
	Name:       "upstream-name-typo",
	Severity:   analyzer.Warning,
	Summary:    "a proxy_pass target is no upstream name but one or two edits away from one: it is looked up as a host instead",
	Tags:       []analyzer.Tag{analyzer.TagConnectivity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixUnsafe,
	Directives: []string{"proxy_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "grpc_pass", "memcached_pass"},
	Visit:      visitUpstreamNameTypo,
	Doc: `## What it does
Finds an http ` + "`proxy_pass http://NAME`" + ` (or ` + "`https://NAME`" + `) whose NAME has no port, no dot and no
variable, is not ` + "`localhost`" + ` and names no upstream block, but is one or two edits (a letter added,
dropped, changed or two swapped; letter case ignored; at most a third of the name, and names of five
characters or more) from the name of an upstream block of the same configuration: ` + "`backend_pool`" + ` for
` + "`backend-pool`" + `, or is exactly the name of an upstream of the ` + "`stream`" + ` block, which http cannot
use. It is silent when some include of the configuration did not load (the block may be
there). The same slip in ` + "`fastcgi_pass`" + `, ` + "`grpc_pass`" + `, ` + "`uwsgi_pass`" + `, ` + "`scgi_pass`" + `,
` + "`memcached_pass`" + ` or a stream ` + "`proxy_pass`" + ` is ` + "`pass-without-port`" + `'s: those take no port from a
scheme, so nginx refuses the name outright.

## Why is this bad?
A name that is not an upstream block is a host name, looked up in DNS and the hosts file when nginx
starts. Most often it does not resolve, and nginx refuses to start with
` + "`host not found in upstream \"backend_pool\"`" + `; when it does resolve (a container of that name), the
traffic goes somewhere else than the upstream's servers, bypassing its balancing, ` + "`keepalive`" + ` and
` + "`backup`" + ` settings. Meanwhile the intended upstream is unused.

## Example
` + "```nginx" + `
upstream backend-pool {
    server 10.0.0.1:8080;
}
location / {
    proxy_pass http://backend_pool;
}
` + "```" + `

## Use instead
` + "```nginx" + `
location / {
    proxy_pass http://backend-pool;
}
` + "```" + `
The fix writes the upstream's name. It is unsafe: a host of the written name may exist on purpose.

With ` + "`--live`" + `, ngxlint resolves the name on this host: confirmed when it does not resolve (nginx
refuses to start with ` + "`host not found in upstream`" + `), refuted when it does (a real host of that
name; its addresses are the evidence), inconclusive when the resolver fails.
`,
})

func visitUpstreamNameTypo(p *analyzer.Pass, d *nginx.Directive) {
	peers := analyzer.ResultOf(p.Workspace, analyzer.Peers)
	ps := peers.PassOf(d)
	if ps != nil && ps.NeedsPort() {
		return // nginx refuses it outright: pass-without-port's, with the suggestion
	}
	if g := otherModuleGroup(p, peers, ps); g != nil {
		a := ps.Addr
		p.Report(analyzer.Finding{
			Span: a.HostSpan(),
			Message: fmt.Sprintf("%s is an upstream of the %s block, which %s's %s cannot name, so nginx looks it up as "+
				"a host when it starts (\"host not found in upstream \\\"%s\\\"\" if it does not resolve); define "+
				"the upstream in the %s block too", a.Host, g.Module, ps.Module, d.Name, a.Host, ps.Module),
			Related: []source.Related{{Span: g.Directive.Args[0].Span(), Message: g.Module + " upstream " + g.Name}},
			Target:  lookupTarget(a, false),
		})
		return
	}
	best := typoGroup(p, peers, ps)
	if best == nil {
		return
	}
	a := ps.Addr
	p.Report(analyzer.Finding{
		Span: a.HostSpan(),
		Message: fmt.Sprintf("%s names no upstream block, so nginx looks it up as a host when it starts (\"host not found "+
			"in upstream \\\"%s\\\"\" if it does not resolve); did you mean upstream %s?", a.Host, a.Host, best.Name),
		Related: []source.Related{{Span: best.Directive.Args[0].Span(), Message: "upstream " + best.Name}},
		Fix: &analyzer.Fix{
			Title: "Use upstream " + best.Name,
			Edits: []analyzer.Edit{{Span: a.HostSpan(), NewText: best.Name}},
		},
		Target: lookupTarget(a, false),
	})
}

// otherModuleGroup returns the upstream of the other module (stream for
// an http pass, http for a stream one) that a name-only target names
// exactly, in a configuration whose upstreams are all in sight; nil
// otherwise.
func otherModuleGroup(p *analyzer.Pass, peers *nginx.Peers, ps *nginx.Pass) *nginx.Group {
	if ps == nil || ps.Group != nil || !ps.AddrOK || ps.Addr.Variable || ps.Addr.Unix || ps.Addr.HasPort ||
		ps.Addr.IP != nil || isLocalhost(ps.Addr.Host) || mayBeOutOfSight(p, ps) {
		return nil
	}
	other := "stream"
	if ps.Module == "stream" {
		other = "http"
	}
	return peers.GroupNamedAt(ps.Directive, other, ps.Addr.Host)
}

// typoGroup returns the upstream group ps most likely meant, when its
// target is a one-word name close to a group's name but not one; nil
// otherwise.
func typoGroup(p *analyzer.Pass, peers *nginx.Peers, ps *nginx.Pass) *nginx.Group {
	if ps == nil || ps.Group != nil || !ps.AddrOK {
		return nil
	}
	a := ps.Addr
	name := strings.TrimSuffix(a.Host, ".")
	if a.Variable || a.Unix || a.HasPort || name == "" || strings.Contains(name, ".") || isLocalhost(name) ||
		net.ParseIP(name) != nil || len(name) < 5 {
		return nil
	}
	open := analyzer.ResultOf(p.Workspace, openScopes)
	for _, s := range ps.Directive.Config.Sites() {
		if sc := nginx.ScopeOf(s); sc != nil && open[sc] {
			return nil
		}
	}
	k := typoKey{ps.Module, ps.Directive.Config, name}
	return analyzer.ResultOf(p.Workspace, typoMemo).Get(k, func() *nginx.Group {
		return closestGroup(groupsInScope(peers, ps.Module, ps.Directive), name)
	})
}

// typoKey is what closestGroup's answer for a pass depends on: its
// module, its file (whose sites set the scopes) and the name.
type typoKey struct {
	module string
	config *nginx.Config
	name   string
}

// typoMemo keeps each name's closest group for the run: a thousand
// locations passing to one name that is no upstream (a container's
// service name, say) compared it with every upstream a thousand times.
var typoMemo = analyzer.RunMemo[typoKey, *nginx.Group]("connectivity/upstream-name-typo")

// closestGroup returns the group whose name is fewest edits from name, at
// most two and at most a third of the name, but not none; nil when none
// is. Each comparison stops once it cannot beat the best found so far.
func closestGroup(groups []*nginx.Group, name string) *nginx.Group {
	lower := strings.ToLower(name)
	var best *nginx.Group
	bestDist := 3
	for _, g := range groups {
		// Short names are a few edits from anything: ask for at most a
		// third of the name (in bytes) to differ.
		limit := min(bestDist-1, len(name)/3)
		if limit < 1 {
			break // nothing can come closer than one edit
		}
		if dist := editdist.Runes(lower, strings.ToLower(g.Name), limit); dist > 0 && dist <= limit {
			best, bestDist = g, dist
		}
	}
	return best
}
