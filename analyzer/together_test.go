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

// A compose file's environment is laid over the run's only settings file
// without a mount naming it only when the two were given together.
func TestComposeEnvOnlyTogether(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{
		"one/docker-compose.yml": "services:\n  es:\n    image: docker.elastic.co/elasticsearch/elasticsearch:8.15.0\n" +
			"    environment:\n      - network.host=0.0.0.0\n",
		"two/elasticsearch.yml": "http.port: 9200\n",
	})
	for _, tc := range []struct {
		paths []string
		want  bool
	}{
		{[]string{dir}, true},
		{[]string{filepath.Join(dir, "one"), filepath.Join(dir, "two")}, false},
	} {
		ws, err := analyzer.Load(tc.paths, analyzer.LoadOptions{WorkDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if len(ws.Elastic) != 1 || len(ws.Compose) != 1 {
			t.Fatalf("%v: %d settings files, %d compose files", tc.paths, len(ws.Elastic), len(ws.Compose))
		}
		if got := ws.Elastic[0].Get("network.host") != nil; got != tc.want {
			t.Errorf("%v: network.host from the compose file applied = %v, want %v", tc.paths, got, tc.want)
		}
	}
}

// The run's only node is paired with an nginx configuration without a link
// only when that configuration is the only one given with it: a folder of
// many projects (two main files here) must not pair each with the one node.
func TestOnlyNodeBesideOneConfiguration(t *testing.T) {
	conf := "events {}\nhttp { server { location / { proxy_pass http://127.0.0.1:9200; } } }\n"
	dir := sharedtest.Tree(t, map[string]string{
		"shop/nginx.conf":      conf,
		"blog/nginx.conf":      conf,
		"es/elasticsearch.yml": "network.host: 0.0.0.0\nhttp.port: 9200\n",
	})
	for _, tc := range []struct {
		paths []string
		want  int
	}{
		{[]string{dir}, 0},
		{[]string{filepath.Join(dir, "shop", "nginx.conf"), filepath.Join(dir, "es", "elasticsearch.yml")}, 1},
	} {
		ws, err := analyzer.Load(tc.paths, analyzer.LoadOptions{WorkDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(analyzer.NodeTargetsOf(ws, nil)); got != tc.want {
			t.Errorf("%v: %d targets linked to the node, want %d", tc.paths, got, tc.want)
		}
	}
}
