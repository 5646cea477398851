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

// Servers lists the virtual servers (http, stream and mail `server`
// blocks) with their listens and names.
var Servers = &Model[[]*nginx.VirtualServer]{
	Name:    "servers",
	Compute: func(ws *Workspace) []*nginx.VirtualServer { return nginx.Servers(ws.Nginx) },
}

// FirstAtLevel is nginx.FindAtLevel of block's children, worked out once
// per block and name in a run: many lines ask it of one block (every
// upstream that re-resolves its servers asks for the resolver of the http
// block around it, whose level holds them all; every pass to a group for
// the group's keepalive; every pass in a location whether it is internal).
func FirstAtLevel(ws *Workspace, block *nginx.Directive, name string) *nginx.Directive {
	return ResultOf(ws, firstAtLevel).Get(blockName{block, name}, func() *nginx.Directive {
		return nginx.FindAtLevel(block.Block, name)
	})
}

type blockName struct {
	block *nginx.Directive
	name  string
}

var firstAtLevel = RunMemo[blockName, *nginx.Directive]("first-at-level")
