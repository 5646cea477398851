package validity

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var ZoneDeclaredTwice = registry.Add(&analyzer.Rule{
	ID:        "NGX332",
	Name:      "zone-declared-twice",
	Severity:  analyzer.Error,
	Summary:   "a shared memory zone name is declared twice (a cache, a request limit, an SSL cache, an upstream zone) in a way nginx refuses",
	Tags:      []analyzer.Tag{analyzer.TagValidity},
	Precision: analyzer.PrecisionVeryHigh,
	Fix:       analyzer.FixNone,
	Run:       runZoneDeclaredTwice,
	Doc: `## What it does
Reads the shared memory zones a configuration declares, in the order nginx reads them (through
its includes): the ` + "`keys_zone=`" + ` of ` + "`proxy_cache_path`" + ` (and ` + "`fastcgi_`" + `, ` + "`uwsgi_`" + `,
` + "`scgi_cache_path`" + `), the ` + "`zone=`" + ` of ` + "`limit_req_zone`" + ` and ` + "`limit_conn_zone`" + `, the
` + "`shared:`" + ` caches of ` + "`ssl_session_cache`" + ` and ` + "`ssl_ocsp_cache`" + `, and the ` + "`zone`" + ` of an
` + "`upstream`" + `. Zone names are one namespace for the whole configuration (http, stream and mail
together), and nginx refuses:

- a cache path or a request-limit zone declared again under a name already taken;
- a name that two kinds of zone use (a ` + "`limit_req_zone`" + ` and a ` + "`limit_conn_zone`" + `, or http's
  and stream's ` + "`ssl_session_cache`" + `);
- an SSL cache or upstream zone, which several servers or upstreams may share, given two
  different sizes.

The finding is at the later declaration's name, with the first as a related location.

## Why is this bad?
` + "`nginx -t`" + ` fails (` + "`limit_req_zone \"one\" is already bound to key`" + `, ` + "`duplicate zone \"cache\"`" + `,
` + "`the shared memory zone \"one\" is already declared for a different use`" + `,
` + "`the size ... of shared memory zone \"SSL\" conflicts with already declared size ...`" + `) and nginx does
not start or reload.
It comes from copying a zone line into a second file, or from giving the same short name (` + "`one`" + `,
` + "`SSL`" + `) to zones of different kinds.

## Example
` + "```nginx" + `
limit_req_zone  $binary_remote_addr zone=perip:10m rate=10r/s;
limit_conn_zone $binary_remote_addr zone=perip:10m;
` + "```" + `

## Use instead
` + "```nginx" + `
limit_req_zone  $binary_remote_addr zone=perip_req:10m rate=10r/s;
limit_conn_zone $binary_remote_addr zone=perip_conn:10m;
` + "```" + `
`,
})

// zoneDecl is one shared memory zone a directive declares (or, for an
// upstream's zone without a size, refers to).
type zoneDecl struct {
	d    *nginx.Directive
	name string
	span source.Span
	size int64 // bytes; 0 when not given
	// use is what the zone is for: nginx keys a zone's use by the module
	// that declared it, so two uses of one name clash.
	use string
	// exclusive: the name is declared once; a second declaration is
	// refused even with the same size (cache paths, request limits).
	exclusive bool
}

// sharedZoneDeclarers declare zones that several servers or upstreams
// may share; the others zoneDeclsOf reads are zoneDefiners (cache paths,
// request limits), whose names are declared once.
var sharedZoneDeclarers = map[string]bool{"ssl_session_cache": true, "ssl_ocsp_cache": true, "zone": true}

// declaresZones reports a directive zoneDeclsOf reads.
func declaresZones(d *nginx.Directive) bool {
	return zoneDeclarerSet.Value(d.NameID(), d.Name)
}

// zoneDeclarerSet holds the names of zoneDefiners and
// sharedZoneDeclarers, read by number: zoneDeclsOf asks it of every
// directive.
var zoneDeclarerSet = func() *spec.NameMap[bool] {
	names := slices.Collect(maps.Keys(zoneDefiners))
	return spec.NewNameSet(append(names, slices.Collect(maps.Keys(sharedZoneDeclarers))...)...)
}()

// zoneDeclsOf returns the zones d declares.
func zoneDeclsOf(d *nginx.Directive) []zoneDecl {
	if !declaresZones(d) {
		return nil // most directives: no need to work out their module
	}
	use := d.Module() + " " + d.Name
	var out []zoneDecl
	add := func(a *nginx.Arg, start int, value string, exclusive bool) {
		name, size, _ := strings.Cut(value, ":")
		if name == "" || strings.Contains(name, "$") {
			return
		}
		z := zoneDecl{d: d, name: name, span: a.ValueSpan(start, start+len(name)), use: use, exclusive: exclusive}
		if size != "" {
			n, ok := spec.SizeValue(size, false) // as ngx_parse_size reads it
			if !ok {
				return // invalid-argument-value's
			}
			z.size = n
		}
		out = append(out, z)
	}
	if def, ok := zoneDefiners[d.Name]; ok { // keys_zone=NAME:SIZE, zone=NAME:SIZE
		for _, a := range d.Args {
			if v, ok := strings.CutPrefix(a.Value, def.param); ok {
				add(a, len(def.param), v, true)
			}
		}
		return out
	}
	switch d.Name {
	case "ssl_session_cache", "ssl_ocsp_cache":
		for _, a := range d.Args {
			if v, ok := strings.CutPrefix(a.Value, "shared:"); ok {
				add(a, len("shared:"), v, false)
			}
		}
	case "zone":
		if d.InnerContext() == "upstream" && len(d.Args) >= 1 && len(d.Args) <= 2 {
			value := d.Args[0].Value
			if len(d.Args) == 2 {
				value += ":" + d.Args[1].Value
			}
			add(d.Args[0], 0, value, false)
		}
	}
	return out
}

// declaresZone reports a file that holds a directive declaring a zone.
func declaresZone(c *nginx.Config) bool {
	for name := range zoneDefiners {
		if c.HasName(name) {
			return true
		}
	}
	for name := range sharedZoneDeclarers {
		if c.HasName(name) {
			return true
		}
	}
	return false
}

func runZoneDeclaredTwice(p *analyzer.Pass) {
	if !slices.ContainsFunc(p.Workspace.Nginx, declaresZone) {
		return // nothing to walk the trees for
	}
	defs := analyzer.ResultOf(p.Workspace, zoneDefinitions)
	for _, c := range p.Workspace.Nginx {
		first := map[string]zoneDecl{}    // the first declaration of each name
		sized := map[string]zoneDecl{}    // the first that gave it a size
		for _, z := range defs.decls[c] { // roots only, in reading order
			prev, ok := first[z.name]
			if !ok {
				first[z.name] = z
				if z.size != 0 {
					sized[z.name] = z
				}
				continue
			}
			if s, ok := sized[z.name]; ok && prev.use == z.use && z.size != 0 && s.size != z.size {
				prev = s // the size nginx compares with
			}
			if why := zoneClash(prev, z); why != "" {
				reportZoneClash(p, prev, z, why)
				continue
			}
			if _, ok := sized[z.name]; !ok && z.size != 0 {
				sized[z.name] = z // nginx keeps the first size given
			}
		}
	}
}

// zoneClash is nginx's error for declaring z after prev, or "".
func zoneClash(prev, z zoneDecl) string {
	switch {
	case prev.use != z.use:
		return fmt.Sprintf("the shared memory zone %q is already declared for a different use", z.name)
	case prev.size != 0 && z.size != 0 && prev.size != z.size:
		return fmt.Sprintf("the size %d of shared memory zone %q conflicts with already declared size %d", z.size, z.name, prev.size)
	case !z.exclusive:
		return ""
	case strings.HasSuffix(z.d.Name, "_cache_path"):
		return fmt.Sprintf("duplicate zone %q", z.name)
	}
	key := ""
	if len(prev.d.Args) > 0 {
		key = prev.d.Args[0].Value
	}
	return fmt.Sprintf("%s %q is already bound to key %q", z.d.Name, z.name, key)
}

func reportZoneClash(p *analyzer.Pass, prev, z zoneDecl, why string) {
	modules := prev.use[:strings.IndexByte(prev.use, ' ')] != z.use[:strings.IndexByte(z.use, ' ')]
	what := fmt.Sprintf("%s declares the zone %q, already declared by %s at %s", zoneUse(z, modules), z.name,
		zoneUse(prev, modules), prev.d.Span())
	advice := "give this zone a name of its own"
	switch {
	case prev.d == z.d:
		what = fmt.Sprintf("this %s is read twice (its file is included more than once), declaring the zone %q again", z.d.Name, z.name)
		advice = "include the file once"
	case prev.use == z.use && !z.exclusive:
		advice = "give both the same size, or the size once"
	}
	p.Report(analyzer.Finding{
		Span:    z.span,
		Message: fmt.Sprintf("%s: nginx refuses to start (%s); %s", what, why, advice),
		Related: []source.Related{{Span: prev.span, Message: "the earlier declaration of the zone " + z.name}},
	})
}

// zoneUse names what declared a zone: "limit_req_zone", "upstream
// backend's zone", and with the module, "stream's ssl_session_cache".
func zoneUse(z zoneDecl, module bool) string {
	name := z.d.Name
	if name == "zone" {
		if up := z.d.Enclosing("upstream"); up != nil && len(up.Args) > 0 {
			name = "upstream " + up.Args[0].Value + "'s zone"
		}
	}
	if module {
		mod, _, _ := strings.Cut(z.use, " ")
		return mod + "'s " + name
	}
	return name
}
