package validity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
)

var UnknownDirective = registry.Add(&analyzer.Rule{
	ID:         "NGX301",
	Name:       "unknown-directive",
	Severity:   analyzer.Error,
	Summary:    "a directive nginx does not know, or that the configured nginx version does not have, so nginx refuses to start",
	Tags:       []analyzer.Tag{analyzer.TagValidity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixUnsafe,
	Aliases:    []string{"unknown_directive"},
	Directives: []string{"*"},
	Visit:      visitUnknownDirective,
	Doc: `## What it does
Looks up every directive in ngxlint's table of nginx's directives (every release of nginx, and of
the Lua modules, headers-more and njs) and reports one that:

- no release of any of those modules has; when a known directive is one or two edits away it is
  suggested (` + "`proxy_passs`" + ` → ` + "`proxy_pass`" + `), with a fix that renames it;
- exists, but not in the configured nginx version (` + "`nginx.version`" + ` in ` + "`.ngxlint.yml`" + ` or
  ` + "`--nginx-version`" + `): the message says in which release it was added or removed.

Third-party directives declared in ` + "`.ngxlint.yml`" + ` (` + "`nginx.directives`" + `) are accepted.
The bodies of ` + "`map`" + `, ` + "`geo`" + `, ` + "`types`" + `, ` + "`split_clients`" + `, ` + "`charset_map`" + `, ` + "`match`" + ` and of blocks
the table does not know (a third-party module's block such as ` + "`rtmp`" + `) hold data, not directives,
and are not checked; neither is Lua code in a ` + "`*_by_lua_block`" + `.

Severity: an error (a typo, or a module the build lacks), except at info level when the directive
most likely belongs to a module the build may have, which only ` + "`nginx.directives`" + ` can tell
ngxlint:

- a directive of NGINX Plus (a short, hand-kept list from nginx.org's reference: ` + "`health_check`" + `,
  ` + "`status_zone`" + `, ` + "`keyval`" + `, ` + "`api`" + `, ` + "`auth_jwt`" + ` ...) or one named like a well-known
  third-party module's (` + "`geoip2`" + `, ` + "`brotli`" + `, ` + "`set_*`" + ` of set-misc, ` + "`echo`" + `, ` + "`rtmp`" + `, ` + "`vhost_traffic_status_*`" + `
  ...); when nginx's own directives share that prefix and one is a single edit away
  (` + "`set_real_ip_fromm`" + `), it is a typo and an error;
- any unknown directive in a configuration that loads a dynamic module nginx does not ship
  (` + "`load_module`" + ` of a third-party ` + "`.so`" + `);
- an unknown directive with no close match in a configuration that uses the Lua modules, njs or
  headers-more.

A directive newer than the newest stable release is also info while no nginx version is configured
(you may run mainline). A file an absolute include found on the machine running ngxlint while the
configuration was named by a relative path (the host's own ` + "`/etc/nginx/...`" + `) is not judged.

## Why is this bad?
nginx refuses to start (and ` + "`nginx -t`" + ` fails) with ` + "`unknown directive \"proxy_passs\"`" + `. The same
happens after an upgrade to a release that removed a directive, or on a host whose nginx is older
than the one the configuration was written for.

## Example
` + "```nginx" + `
location / {
    proxy_passs http://app;
}
` + "```" + `

## Use instead
` + "```nginx" + `
location / {
    proxy_pass http://app;
}
` + "```" + `
For a directive of a third-party module the build has, declare it:
` + "```yaml" + `
nginx:
  directives: [vhost_traffic_status_zone]
` + "```" + `
The fix (rename to the suggested directive) is unsafe: it changes what the configuration does.
`,
})

func visitUnknownDirective(p *analyzer.Pass, d *nginx.Directive) {
	if d.Name == "" || p.Settings.HasDirective(d) || obsoletes[d.Name] != nil {
		return
	}
	cs := checkedSites(d)
	sites := cs.sites
	if len(sites) == 0 {
		return
	}
	v := p.Settings.Nginx()
	mod, shared := foreignModule(d.Name)
	if ds := spec.Lookup(d.Name); len(ds) > 0 && (mod == "" || !removedBefore(ds, v)) {
		reportVersioned(p, d, ds, v)
		return
	}
	third := analyzer.ResultOf(p.Workspace, thirdPartyRoots)
	loads := false
	for _, s := range sites {
		loads = loads || third[s.Root] == rootLoadsModule
	}
	uses := false
	for _, s := range sites {
		uses = uses || third[s.Root] != 0
	}
	sug := ""
	if mod == "" || shared { // a module's own name (status_zone) is not a typo
		sug = suggest(d.Name, cs.path(0), v, p.Settings.Directives)
	}
	if sug != "" && shared {
		mod = "" // one edit from nginx's own directive: a typo, whatever the prefix
	}
	f := analyzer.Finding{Span: d.NameSpan()}
	switch {
	case mod != "":
		f.Severity = analyzer.Info
		f.Message = fmt.Sprintf("directive %q is not open-source nginx's: it belongs to %s; nginx without it refuses to start "+
			"with \"unknown directive\" (declare it in .ngxlint.yml nginx.directives when your build has it)", d.Name, mod)
		sug = ""
	case loads:
		f.Severity = analyzer.Info
		f.Message = fmt.Sprintf("unknown directive %q: not a directive of nginx or of the modules ngxlint knows; this configuration "+
			"loads a third-party module, which may provide it (declare it in .ngxlint.yml nginx.directives); without "+
			"that module nginx refuses to start", d.Name)
	case uses && sug == "":
		f.Severity = analyzer.Info
		f.Message = fmt.Sprintf("unknown directive %q: not a directive of nginx or of the modules ngxlint knows; this configuration "+
			"uses third-party modules, one of which may provide it (declare it in .ngxlint.yml nginx.directives); "+
			"without such a module nginx refuses to start", d.Name)
	default:
		f.Message = fmt.Sprintf("unknown directive %q: nginx refuses to start", d.Name)
		if sug != "" {
			f.Message += fmt.Sprintf("; did you mean %q?", sug)
		} else {
			f.Message += "; if a third-party module provides it, declare it in .ngxlint.yml nginx.directives"
		}
	}
	if hint := templateHint(d); hint != "" && f.Severity != analyzer.Info {
		f.Message += hint
		sug, f.Message = "", strings.Replace(f.Message, fmt.Sprintf("; did you mean %q?", sug), "", 1)
	}
	if sug != "" {
		f.Fix = &analyzer.Fix{Title: fmt.Sprintf("rename to %s", sug), Edits: []analyzer.Edit{{Span: d.NameSpan(), NewText: sug}}}
	}
	p.Report(f)
}

// removedBefore reports whether every entry of ds was removed before v.
func removedBefore(ds []*spec.Directive, v spec.Version) bool {
	for _, e := range ds {
		if e.Until.IsZero() || v.Less(e.Until) {
			return false
		}
	}
	return true
}

// reportVersioned reports a directive the table has, but not in release
// v: added after it, or removed before it.
func reportVersioned(p *analyzer.Pass, d *nginx.Directive, ds []*spec.Directive, v spec.Version) {
	var since, until spec.Version
	var modUntil, source string
	for _, e := range ds {
		if e.Source != "nginx" {
			modUntil, source = e.ModUntil, e.Source
			continue
		}
		if v.Less(e.Since) {
			if since.IsZero() || e.Since.Less(since) {
				since = e.Since
			}
		} else if until.Less(e.Until) {
			until = e.Until
		}
	}
	configured := p.Settings.NginxVersion != ""
	switch {
	case !since.IsZero() && until.IsZero():
		sev := analyzer.Error
		tail := ""
		if !configured {
			sev, tail = analyzer.Info, fmt.Sprintf(" (ngxlint assumed nginx %v, the newest stable release; set nginx.version in .ngxlint.yml if you run mainline)", v)
		}
		p.Report(analyzer.Finding{Span: d.NameSpan(), Severity: sev, Message: fmt.Sprintf("directive %q was added in nginx %v: "+
			"nginx %v does not have it and refuses to start with \"unknown directive\"; upgrade nginx or remove it%s", d.Name, since, v, tail)})
	case !until.IsZero():
		p.Report(analyzer.Finding{Span: d.NameSpan(), Message: fmt.Sprintf("directive %q was removed in nginx %v: nginx %v refuses "+
			"to start with \"unknown directive\"; remove it or use its replacement", d.Name, until, v)})
	case modUntil != "":
		p.Report(analyzer.Finding{Span: d.NameSpan(), Message: fmt.Sprintf("directive %q was removed from %s in %s: a build with "+
			"a newer %s refuses to start with \"unknown directive\"", d.Name, source, modUntil, source)})
	}
}
