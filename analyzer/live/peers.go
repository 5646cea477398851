package live

import (
	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

// Peer is one address nginx connects to (see nginx.Peer): live mode dials
// exactly what the rules reason about.
type Peer = nginx.Peer

// ModeOf is how far live mode goes with a peer: HTTP peers get GET /,
// others a bare TCP connect.
func ModeOf(p Peer) Mode {
	switch p.Scheme {
	case "http":
		return Plain
	case "https":
		return Secure
	}
	return Connect
}

// Peers lists the workspace's dialable peers in source order, from the
// shared peer model.
func Peers(ws *analyzer.Workspace) []Peer {
	return analyzer.ResultOf(ws, analyzer.Peers).Dialable()
}
