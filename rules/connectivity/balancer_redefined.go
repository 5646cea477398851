package connectivity

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var BalancerRedefined = registry.Add(&analyzer.Rule{
	ID:         "NGX124",
	Name:       "balancer-redefined",
	Severity:   analyzer.Warning,
	Summary:    "a load-balancing method in an upstream replaces an earlier one, or (before nginx 1.29.7) the keepalive above it",
	Tags:       []analyzer.Tag{analyzer.TagConnectivity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"upstream"},
	Visit:      visitBalancerRedefined,
	Doc: `## What it does
Reads the directives of each ` + "`upstream`" + ` block in order. A load-balancing method (` + "`ip_hash`" + `,
` + "`least_conn`" + `, ` + "`hash`" + `, ` + "`random`" + `, ` + "`least_time`" + `) replaces whatever was set before it: another
method, and, before nginx 1.29.7, a ` + "`keepalive`" + ` written above it. It reports the method that
replaces, with what it replaces as a related location.

## Why is this bad?
nginx only warns (` + "`load balancing method redefined`" + `) and starts with the last method. A second
method means the first is silently ignored: ` + "`ip_hash`" + ` followed by ` + "`least_conn`" + ` no longer pins
clients to a server. Worse, before 1.29.7 ` + "`keepalive`" + ` wraps the method set before it, so a
method after it turns it off: nginx keeps no idle connections to the servers and every request
opens a new one (more latency, and ports in TIME_WAIT under load) while the configuration says
otherwise. From 1.29.7 keepalive applies whatever its place.

## Example
With ` + "`--nginx-version 1.24.0`" + `:
` + "```nginx" + `
upstream app {
    keepalive 32;
    least_conn;
    server 10.0.0.1:8080;
    server 10.0.0.2:8080;
}
` + "```" + `

## Use instead
` + "```nginx" + `
upstream app {
    least_conn;
    keepalive 32;
    server 10.0.0.1:8080;
    server 10.0.0.2:8080;
}
` + "```" + `
`,
})

// balancers are the directives that set an upstream's load-balancing
// method (peer.init_upstream in nginx's sources).
var balancers = map[string]bool{"ip_hash": true, "least_conn": true, "hash": true, "random": true, "least_time": true}

// keepaliveWrapsAnywhere is the release from which keepalive applies
// whatever its place in the upstream block.
var keepaliveWrapsAnywhere = spec.Version{Major: 1, Minor: 29, Patch: 7}

func visitBalancerRedefined(p *analyzer.Pass, d *nginx.Directive) {
	if !d.HasBlock {
		return
	}
	keepaliveOrdered := p.Settings.Nginx().Less(keepaliveWrapsAnywhere) && d.Module() == "http"
	var method, keepalive *nginx.Directive
	nginx.AtLevel(d.Block, func(e *nginx.Directive) bool {
		switch {
		case e.Name == "keepalive" && keepaliveOrdered:
			keepalive = e
		case balancers[e.Name]:
			switch {
			case keepalive != nil:
				p.Report(analyzer.Finding{Span: e.NameSpan(), Message: fmt.Sprintf("%s after keepalive replaces it: "+
					"before nginx 1.29.7 keepalive only wraps the method set above it, so nginx (warning \"load "+
					"balancing method redefined\") keeps no idle connections to these servers and opens one per "+
					"request; move keepalive below %s", e.Name, e.Name),
					Related: []source.Related{{Span: keepalive.NameSpan(), Message: "the keepalive it turns off"}}})
				keepalive = nil
			case method != nil:
				p.Report(analyzer.Finding{Span: e.NameSpan(), Message: fmt.Sprintf("%s replaces %s, set above it: "+
					"nginx warns \"load balancing method redefined\" and balances with %s only; keep the one you "+
					"mean", e.Name, method.Name, e.Name),
					Related: []source.Related{{Span: method.NameSpan(), Message: "the method it replaces"}}})
			}
			method = e
		}
		return true
	})
}
