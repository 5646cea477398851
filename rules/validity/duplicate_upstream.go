package validity

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var DuplicateUpstream = registry.Add(&analyzer.Rule{
	ID:        "NGX322",
	Name:      "duplicate-upstream",
	Severity:  analyzer.Error,
	Summary:   "two upstream blocks of one name in one configuration: nginx refuses to start",
	Tags:      []analyzer.Tag{analyzer.TagValidity},
	Precision: analyzer.PrecisionVeryHigh,
	Fix:       analyzer.FixNone,
	Run:       runDuplicateUpstream,
	Doc: `## What it does
Follows each main file through its includes, in the order nginx reads them, and reports every
` + "`upstream`" + ` block whose name (compared without regard to letter case, as nginx does) an earlier
block of the same configuration (` + "`http`" + ` or ` + "`stream`" + `) already took. The two blocks may be in
different files: two virtual host files that a main file includes, each defining ` + "`upstream app`" + `,
collide. A file included twice collides with itself. Fragments linted without the main file that
includes them are compared only within one ` + "`conf.d`" + ` or ` + "`sites-enabled`" + ` folder (which nginx
includes whole), and reported at info level, since ngxlint cannot see the include.

## Why is this bad?
nginx refuses to start with "duplicate upstream" (` + "`nginx -t`" + ` fails), naming the second block.
Copying a virtual host file to make a new site is the usual way in: both copies keep the
` + "`upstream`" + ` block they started with.

## Example
` + "```nginx" + `
# sites-enabled/shop.conf
upstream app { server 10.0.0.1:8080; }
# sites-enabled/blog.conf
upstream app { server 10.0.0.2:8080; }
` + "```" + `

## Use instead
Give each group its own name, and name it in the ` + "`proxy_pass`" + ` of its site:
` + "```nginx" + `
upstream shop_app { server 10.0.0.1:8080; }
upstream blog_app { server 10.0.0.2:8080; }
` + "```" + `
`,
})

// upstreamSeen is one upstream block met while reading a configuration:
// the block and the include chain that led to it.
type upstreamSeen struct {
	d    *nginx.Directive
	via  []*nginx.Directive
	root *nginx.Config
}

func runDuplicateUpstream(p *analyzer.Pass) {
	peers := analyzer.ResultOf(p.Workspace, analyzer.Peers)
	reported := map[*nginx.Directive]bool{}
	// Fragments linted without a main file share one scope, as in the
	// peer model: they are probably pieces of one configuration.
	fragments := map[string][]upstreamSeen{}
	for _, c := range p.Workspace.Nginx {
		if len(c.IncludedBy) > 0 {
			continue // read from its root
		}
		seen := fragments
		if c.Implied == nil {
			seen = map[string][]upstreamSeen{}
		}
		collectUpstreams(c.Directives, nil, topFamily(c.Implied), 0, func(fam string, d *nginx.Directive, via []*nginx.Directive) {
			g := peers.GroupOf(d)
			if g == nil {
				return
			}
			key := fam + "\x00" + strings.ToLower(g.Name)
			if prev := seen[key]; len(prev) > 0 && !reported[d] {
				// Across fragment roots only a guess: reported at info, and
				// a shared file included by two fragments not at all.
				across := prev[0].root != c
				if !across || prev[0].d != d && includedTogether(prev[0].root, c) {
					reported[d] = true
					p.Report(duplicateFinding(d, via, prev[0], across))
				}
			}
			seen[key] = append(seen[key], upstreamSeen{d, via, c})
		})
	}
}

// includedTogether guesses whether two fragment roots end up in one
// configuration: files of one conf.d or sites-enabled folder are included
// together by a glob; files elsewhere (sites-available, examples) are
// often alternatives.
func includedTogether(a, b *nginx.Config) bool {
	da, db := filepath.Dir(a.File.Path), filepath.Dir(b.File.Path)
	switch filepath.Base(da) {
	case "conf.d", "sites-enabled":
		return da == db
	}
	return false
}

// topFamily is the block family the top of a root file is in.
func topFamily(implied []string) string {
	if len(implied) > 0 {
		return implied[0]
	}
	return ""
}

// collectUpstreams calls fn for each upstream block in list, in nginx's
// reading order, entering includes and blocks (but not upstream blocks).
func collectUpstreams(list []*nginx.Directive, via []*nginx.Directive, fam string, depth int,
	fn func(fam string, d *nginx.Directive, via []*nginx.Directive)) {
	if depth > 64 {
		return
	}
	for _, d := range list {
		switch {
		case d.Name == "include":
			next := make([]*nginx.Directive, len(via), len(via)+1)
			copy(next, via)
			next = append(next, d)
			for _, c := range d.Includes() {
				collectUpstreams(c.Directives, next, fam, depth+1, fn)
			}
		case d.Name == "upstream" && d.HasBlock && len(d.Args) > 0:
			fn(fam, d, via)
		case d.HasBlock && (fam == "" || d.HoldsInclude()):
			// An upstream block is allowed at the top of http and stream
			// only: a block inside those (server, location, map) is read
			// for an include that may bring one in where it is not
			// allowed (a file included twice), and the others not at all.
			f := fam
			if f == "" {
				f = d.Name
			}
			collectUpstreams(d.Block, via, f, depth+1, fn)
		}
	}
}

func duplicateFinding(d *nginx.Directive, via []*nginx.Directive, first upstreamSeen, fragment bool) analyzer.Finding {
	name := d.Args[0]
	f := analyzer.Finding{Span: name.Span()}
	var msg string
	if first.d == d {
		msg = fmt.Sprintf("upstream %s is read twice: its file is included twice in one configuration, so nginx "+
			"refuses to start with \"duplicate upstream\"; include the file once", name.Value)
	} else {
		cased := ""
		if first.d.Args[0].Value != name.Value {
			cased = " as " + first.d.Args[0].Value + " (nginx compares the names without letter case)"
		}
		msg = fmt.Sprintf("upstream %s is already defined at %s%s, so nginx refuses to start: duplicate upstream %q; "+
			"rename one of the two blocks and the proxy_pass that names it",
			name.Value, where(first.d.Span(), d.Span().File), cased, strings.ToLower(name.Value))
	}
	if fragment {
		f.Severity = analyzer.Info
		msg = fmt.Sprintf("upstream %s is also defined at %s: if one configuration includes both files, nginx refuses "+
			"to start with \"duplicate upstream\"; give each block its own name", name.Value, where(first.d.Span(), d.Span().File))
	}
	f.Message = msg
	f.Related = append(f.Related, source.Related{Span: first.d.Args[0].Span(), Message: "upstream " + first.d.Args[0].Value + " is first defined here"})
	f.Related = append(f.Related, nginx.Site{Via: via}.Related()...)
	return f
}

// where is "line N" in file, "path:N" elsewhere.
func where(sp source.Span, file string) string {
	if sp.File == file {
		return fmt.Sprintf("line %d", sp.Start.Line)
	}
	return fmt.Sprintf("%s:%d", sp.File, sp.Start.Line)
}
