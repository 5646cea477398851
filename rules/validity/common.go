package validity

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
)

// probe is any table entry allowed everywhere; its AllowedIn answers
// whether a block path holds directives at all (map, geo, types, a
// third-party block such as rtmp do not, or not in a way the table knows).
var probe = spec.For("include", nil)

// directiveContext reports whether path is a context whose children are
// nginx directives the table describes.
func directiveContext(path []string) bool {
	_, known := probe.AllowedIn(path)
	return known
}

// checkedSites returns the sites of d's file at which d sits in a
// directive context, with d's context at each. A directive inside a map,
// geo, types ... body, or inside a block the table does not know, has
// none: its "name" is data.
func checkedSites(d *nginx.Directive) checked {
	all := d.Config.Sites()
	if len(all) == 1 { // nearly every file: no copy of the sites, nothing allocated
		ctx := d.ContextIn(all[0])
		if directiveContext(ctx) && !hostFile(d.Config, all[0]) {
			return checked{sites: all[:1:1], one: ctx}
		}
		return checked{}
	}
	var c checked
	for _, s := range all {
		ctx := d.ContextIn(s)
		if directiveContext(ctx) && !hostFile(d.Config, s) {
			c.sites = append(c.sites, s)
			c.more = append(c.more, ctx)
		}
	}
	return c
}

// checked is checkedSites' answer: the sites, and d's context path at
// each. Four rules ask it of every directive, so the common case of one
// site keeps its path in place rather than in a slice of its own.
type checked struct {
	sites []nginx.Site
	one   []string   // the path when there is one site
	more  [][]string // the paths when there are several
}

// path is d's context at c.sites[i].
func (c checked) path(i int) []string {
	if c.more != nil {
		return c.more[i]
	}
	return c.one
}

// hostFile reports a file that an absolute include found on this
// machine while the root was named relative to the linted tree: it is
// the host's file (/etc/nginx/modules-enabled/...), not the one the
// configuration will meet on its server, so it is not judged.
func hostFile(c *nginx.Config, s nginx.Site) bool {
	return filepath.IsAbs(c.File.Path) && !filepath.IsAbs(s.Root.File.Path)
}

// guessedRoot reports a site whose root is not a main file: a fragment in
// its implied context, or a file that holds no directive only nginx's main
// context allows (so its top level is main only by default).
func guessedRoot(s nginx.Site) bool {
	if s.Root.Implied != nil {
		return true
	}
	main := false
	nginx.AtLevel(s.Root.Directives, func(d *nginx.Directive) bool {
		if mainOnly(d.Name) {
			main = true
			return false
		}
		return true
	})
	return !main
}

// mainOnly reports a directive that only the main context takes (http,
// events, worker_processes ...).
func mainOnly(name string) bool {
	ds := spec.Lookup(name)
	if len(ds) == 0 {
		return false
	}
	for _, d := range ds {
		if d.Contexts&^(spec.Main|spec.Direct) != 0 {
			return false
		}
	}
	return true
}

// lastBefore returns the last directive of a level (includes followed)
// that comes before d and matches, or nil.
func lastBefore(level []*nginx.Directive, d *nginx.Directive, match func(*nginx.Directive) bool) *nginx.Directive {
	var last *nginx.Directive
	nginx.AtLevel(level, func(e *nginx.Directive) bool {
		if e == d {
			return false
		}
		if match(e) {
			last = e
		}
		return true
	})
	return last
}

// blindInclude reports an include that loaded no file, other than the
// stock ones (mime.types, *_params) that a repository often leaves out
// and that define nothing the rules look for: what it would have brought
// is unknown.
func blindInclude(d *nginx.Directive) bool {
	return d.Name == "include" && len(d.Args) > 0 && len(d.Includes()) == 0 && !stockInclude(d.Args[0].Value)
}

// shippedModules are the module names of nginx's own sources
// ("ngx_http_geoip_module"): a load_module of one of them adds nothing
// the table does not know.
var shippedModules = func() map[string]bool {
	out := map[string]bool{}
	for _, d := range spec.All() {
		if d.Source == "nginx" {
			out[d.Module] = true
		}
	}
	return out
}()

// thirdPartyModule reports a load_module of a module nginx does not ship
// (ndk, lua, headers-more, brotli, geoip2, vts ...).
func thirdPartyModule(d *nginx.Directive) bool {
	if d.Name != "load_module" || len(d.Args) == 0 {
		return false
	}
	base := strings.TrimSuffix(path.Base(d.Args[0].Value), ".so")
	return !shippedModules[base]
}

// What a root file's configuration does with third-party modules.
const (
	rootUsesModule  = 1 // directives of the Lua modules, njs or headers-more
	rootLoadsModule = 2 // load_module of a module nginx does not ship
)

// thirdPartyRoots maps the root files whose configuration loads a module
// nginx does not ship, or uses directives of the third-party sources the
// table covers, to rootLoadsModule or rootUsesModule: in them an unknown
// directive is more likely another module's than a typo.
var thirdPartyRoots = &analyzer.Model[map[*nginx.Config]int]{
	Name: "validity/third-party-roots",
	Compute: func(ws *analyzer.Workspace) map[*nginx.Config]int {
		out := map[*nginx.Config]int{}
		for _, c := range ws.Nginx {
			level := 0
			nginx.Walk(c, func(d *nginx.Directive) bool {
				switch {
				case thirdPartyModule(d):
					level = rootLoadsModule
				case d.Lua() != nil || thirdPartySource(d.Name):
					level = max(level, rootUsesModule)
				}
				return level < rootLoadsModule
			})
			if level == 0 {
				continue
			}
			for _, s := range c.Sites() {
				out[s.Root] = max(out[s.Root], level)
			}
		}
		return out
	},
}

// thirdPartySource reports a name the table has only from a third-party
// source.
func thirdPartySource(name string) bool {
	ds := spec.Lookup(name)
	for _, d := range ds {
		if d.Source == "nginx" {
			return false
		}
	}
	return len(ds) > 0
}

// quoteList joins names as "a", "b" or "c".
func quoteList(names []string) string {
	var b strings.Builder
	for i, n := range names {
		switch {
		case i > 0 && i == len(names)-1:
			b.WriteString(" or ")
		case i > 0:
			b.WriteString(", ")
		}
		b.WriteString(n)
	}
	return b.String()
}

// contextLabel names a block path as nginx's reference does.
func contextLabel(path []string) string {
	if len(path) == 0 {
		return "main"
	}
	last := path[len(path)-1]
	if last == "if" && len(path) > 1 {
		return "if in " + path[len(path)-2]
	}
	if last == "server" || last == "upstream" {
		if path[0] == "stream" || path[0] == "mail" {
			return path[0] + " " + last
		}
	}
	return last
}

// placeholder reports text that looks like an unrendered template
// placeholder: ${VAR}, {{ var }}, <container_name>, @VAR@.
func placeholder(text string) bool {
	return strings.Contains(text, "${") || strings.Contains(text, "{{") ||
		strings.HasPrefix(text, "<") && strings.HasSuffix(text, ">") && len(text) > 2 ||
		strings.HasPrefix(text, "@") && strings.HasSuffix(text, "@") && len(text) > 2
}

// templateHint is a sentence for a directive whose name or arguments look
// like an unrendered template, "" otherwise.
func templateHint(d *nginx.Directive) string {
	words := []string{d.Name}
	for _, a := range d.Args {
		words = append(words, a.Raw())
	}
	text := strings.Join(words, " ")
	if placeholder(d.Name) || strings.Contains(text, "${") || strings.Contains(text, "{{") ||
		strings.Contains(text, "<") && strings.Contains(text, ">") {
		return " (this looks like an unrendered template placeholder: render the template before nginx loads it)"
	}
	return ""
}
