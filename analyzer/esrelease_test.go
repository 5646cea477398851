package analyzer

import (
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/elastic/spec"
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
