package analyzer

import (
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

// Settings files with a suffix (templates, per-node copies) are YAML, not
// nginx; names that merely start alike are not settings files.
func TestClassifySettingsSuffix(t *testing.T) {
	for _, c := range []struct {
		path string
		kind source.Kind
		ok   bool
	}{
		{"conf/elasticsearch.yml", source.KindElastic, true},
		{"roles/es/templates/elasticsearch.yml.j2", source.KindElastic, true},
		{"nodes/opensearch.yml.node1", source.KindElastic, true},
		{"elasticsearch.yml.", source.KindNginx, false},
		{"elasticsearch.ymlx", source.KindNginx, false},
		{"site.conf", source.KindNginx, true},
	} {
		kind, ok := Classify(c.path)
		if kind != c.kind || ok != c.ok {
			t.Errorf("Classify(%q) = %v, %v; want %v, %v", c.path, kind, ok, c.kind, c.ok)
		}
	}
}
