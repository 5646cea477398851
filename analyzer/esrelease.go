package analyzer

import (
	"strings"

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

// NodeRelease is the release a node file is for and how we know: from
// elasticsearch.version, else from what the file's own settings imply,
// else unknown (a zero Version, which the spec reads as the newest).
type NodeRelease struct {
	spec.Release
	// How is "configured" (elasticsearch.version), "image" (the tag of the
	// compose service's image), "implied" (by the file) or "" (unknown).
	How string
	// Before8 is set when the file implies a release older than 8.0
	// without saying which.
	Before8 bool
}

// NodeRelease works out the release of f (see NodeRelease).
func (s *Settings) NodeRelease(f *elastic.Settings) NodeRelease {
	r, err := s.ElasticRelease(f)
	if err == nil && !r.Version.IsZero() {
		return NodeRelease{Release: r, How: "configured"}
	}
	out := NodeRelease{Release: spec.Release{Product: r.Product}}
	if _, tag, ok := strings.Cut(f.Image, ":"); ok && tag != "latest" {
		// A compose service runs the node from an image whose tag is the
		// release (elasticsearch:8.13.0, opensearchproject/opensearch:2.11.0).
		if ir, err := spec.ParseRelease(f.Image, r.Product); err == nil && !ir.Version.IsZero() {
			return NodeRelease{Release: ir, How: "image"}
		}
	}
	if f.Flavor != elastic.Elasticsearch {
		return out
	}
	// The 8.x security auto-configuration block names the release line.
	for _, c := range f.File.Comments {
		if strings.Contains(c.Text, "BEGIN SECURITY AUTO CONFIGURATION") {
			out.Version, out.How = spec.Version{Major: 8}, "implied"
			return out
		}
	}
	// A setting 8.0 removed means the file was written for 7.x or older.
	for _, st := range f.All {
		a := spec.Has(st.Key, spec.Release{Product: spec.Elasticsearch})
		if a.Status == spec.Removed && !a.Until.IsZero() && !spec.SecurityOnByDefault.Less(a.Until) {
			out.Before8, out.How = true, "implied"
			return out
		}
	}
	return out
}

// Is8 reports whether the release is Elasticsearch 8.0 or later, and
// whether that is known.
func (r NodeRelease) Is8() (yes, known bool) {
	if r.Product != spec.Elasticsearch {
		return false, r.Product == spec.OpenSearch
	}
	if r.Before8 {
		return false, true
	}
	if r.Version.IsZero() {
		return true, false
	}
	return !r.Version.Less(spec.SecurityOnByDefault), true
}
