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
	type siteLost struct {
		site  nginx.Site
		lost  []*nginx.Directive // all, or the first shownLines (see lostFrom)
		total int
	}
	var losses []siteLost
	for _, s := range sites {
		if lost, total := proxyLostAt(p, idx, d, s, v, false); total > 0 {
			losses = append(losses, siteLost{s, lost, total})
		}
	}
	if len(losses) == 0 {
		return
	}
	lost, total := losses[0].lost, losses[0].total
	var related []source.Related
	var at []string
	if len(losses) > 1 {
		// The sites' losses are joined line by line: all of them.
		drops := make([][]*nginx.Directive, len(losses))
		for i, l := range losses {
			if len(l.lost) < l.total {
				l.lost, _ = proxyLostAt(p, idx, d, l.site, v, true)
			}
			drops[i] = l.lost
		}
		lost = distinctLines(drops)
		total = len(lost)
	}
	for _, l := range losses {
		if n := len(l.site.Via); n > 0 && len(sites) > 1 {
			at = append(at, where(l.site.Via[n-1].Span(), d.Span().File))
			related = append(related, l.site.Related()...)
		}
	}
	related = append(related, relatedLines(lost, "set here is not applied at the inner level")...)
	msg := fmt.Sprintf("proxy_set_header here stops nginx from applying %s from the enclosing levels: nginx inherits "+
		"proxy_set_header only into levels that have none of their own; repeat them here", joinCounted(total, func(i int) string {
		what := lost[i].Args[0].Value
		if lost[i].Args[1].Value == "" {
			what += " (cleared)"
		}
		return fmt.Sprintf("%s (%s)", what, where(lost[i].Span(), d.Span().File))
	}))
	if len(at) > 0 {
		msg += " (when included at " + joinAnd(at) + ")"
	}
	p.Report(analyzer.Finding{Span: d.Span(), Message: msg, Related: related})
}

// proxyLostAt returns the outer proxy_set_header lines that the level of
// d stops at site s, when d is the level's first proxy_set_header there,
// and how many they are: all of them, or for a long run the first
// shownLines (all with all set; see lostFrom).
func proxyLostAt(p *analyzer.Pass, idx *inherit.Index, d *nginx.Directive, s nginx.Site, v spec.Version, all bool) ([]*nginx.Directive, int) {
	levels := idx.Levels(d, s)
	if len(levels) == 0 || len(d.Args) < 2 {
		return nil, 0
	}
	own, unresolved := idx.Directives(levels[0])
	if unresolved {
		return nil, 0
	}
	var set nameSet
	first := true
	for _, x := range own {
		if x.Name != "proxy_set_header" || len(x.Args) < 2 {
			continue
		}
		if first && x != d {
			return nil, 0
		}
		first = false
		if strings.Contains(x.Args[0].Value, "$") {
			return nil, 0
		}
		set.add(x.Args[0].Value)
	}
	var out []*nginx.Directive
	total := 0
	for _, run := range idx.Resolve(d, s, "proxy_set_header", v).Drops {
		if run.Level != 0 || run.Off {
			continue
		}
		lost, n, _ := lostFrom(p.Workspace, proxyHeaderRuns, run.Lines, appliedHeader, &set, nil, all)
		out = append(out, lost...)
		total += n
	}
	return out, total
}

// appliedHeader reports whether an outer line is a proxy_set_header a
// level can lose: one whose header name is not a variable.
func appliedHeader(x *nginx.Directive) bool {
	return x.Name == "proxy_set_header" && len(x.Args) >= 2 && !strings.Contains(x.Args[0].Value, "$")
}

var proxyHeaderRuns = analyzer.RunMemo[runKey, *runSummary]("security/proxy-header-runs")
