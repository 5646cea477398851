package nginx

import (
	"strconv"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
	"github.com/ngxlint/ngxlint/internal/parallel"
	"github.com/tufanbarisyildirim/gonginx/config"
)

// The peer model: what every upstream group and every `*_pass` target of
// a workspace expands to, computed once and read by the rules, live mode
// and the error-log mapper alike, so that they agree on what a name means.

// Group is an `upstream` block.
type Group struct {
	Directive *Directive
	Name      string
	Module    string // "http" or "stream"
	Servers   []*UpstreamServer
	// Passes are the pass directives that name this group.
	Passes []*Pass
	// Scheme is the strongest protocol of the passes that use the group
	// (https over http over the others), "" when no pass names it.
	Scheme string
}

// UpstreamServer is a `server` of an upstream block, with its parameters
// read through gonginx's typed view (our own arguments when gonginx could
// not read the file). Positions always come from our syntax layer.
type UpstreamServer struct {
	Directive *Directive
	Group     *Group
	// Addr is the address as written; AddrOK is false when the first
	// argument is not an address at all.
	Addr   Address
	AddrOK bool
	// Weight and MaxFails keep nginx's defaults (1) when not written;
	// MaxConns is 0 (no limit) and FailTimeout "10s" likewise.
	Weight, MaxFails, MaxConns int
	FailTimeout                string
	Backup, Down, Resolve      bool
	Service                    string
}

// Param returns the first argument of the parameter called name (weight,
// backup, ...), for findings that point at one; nil when not written.
func (s *UpstreamServer) Param(name string) *Arg {
	return paramArg(s.Directive, func(n string) bool { return n == name })
}

// Pass is a directive that hands requests to a peer: proxy_pass,
// fastcgi_pass, uwsgi_pass, scgi_pass, grpc_pass, memcached_pass (and
// stream's proxy_pass).
type Pass struct {
	Directive *Directive
	Module    string
	// Addr is the target as written; AddrOK is false when it is not an
	// address (an empty argument).
	Addr   Address
	AddrOK bool
	// Scheme is the protocol nginx speaks to the target: the URL's scheme
	// for proxy_pass and grpc_pass, else the directive's protocol
	// ("fastcgi", "uwsgi", "scgi", "memcached", "stream").
	Scheme string
	// Group is the upstream block the target names, when it names one.
	Group *Group
}

// NeedsPort reports whether nginx refuses the target for want of a port
// ("no port in upstream"): a literal host written without one, naming no
// upstream block (Group), for a directive that gives none. Only http's
// proxy_pass does, from its scheme (80, 443); fastcgi, uwsgi, scgi,
// memcached, grpc and stream's proxy_pass take the port from the target.
func (ps *Pass) NeedsPort() bool {
	if !literalHost(ps.Addr, ps.AddrOK) || ps.Addr.HasPort || ps.Group != nil {
		return false
	}
	return ps.Module != "http" || ps.Directive.Name != "proxy_pass"
}

// Peer is one address nginx resolves at start-up and connects to: a
// server of an upstream group, or the literal host of a pass that names
// no group. Hosts in variables, unix sockets and `down` servers are not
// peers: nginx never dials them at start-up (or at all).
type Peer struct {
	Directive *Directive
	Addr      Address
	// Group is the upstream block of a server; nil for a pass.
	Group  *Group
	Scheme string
}

// Peers is the peer model of a workspace.
type Peers struct {
	Groups  []*Group
	Servers []*UpstreamServer
	Passes  []*Pass

	byGroupKey map[groupKey]*Group
	passOf     map[*Directive]*Pass
	serverOf   map[*Directive]*UpstreamServer
	groupOf    map[*Directive]*Group
	// literal indexes the literal passes by module, host and port (see
	// LiteralPasses); foldRisk is set when a host is not all ASCII, where
	// Unicode case folding may match across keys.
	literal  map[literalKey][]*Pass
	foldRisk bool
	// groupFoldRisk is foldRisk for the groups' names (see FoldsAsASCII).
	groupFoldRisk bool
}

// literalKey is a literal pass's module, host (ASCII lower case, without
// a trailing dot) and port as written.
type literalKey struct{ module, host, port string }

// groupKey is how nginx finds a group: within one configuration (the
// scope), by module, by lower-case name.
type groupKey struct {
	scope  *Config
	module string
	name   string
}

// passProtocol names the protocol of each pass directive by module; ""
// means the URL's scheme says it. Read by number (spec.NameMap): rules ask
// IsPass of every directive they visit.
var passProtocol = map[string]*spec.NameMap[string]{
	"http": spec.NewNameMap(map[string]string{
		"proxy_pass": "", "grpc_pass": "", "fastcgi_pass": "fastcgi", "uwsgi_pass": "uwsgi",
		"scgi_pass": "scgi", "memcached_pass": "memcached",
	}),
	"stream": spec.NewNameMap(map[string]string{"proxy_pass": "stream"}),
}

// IsPass reports whether d hands requests to a peer named by its first
// argument.
func IsPass(d *Directive) bool {
	if !strings.HasSuffix(d.Name, "_pass") {
		return false // every name passProtocol holds ends so: most directives go no further
	}
	_, ok := passProtocol[d.Module()].Get(d.NameID(), d.Name)
	return ok && d.InnerContext() != "upstream"
}

// ScopeOf is the configuration a directive's names are resolved in, at
// site s: the main file nginx starts from. Fragments linted in an implied
// context share one scope (nil): they are most likely pieces of one
// configuration, and a group defined in one may be named in another.
func ScopeOf(s Site) *Config {
	if s.Root == nil || s.Root.Implied != nil {
		return nil
	}
	return s.Root
}

// BuildPeers computes the peer model of configs. What each file adds
// (its groups, servers and passes, read from its own tree) is worked out
// on all cores and kept on the file's tree (see peerPart); joining the
// parts (which group a server is in and a pass names) is done here.
func BuildPeers(configs []*Config) *Peers {
	parts := make([]*peerPart, len(configs))
	var stale []int
	for i, c := range configs {
		if part, ok := c.ModelPart(peersKey{}); ok {
			parts[i] = part.(*peerPart)
		} else {
			stale = append(stale, i)
		}
	}
	found := make([][]peerItem, len(stale))
	for k, i := range stale {
		found[k] = peerItems(configs[i])
	}
	parallel.Each(len(stale), func(k int) {
		c := configs[stale[k]]
		parts[stale[k]] = newPeerPart(found[k])
		c.SetModelPart(peersKey{}, parts[stale[k]])
	})

	p := &Peers{
		byGroupKey: make(map[groupKey]*Group),
		passOf:     make(map[*Directive]*Pass),
		serverOf:   make(map[*Directive]*UpstreamServer),
		groupOf:    make(map[*Directive]*Group),
	}
	for _, part := range parts {
		for _, g := range part.groups {
			g.Servers, g.Passes, g.Scheme = nil, nil, ""
			p.Groups = append(p.Groups, g)
			p.groupOf[g.Directive] = g
			p.groupFoldRisk = p.groupFoldRisk || !source.IsASCIIString(g.Name)
			for _, s := range g.Directive.Config.Sites() {
				k := groupKey{ScopeOf(s), g.Module, normalName(g.Name)}
				if p.byGroupKey[k] == nil { // nginx rejects a duplicate; the first one stands
					p.byGroupKey[k] = g
				}
			}
		}
	}
	for _, part := range parts {
		for i, s := range part.servers {
			s.Group = p.groupOf[part.upstreams[i]]
			if s.Group != nil {
				s.Group.Servers = append(s.Group.Servers, s)
			}
			p.Servers = append(p.Servers, s)
			p.serverOf[s.Directive] = s
		}
	}
	for _, part := range parts {
		for _, ps := range part.passes {
			p.Passes = append(p.Passes, ps)
			p.passOf[ps.Directive] = ps
			ps.Group = p.lookupGroup(ps)
			if g := ps.Group; g != nil {
				g.Passes = append(g.Passes, ps)
				if schemeRank(ps.Scheme) > schemeRank(g.Scheme) || g.Scheme == "" {
					g.Scheme = ps.Scheme
				}
			} else if isLiteral(ps) {
				if p.literal == nil {
					p.literal = map[literalKey][]*Pass{}
				}
				k := literalKey{ps.Module, normalName(ps.Addr.Host), ps.Addr.PortText}
				p.literal[k] = append(p.literal[k], ps)
				p.foldRisk = p.foldRisk || !source.IsASCIIString(ps.Addr.Host)
			}
		}
	}
	return p
}

// isLiteral reports a pass to a written host and port: not built from
// variables, not a unix socket, not an upstream group's name.
func isLiteral(ps *Pass) bool {
	return ps.AddrOK && !ps.Addr.Variable && !ps.Addr.Unix && ps.Group == nil
}

// LiteralPasses returns, in the model's order, the literal passes of
// module (see isLiteral) to host and port (as written, "" for none), the
// host compared without case and without a trailing dot: the passes
// whose implicit upstream a request-time target host:port would find. A
// variable target that matches one is not looked up by the resolver.
func (p *Peers) LiteralPasses(module, host, port string) []*Pass {
	if !p.foldRisk && source.IsASCIIString(host) {
		return p.literal[literalKey{module, normalName(host), port}] // most runs: one lookup
	}
	// A host beyond ASCII may fold onto another key: read them all.
	var out []*Pass
	for _, ps := range p.Passes {
		if ps.Module == module && isLiteral(ps) && ps.Addr.PortText == port && SameHost(ps.Addr.Host, host) {
			out = append(out, ps)
		}
	}
	return out
}

// SameHost compares two host names without case and without a trailing
// dot.
func SameHost(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, "."), strings.TrimSuffix(b, "."))
}

// peerPart is what one file adds to the peer model, from its own tree and
// its links: a model part (see ModelPart), so that an edit works out the
// edited file's part only. The fields the join sets (a group's servers
// and passes and scheme, the group of a server or a pass) are set again
// by every BuildPeers.
type peerPart struct {
	groups  []*Group
	servers []*UpstreamServer
	// upstreams holds the upstream block enclosing each server, which may
	// be in the file that includes this one.
	upstreams []*Directive
	passes    []*Pass
}

// peersKey keys the peer model's parts.
type peersKey struct{}

const (
	groupItem = iota
	serverItem
	passItem
)

// peerItem is a directive of a file that the peer model reads.
type peerItem struct {
	d    *Directive
	kind int
}

// peerItems finds c's upstream blocks, upstream servers and passes in
// walk order.
func peerItems(c *Config) []peerItem {
	var items []peerItem
	Walk(c, func(d *Directive) bool {
		switch {
		case d.Name == "upstream" && d.HasBlock && len(d.Args) > 0:
			items = append(items, peerItem{d, groupItem})
		case d.Name == "server" && d.InnerContext() == "upstream" && len(d.Args) > 0:
			items = append(items, peerItem{d, serverItem})
		case len(d.Args) > 0 && IsPass(d):
			items = append(items, peerItem{d, passItem})
		}
		return true
	})
	return items
}

// newPeerPart makes a file's part of the peer model from its items. Each
// item's entry is made on its own, so a large file's are made on all
// cores (one file is one part), each into the place it would have had
// made in order.
func newPeerPart(items []peerItem) *peerPart {
	at := make([]int, len(items)) // the item's index among those of its kind
	var n [3]int
	for i, it := range items {
		at[i] = n[it.kind]
		n[it.kind]++
	}
	part := &peerPart{}
	if n[groupItem] > 0 {
		part.groups = make([]*Group, n[groupItem])
	}
	if n[serverItem] > 0 {
		part.servers = make([]*UpstreamServer, n[serverItem])
		part.upstreams = make([]*Directive, n[serverItem])
	}
	if n[passItem] > 0 {
		part.passes = make([]*Pass, n[passItem])
	}
	const block = 512
	parallel.Each((len(items)+block-1)/block, func(b int) {
		for i := b * block; i < min(len(items), (b+1)*block); i++ {
			switch d, k := items[i].d, at[i]; items[i].kind {
			case groupItem:
				part.groups[k] = newGroup(d)
			case serverItem:
				part.servers[k] = newUpstreamServer(d)
				part.upstreams[k] = d.Enclosing("upstream")
			default:
				part.passes[k] = newPass(d)
			}
		}
	})
	return part
}

func newGroup(d *Directive) *Group {
	return &Group{Directive: d, Name: d.Args[0].Value, Module: d.Module()}
}

func newUpstreamServer(d *Directive) *UpstreamServer {
	s := &UpstreamServer{Directive: d, Weight: 1, MaxFails: 1, FailTimeout: "10s"}
	s.Addr, s.AddrOK = ParseAddress(d.Args[0])
	flags, params := serverParams(d)
	for _, f := range flags {
		switch f {
		case "backup":
			s.Backup = true
		case "down":
			s.Down = true
		case "resolve":
			s.Resolve = true
		}
	}
	for k, v := range params {
		switch k {
		case "weight":
			s.Weight = atoiOr(v, s.Weight)
		case "max_fails":
			s.MaxFails = atoiOr(v, s.MaxFails)
		case "max_conns":
			s.MaxConns = atoiOr(v, s.MaxConns)
		case "fail_timeout":
			s.FailTimeout = v
		case "service":
			s.Service = v
		}
	}
	return s
}

// serverParams reads an upstream server's flags and key=value parameters
// through gonginx's typed view (a repeated name keeps its last value, as
// in nginx), built from our arguments as nginx reads them, quotes
// removed: gonginx need not parse the upstream block a second time to
// give it, which was a tenth of a large file's lint.
func serverParams(d *Directive) (flags []string, params map[string]string) {
	syn := &config.Directive{Name: "server", Parameters: make([]config.Parameter, len(d.Args))}
	for i, a := range d.Args {
		syn.Parameters[i] = config.Parameter{Value: a.Value}
	}
	us, err := config.NewUpstreamServer(syn)
	if err != nil || us == nil {
		return nil, nil
	}
	return us.Flags, us.Parameters
}

func newPass(d *Directive) *Pass {
	module := d.Module()
	ps := &Pass{Directive: d, Module: module}
	ps.Addr, ps.AddrOK = ParseAddress(d.Args[0])
	ps.Scheme = passProtocol[module].Value(d.NameID(), d.Name)
	if ps.Scheme == "" {
		ps.Scheme = ps.Addr.Scheme
		if ps.Scheme == "" {
			ps.Scheme = "http"
			if d.Name == "grpc_pass" {
				ps.Scheme = "grpc"
			}
		}
	}
	return ps
}

// lookupGroup finds the group a pass names: a target without a port and
// without variables whose host is the name of an upstream block of the
// same module in a scope the pass is in.
func (p *Peers) lookupGroup(ps *Pass) *Group {
	a := ps.Addr
	if !ps.AddrOK || a.HasPort || a.Variable || a.Unix || a.Host == "" {
		return nil
	}
	name := normalName(a.Host)
	for _, s := range ps.Directive.Config.Sites() {
		if g := p.byGroupKey[groupKey{ScopeOf(s), ps.Module, name}]; g != nil {
			return g
		}
	}
	return nil
}

// GroupNamedAt returns the group of module called name that a directive
// at d can name, as lookupGroup finds a pass's (letter case and a
// trailing dot aside), or nil; whatever d is.
func (p *Peers) GroupNamedAt(d *Directive, module, name string) *Group {
	n := normalName(name)
	for _, s := range d.Config.Sites() {
		if g := p.byGroupKey[groupKey{ScopeOf(s), module, n}]; g != nil {
			return g
		}
	}
	return nil
}

// FoldsAsASCII reports whether GroupNamedAt finds a group for name
// exactly when SameHost would call the two names the same: when name and
// every group's name are in ASCII, where Unicode case folding (the Kelvin
// sign folds to k) cannot match across lower case.
func (p *Peers) FoldsAsASCII(name string) bool { return source.IsASCIIString(name) && !p.groupFoldRisk }

// GroupNamed returns a group of this name in module, in any scope (for
// names met outside the configuration, such as in an error log).
func (p *Peers) GroupNamed(module, name string) *Group {
	n := normalName(name)
	for _, g := range p.Groups {
		if g.Module == module && normalName(g.Name) == n {
			return g
		}
	}
	return nil
}

// PassOf returns the pass model of d, or nil.
func (p *Peers) PassOf(d *Directive) *Pass { return p.passOf[d] }

// GroupOf returns the group of d (an upstream block), or nil.
func (p *Peers) GroupOf(d *Directive) *Group { return p.groupOf[d] }

// ServerOf returns the upstream-server model of d, or nil.
func (p *Peers) ServerOf(d *Directive) *UpstreamServer { return p.serverOf[d] }

// Dialable lists the peers nginx resolves at start-up, in source order:
// upstream servers (not `down`) and literal pass targets that name no
// group (but not those nginx refuses for want of a port, NeedsPort). A
// server without a port gets 80, as nginx gives it.
func (p *Peers) Dialable() []Peer {
	var out []Peer
	for _, c := range p.order() {
		switch x := c.(type) {
		case *UpstreamServer:
			if x.Down || !literalHost(x.Addr, x.AddrOK) {
				continue
			}
			a := x.Addr
			if !a.HasPort {
				a.Port = 80
			}
			scheme := "http"
			if x.Group != nil {
				switch {
				case x.Group.Module == "stream":
					scheme = "stream"
				case x.Group.Scheme != "":
					scheme = x.Group.Scheme
				}
			}
			out = append(out, Peer{Directive: x.Directive, Addr: a, Group: x.Group, Scheme: scheme})
		case *Pass:
			if x.Group != nil || !literalHost(x.Addr, x.AddrOK) || x.NeedsPort() {
				continue // a target without a port: nginx does not start, nothing is dialled
			}
			out = append(out, Peer{Directive: x.Directive, Addr: x.Addr, Scheme: x.Scheme})
		}
	}
	return out
}

// order merges servers and passes back into source order (both lists are
// in walk order; a directive is either one or the other).
func (p *Peers) order() []any {
	out := make([]any, 0, len(p.Servers)+len(p.Passes))
	i, j := 0, 0
	for i < len(p.Servers) || j < len(p.Passes) {
		if j == len(p.Passes) || i < len(p.Servers) && before(p.Servers[i].Directive, p.Passes[j].Directive) {
			out = append(out, p.Servers[i])
			i++
		} else {
			out = append(out, p.Passes[j])
			j++
		}
	}
	return out
}

// before orders two directives of the walk: by file load order, then
// offset. Files are walked in the order configs were given, so compare by
// the position each was first met.
func before(a, b *Directive) bool {
	if a.Config == b.Config {
		return a.Start() < b.Start()
	}
	return a.Config.order < b.Config.order
}

func literalHost(a Address, ok bool) bool {
	return ok && !a.Variable && !a.Unix && a.Host != ""
}

// normalName is how nginx compares upstream names: case-insensitive, a
// trailing dot ignored.
func normalName(s string) string { return strings.ToLower(strings.TrimSuffix(s, ".")) }

func schemeRank(s string) int {
	switch s {
	case "https":
		return 3
	case "http":
		return 2
	}
	return 1
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}
