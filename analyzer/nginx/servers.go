package nginx

import "github.com/ngxlint/ngxlint/internal/parallel"

// VirtualServer is a `server` block of http, stream or mail, with its
// listens and names read once for every rule that needs them.
type VirtualServer struct {
	Directive *Directive
	Module    string // "http", "stream" or "mail"
	Listens   []Listen
	// Names are the arguments of every server_name, in order.
	Names []*Arg
}

// Servers lists the virtual servers of configs in load and source order.
// Each file's servers are read on all cores and kept on its tree as a
// model part (see ModelPart): a server's listens and names may come from
// the files it includes, which the part's stamp covers.
func Servers(configs []*Config) []*VirtualServer {
	parts := make([][]*VirtualServer, len(configs))
	parallel.Each(len(configs), func(i int) { parts[i] = PartOf(configs[i], serversKey{}, serversOf) })
	var out []*VirtualServer
	for _, part := range parts {
		out = append(out, part...)
	}
	return out
}

// serversKey keys the server model's parts.
type serversKey struct{}

// serversOf reads the server blocks of c's own tree.
func serversOf(c *Config) []*VirtualServer {
	var out []*VirtualServer
	Walk(c, func(d *Directive) bool {
		if d.Name != "server" || !d.HasBlock || d.InnerContext() == "upstream" {
			return true
		}
		vs := &VirtualServer{Directive: d, Module: d.Module()}
		vs.collect(d.Block)
		out = append(out, vs)
		return false // no server blocks nest inside one
	})
	return out
}

// collect reads listen and server_name from a server's own level and the
// files it includes there (but not from nested blocks).
func (vs *VirtualServer) collect(list []*Directive) {
	AtLevel(list, func(d *Directive) bool {
		switch d.Name {
		case "listen":
			if l, ok := ListenOf(d); ok {
				vs.Listens = append(vs.Listens, l)
			}
		case "server_name":
			vs.Names = append(vs.Names, d.Args...)
		}
		return true
	})
}
