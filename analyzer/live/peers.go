package live

import (
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

// Peer is one address nginx connects to, as the configuration writes it:
// a `server` of an upstream block, or the literal host of a proxy_pass (or
// fastcgi_pass, ...) that names no upstream block.
type Peer struct {
	Directive *nginx.Directive
	Addr      nginx.Address
	// Group is the upstream block's name for a `server`; "" otherwise.
	Group string
	// Scheme is how nginx talks to the peer: "http", "https", or the pass
	// directive's protocol ("fastcgi", "uwsgi", "stream", ...).
	Scheme string
}

// Mode is how far live mode goes with the peer: HTTP peers get GET /,
// others a bare TCP connect.
func (p Peer) Mode() Mode {
	switch p.Scheme {
	case "http":
		return Plain
	case "https":
		return Secure
	}
	return Connect
}

// Group is an upstream block.
type Group struct {
	Directive *nginx.Directive
	Name      string
	Module    string // "http" or "stream"
}

// passScheme maps a pass directive to the protocol nginx speaks, for
// directives whose URL carries no scheme.
var passScheme = map[string]map[string]string{
	"http": {
		"proxy_pass": "", "fastcgi_pass": "fastcgi", "uwsgi_pass": "uwsgi", "scgi_pass": "scgi",
		"grpc_pass": "grpc", "memcached_pass": "memcached",
	},
	"stream": {"proxy_pass": "stream"},
}

// Peers lists every peer of the workspace in source order. Hosts held in
// variables, unix sockets and servers marked `down` are left out: nginx
// never dials them at start-up (or at all).
func Peers(ws *analyzer.Workspace) []Peer {
	groups := Groups(ws)
	refs := groupSchemes(ws, groups)
	var out []Peer
	ws.WalkNginx(func(d *nginx.Directive) {
		if len(d.Args) == 0 {
			return
		}
		module := d.Module()
		parent := d.InnerContext()
		switch {
		case d.Name == "server" && parent == "upstream":
			if d.HasFlag("down") {
				return
			}
			a, ok := nginx.ParseAddress(d.Args[0])
			if !ok || a.Variable || a.Unix || a.Host == "" {
				return
			}
			// An upstream server has no scheme of its own: it takes the
			// one of the pass directives that use the group.
			name := ""
			if up := d.Enclosing("upstream"); up != nil && len(up.Args) > 0 {
				name = up.Args[0].Value
			}
			scheme := refs[groupKey(module, name)]
			if scheme == "" && module == "http" {
				scheme = "http"
			} else if module == "stream" {
				scheme = "stream"
			}
			if !a.HasPort {
				a.Port = 80
			}
			out = append(out, Peer{Directive: d, Addr: a, Group: name, Scheme: scheme})
		case parent != "upstream":
			fixed, ok := passScheme[module][d.Name]
			if !ok {
				return
			}
			a, ok := nginx.ParseAddress(d.Args[0])
			if !ok || a.Variable || a.Unix || a.Host == "" {
				return
			}
			if !a.HasPort && groups[groupKey(module, a.Host)] != nil {
				return // names an upstream block
			}
			scheme := fixed
			if scheme == "" {
				scheme = a.Scheme
				if scheme == "" {
					scheme = "http"
				}
			}
			out = append(out, Peer{Directive: d, Addr: a, Scheme: scheme})
		}
	})
	return out
}

// Groups indexes the upstream blocks by module and lower-case name (nginx
// compares upstream names ignoring case).
func Groups(ws *analyzer.Workspace) map[string]*Group {
	out := make(map[string]*Group)
	ws.WalkNginx(func(d *nginx.Directive) {
		if d.Name == "upstream" && d.HasBlock && len(d.Args) > 0 {
			k := groupKey(d.Module(), d.Args[0].Value)
			if out[k] == nil {
				out[k] = &Group{Directive: d, Name: d.Args[0].Value, Module: d.Module()}
			}
		}
	})
	return out
}

// GroupOf returns the upstream block a name refers to in module, or nil.
func GroupOf(groups map[string]*Group, module, name string) *Group {
	return groups[groupKey(module, name)]
}

func groupKey(module, name string) string {
	return module + "\x00" + strings.ToLower(strings.TrimSuffix(name, "."))
}

// groupSchemes finds, for each upstream block, the protocol of the pass
// directives that use it: https wins over http (the probe then starts with
// TLS), and an HTTP use wins over FastCGI and friends.
func groupSchemes(ws *analyzer.Workspace, groups map[string]*Group) map[string]string {
	rank := map[string]int{"https": 3, "http": 2}
	out := make(map[string]string)
	ws.WalkNginx(func(d *nginx.Directive) {
		fixed, ok := passScheme[d.Module()][d.Name]
		if !ok || len(d.Args) == 0 || d.InnerContext() == "upstream" {
			return
		}
		a, ok := nginx.ParseAddress(d.Args[0])
		if !ok || a.HasPort || a.Variable {
			return
		}
		k := groupKey(d.Module(), a.Host)
		if groups[k] == nil {
			return
		}
		s := fixed
		if s == "" {
			s = a.Scheme
			if s == "" {
				s = "http"
			}
		}
		if cur, seen := out[k]; !seen || rank[s] > rank[cur] {
			out[k] = s
		}
	})
	return out
}
