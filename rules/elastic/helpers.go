package elastic

import (
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/elastic/spec"
)

// release is the release a node file is for and how we know: from
// elasticsearch.version, else from what the file's own settings imply,
// else unknown (a zero Version, which the spec reads as the newest).
type release struct {
	spec.Release
	// How is "configured", "implied" or "" (unknown).
	How string
	// Before8 is set when the file implies a release older than 8.0
	// without saying which.
	Before8 bool
}

// releaseOf works out the release of s (see release).
func releaseOf(p *analyzer.Pass, s *elastic.Settings) release {
	r, err := p.Settings.ElasticRelease(s)
	if err == nil && !r.Version.IsZero() {
		return release{Release: r, How: "configured"}
	}
	out := release{Release: spec.Release{Product: r.Product}}
	if s.Flavor != elastic.Elasticsearch {
		return out
	}
	// The 8.x security auto-configuration block names the release line.
	for _, c := range s.File.Comments {
		if strings.Contains(c.Text, "BEGIN SECURITY AUTO CONFIGURATION") {
			out.Version, out.How = spec.Version{Major: 8}, "implied"
			return out
		}
	}
	// A setting 8.0 removed means the file was written for 7.x or older.
	for _, st := range s.All {
		a := spec.Has(st.Key, spec.Release{Product: spec.Elasticsearch})
		if a.Status == spec.Removed && !a.Until.IsZero() && !spec.SecurityOnByDefault.Less(a.Until) {
			out.Before8, out.How = true, "implied"
			return out
		}
	}
	return out
}

// is8 reports whether the release is Elasticsearch 8.0 or later, and
// whether that is known.
func (r release) is8() (yes, known bool) {
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

// value returns the scalar text of the setting s applies for key, and
// whether it is set to a usable (non-null, non-placeholder) value.
func value(s *elastic.Settings, key string) (string, *elastic.Setting, bool) {
	st := s.Get(key)
	if st == nil || len(st.Values) != 1 || st.Values[0].Null || st.Values[0].Placeholder {
		return "", st, false
	}
	return st.Values[0].Text, st, true
}

// isTrue and isFalse read a boolean setting as the node does (strictly).
func isTrue(s *elastic.Settings, key string) bool {
	v, _, ok := value(s, key)
	return ok && v == "true"
}

func isFalse(s *elastic.Settings, key string) bool {
	v, _, ok := value(s, key)
	return ok && v == "false"
}

// exists reports a setting present with any value, an empty list included
// (the node's Setting.exists).
func exists(s *elastic.Settings, key string) bool {
	st := s.Get(key)
	return st != nil && (st.List || len(st.Values) > 0 && !st.Values[0].Null)
}

// productionMode reports whether the node enforces its bootstrap checks:
// it binds or publishes transport beyond loopback and discovery.type is
// not single-node. trigger is the value that decides; known is false
// when a host value cannot be classified without the machine.
func productionMode(s *elastic.Settings) (trigger *elastic.Value, key string, known bool) {
	if v, _, ok := value(s, "discovery.type"); ok && v == "single-node" {
		return nil, "", true
	}
	lists := []elastic.Bind{s.TransportBind, s.BindOf("transport.publish_host", "transport.host", "network.publish_host", "network.host")}
	unknown := false
	for _, b := range lists {
		for i := range b.Values {
			switch elastic.ClassifyHost(b.Values[i].Text) {
			case elastic.Wildcard, elastic.NonLoopback:
				return &b.Values[i], b.Key, true
			case elastic.Unknown:
				unknown = true
			}
		}
	}
	return nil, "", !unknown
}

// md turns ‹ into a backtick, so that rule docs can quote code inside Go
// raw strings.
func md(s string) string { return strings.ReplaceAll(s, "‹", "`") }
