package crosscheck

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var XCOpenNodeOpenProxy = registry.Add(&analyzer.Rule{
	ID:        "XC401",
	Name:      "xc-open-node-open-proxy",
	Severity:  analyzer.Warning,
	Summary:   "nginx publishes a node that has security turned off, without authentication of its own",
	Tags:      []analyzer.Tag{analyzer.TagSecurity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionMedium,
	Run:       runXCOpenNodeOpenProxy,
	Doc: `## What it does
For each ` + "`proxy_pass`" + ` linked to a node (see ` + "`xc-port-mismatch`" + `) whose security is off
(` + "`xpack.security.enabled: false`" + `; OpenSearch ` + "`plugins.security.disabled: true`" + `), reports the pass
when, in every context it is included in, no authentication applies to it: no ` + "`auth_basic`" + ` (other
than ` + "`off`" + `), no ` + "`auth_request`" + `, no ` + "`deny`" + ` line inherited or its own, in a server that listens
beyond loopback (a server without ` + "`listen`" + ` listens on port 80 of every address).

## Why is this bad?
The node trusts every request; nginx hands every request it gets to the node. Anyone who reaches
the nginx server can read, change and delete every index. Often the node was bound to loopback on
purpose, "because nginx is in front", and nginx was never given the authentication.

## Example
` + "```nginx" + `
server {
    listen 80;
    location / { proxy_pass http://127.0.0.1:9200; }
}
` + "```" + `
` + "```yaml" + `
cluster.name: logs
xpack.security.enabled: false
` + "```" + `

## Use instead
` + "```nginx" + `
server {
    listen 80;
    location / {
        auth_basic "search";
        auth_basic_user_file /etc/nginx/search.htpasswd;
        proxy_pass http://127.0.0.1:9200;
    }
}
` + "```" + `
`,
})

func runXCOpenNodeOpenProxy(p *analyzer.Pass) {
	idx := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	v := p.Settings.Nginx()
	seen := map[*nginx.Directive]bool{}
	for _, t := range targets(p) {
		d := t.Pass.Directive
		if seen[d] {
			continue
		}
		off, st := securityOff(t.Node)
		if !off {
			continue
		}
		open := true
		for _, s := range d.Config.Sites() {
			protected := false
			for _, name := range []string{"auth_basic", "auth_request", "deny"} {
				r := idx.Resolve(d, s, name, v)
				if r.Unresolved {
					protected = true // an include we could not read may hold it
				}
				for _, x := range r.Effective {
					if x.Name == name && (len(x.Args) == 0 || x.Args[0].Value != "off") {
						protected = true
					}
				}
			}
			if protected || loopbackServer(d.EnclosingIn(s, "server")) {
				open = false
			}
		}
		if !open {
			continue
		}
		seen[d] = true
		n := t.Node
		p.Report(analyzer.Finding{Span: d.NameSpan(),
			Related: []source.Related{{Span: st.Values[0].Span, Message: "security is off in the node (" + n.File.Path + ")"}},
			Message: fmt.Sprintf("this proxy_pass publishes the node of %s (%s), which has %s: %s, without any authentication "+
				"(no auth_basic, auth_request or deny applies here): anyone who reaches this server can read, change and delete "+
				"all data; add authentication here, or turn the node's security on", n.File.Path, t.Via, st.Key, st.Values[0].Text)})
	}
}

// securityOff reports a node whose settings turn security off, and the
// setting that does.
func securityOff(n *elastic.Settings) (bool, *elastic.Setting) {
	key, want := "xpack.security.enabled", "false"
	if n.Flavor == elastic.OpenSearch {
		key, want = "plugins.security.disabled", "true"
	}
	st := n.Get(key)
	if st == nil || len(st.Values) != 1 || st.Values[0].Text != want {
		return false, nil
	}
	return true, st
}

// loopbackServer reports a server block whose every listen is on a
// loopback address (nil: not inside a server).
func loopbackServer(srv *nginx.Directive) bool {
	if srv == nil {
		return false
	}
	listens := 0
	for _, c := range srv.Block {
		if c.Name != "listen" || len(c.Args) == 0 {
			continue
		}
		listens++
		a := c.Args[0].Value
		if !strings.HasPrefix(a, "127.") && !strings.HasPrefix(a, "localhost") && !strings.HasPrefix(a, "[::1]") && !strings.HasPrefix(a, "unix:") {
			return false
		}
	}
	return listens > 0
}
