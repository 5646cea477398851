package analyzer_test

import (
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/vars"
)

// Rules share one variable index per run, and it answers across files:
// a map in the main file gives the value a snippet's directive reads.
func TestVariablesModel(t *testing.T) {
	ws := load(t, map[string]string{
		"nginx.conf": "events {}\nhttp {\n    map $http_x $y { default $http_x; }\n    server { include s.conf; }\n}\n",
		"s.conf":     "location / { return 200 $y; }\n",
	}, "nginx.conf")
	a := analyzer.ResultOf(ws, analyzer.Variables)
	if b := analyzer.ResultOf(ws, analyzer.Variables); a != b {
		t.Error("two indexes for one workspace")
	}
	var ret *nginx.Directive
	ws.WalkNginx(func(d *nginx.Directive) {
		if d.Name == "return" {
			ret = d
		}
	})
	v := a.At(ret, ret.Config.Sites()[0], "y")
	if v.Origin != vars.Map || !v.Props.Has(vars.Client) || len(v.From) != 1 || v.From[0] != "http_x" {
		t.Errorf("$y from the snippet: %+v", v)
	}
}
