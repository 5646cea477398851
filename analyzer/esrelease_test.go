package analyzer

import (
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/elastic/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

func TestElasticRelease(t *testing.T) {
	es := &elastic.Settings{Flavor: elastic.Elasticsearch}
	os := &elastic.Settings{Flavor: elastic.OpenSearch}
	for _, c := range []struct {
		version string
		file    *elastic.Settings
		want    spec.Release
		err     string
	}{
		{"8.13", es, spec.Release{Product: spec.Elasticsearch, Version: spec.Version{Major: 8, Minor: 13}}, ""},
		{"2.11.0", os, spec.Release{Product: spec.OpenSearch, Version: spec.Version{Major: 2, Minor: 11}}, ""},
		{"2.4", es, spec.Release{Product: spec.Elasticsearch, Version: spec.Version{Major: 2, Minor: 4}}, ""},
		{"", os, spec.Release{Product: spec.OpenSearch}, ""},
		{"8.13", os, spec.Release{Product: spec.OpenSearch}, "OpenSearch has no 8.x"},
		{"3.1", nil, spec.Release{Product: spec.OpenSearch, Version: spec.Version{Major: 3, Minor: 1}}, ""},
	} {
		s := &Settings{ElasticsearchVersion: c.version}
		got, err := s.ElasticRelease(c.file)
		if (err == nil) != (c.err == "") || err != nil && !strings.Contains(err.Error(), c.err) {
			t.Errorf("%q: error %v, want %q", c.version, err, c.err)
		}
		if got != c.want {
			t.Errorf("%q: %+v, want %+v", c.version, got, c.want)
		}
	}
	var none *Settings
	if r, err := none.ElasticRelease(es); err != nil || r != (spec.Release{Product: spec.Elasticsearch}) {
		t.Errorf("nil settings: %+v, %v", r, err)
	}
}

// NodeRelease: configured beats implied; the auto-configuration block
// implies 8.x; a key 8.0 removed implies an older release; nothing says
// it otherwise.
func TestNodeRelease(t *testing.T) {
	parse := func(name, src string) *elastic.Settings {
		return elastic.Parse(source.NewFile(name, "/x/"+name, source.KindElastic, []byte(src)))
	}
	auto := parse("elasticsearch.yml", "#----------------------- BEGIN SECURITY AUTO CONFIGURATION -----------------------\nxpack.security.enabled: true\n")
	old := parse("elasticsearch.yml", "discovery.zen.minimum_master_nodes: 2\n")
	plain := parse("elasticsearch.yml", "cluster.name: x\n")
	imaged := func(image string) *elastic.Settings {
		s := parse("elasticsearch.yml", "cluster.name: x\n")
		s.Image = image
		return s
	}
	for _, c := range []struct {
		s          *Settings
		f          *elastic.Settings
		how        string
		is8, known bool
	}{
		{&Settings{ElasticsearchVersion: "7.17"}, auto, "configured", false, true},
		{nil, auto, "implied", true, true},
		{nil, old, "implied", false, true},
		{nil, plain, "", true, false},
		{&Settings{ElasticsearchVersion: "8.11"}, old, "configured", true, true},
		{nil, imaged("docker.elastic.co/elasticsearch/elasticsearch:7.17.9"), "image", false, true},
		{nil, imaged("elasticsearch:latest"), "", true, false},
		{nil, imaged("myorg/search:1.2"), "", true, false},
	} {
		r := c.s.NodeRelease(c.f)
		is8, known := r.Is8()
		if r.How != c.how || is8 != c.is8 || known != c.known {
			t.Errorf("%+v on %q: how %q is8 %v known %v; want %q %v %v", c.s, c.f.File.Src, r.How, is8, known, c.how, c.is8, c.known)
		}
	}
}
