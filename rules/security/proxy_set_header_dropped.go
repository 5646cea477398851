package security

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/inherit"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var ProxySetHeaderDropped = registry.Add(&analyzer.Rule{
	ID:         "NGX415",
	Name:       "proxy-set-header-dropped",
	Severity:   analyzer.Warning,
	Summary:    "a proxy_set_header at an inner level stops nginx from applying the proxy_set_header lines of the levels around it",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"proxy_set_header_redefinition"},
	Directives: []string{"proxy_set_header"},
	Visit:      visitProxySetHeader,
	Doc: `## What it does
Finds a level (` + "`server`" + `, ` + "`location`" + `, ` + "`if`" + ` in a location) with ` + "`proxy_set_header`" + ` lines
of its own while an enclosing level has some too, and names the outer lines the level no longer
applies, at the level's first ` + "`proxy_set_header`" + `, with the lost lines (the first 20) as related
locations. A
header the level sets again (any letter case) is not lost. An outer line that clears a header
(` + "`proxy_set_header Accept-Encoding \"\";`" + `) is lost too: the client's header is then passed on.
Lines included with ` + "`include`" + ` count at the level of the ` + "`include`" + `; a snippet included from
several places is checked at each and reported once. The rule is silent at a level whose header
names hold a variable, or that has an ` + "`include`" + ` that loaded no file.

## Why is this bad?
Like ` + "`add_header`" + `, ` + "`proxy_set_header`" + ` lines are inherited only into levels that have none of
their own. One ` + "`proxy_set_header Upgrade $http_upgrade;`" + ` in a location silently stops the
server's ` + "`X-Forwarded-For`" + `, ` + "`X-Real-IP`" + ` and ` + "`X-Forwarded-Proto`" + ` there: the backend logs and
rate-limits nginx's address instead of the client's, builds ` + "`http://`" + ` links behind TLS, or sees
a header the server meant to clear.

## Example
` + "```nginx" + `
server {
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;

    location /ws/ {
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection upgrade;
        proxy_pass http://app;
    }
}
` + "```" + `

## Use instead
Keep the shared lines in one snippet and include it in every level that adds its own:
` + "```nginx" + `
server {
    include proxy_headers.conf;

    location /ws/ {
        include proxy_headers.conf;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection upgrade;
        proxy_pass http://app;
    }
}
` + "```" + `
`,
})

func visitProxySetHeader(p *analyzer.Pass, d *nginx.Directive) {
	idx := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	v := p.Settings.Nginx()
	sites := sitesOf(d)
	var drops [][]*nginx.Directive
	var related []source.Related
	var at []string
	for _, s := range sites {
		lostHere := proxyLostAt(idx, d, s, v)
		if len(lostHere) == 0 {
			continue
		}
		drops = append(drops, lostHere)
		if n := len(s.Via); n > 0 && len(sites) > 1 {
			at = append(at, where(s.Via[n-1].Span, d.Span.File))
			related = append(related, s.Related()...)
		}
	}
	lost := distinctLines(drops)
	if len(lost) == 0 {
		return
	}
	related = append(related, relatedLines(lost, "set here is not applied at the inner level")...)
	msg := fmt.Sprintf("proxy_set_header here stops nginx from applying %s from the enclosing levels: nginx inherits "+
		"proxy_set_header only into levels that have none of their own; repeat them here", joinCounted(len(lost), func(i int) string {
		what := lost[i].Args[0].Value
		if lost[i].Args[1].Value == "" {
			what += " (cleared)"
		}
		return fmt.Sprintf("%s (%s)", what, where(lost[i].Span, d.Span.File))
	}))
	if len(at) > 0 {
		msg += " (when included at " + joinAnd(at) + ")"
	}
	p.Report(analyzer.Finding{Span: d.Span, Message: msg, Related: related})
}

// proxyLostAt returns the outer proxy_set_header lines that the level of
// d stops at site s, when d is the level's first proxy_set_header there.
func proxyLostAt(idx *inherit.Index, d *nginx.Directive, s nginx.Site, v spec.Version) []*nginx.Directive {
	levels := idx.Levels(d, s)
	if len(levels) == 0 || len(d.Args) < 2 {
		return nil
	}
	own, unresolved := idx.Directives(levels[0])
	if unresolved {
		return nil
	}
	var set nameSet
	first := true
	for _, x := range own {
		if x.Name != "proxy_set_header" || len(x.Args) < 2 {
			continue
		}
		if first && x != d {
			return nil
		}
		first = false
		if strings.Contains(x.Args[0].Value, "$") {
			return nil
		}
		set.add(x.Args[0].Value)
	}
	dropped := idx.Resolve(d, s, "proxy_set_header", v).Dropped
	out := make([]*nginx.Directive, 0, len(dropped))
	for _, drop := range dropped {
		x := drop.Directive
		if drop.Level != 0 || drop.Off || x.Name != "proxy_set_header" || len(x.Args) < 2 {
			continue
		}
		name := x.Args[0].Value
		if set.has(name) || strings.Contains(name, "$") {
			continue
		}
		out = append(out, x)
	}
	return out
}
