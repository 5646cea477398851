package analyzer

import "github.com/ngxlint/ngxlint/analyzer/nginx/inherit"

// Inheritance is the workspace's inheritance index: the rules and the
// language server that ask "which add_header lines apply here" share the
// expanded level lists it memoises (see inherit.Index).
var Inheritance = &Model[*inherit.Index]{
	Name: "inheritance",
	Compute: func(ws *Workspace) *inherit.Index {
		n := 0
		for _, c := range ws.Nginx {
			n += c.NumDirectives()
		}
		return inherit.NewIndexFor(n)
	},
}
