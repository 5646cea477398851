package validity

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

var ZoneUndefined = registry.Add(&analyzer.Rule{
	ID:         "NGX328",
	Name:       "zone-undefined",
	Severity:   analyzer.Error,
	Summary:    "a cache or request limit names a shared memory zone that nothing defines: nginx refuses to start",
	Tags:       []analyzer.Tag{analyzer.TagValidity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"proxy_cache", "fastcgi_cache", "uwsgi_cache", "scgi_cache", "limit_req", "limit_conn"},
	Visit:      visitZoneUndefined,
	Doc: `## What it does
Finds a zone name that no directive of the configuration defines:

- ` + "`proxy_cache NAME`" + ` (and ` + "`fastcgi_cache`" + `, ` + "`uwsgi_cache`" + `, ` + "`scgi_cache`" + `) without a
  ` + "`proxy_cache_path ... keys_zone=NAME:SIZE`" + ` of the same module;
- ` + "`limit_req zone=NAME`" + ` without a ` + "`limit_req_zone ... zone=NAME:SIZE`" + `;
- ` + "`limit_conn NAME N`" + ` without a ` + "`limit_conn_zone ... zone=NAME:SIZE`" + ` (in ` + "`http`" + ` and in ` + "`stream`" + `).

Zones belong to the whole configuration, so a definition anywhere in it counts, before or after
the use, in any included file. A cache named by a variable, and ` + "`off`" + `, are left alone. When the
definition may be where ngxlint cannot look (the file is linted without the main file that
includes it, or an include of the configuration loaded nothing), the rule is silent: a site file
linted alone usually has its zones in the main ` + "`nginx.conf`" + `.

## Why is this bad?
nginx refuses to start: ` + "`\"proxy_cache\" zone \"x\" is unknown`" + `, or for the request limits
` + "`zero size shared memory zone \"x\"`" + `, which names neither the line nor the directive. A zone renamed
in one place, or a ` + "`limit_req`" + ` copied from another server's configuration, is the usual cause.

## Example
` + "```nginx" + `
events {}
http {
    limit_req_zone $binary_remote_addr zone=per_ip:10m rate=10r/s;
    server {
        location /login {
            limit_req zone=perip burst=5;
        }
    }
}
` + "```" + `

## Use instead
` + "```nginx" + `
events {}
http {
    limit_req_zone $binary_remote_addr zone=per_ip:10m rate=10r/s;
    server {
        location /login {
            limit_req zone=per_ip burst=5;
        }
    }
}
` + "```" + `
`,
})

// zoneKinds names what defines the zones each directive uses
// ("proxy_cache_path keys_zone=" for proxy_cache).
var zoneKinds = func() map[string]string {
	out := map[string]string{}
	for definer, z := range zoneDefiners {
		out[z.user] = definer + " " + z.param
	}
	return out
}()

func visitZoneUndefined(p *analyzer.Pass, d *nginx.Directive) {
	fam := d.Module()
	if len(d.Args) == 0 || fam != "http" && fam != "stream" {
		return
	}
	a := d.Args[0]
	name := a.Value
	start := 0
	if d.Name == "limit_req" {
		a = nil
		for _, arg := range d.Args {
			if strings.HasPrefix(arg.Value, "zone=") {
				a, name, start = arg, arg.Value[len("zone="):], len("zone=")
			}
		}
		if a == nil {
			return // invalid-argument-value's
		}
	}
	if name == "" || name == "off" && d.Name != "limit_req" && d.Name != "limit_conn" || strings.Contains(name, "$") {
		return
	}
	key := fam + "/" + d.Name
	defs := analyzer.ResultOf(p.Workspace, zoneDefinitions)
	sure, undefined := false, false
	var known []string
	other := "" // the kind of zone the name is, when another module defines it
	for _, s := range sitesOf(d) {
		root := s.Root
		if root == nil {
			return
		}
		zones := defs.byRoot[root][key]
		if zones[name] {
			continue
		}
		undefined = true
		known = zones.names()
		for k, z := range defs.byRoot[root] {
			if k != key && z[name] {
				other = k
			}
		}
		if root.Implied == nil && !analyzer.ResultOf(p.Workspace, blindRoots)[root] {
			sure = true
		}
	}
	if !undefined || !sure {
		return // defined, or the definition may be where ngxlint cannot look
	}
	f := analyzer.Finding{Span: a.ValueSpan(start, len(a.Value)), Message: fmt.Sprintf("%s names the zone %q, and no %s%s defines it: "+
		"nginx refuses to start (%s)%s", d.Name, name, zoneKinds[d.Name], name, nginxZoneError(d.Name, name), zoneHint(name, known))}
	if other != "" {
		ofam, user, _ := strings.Cut(other, "/")
		definer, _, _ := strings.Cut(zoneKinds[user], " ")
		if ofam != fam {
			definer = ofam + "'s " + definer
		}
		f.Message = fmt.Sprintf("%s names the zone %q, which %s defines for its own use: nginx refuses to start "+
			"(\"the shared memory zone %q is already declared for a different use\"); define another zone with %s<name>:SIZE "+
			"for %s %s%s", d.Name, name, definer, name, zoneKinds[d.Name], fam, d.Name, strings.TrimSuffix(zoneHint(name, known), "; define it"))
	}
	p.Report(f)
}

func nginxZoneError(directive, name string) string {
	if strings.HasSuffix(directive, "_cache") {
		return fmt.Sprintf("%q zone %q is unknown", directive, name)
	}
	return fmt.Sprintf("zero size shared memory zone %q, without a line number", name)
}

// zoneHint suggests a defined zone one or two edits away, or lists them.
func zoneHint(name string, known []string) string {
	if k, ok := closeName(name, known); ok {
		return fmt.Sprintf("; did you mean %q?", k)
	}
	switch {
	case len(known) == 0:
		return "; define it"
	case len(known) <= 5:
		return "; the configuration defines " + quoteList(known)
	}
	return "; define it or use one the configuration defines"
}

// zoneSet is the names of the zones of one kind.
type zoneSet map[string]bool

func (z zoneSet) names() []string { return slices.Sorted(maps.Keys(z)) }

// zoneDefs are the zones each root configuration defines, by the key
// "family/directive that uses them" (http/proxy_cache, stream/limit_conn).
type zoneDefs struct {
	byRoot map[*nginx.Config]map[string]zoneSet
	// decls are each root's shared memory zone declarations in nginx's
	// reading order (zone-declared-twice), read in the same walk.
	decls map[*nginx.Config][]zoneDecl
}

// zoneDefiners maps a defining directive to the directive that uses its
// zones and the parameter that names them.
var zoneDefiners = map[string]struct{ user, param string }{
	"proxy_cache_path": {"proxy_cache", "keys_zone="}, "fastcgi_cache_path": {"fastcgi_cache", "keys_zone="},
	"uwsgi_cache_path": {"uwsgi_cache", "keys_zone="}, "scgi_cache_path": {"scgi_cache", "keys_zone="},
	"limit_req_zone": {"limit_req", "zone="}, "limit_conn_zone": {"limit_conn", "zone="},
}

// zoneLevels are the blocks zones are declared in (or in blocks of them).
var zoneLevels = map[string]bool{"http": true, "stream": true, "mail": true, "server": true, "upstream": true}

// zoneDefinitions reads, once per run, the zones every root file's
// configuration defines, following its includes.
var zoneDefinitions = &analyzer.Model[*zoneDefs]{
	Name: "validity/zone-definitions",
	Compute: func(ws *analyzer.Workspace) *zoneDefs {
		out := &zoneDefs{byRoot: map[*nginx.Config]map[string]zoneSet{}, decls: map[*nginx.Config][]zoneDecl{}}
		// An include none of whose files declares a zone is not read:
		// in the language server most files are read again on every
		// edit, and most declare none.
		reach := map[*nginx.Config]bool{}
		for _, c := range ws.Nginx {
			if len(c.IncludedBy) > 0 {
				continue
			}
			zones := map[string]zoneSet{}
			nginx.WalkExpanded(c.Directives, func(d *nginx.Directive) bool {
				if d.Name == "include" {
					return slices.ContainsFunc(d.Includes(), func(f *nginx.Config) bool {
						return nginx.Reaches(f, declaresZone, reach)
					})
				}
				out.decls[c] = append(out.decls[c], zoneDeclsOf(d)...)
				def, ok := zoneDefiners[d.Name]
				if !ok {
					// zones are declared in http, stream, server and upstream
					// blocks only: no need to read locations
					return !d.HasBlock || zoneLevels[d.Name]
				}
				for _, a := range d.Args {
					if zone, ok := strings.CutPrefix(a.Value, def.param); ok {
						zname, _, _ := strings.Cut(zone, ":")
						key := d.Module() + "/" + def.user
						if zones[key] == nil {
							zones[key] = zoneSet{}
						}
						zones[key][zname] = true
					}
				}
				return true
			})
			out.byRoot[c] = zones
		}
		return out
	},
}
