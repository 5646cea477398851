package practice

import (
	"fmt"
	"path"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var RootOnlyInLocation = registry.Add(&analyzer.Rule{
	ID:         "NGX510",
	Name:       "root-only-in-location",
	Severity:   analyzer.Warning,
	Summary:    "root is set only inside location /, so the server's other locations serve nginx's default html folder",
	Tags:       []analyzer.Tag{analyzer.TagPractice},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"server"},
	Visit:      visitRootOnlyInLocation,
	Doc: `## What it does
Reports a ` + "`root`" + ` inside ` + "`location /`" + ` when neither the server nor the http block sets one, and
another location of the same server serves files without a ` + "`root`" + ` or ` + "`alias`" + ` of its own: a
location with no handler (static files, ` + "`try_files`" + `), or a FastCGI location that reads
` + "`$document_root`" + ` or ` + "`$request_filename`" + ` (directly or through ` + "`fastcgi.conf`" + `). Locations that
proxy, return, rewrite, deny, are ` + "`internal`" + `, branch on ` + "`if`" + ` or use a directive of a module ngxlint does not know are left alone, and so is a server whose
includes did not load. When the http block is not part of what was linted (a server snippet) the
finding is informational: that block may set ` + "`root`" + `.

## Why is this bad?
` + "`root`" + ` is inherited downwards only: a sibling location does not see the one in ` + "`location /`" + `, so it
gets nginx's compiled-in default, the ` + "`html`" + ` folder under the prefix (` + "`/usr/share/nginx/html`" + `,
` + "`/etc/nginx/html`" + ` ...). ` + "`location ~ \\.php$`" + ` then hands PHP-FPM a ` + "`SCRIPT_FILENAME`" + ` in that folder
("File not found", or another application's script), and ` + "`location = /favicon.ico`" + ` or a
` + "`location /static/`" + ` serves whatever happens to be in the default folder instead of the site's
files.

## Example
` + "```nginx" + `
server {
    location / {
        root /srv/www/app;
        try_files $uri /index.php?$args;
    }
    location ~ \.php$ {
        include fastcgi.conf;
        fastcgi_pass unix:/run/php/fpm.sock;
    }
}
` + "```" + `

## Use instead
Set ` + "`root`" + ` once, at the server level, where every location inherits it:
` + "```nginx" + `
server {
    root /srv/www/app;
    location / {
        try_files $uri /index.php?$args;
    }
    location ~ \.php$ {
        include fastcgi.conf;
        fastcgi_pass unix:/run/php/fpm.sock;
    }
}
` + "```" + `
`,
})

// handlers decide a location's content without reading root.
var handlers = map[string]bool{"proxy_pass": true, "grpc_pass": true, "uwsgi_pass": true, "scgi_pass": true,
	"memcached_pass": true, "return": true, "rewrite": true, "stub_status": true, "empty_gif": true, "js_content": true,
	"content_by_lua": true, "content_by_lua_block": true, "content_by_lua_file": true, "perl": true, "deny": true,
	"if": true, "error_page": true, "internal": true, "auth_request": true, "echo": true, "api": true, "mirror": true}

func visitRootOnlyInLocation(p *analyzer.Pass, d *nginx.Directive) {
	if !d.HasBlock || d.Module() != "http" || d.InnerContext() == "upstream" {
		return
	}
	var locs []*nginx.Directive
	unknown := false
	nginx.AtLevel(d.Block, func(x *nginx.Directive) bool {
		switch {
		case x.Name == "include" && len(x.Includes()) == 0:
			unknown = true
		case x.Name == "root" || x.Name == "alias":
			unknown = true // the server sets its own: nothing falls back
		case x.Name == "location" && x.HasBlock:
			locs = append(locs, x)
		}
		return !unknown
	})
	if unknown {
		return
	}
	var slash *nginx.Directive
	for _, l := range locs {
		if loc, ok := nginx.LocationOf(l); ok && loc.Modifier == "" && loc.Match.Value == "/" {
			slash = nginx.FindAtLevel(l.Block, "root")
		}
	}
	if slash == nil || len(slash.Args) != 1 {
		return
	}
	var fallback []*nginx.Directive
	for _, l := range locs {
		if l == slash.Parent || !servesFiles(p, l) {
			continue
		}
		fallback = append(fallback, l)
	}
	if len(fallback) == 0 {
		return
	}
	// A root at the http level reaches every location.
	idx := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	v := p.Settings.Nginx()
	sure := true
	for _, s := range d.Config.Sites() {
		r := idx.Resolve(d, s, "root", v)
		if len(r.Effective) > 0 || r.Unresolved {
			return
		}
		sure = sure && reachesHTTP(r.Levels)
	}
	var related []source.Related
	var names []string
	for _, l := range fallback {
		name := "location " + strings.Join(argValues(l), " ")
		names = append(names, name)
		related = append(related, source.Related{Span: l.NameSpan(), Message: name + " has no root of its own"})
	}
	f := analyzer.Finding{
		Span: slash.NameSpan(),
		Message: fmt.Sprintf("root %s is set only inside location /, and %s of this server get nginx's default html "+
			"folder instead (root is not shared between sibling locations); move root up to the server block",
			slash.Args[0].Value, strings.Join(names, ", ")),
		Related: related,
	}
	if !sure {
		f.Severity = analyzer.Info
		f.Message += " (unless the http block, not loaded here, sets root)"
	}
	p.Report(f)
}

// servesFiles tells whether a location answers from the file system
// under the inherited root: it has no root, alias or handler of its own,
// or it is a FastCGI location that builds paths from $document_root.
func servesFiles(p *analyzer.Pass, l *nginx.Directive) bool {
	files, fastcgi, docroot, unknown := true, false, false, false
	var walk func(list []*nginx.Directive, depth int)
	walk = func(list []*nginx.Directive, depth int) {
		for _, x := range list {
			switch {
			case x.Name == "root" || x.Name == "alias" || handlers[x.Name] || !p.Settings.KnownDirective(x.Name):
				// a directive nginx does not know may be a module's
				// handler (rtmp_stat, vod ...): cannot tell
				files = false
			case x.Name == "fastcgi_pass":
				fastcgi = true
			case x.Name == "include":
				for _, a := range x.Args {
					b := path.Base(a.Value)
					if b == "fastcgi.conf" || b == "fastcgi-php.conf" {
						docroot = true
					}
					// an unloaded include could set root or a handler;
					// the stock parameter files never do
					if len(x.Includes()) == 0 && !stockIncludes[b] {
						unknown = true
					}
				}
				for _, c := range x.Includes() {
					if depth < 8 {
						walk(c.Directives, depth+1)
					}
				}
			}
			for _, a := range x.Args {
				if strings.Contains(a.Value, "$document_root") || strings.Contains(a.Value, "$request_filename") ||
					strings.Contains(a.Value, "${document_root}") {
					docroot = true
				}
			}
		}
	}
	walk(l.Block, 0)
	if unknown || !files {
		return false
	}
	if fastcgi {
		return docroot
	}
	return true
}

// stockIncludes are files nginx packages ship that set parameters only.
var stockIncludes = map[string]bool{"fastcgi.conf": true, "fastcgi-php.conf": true, "fastcgi_params": true,
	"proxy_params": true, "uwsgi_params": true, "scgi_params": true, "mime.types": true}
