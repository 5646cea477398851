package analyzer

import "github.com/ngxlint/ngxlint/analyzer/nginx"

// The shared models rules, live mode and the error-log mapper read; each
// is computed at most once per workspace (see ResultOf).

// Peers is the peer model: upstream groups, their servers, every pass
// target and the group it names.
var Peers = &Model[*nginx.Peers]{
	Name:    "peers",
	Compute: func(ws *Workspace) *nginx.Peers { return nginx.BuildPeers(ws.Nginx) },
}
