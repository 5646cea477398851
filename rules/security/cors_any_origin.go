package security

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/vars"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var CORSAnyOrigin = registry.Add(&analyzer.Rule{
	ID:         "NGX417",
	Name:       "cors-any-origin",
	Severity:   analyzer.Warning,
	Summary:    "Access-Control-Allow-Origin echoes any Origin while Access-Control-Allow-Credentials is true",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"add_header"},
	Visit:      visitCORS,
	Doc: `## What it does
Finds ` + "`add_header Access-Control-Allow-Origin`" + ` whose value is the request's ` + "`Origin`" + `
(` + "`$http_origin`" + `, directly or through ` + "`set`" + ` and ` + "`map`" + `) without a check of it, at a level
where ` + "`add_header Access-Control-Allow-Credentials true`" + ` applies too, and points at the
variable. The value counts as checked inside an ` + "`if ($http_origin ~ ...)`" + ` or ` + "`if ($http_origin = ...)`" + `
block, and when it comes from a ` + "`map`" + ` that gives ` + "`$http_origin`" + ` only for listed keys (not for
` + "`default`" + `). How good that check is, is ` + "`origin-regex`" + `'s concern.

## Why is this bad?
Echoing the Origin with credentials allowed lets every web site the user visits read the
responses of this server with the user's cookies: account data, CSRF tokens, anything the API
returns to a logged-in user. (` + "`*`" + ` with credentials is refused by browsers, so it is not
reported.)

## Example
` + "```nginx" + `
location /api/ {
    add_header Access-Control-Allow-Origin $http_origin always;
    add_header Access-Control-Allow-Credentials true always;
    proxy_pass http://app;
}
` + "```" + `

## Use instead
` + "```nginx" + `
map $http_origin $cors_origin {
    default                          "";
    "~^https://(www\.)?example\.com$" $http_origin;
}
server {
    location /api/ {
        add_header Access-Control-Allow-Origin $cors_origin always;
        add_header Access-Control-Allow-Credentials true always;
        proxy_pass http://app;
    }
}
` + "```" + `
`,
})

func visitCORS(p *analyzer.Pass, d *nginx.Directive) {
	if len(d.Args) < 2 || !strings.EqualFold(d.Args[0].Value, "Access-Control-Allow-Origin") {
		return
	}
	ix := analyzer.ResultOf(p.Workspace, analyzer.Variables)
	idx := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	v := p.Settings.Nginx()
	var creds *nginx.Directive
	for _, s := range sitesOf(d) {
		for _, x := range idx.Resolve(d, s, "add_header", v).Effective {
			if x.Name == "add_header" && len(x.Args) >= 2 && strings.EqualFold(x.Args[0].Value, "Access-Control-Allow-Credentials") &&
				strings.EqualFold(x.Args[1].Value, "true") {
				creds = x
			}
		}
	}
	if creds == nil {
		return
	}
	for _, r := range ix.DirectiveRefs(d) {
		if r.Arg != d.Args[1] {
			continue
		}
		val, props := valueAt(ix, d, r)
		if props&vars.Unknown != 0 || !props.Has(vars.Client) || !echoesOrigin(ix, d, r.Name, 0) {
			continue
		}
		p.Report(analyzer.Finding{
			Span: r.Span(),
			Message: fmt.Sprintf("Access-Control-Allow-Origin echoes the request's Origin through $%s without checking it, "+
				"and Access-Control-Allow-Credentials is true (line %d): any web site can read these responses with the "+
				"user's cookies; answer only listed origins, through a map whose default is empty", r.Name, creds.Span().Start.Line),
			Related: append(val.Related(), source.Related{Span: creds.Span(), Message: "credentials allowed here"}),
		})
	}
}

// echoesOrigin reports whether $name at d can be the request's Origin
// unchecked: $http_origin outside an if that tests it, a set of such a
// value, or a map that gives it for its default.
func echoesOrigin(ix *vars.Index, d *nginx.Directive, name string, depth int) bool {
	name = strings.TrimPrefix(name, "$")
	if depth > 8 {
		return false
	}
	v := ix.At(d, nginx.Site{}, name)
	switch v.Origin {
	case vars.Builtin:
		return name == "http_origin" && !originTested(d)
	case vars.Set:
		for _, pd := range v.Providers {
			for _, f := range v.From {
				if echoesOrigin(ix, pd, f, depth+1) {
					return true
				}
			}
		}
	case vars.Map:
		for _, md := range v.Providers {
			for _, e := range md.Block {
				if e.Name != "default" || len(e.Args) == 0 {
					continue // a listed key is a check
				}
				for _, r := range vars.Refs(e.Args[0]) {
					if echoesOrigin(ix, md, r.Name, depth+1) {
						return true
					}
				}
			}
		}
	}
	return false
}

// originTested reports whether d sits in an if block that matches
// $http_origin (~, ~* or =).
func originTested(d *nginx.Directive) bool {
	for b := d.Parent; b != nil; b = b.Parent {
		if b.Name != "if" || len(b.Args) < 2 {
			continue
		}
		if strings.EqualFold(strings.TrimPrefix(b.Args[0].Value, "("), "$http_origin") {
			switch b.Args[1].Value {
			case "~", "~*", "=":
				return true
			}
		}
	}
	return false
}
