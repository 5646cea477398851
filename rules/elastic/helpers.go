package elastic

import (
	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
)

// release is the node release of a file (see analyzer.NodeRelease).
type release = analyzer.NodeRelease

func releaseOf(p *analyzer.Pass, s *elastic.Settings) release { return p.Settings.NodeRelease(s) }

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

// productionMode reports whether the node enforces its bootstrap checks
// (see elastic.Settings.ProductionTrigger).
func productionMode(s *elastic.Settings) (trigger *elastic.Value, key string) {
	return s.ProductionTrigger()
}
