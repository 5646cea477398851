package analyzer

import (
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/elastic/spec"
)

// ElasticRelease is the release a settings file is for: the run's
// elasticsearch.version read with the file's own flavor (a version such as
// 2.11 means OpenSearch 2.11 in opensearch.yml, Elasticsearch 2.11 in
// elasticsearch.yml). An unset version gives the zero Version, which the
// spec's queries take as the newest release of that distribution. A
// version that distribution never had (8.13 for an OpenSearch file) is an
// error; the caller reports it and can go on with the newest release,
// which the returned Release then holds.
func (s *Settings) ElasticRelease(f *elastic.Settings) (spec.Release, error) {
	p := spec.Both
	if f != nil {
		p = spec.Elasticsearch
		if f.Flavor == elastic.OpenSearch {
			p = spec.OpenSearch
		}
	}
	v := ""
	if s != nil {
		v = s.ElasticsearchVersion
	}
	r, err := spec.ParseRelease(v, p)
	if err != nil {
		return spec.Release{Product: p}, err
	}
	return r, nil
}
