package nginx

import (
	"strings"

	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
)

// InnerContext is the innermost element of Context: the block d sits in
// ("upstream", "location", ...), or "" at a main file's top level.
func (d *Directive) InnerContext() string {
	ctx := d.Context()
	if len(ctx) == 0 {
		return ""
	}
	return ctx[len(ctx)-1]
}

// HasFlag reports whether an argument after the first is exactly flag,
// as in `server 10.0.0.1:80 down;` or `listen 80 default_server;`.
func (d *Directive) HasFlag(flag string) bool {
	for i := 1; i < len(d.Args); i++ {
		if d.Args[i].Value == flag {
			return true
		}
	}
	return false
}

// Levels of the context a top-level directive implies for its file.
const (
	levelNone     = iota // main-level or unknown: says nothing
	levelHTTP            // only valid inside http (or http and stream)
	levelServer          // only valid inside server (or location)
	levelLocation        // only valid inside location
)

// extraMainOnly names main-level blocks of third-party modules the
// directive table does not cover.
var extraMainOnly = map[string]bool{"rtmp": true}

// mainOnly reports a directive that only the main context holds (in every
// module and release that has it): its presence makes a file a main file.
func mainOnly(name string) bool {
	ds := spec.Lookup(name)
	if len(ds) == 0 {
		return extraMainOnly[name]
	}
	for _, d := range ds {
		if d.Contexts&^(spec.Main|spec.Direct) != 0 {
			return false
		}
	}
	return true
}

// The http contexts, by the level they imply for a fragment.
const (
	httpContexts = spec.HTTPMain | spec.HTTPServer | spec.HTTPLocation | spec.HTTPUpstream |
		spec.HTTPIfServer | spec.HTTPIfLocation | spec.HTTPLimitExcept
	serverContexts   = spec.HTTPServer | spec.HTTPIfServer
	locationContexts = spec.HTTPLocation | spec.HTTPIfLocation | spec.HTTPLimitExcept
)

// levelOf is the outermost http level a directive is valid at, over
// every module and release that has the name: a fragment holding it sits
// at least that deep. A directive valid in main, one with no http
// context (stream, mail, events) and an upstream-only one say nothing
// (upstream members are recognised by their shape in impliedFor).
func levelOf(name string) int {
	var ctx spec.Context
	for _, d := range spec.Lookup(name) {
		ctx |= d.Contexts
	}
	switch {
	case ctx&(spec.Main|spec.Direct|spec.Any) != 0 || ctx&httpContexts == 0:
		return levelNone
	case ctx&spec.HTTPMain != 0:
		return levelHTTP
	case ctx&serverContexts != 0:
		return levelServer
	case ctx&locationContexts != 0:
		return levelLocation
	}
	return levelNone
}

// topLevel returns the top-level directives of c, with those of files that
// top-level includes pulled in (a fragment may be a list of includes).
func topLevel(c *Config, depth int) []*Directive {
	return collectTop(c, depth, map[*Config]bool{})
}

// collectTop expands each included file once: without the seen set, files
// that include each other by wildcard make the walk exponential.
func collectTop(c *Config, depth int, seen map[*Config]bool) []*Directive {
	seen[c] = true
	var out []*Directive
	for _, d := range c.Directives {
		if d.Name == "include" && depth < 8 {
			for _, inc := range d.Includes() {
				if !seen[inc] {
					out = append(out, collectTop(inc, depth+1, seen)...)
				}
			}
			continue
		}
		out = append(out, d)
	}
	return out
}

// looksLikeFragment tells, from a file's own top level, whether it is a
// fragment (conf.d/*.conf, a snippet) rather than a main file.
func looksLikeFragment(c *Config) bool {
	return DeclaredContext(c) != nil || impliedFor(c.Directives) != nil
}

// looksLikeMain tells whether a file's own top level holds a directive
// that only nginx's main context allows (events, http, user, ...).
func looksLikeMain(c *Config) bool {
	for _, d := range c.Directives {
		if mainOnly(d.Name) {
			return true
		}
	}
	return false
}

// impliedContext returns the context a root file's content implies: nil
// for a main file or when nothing is clear.
// A `# ngxlint:context server` comment above the first directive wins
// over what the content suggests.
func impliedContext(c *Config) []string {
	if ctx := DeclaredContext(c); ctx != nil {
		return ctx
	}
	return impliedFor(topLevel(c, 0))
}

// ContextMarker starts the comment by which a snippet names the block it
// is included in: `# ngxlint:context server`.
const ContextMarker = "ngxlint:context"

// declaredPaths are the block paths one word names; several words are
// taken as the path itself (`# ngxlint:context stream server`).
var declaredPaths = map[string][]string{
	"http":     {"http"},
	"server":   {"http", "server"},
	"location": {"http", "server", "location"},
	"upstream": {"http", "upstream"},
	"stream":   {"stream"},
	"mail":     {"mail"},
	"events":   {"events"},
}

// DeclaredContext returns the context a `# ngxlint:context ...` comment
// before the file's first directive declares, or nil when there is none
// or it names a block ngxlint does not know.
func DeclaredContext(c *Config) []string {
	first := len(c.File.Src)
	if len(c.Directives) > 0 {
		first = c.Directives[0].NameSpan().Start.Offset
	}
	for _, cm := range c.File.Comments {
		if cm.Span.Start.Offset > first {
			break
		}
		rest, ok := strings.CutPrefix(strings.TrimSpace(strings.TrimPrefix(cm.Text, "#")), ContextMarker)
		if !ok {
			continue
		}
		words := strings.Fields(rest)
		if len(words) == 1 {
			return declaredPaths[words[0]]
		}
		for _, w := range words {
			if _, known := declaredPaths[w]; !known {
				return nil
			}
		}
		return words
	}
	return nil
}

func impliedFor(top []*Directive) []string {
	level := levelNone
	members, blocks := 0, 0 // upstream members (`server a:80;`) vs server blocks
	for _, d := range top {
		if mainOnly(d.Name) {
			return nil
		}
		level = max(level, levelOf(d.Name))
		if d.Name == "server" {
			if d.HasBlock {
				blocks++
			} else {
				members++
			}
		}
	}
	switch level {
	case levelHTTP:
		if members > 0 && blocks == 0 {
			return []string{"http", "upstream"}
		}
		if isStreamFragment(top) {
			return []string{"stream"}
		}
		return []string{"http"}
	case levelServer:
		return []string{"http", "server"}
	case levelLocation:
		return []string{"http", "server", "location"}
	}
	return nil
}

// isStreamFragment reports a file of top-level server blocks that are
// clearly stream (TCP/UDP) servers: each proxies to a bare host:port (no
// scheme) or listens on UDP, and none has locations or server names.
func isStreamFragment(top []*Directive) bool {
	servers := 0
	for _, d := range top {
		if d.Name != "server" || !d.HasBlock {
			continue
		}
		servers++
		if !isStreamServer(d) {
			return false
		}
	}
	return servers > 0
}

func isStreamServer(server *Directive) bool {
	stream := false
	for _, c := range server.Block {
		switch c.Name {
		case "location", "server_name", "root", "index", "try_files":
			return false
		case "proxy_pass":
			if len(c.Args) == 1 && !strings.Contains(c.Args[0].Value, "://") {
				stream = true
			}
		case "listen":
			for _, a := range c.Args {
				if a.Value == "udp" {
					stream = true
				}
			}
		}
	}
	return stream
}
