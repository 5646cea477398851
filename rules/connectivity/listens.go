package connectivity

import (
	"slices"
	"sort"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// boundListen is one listen of one virtual server, at one site of the
// server's file, with the position nginx reads it in.
type boundListen struct {
	vs    *nginx.VirtualServer
	l     *nginx.Listen
	site  nginx.Site
	key   string // Listen.Socket, with " (udp)" for stream UDP sockets
	order []int
}

// listensByScope groups every listen of the workspace by the
// configuration nginx reads it in (fragments: by file), in nginx's
// reading order: through the includes from the main file down. What each
// file's servers bind is kept on the file's tree as a model part, used
// again while the file's links and servers are those it was made from.
var listensByScope = &analyzer.Model[map[*nginx.Config][]boundListen]{
	Name: "connectivity/listens-by-scope",
	Compute: func(ws *analyzer.Workspace) map[*nginx.Config][]boundListen {
		byConfig := map[*nginx.Config][]*nginx.VirtualServer{}
		for _, vs := range analyzer.ResultOf(ws, analyzer.Servers) {
			byConfig[vs.Directive.Config] = append(byConfig[vs.Directive.Config], vs)
		}
		var parts []*listensPart
		for _, c := range ws.Nginx {
			servers := byConfig[c]
			if len(servers) == 0 {
				continue
			}
			part, ok := c.ModelPart(listensKey{})
			if !ok || !slices.Equal(part.(*listensPart).servers, servers) {
				part = newListensPart(servers)
				c.SetModelPart(listensKey{}, part)
			}
			parts = append(parts, part.(*listensPart))
		}
		// Each scope's list is made at its full length: a large file's
		// listens are one list of some 16,000.
		counts := map[*nginx.Config]int{}
		for _, part := range parts {
			for _, sl := range part.listens {
				counts[sl.scope]++
			}
		}
		out := make(map[*nginx.Config][]boundListen, len(counts))
		for _, part := range parts {
			for _, sl := range part.listens {
				if out[sl.scope] == nil {
					out[sl.scope] = make([]boundListen, 0, counts[sl.scope])
				}
				out[sl.scope] = append(out[sl.scope], sl.boundListen)
			}
		}
		for _, list := range out {
			sort.SliceStable(list, func(i, j int) bool { return slices.Compare(list[i].order, list[j].order) < 0 })
		}
		return out
	},
}

// listensKey keys listensByScope's parts.
type listensKey struct{}

// listensPart is what one file's servers bind, at each site of the file.
type listensPart struct {
	servers []*nginx.VirtualServer // the servers it was made from
	listens []scopedListen
}

type scopedListen struct {
	scope *nginx.Config
	boundListen
}

func newListensPart(servers []*nginx.VirtualServer) *listensPart {
	n := 0
	for _, vs := range servers {
		n += len(vs.Listens) * len(vs.Directive.Config.Sites())
	}
	part := &listensPart{servers: servers, listens: make([]scopedListen, 0, n)}
	for _, vs := range servers {
		for i := range vs.Listens {
			l := &vs.Listens[i]
			key, ok := l.Socket()
			if !ok {
				continue
			}
			if l.UDP {
				key += " (udp)"
			}
			for _, s := range vs.Directive.Config.Sites() {
				scope := nginx.ScopeOf(s)
				if scope == nil {
					scope = vs.Directive.Config
				}
				part.listens = append(part.listens, scopedListen{scope, boundListen{vs: vs, l: l, site: s, key: key, order: readOrder(s, l.Directive)}})
			}
		}
	}
	return part
}

// readOrder is where nginx meets d when it reads the configuration from
// site s's root: the offsets of the include chain, then d's own. d sits in
// the file of s or in a file included at the server's level from it.
func readOrder(s nginx.Site, d *nginx.Directive) []int {
	out := make([]int, 0, len(s.Via)+2)
	for _, v := range s.Via {
		out = append(out, v.Start())
	}
	// A listen in a file included inside the server: order by the
	// include's place, then by the listen's.
	for x := d; x != nil; x = x.Parent {
		if x.Name == "server" && x.HasBlock {
			out = append(out, x.Start())
			break
		}
	}
	return append(out, d.Start())
}

// paramDeletion removes the parameter a (and the blank before it) from
// its directive.
func paramDeletion(d *nginx.Directive, a *nginx.Arg) analyzer.Edit {
	f := d.Config.File
	start := a.Start()
	for start > 0 && (f.Src[start-1] == ' ' || f.Src[start-1] == '\t') {
		start--
	}
	return analyzer.Edit{Span: f.Span(start, a.End()), NewText: ""}
}

// lineDeletion removes d, and its whole line when d is alone on it.
func lineDeletion(d *nginx.Directive) analyzer.Edit {
	f := d.Config.File
	start, end := d.Start(), d.End()
	ls, le := start, end
	for ls > 0 && (f.Src[ls-1] == ' ' || f.Src[ls-1] == '\t') {
		ls--
	}
	for le < len(f.Src) && (f.Src[le] == ' ' || f.Src[le] == '\t') {
		le++
	}
	if (ls == 0 || f.Src[ls-1] == '\n') && (le == len(f.Src) || f.Src[le] == '\n') {
		if le < len(f.Src) {
			le++
		}
		return analyzer.Edit{Span: f.Span(ls, le), NewText: ""}
	}
	return analyzer.Edit{Span: f.Span(start, end), NewText: ""}
}

func related(span source.Span, msg string, s nginx.Site, many bool) []source.Related {
	out := []source.Related{{Span: span, Message: msg}}
	if many {
		out = append(out, s.Related()...)
	}
	return out
}

// isDatagram reports a UDP socket key: a QUIC listen or stream's udp.
func isDatagram(key string) bool {
	return strings.HasSuffix(key, " (udp)") || strings.HasSuffix(key, " (quic)")
}

// socketServers are, per configuration, the servers that listen on each
// address (Listen.Socket, " (udp)" for stream UDP), each once, in nginx's
// reading order: for the rules that ask who answers on an address.
var socketServers = &analyzer.Model[map[*nginx.Config]map[string][]boundListen]{
	Name: "connectivity/socket-servers",
	Compute: func(ws *analyzer.Workspace) map[*nginx.Config]map[string][]boundListen {
		out := map[*nginx.Config]map[string][]boundListen{}
		for scope, list := range analyzer.ResultOf(ws, listensByScope) {
			type keyServer struct {
				key string
				vs  *nginx.VirtualServer
			}
			seen := make(map[keyServer]bool, len(list))
			counts := map[string]int{}
			for _, b := range list {
				if k := (keyServer{b.key, b.vs}); !seen[k] {
					seen[k] = true
					counts[b.key]++
				}
			}
			bySocket := make(map[string][]boundListen, len(counts))
			for _, b := range list {
				k := keyServer{b.key, b.vs}
				if !seen[k] {
					continue
				}
				seen[k] = false // each server once per socket, the first time
				if bySocket[b.key] == nil {
					bySocket[b.key] = make([]boundListen, 0, counts[b.key])
				}
				bySocket[b.key] = append(bySocket[b.key], b)
			}
			out[scope] = bySocket
		}
		return out
	},
}
