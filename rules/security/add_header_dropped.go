package security

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var AddHeaderDropped = registry.Add(&analyzer.Rule{
	ID:         "NGX401",
	Name:       "add-header-dropped",
	Severity:   analyzer.Warning,
	Summary:    "an add_header at an inner level stops nginx from sending the add_header lines of the levels around it",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"add_header_redefinition"},
	Directives: []string{"add_header"},
	Visit:      visitAddHeader,
	Options: []analyzer.Option{{
		Name:    "security-headers",
		Doc:     "header names (any letter case) whose loss is a warning; the loss of any other header is info",
		Default: defaultSecurityHeaders,
	}},
	Doc: `## What it does
Finds a level (` + "`http`" + `, ` + "`server`" + `, ` + "`location`" + `, ` + "`if`" + ` in a location) that has ` + "`add_header`" + ` lines of
its own while an enclosing level has ` + "`add_header`" + ` lines too, and names the outer headers that
the level no longer sends. It reports at the level's first ` + "`add_header`" + `, with the lost lines (the
first 20) as related locations. The loss of a security header (` + "`Strict-Transport-Security`" + `,
` + "`Content-Security-Policy`" + `, ` + "`X-Frame-Options`" + `, ` + "`X-Content-Type-Options`" + `, ` + "`Referrer-Policy`" + `,
` + "`Permissions-Policy`" + `) is a warning, the loss of any other header is info. The option
` + "`security-headers`" + ` replaces that list:
` + "```yaml" + `
options:
  add-header-dropped:
    security-headers: [Strict-Transport-Security, Content-Security-Policy, Cross-Origin-Opener-Policy]
` + "```" + `

A header the inner level sets again (under any letter case) is not lost, nor one that
headers-more's ` + "`more_set_headers`" + ` sets at any level (its lines add up across levels). Lines included with
` + "`include`" + ` count at the level of the ` + "`include`" + `. A snippet included from several places is
checked at each of them and reported once, at the snippet, naming the places where headers are
lost. With nginx 1.29.3 or later (` + "`nginx.version`" + ` in ` + "`.ngxlint.yml`" + `, or ` + "`--nginx-version`" + `),
` + "`add_header_inherit merge`" + ` keeps the outer lines and ` + "`add_header_inherit off`" + ` drops them on
purpose: neither is reported. For an older version the finding says that the level's
` + "`add_header_inherit`" + ` is not available there. The rule stays silent at a level whose header names hold a variable,
or that has an ` + "`include`" + ` that loaded no file, since it cannot tell what the level sets.

## Why is this bad?
nginx inherits ` + "`add_header`" + ` from the enclosing level only into levels that have no
` + "`add_header`" + ` at all. One ` + "`add_header Cache-Control no-store;`" + ` in a location silently removes
the ` + "`Strict-Transport-Security`" + ` and ` + "`X-Frame-Options`" + ` the server sets, for that location only,
so the headers pass every check made on the home page and are missing where they matter. An ` + "`if`" + `
block in a location is a level of its own and does the same.

## Example
` + "```nginx" + `
server {
    add_header Strict-Transport-Security "max-age=31536000" always;
    add_header X-Frame-Options DENY always;

    location /downloads/ {
        add_header Cache-Control no-store;
    }
}
` + "```" + `

## Use instead
Repeat the outer lines in the level (an ` + "`include`" + ` of one snippet that holds them keeps the
copies in step), or, on nginx 1.29.3 and later, ask for the outer lines to be kept:
` + "```nginx" + `
server {
    add_header Strict-Transport-Security "max-age=31536000" always;
    add_header X-Frame-Options DENY always;

    location /downloads/ {
        add_header_inherit merge;
        add_header Cache-Control no-store;
    }
}
` + "```" + `
`,
})

var defaultSecurityHeaders = []string{
	"Strict-Transport-Security", "Content-Security-Policy", "X-Frame-Options",
	"X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy",
}

// siteLoss is what one inclusion site of the file loses at the level.
type siteLoss struct {
	site nginx.Site
	// drops are the lost lines, in order: all of them, or the first
	// shownLines of a long run (see lostFrom); total counts them all, and
	// security says whether one is a security header.
	drops    []*nginx.Directive
	total    int
	security bool
	// tooOld is an add_header_inherit of the level that the configured
	// nginx does not have.
	tooOld *nginx.Directive
}

// inheritSince is the first nginx with add_header_inherit.
var inheritSince = spec.Version{Major: 1, Minor: 29, Patch: 3}

func visitAddHeader(p *analyzer.Pass, d *nginx.Directive) {
	v := p.Settings.Nginx()
	sites := []nginx.Site{{}}
	if d.Config != nil {
		sites = d.Config.Sites()
	}
	var security nameSet
	for _, h := range p.ListOption("security-headers") {
		security.add(h)
	}
	var losses []siteLoss
	for _, s := range sites {
		if l := lostAt(p, d, s, v, &security, false); l.total > 0 {
			losses = append(losses, l)
		}
	}
	if len(losses) == 0 {
		return
	}
	if len(losses) > 1 {
		// The sites' losses are joined line by line: all of them.
		for i, l := range losses {
			if len(l.drops) < l.total {
				losses[i] = lostAt(p, d, l.site, v, &security, true)
			}
		}
	}
	f := lossFinding(d, losses, len(sites) > 1, &security)
	if sw := losses[0].tooOld; sw != nil {
		f.Message += fmt.Sprintf(" (%s at %s:%d needs nginx %s or later; the configuration is for %s)",
			sw.Name, sw.Span().File, sw.Span().Start.Line, inheritSince, v)
	}
	p.Report(f)
}

// lostAt returns the outer add_header lines that the level of d stops at
// site s, when d is the level's first add_header there (the finding goes
// to the first one, whichever file it is in, so each level reports once).
func lostAt(p *analyzer.Pass, d *nginx.Directive, s nginx.Site, v spec.Version, security *nameSet, all bool) siteLoss {
	idx := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	loss := siteLoss{site: s}
	levels := idx.Levels(d, s)
	if len(levels) == 0 || len(d.Args) == 0 {
		return loss
	}
	own, unresolved := idx.Directives(levels[0])
	if unresolved {
		return loss
	}
	var set nameSet
	first := true
	for _, x := range own {
		if x.Name == "add_header_inherit" && v.Less(inheritSince) && loss.tooOld == nil {
			loss.tooOld = x
		}
		if x.Name != "add_header" || len(x.Args) == 0 {
			continue
		}
		if first && x != d {
			return loss
		}
		first = false
		name := x.Args[0].Value
		if strings.Contains(name, "$") {
			return loss // the level may set any header
		}
		set.add(name)
	}
	// headers-more's more_set_headers at any level reaches this one and
	// sends the header whatever add_header does.
	for _, x := range idx.Resolve(d, s, "more_set_headers", v).Effective {
		if x.Name == "more_set_headers" {
			for _, h := range moreSetNames(x) {
				set.add(h)
			}
		}
	}
	for _, run := range idx.Resolve(d, s, "add_header", v).Drops {
		if run.Level != 0 || run.Off {
			continue
		}
		lost, n, sec := lostFrom(p.Workspace, addHeaderRuns, run.Lines, sentHeader, &set, security, all)
		loss.drops = append(loss.drops, lost...)
		loss.total += n
		loss.security = loss.security || sec
	}
	return loss
}

// sentHeader reports whether an outer add_header line would send a
// header a level can lose: a header whose name is not a variable (it
// cannot be named) and whose value is not empty (nginx sends nothing).
func sentHeader(x *nginx.Directive) bool {
	return len(x.Args) >= 2 && !strings.Contains(x.Args[0].Value, "$") && x.Args[1].Value != ""
}

var addHeaderRuns = analyzer.RunMemo[runKey, *runSummary]("security/add-header-runs")

// moreSetNames returns the header names a more_set_headers line sets, in
// lower case: each argument is "Name: value" (or "Name:" to clear), after
// the options -s and -t and their values.
func moreSetNames(d *nginx.Directive) []string {
	var out []string
	for i := 0; i < len(d.Args); i++ {
		a := d.Args[i].Value
		if a == "-s" || a == "-t" {
			i++
			continue
		}
		if name, _, ok := strings.Cut(a, ":"); ok {
			out = append(out, strings.ToLower(strings.TrimSpace(name)))
		}
	}
	return out
}

func lossFinding(d *nginx.Directive, losses []siteLoss, manySites bool, security *nameSet) analyzer.Finding {
	lost, total, sec := losses[0].drops, losses[0].total, losses[0].security
	if len(losses) > 1 {
		drops := make([][]*nginx.Directive, len(losses))
		for i, l := range losses {
			drops[i] = l.drops
		}
		lost = distinctLines(drops)
		total, sec = len(lost), false
		for _, x := range lost {
			sec = sec || security.has(x.Args[0].Value)
		}
	}
	sev := analyzer.Info
	if sec {
		sev = analyzer.Warning
	}
	related := relatedLines(lost, "set here is not sent at the inner level")
	msg := fmt.Sprintf("add_header here stops nginx from sending %s from the enclosing levels: nginx inherits "+
		"add_header only into levels that have none of their own; repeat them here", joinCounted(total, func(i int) string {
		return fmt.Sprintf("%s (%s)", lost[i].Args[0].Value, where(lost[i].Span(), d.Span().File))
	}))
	if manySites {
		var at []string
		for _, l := range losses {
			if n := len(l.site.Via); n > 0 {
				inc := l.site.Via[n-1]
				at = append(at, where(inc.Span(), d.Span().File))
				related = append(related, l.site.Related()...)
			}
		}
		if len(at) > 0 {
			msg += " (when included at " + joinAnd(at) + ")"
		}
	}
	return analyzer.Finding{Span: d.Span(), Severity: sev, Message: msg, Related: related}
}

// maxNamed bounds the headers and sites a message names.
const maxNamed = 6

// where is "line N" in the finding's own file, "file:N" elsewhere.
func where(sp source.Span, file string) string {
	if sp.File == file {
		return fmt.Sprintf("line %d", sp.Start.Line)
	}
	return fmt.Sprintf("%s:%d", sp.File, sp.Start.Line)
}

// joinAnd joins "a, b and c", naming at most maxNamed items and counting
// the rest.
func joinAnd(items []string) string {
	return joinCounted(len(items), func(i int) string { return items[i] })
}

// joinCounted is joinAnd of n items of which only those it names are
// made, by item(i).
func joinCounted(n int, item func(i int) string) string {
	items := make([]string, 0, min(n, maxNamed)+1)
	for i := range min(n, maxNamed) {
		items = append(items, item(i))
	}
	if n > maxNamed {
		items = append(items, fmt.Sprintf("%d more", n-maxNamed))
	}
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
