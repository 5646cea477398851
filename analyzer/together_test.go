package analyzer_test

import (
	"path/filepath"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// Files are paired (an nginx proxy with the node it reaches) only when
// the run was given them together: one named folder holding both, or both
// named; two named folders are two projects.
func TestTogether(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{
		"one/nginx.conf":        "events {}\nhttp {}\n",
		"two/elasticsearch.yml": "http.port: 9200\n",
	})
	conf, node := filepath.Join(dir, "one", "nginx.conf"), filepath.Join(dir, "two", "elasticsearch.yml")
	for _, tc := range []struct {
		paths []string
		want  bool
	}{
		{[]string{dir}, true},
		{[]string{conf, node}, true},
		{[]string{filepath.Join(dir, "one"), filepath.Join(dir, "two")}, false},
		{[]string{filepath.Join(dir, "one"), node}, false},
	} {
		ws, err := analyzer.Load(tc.paths, analyzer.LoadOptions{WorkDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if got := ws.Together(conf, node); got != tc.want {
			t.Errorf("%v: Together = %v, want %v", tc.paths, got, tc.want)
		}
	}
}
