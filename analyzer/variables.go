package analyzer

import "github.com/ngxlint/ngxlint/analyzer/nginx/vars"

// Variables is the index of what every nginx variable can hold, built
// once per run for the rules that ask (ResultOf(p.Workspace, Variables)).
var Variables = &Model[*vars.Index]{
	Name:    "variables",
	Compute: func(ws *Workspace) *vars.Index { return vars.Build(ws.Nginx) },
}
