package validity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var DuplicateDirective = registry.Add(&analyzer.Rule{
	ID:        "NGX305",
	Name:      "duplicate-directive",
	Severity:  analyzer.Error,
	Summary:   "a directive that nginx takes once per block appears twice at one level, so nginx refuses to start",
	Tags:      []analyzer.Tag{analyzer.TagValidity},
	Precision: analyzer.PrecisionVeryHigh,
	Fix:       analyzer.FixNone,
	Aliases:   []string{"duplicate_directive"},
	Run:       runDuplicateDirective,
	Doc: `## What it does
Reports the second occurrence of a directive at one level (the same block, with the files its
includes pull in at that level) when nginx accepts it only once there: the directives whose
handler fails a repeat with "is duplicate" (` + "`root`" + `, ` + "`proxy_pass`" + `, ` + "`worker_processes`" + `, ` + "`gzip`" + `,
most single-value settings), as the directive table records from nginx's sources. Directives that
add to a list (` + "`proxy_set_header`" + `, ` + "`add_header`" + `, ` + "`ssl_certificate`" + `) and those whose handler
ngxlint cannot judge are not reported. Each ` + "`location`" + ` and ` + "`if`" + ` is a level of its own; the
same directive at an outer level is inherited and overridden, not a duplicate.

## Why is this bad?
nginx refuses to start: ` + "`\"root\" directive is duplicate`" + `. It often comes from a snippet included
into a block that already sets the same directive.

## Example
` + "```nginx" + `
server {
    root /srv/www;
    include snippets/static.conf;
}
` + "```" + `
` + "```nginx snippets/static.conf" + `
root /srv/static;   # the server's root again
expires 7d;
` + "```" + `

## Use instead
Keep one of them (move the snippet's ` + "`root`" + ` out, or the server's):
` + "```nginx" + `
server {
    include snippets/static.conf;
}
` + "```" + `
` + "```nginx snippets/static.conf" + `
root /srv/static;
expires 7d;
` + "```" + `
`,
})

func runDuplicateDirective(p *analyzer.Pass) {
	v := p.Settings.Nginx()
	for _, c := range p.Workspace.Nginx {
		s := c.Sites()[0]
		if s.Root != c || len(s.Via) > 0 {
			continue // reached through a root's includes
		}
		if !p.FocusReaches(c) {
			continue // an editor asks about other files
		}
		// room for the usual depth, so that the levels below append in place
		checkLevel(p, c, c.Directives, append(make([]string, 0, len(c.Implied)+8), c.Implied...), v, 0)
	}
}

// checkLevel reports repeats among the directives of one level (includes
// followed), then checks each block at that level.
func checkLevel(p *analyzer.Pass, root *nginx.Config, list []*nginx.Directive, path []string, v spec.Version, depth int) {
	if depth > 64 || !directiveContext(path) {
		return
	}
	first := map[string]*nginx.Directive{} // made here, not lazily: small maps that do not escape stay on the stack
	seen := map[string]*repeats{}
	var blocks []*nginx.Directive
	nginx.AtLevel(list, func(d *nginx.Directive) bool {
		if d.HasBlock {
			blocks = append(blocks, d)
		}
		if kind, ok := conditionalRepeat.Get(d.NameID(), d.Name); ok && onceOnly(d, path, v) {
			r := seen[d.Name]
			if r == nil {
				r = &repeats{kind: kind}
				seen[d.Name] = r
			}
			if f := r.clash(d); f != nil && !hostFile(d.Config, nginx.Site{Root: root}) {
				reportDuplicate(p, d, f)
			}
			r.add(d)
		} else if onceOnly(d, path, v) {
			slot := d.Name
			if s, ok := sharedSlots[d.Name]; ok {
				slot = s
			}
			f := first[slot]
			if f != nil && len(f.Args) == 1 && unsetValues[d.Name] == f.Args[0].Value {
				f = nil // the first left it unset: this one counts as the first
			}
			if f != nil && !hostFile(d.Config, nginx.Site{Root: root}) {
				reportDuplicate(p, d, f)
			} else {
				first[slot] = d
			}
		}
		return true
	})
	for _, b := range blocks {
		if p.InFocus(b) { // a finding is at a repeat, in the level's block
			// The children's path reuses path's array: nothing keeps a path
			// past its level, and siblings are checked one after the other.
			checkLevel(p, root, b.Block, append(path, b.Name), v, depth+1)
		}
	}
}

// complexValueSlots are directives set by nginx's complex-value slot
// handlers (ngx_http_set_complex_value_slot and its _size and _zero
// variants), which fail a repeat with "is duplicate" although the table
// cannot judge them (read in nginx's sources, 1.22 to 1.31); and the
// http ssl directive, whose own handler hands over to the flag slot. Read
// by number (spec.NameMap), as checkLevel asks it of every directive.
var complexValueSlots = spec.NewNameSet("ssl",
	"auth_basic", "fastcgi_limit_rate", "grpc_ssl_certificate", "grpc_ssl_certificate_key",
	"grpc_ssl_name", "limit_rate", "limit_rate_after", "proxy_limit_rate", "proxy_method",
	"proxy_ssl_certificate", "proxy_ssl_certificate_key", "proxy_ssl_name", "scgi_limit_rate",
	"secure_link", "secure_link_md5", "uwsgi_limit_rate", "uwsgi_ssl_certificate",
	"uwsgi_ssl_certificate_key", "uwsgi_ssl_name",
)

// conditionalRepeat are directives whose handler rejects a repeat only
// in some cases, which the table cannot tell apart (read in nginx's
// sources): the list directives that take "off" reject "off" beside
// another line, and the rate limits reject the same zone twice.
var conditionalRepeat = spec.NewNameMap(map[string]repeatKind{
	"proxy_redirect": offBeside, "proxy_cookie_path": offBeside, "proxy_cookie_domain": offBeside,
	"proxy_cookie_flags": offBeside, "mirror": offBeside, "http2_push": offBeside,
	"limit_req": sameZone, "limit_conn": sameZone,
})

type repeatKind int

const (
	offBeside repeatKind = iota // one of the two lines is "off"
	sameZone                    // both lines name the same zone (limit_req zone=NAME, limit_conn NAME N)
)

// repeats is what a level's earlier lines of one conditional directive
// leave to check the next one against: the first line a repeat clashes
// with is found at once, not by comparing it with every earlier line (a
// level of thousands of proxy_redirect lines was quadratic).
type repeats struct {
	kind            repeatKind
	first, firstOff *nginx.Directive
	byZone          map[string]*nginx.Directive
}

// clash returns the first earlier line that d may not follow, or nil.
func (r *repeats) clash(d *nginx.Directive) *nginx.Directive {
	switch r.kind {
	case offBeside:
		if firstArg(d) == "off" {
			return r.first // "off" clashes with any line
		}
		return r.firstOff
	default:
		if z := zoneOf(d); z != "" {
			return r.byZone[z]
		}
		return nil
	}
}

func (r *repeats) add(d *nginx.Directive) {
	if r.first == nil {
		r.first = d
	}
	switch r.kind {
	case offBeside:
		if r.firstOff == nil && firstArg(d) == "off" {
			r.firstOff = d
		}
	default:
		if z := zoneOf(d); z != "" && r.byZone[z] == nil {
			if r.byZone == nil {
				r.byZone = map[string]*nginx.Directive{}
			}
			r.byZone[z] = d
		}
	}
}

func zoneOf(d *nginx.Directive) string {
	for _, a := range d.Args {
		if z, ok := strings.CutPrefix(a.Value, "zone="); ok {
			return z
		}
	}
	if d.Name == "limit_conn" {
		return firstArg(d)
	}
	return ""
}

func firstArg(d *nginx.Directive) string {
	if len(d.Args) == 0 {
		return ""
	}
	return d.Args[0].Value
}

// unsetValues are first values that leave the setting unset, so a second
// occurrence is accepted: worker_priority 0 is the default priority, and
// its handler only rejects a repeat of a non-zero one.
var unsetValues = map[string]string{"worker_priority": "0"}

// sharedSlots are directives that set one setting: root and alias both
// set a location's path, so one after the other is a duplicate too.
var sharedSlots = map[string]string{"root": "root", "alias": "root"}

func reportDuplicate(p *analyzer.Pass, d, first *nginx.Directive) {
	if first.Name != d.Name {
		p.Report(analyzer.Finding{Span: d.NameSpan(), Message: fmt.Sprintf("%s and %s both set where the location's files are: "+
			"%s is set at this level (%s), so nginx refuses to start (%q directive is duplicate, %q directive was specified "+
			"earlier); keep one of the two", first.Name, d.Name, first.Name, shortPos(first.NameSpan()), d.Name, first.Name),
			Related: []source.Related{{Span: first.NameSpan(), Message: "set here"}}})
		return
	}
	p.Report(analyzer.Finding{Span: d.NameSpan(), Message: fmt.Sprintf("%q directive is duplicate: it was already set "+
		"at this level (%s), so nginx refuses to start; keep one", d.Name, shortPos(first.NameSpan())),
		Related: []source.Related{{Span: first.NameSpan(), Message: "first set here"}}})
}

// onceOnly reports a directive nginx v takes at most once at path.
func onceOnly(d *nginx.Directive, path []string, v spec.Version) bool {
	name := d.Name
	allowed := spec.AllowedAt(spec.LookupAtID(d.NameID(), v), path)
	if len(allowed) == 0 {
		return false
	}
	if complexValueSlots.Value(d.NameID(), name) && len(path) > 0 && path[0] == "http" {
		return true
	}
	for _, e := range allowed {
		if e.Repeat != spec.RepeatRejected {
			return false
		}
	}
	return true
}

func shortPos(s source.Span) string { return fmt.Sprintf("%s:%d", s.File, s.Start.Line) }
