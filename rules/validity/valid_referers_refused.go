package validity

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var ValidReferersRefused = registry.Add(&analyzer.Rule{
	ID:         "NGX326",
	Name:       "valid-referers-refused",
	Severity:   analyzer.Error,
	Summary:    "a valid_referers list nginx refuses at start-up: a host given twice, an invalid wildcard, or none/blocked with no host",
	Tags:       []analyzer.Tag{analyzer.TagValidity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"server", "location"},
	Visit:      visitValidReferersRefused,
	Doc: `## What it does
Reads the ` + "`valid_referers`" + ` lines of each ` + "`server`" + ` and ` + "`location`" + ` block (with the files their
` + "`include`" + ` lines pull in) as nginx files them, into one hash of host names per block, and
reports what makes nginx refuse the configuration:

- a host that an earlier value of the same block already gave. Letter case does not count,
  the path after the host does not count (` + "`a.example/x`" + ` and ` + "`a.example/y`" + ` are one host), and
  ` + "`.a.example`" + ` stands for both ` + "`a.example`" + ` and ` + "`*.a.example`" + `. With ` + "`server_names`" + `, the names
  of the enclosing server's ` + "`server_name`" + ` count too;
- an empty value, and a wildcard nginx does not take (` + "`*`" + `, ` + "`a*b`" + `, ` + "`*.a.*`" + `, ` + "`a..b`" + `);
- ` + "`none`" + ` or ` + "`blocked`" + ` with no host at all: regular expressions (` + "`~...`" + `) do not count, and
  ` + "`server_names`" + ` counts only when the server has a name that is not a regular expression.

A block with an ` + "`include`" + ` that loaded nothing is not checked for the last case: the missing file
may hold the hosts.

## Why is this bad?
nginx refuses to start, or to reload: ` + "`conflicting parameter \"a.example\"`" + `, ` + "`invalid referer \"\"`" + `,
` + "`invalid hostname or wildcard \"*\"`" + `, or ` + "`the \"none\" or \"blocked\" referers are specified in the\n\"valid_referers\" directive without any valid referer`" + `. A duplicate often comes from listing
the site's own names beside ` + "`server_names`" + `, which already adds them.

## Example
` + "```nginx" + `
server {
    server_name shop.example;
    location /img/ {
        valid_referers none server_names shop.example *.cdn.example;
        if ($invalid_referer) { return 403; }
    }
}
` + "```" + `

## Use instead
` + "```nginx" + `
server {
    server_name shop.example;
    location /img/ {
        valid_referers none server_names *.cdn.example;
        if ($invalid_referer) { return 403; }
    }
}
` + "```" + `
`,
})

// refererKey is where a host was first filed: the value's argument, and
// for a server name, the server_name argument it came from.
type refererKey struct {
	arg  *nginx.Arg
	name string // the host as written
}

func visitValidReferersRefused(p *analyzer.Pass, d *nginx.Directive) {
	if !d.HasBlock {
		return
	}
	var lists []*nginx.Directive
	unresolved := false
	nginx.AtLevel(d.Block, func(e *nginx.Directive) bool {
		switch e.Name {
		case "valid_referers":
			lists = append(lists, e)
		case "include":
			unresolved = unresolved || len(e.Includes()) == 0
		}
		return true
	})
	if len(lists) == 0 {
		return
	}
	seen := map[string]refererKey{}
	hosts := 0
	var noneArg, serverNamesArg *nginx.Arg
	for _, list := range lists {
		for _, a := range list.Args {
			v := a.Value
			switch {
			case v == "":
				p.Report(analyzer.Finding{Span: a.Span(),
					Message: "an empty valid_referers value: nginx refuses to start (\"invalid referer\"); remove it"})
				continue
			case v == "none" || v == "blocked":
				if noneArg == nil {
					noneArg = a
				}
				continue
			case v == "server_names":
				serverNamesArg = a
				continue
			case v[0] == '~':
				continue // a regular expression, kept apart from the hash
			}
			host, _, _ := strings.Cut(v, "/")
			keys, ok := nginx.HostKeys(host)
			if !ok {
				p.Report(analyzer.Finding{Span: a.Span(),
					Message: fmt.Sprintf("valid_referers %q is not a host name or wildcard nginx takes: it refuses to start "+
						"(\"invalid hostname or wildcard\"); a wildcard is a leading \"*.\" or \".\" or a trailing \".*\", once", host)})
				continue
			}
			hosts++
			if first, dup := fileReferer(seen, keys, refererKey{arg: a, name: host}); dup {
				p.Report(analyzer.Finding{Span: a.Span(),
					Message: fmt.Sprintf("valid_referers host %q is already given at %s (%q): nginx refuses to start "+
						"(\"conflicting parameter\"), since hosts are compared without regard to case or path%s; keep one of the two",
						host, placeFrom(first.arg.Span(), a.Span()), first.name, dotNote(host, first.name)),
					Related: []source.Related{{Span: first.arg.Span(), Message: "first given here"}}})
			}
		}
	}
	if serverNamesArg != nil {
		n, known := checkServerNames(p, d, seen, serverNamesArg)
		hosts += n
		if !known {
			return // a name nginx fills in at start-up
		}
	}
	if noneArg != nil && hosts == 0 && !unresolved {
		p.Report(analyzer.Finding{Span: noneArg.Span(),
			Message: fmt.Sprintf("valid_referers has %s but no host name to accept (regular expressions do not count): nginx refuses to start "+
				"(\"the \\\"none\\\" or \\\"blocked\\\" referers are specified ... without any valid referer\"); add the hosts, or server_names in a server that has a name", noneArg.Value)})
	}
}

// checkServerNames files the enclosing server's names as server_names
// does, after the block's own values, and reports a collision at the
// value that repeats a server name (or at server_names when two server
// names collide). It returns how many names were filed, and false when a
// name is only known at start-up ($hostname).
func checkServerNames(p *analyzer.Pass, block *nginx.Directive, seen map[string]refererKey, at *nginx.Arg) (int, bool) {
	server := block
	for server != nil && server.Name != "server" {
		server = server.Parent
	}
	if server == nil {
		return 0, false // a fragment: its server is elsewhere
	}
	var names []*nginx.Arg
	nginx.AtLevel(server.Block, func(e *nginx.Directive) bool {
		if e.Name == "server_name" {
			names = append(names, e.Args...)
		}
		return true
	})
	if len(names) == 0 {
		return 1, true // the default name "" is filed
	}
	filed := 0
	for _, n := range names {
		switch {
		case strings.HasPrefix(n.Value, "~"):
			continue
		case strings.Contains(n.Value, "$"):
			return filed + 1, false
		}
		keys, ok := nginx.HostKeys(n.Value)
		if !ok {
			continue // server_name's own problem
		}
		filed++
		first, dup := fileReferer(seen, keys, refererKey{arg: n, name: n.Value})
		if !dup {
			continue
		}
		if slices.Contains(names, first.arg) {
			p.Report(analyzer.Finding{Span: at.Span(),
				Message: fmt.Sprintf("server_names files this server's names %q and %q, which are one host to nginx: it refuses to start "+
					"(\"conflicting parameter\"); remove one from server_name or list the hosts instead of server_names", first.name, n.Value),
				Related: []source.Related{{Span: first.arg.Span(), Message: "first name"}, {Span: n.Span(), Message: "same host"}}})
			continue
		}
		p.Report(analyzer.Finding{Span: first.arg.Span(),
			Message: fmt.Sprintf("valid_referers lists %q, and server_names adds the server name %q: nginx refuses to start "+
				"(\"conflicting parameter\"); remove %q, which server_names already covers", first.name, n.Value, first.name),
			Related: []source.Related{{Span: n.Span(), Message: "server name"}, {Span: at.Span(), Message: "server_names"}}})
	}
	return filed, true
}

// fileReferer files a host under its keys, or returns what already holds
// one of them.
func fileReferer(seen map[string]refererKey, keys []string, k refererKey) (refererKey, bool) {
	for _, key := range keys {
		if first, dup := seen[key]; dup {
			return first, true
		}
	}
	for _, key := range keys {
		seen[key] = k
	}
	return refererKey{}, false
}

func dotNote(host, first string) string {
	if strings.HasPrefix(host, ".") || strings.HasPrefix(first, ".") {
		return `, and ".name" stands for "name" and "*.name"`
	}
	return ""
}
