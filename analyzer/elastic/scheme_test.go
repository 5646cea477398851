package elastic

import (
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

// The HTTP scheme decision of shared notes §3.2 and §8, case by case.
func TestHTTPScheme(t *testing.T) {
	for _, c := range []struct {
		name, src         string
		from8             bool
		https, autoconfig bool
	}{
		{"elasticsearch.yml", "xpack.security.http.ssl.enabled: true\n", false, true, false},
		{"elasticsearch.yml", "xpack.security:\n  http.ssl:\n    enabled: true\n", false, true, false},
		{"elasticsearch.yml", "xpack.security.enabled: false\nxpack.security.http.ssl.enabled: true\n", true, false, false},
		{"elasticsearch.yml", "cluster.name: x\n", true, true, true},
		{"elasticsearch.yml", "cluster.name: x\n", false, false, false},
		{"elasticsearch.yml", "xpack.security.enabled: true\n", true, false, false},
		{"elasticsearch.yml", "discovery.seed_hosts: [a, b]\n", true, false, false},
		{"elasticsearch.yml", "discovery.type: single-node\ndiscovery.seed_hosts: [a]\n", true, true, true},
		{"elasticsearch.yml", "node.name: n1\ncluster.initial_master_nodes: [n1]\n", true, true, true},
		{"elasticsearch.yml", "node.roles: [data]\n", true, false, false},
		{"opensearch.yml", "plugins.security.ssl.http.enabled: true\n", true, true, false},
		{"opensearch.yml", "plugins.security.disabled: true\nplugins.security.ssl.http.enabled: true\n", true, false, false},
		{"opensearch.yml", "opendistro_security.ssl.http.enabled: true\n", false, true, false},
		{"opensearch.yml", "cluster.name: x\n", true, false, false},
	} {
		s := Parse(source.NewFile(c.name, "/x/"+c.name, source.KindElastic, []byte(c.src)))
		got := s.HTTPScheme(c.from8)
		if got.HTTPS != c.https || got.AutoConfig != c.autoconfig || got.Why == "" {
			t.Errorf("%s %q from8=%v: %+v; want https %v autoconfig %v", c.name, c.src, c.from8, got, c.https, c.autoconfig)
		}
	}
}

// A client configuration is told from node settings by its shape.
func TestClientConfig(t *testing.T) {
	for _, c := range []struct {
		src    string
		client bool
	}{
		{"default: &d\n  url: http://x:9200\ndevelopment:\n  <<: *d\nproduction:\n  hosts: [a]\n", true},
		{"url: http://x:9200\nlog: true\n", true},
		{"cluster.name: x\nnetwork.host: 0.0.0.0\n", false},
		{"cluster.name: x\nnode.name: n\ntest:\n  a: 1\n", false},
		{"network:\n  host: 0.0.0.0\nhttp:\n  port: 9200\n", false},
	} {
		s := Parse(source.NewFile("elasticsearch.yml", "/x/elasticsearch.yml", source.KindElastic, []byte(c.src)))
		why, got := ClientConfig(s)
		if got != c.client || got && why == "" {
			t.Errorf("%q: client %v (%s); want %v", c.src, got, why, c.client)
		}
	}
}
