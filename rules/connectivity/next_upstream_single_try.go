package connectivity

import (
	"fmt"
	"sort"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var NextUpstreamSingleTry = registry.Add(&analyzer.Rule{
	ID:        "NGX115",
	Name:      "next-upstream-single-try",
	Severity:  analyzer.Warning,
	Summary:   "proxy_next_upstream off or proxy_next_upstream_tries 1 in front of several peers: a failed peer is not retried on the next",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity},
	Precision: analyzer.PrecisionMedium,
	Fix:       analyzer.FixNone,
	Run:       runNextUpstreamSingleTry,
	Doc: `## What it does
Finds ` + "`proxy_next_upstream off`" + ` and ` + "`proxy_next_upstream_tries 1`" + ` (and the ` + "`fastcgi_`" + `,
` + "`uwsgi_`" + `, ` + "`scgi_`" + `, ` + "`grpc_`" + ` and ` + "`memcached_`" + ` forms, and stream's ` + "`proxy_next_upstream`" + `) that are in
effect where a pass sends requests to several peers: an upstream block with two or more servers
that are not ` + "`down`" + `, or ` + "`localhost`" + ` (which nginx expands to 127.0.0.1 and [::1]). Each directive is
reported once, with the passes it governs as related locations. A group of one server named by a
host name may expand to several addresses too; that takes ` + "`--live`" + ` to know and is not reported.

## Why is this bad?
nginx tries the next peer when one fails to connect, times out or (as configured) answers with an
error. With retries turned off, the failure of one peer goes straight to the client as 502 or 504,
although the other peers are healthy: a rolling restart, a crashed worker or one slow node becomes
user-visible errors. nginx already does not retry requests that are not idempotent (POST, PATCH ...)
unless ` + "`non_idempotent`" + ` is given, so turning retries off is seldom needed to avoid repeated side effects.

## Example
` + "```nginx" + `
upstream app {
    server 10.0.0.1:8080;
    server 10.0.0.2:8080;
}
location / {
    proxy_next_upstream off;
    proxy_pass http://app;
}
` + "```" + `

## Use instead
` + "```nginx" + `
location / {
    proxy_next_upstream error timeout;
    proxy_next_upstream_tries 2;
    proxy_pass http://app;
}
` + "```" + `
`,
})

// retryDirectives names, per pass directive and module, the directives
// that govern retries.
func retryDirectives(ps *nginx.Pass) (next, tries string) {
	r := retryNames[ps.Directive.Name]
	return r[0], r[1]
}

// retryNames are each pass directive's next_upstream and
// next_upstream_tries.
var retryNames = func() map[string][2]string {
	out := map[string][2]string{}
	for _, m := range []string{"proxy", "fastcgi", "uwsgi", "scgi", "grpc", "memcached"} {
		out[m+"_pass"] = [2]string{m + "_next_upstream", m + "_next_upstream_tries"}
	}
	return out
}()

// isSingleTry reports whether d is a next_upstream off or a
// next_upstream_tries 1, the lines this rule reports.
func isSingleTry(d *nginx.Directive) bool {
	if len(d.Args) != 1 {
		return false
	}
	switch d.Args[0].Value {
	case "off":
		return singleTryNames[d.Name] == "next"
	case "1":
		return singleTryNames[d.Name] == "tries"
	}
	return false
}

// singleTryNames tells the next_upstream and next_upstream_tries
// directives of retryNames apart.
var singleTryNames = func() map[string]string {
	out := map[string]string{}
	for _, r := range retryNames {
		out[r[0]], out[r[1]] = "next", "tries"
	}
	return out
}()

// anySingleTry reports whether the run has a line this rule could report
// (in focus, for the language server): most configurations have none.
func anySingleTry(p *analyzer.Pass) bool {
	for name := range singleTryNames {
		if p.Workspace.AnyNamed(name, func(d *nginx.Directive) bool { return isSingleTry(d) && p.InFocus(d) }) {
			return true
		}
	}
	return false
}

type singleTry struct {
	line   *nginx.Directive
	passes []*nginx.Pass
	peers  int
	group  string
}

func runNextUpstreamSingleTry(p *analyzer.Pass) {
	if !anySingleTry(p) {
		return // resolving every pass's retry settings would find nothing to report
	}
	peers := analyzer.ResultOf(p.Workspace, analyzer.Peers)
	inh := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	found := map[*nginx.Directive]*singleTry{}
	var order []*nginx.Directive
	for _, ps := range peers.Passes {
		n, group := peerCount(ps)
		if n < 2 || ps.Directive.Config == nil {
			continue
		}
		next, tries := retryDirectives(ps)
		if next == "" {
			continue
		}
		for _, s := range ps.Directive.Config.Sites() {
			var hit *nginx.Directive
			for _, name := range []string{next, tries} {
				r := inh.Resolve(ps.Directive, s, name, p.Settings.Nginx())
				if r.Unresolved || len(r.Effective) == 0 {
					continue
				}
				last := r.Effective[len(r.Effective)-1]
				if isSingleTry(last) {
					hit = last
					break
				}
			}
			if hit == nil {
				continue
			}
			st := found[hit]
			if st == nil {
				st = &singleTry{line: hit, peers: n, group: group}
				found[hit] = st
				order = append(order, hit)
			}
			if len(st.passes) == 0 || st.passes[len(st.passes)-1] != ps {
				st.passes = append(st.passes, ps)
			}
			break
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].Span().String() < order[j].Span().String() })
	for _, line := range order {
		st := found[line]
		what := "turns retries off"
		if st.line.Args[0].Value == "1" {
			what = "allows one try only"
		}
		var rel []source.Related
		for _, ps := range st.passes {
			rel = append(rel, source.Related{Span: ps.Directive.Span(), Message: "a pass this governs"})
		}
		p.Report(analyzer.Finding{
			Span: st.line.Args[0].Span(),
			Message: fmt.Sprintf("%s %s %s, but %s expands to %d peers: when one fails to connect or times out, the "+
				"client gets 502 or 504 instead of a retry on a healthy one; allow retries (the default, error timeout; "+
				"non-idempotent requests are not retried anyway)", st.line.Name, st.line.Args[0].Value, what, st.group, st.peers),
			Related: rel,
		})
	}
}

// peerCount is how many addresses a pass can try, when the configuration
// says: the live servers of its group (localhost counting twice), or two
// for a literal localhost; 0 when unknown.
func peerCount(ps *nginx.Pass) (int, string) {
	if g := ps.Group; g != nil {
		n := 0
		for _, s := range g.Servers {
			if s.Down || !s.AddrOK {
				continue
			}
			if isLocalhost(s.Addr.Host) {
				n++
			}
			n++
		}
		return n, "upstream " + g.Name
	}
	if ps.AddrOK && !ps.Addr.Variable && isLocalhost(ps.Addr.Host) {
		return 2, ps.Addr.Host + " (127.0.0.1 and [::1])"
	}
	return 0, ""
}
