package spec

import (
	"fmt"
	"strings"
)

// Release is one release of one distribution, the question "does this node
// read key K" is asked of. The zero Version means "the newest release the
// table knows"; Product Both means the distribution is not known.
type Release struct {
	Product Product
	Version Version
}

func (r Release) String() string {
	name := "Elasticsearch or OpenSearch"
	switch r.Product {
	case Elasticsearch:
		name = "Elasticsearch"
	case OpenSearch:
		name = "OpenSearch"
	}
	if r.Version.IsZero() {
		return name
	}
	return name + " " + r.Version.String()
}

// Majors that tell the distribution from the number alone. Elasticsearch
// went from 2.4 to 5.0 (it never had 3.x or 4.x); OpenSearch started at 1.0
// from Elasticsearch 7.10 and is at 3.x. So 0.x and 5+ are Elasticsearch,
// 3.x and 4.x OpenSearch, and only 1.x and 2.x need the file's flavor.
const (
	firstESAfterGap  = 5
	firstOSOnlyMajor = 3
)

// ParseRelease reads the version a settings file is for, as .ngxlint.yml
// (elasticsearch.version) or a flag gives it: "8.11.1", "2.11", "v7.17",
// optionally with the distribution in front ("opensearch-2.11.0",
// "elasticsearch:8.11.1", "OpenSearch 2.11"); an image reference such as
// "opensearchproject/opensearch:2.11.0" works too. flavor is the
// distribution the file itself says (Both when unknown); a name in s wins
// over it. When neither names the distribution, the major decides where it
// can (see above). A number that no release of the distribution has (8.x
// for OpenSearch, 3.x for Elasticsearch) is an error that says so. An empty
// s is the zero Version: the newest release of flavor.
func ParseRelease(s string, flavor Product) (Release, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return Release{Product: flavor}, nil
	}
	named, rest := splitProduct(t)
	p := flavor
	if named != Both {
		p = named
	}
	v, err := ParseVersion(rest)
	if err != nil {
		return Release{}, err
	}
	switch p {
	case Elasticsearch:
		if v.Major == firstOSOnlyMajor || v.Major == firstESAfterGap-1 {
			hint := ""
			if named == Both {
				hint = "; if the node is OpenSearch, name it: opensearch-" + rest
			}
			return Release{}, fmt.Errorf("version %q: Elasticsearch has no %d.x releases (2.4 was followed by 5.0)%s", s, v.Major, hint)
		}
	case OpenSearch:
		if v.Major == 0 || v.Major >= firstESAfterGap {
			return Release{}, fmt.Errorf("version %q: OpenSearch has no %d.x releases; %d.x is an Elasticsearch version (is the file for Elasticsearch?)", s, v.Major, v.Major)
		}
	default:
		switch {
		case v.Major == 0 || v.Major >= firstESAfterGap:
			p = Elasticsearch
		case v.Major >= firstOSOnlyMajor:
			p = OpenSearch
		}
	}
	return Release{Product: p, Version: v}, nil
}

// splitProduct takes a distribution name off the front of a version
// string: "opensearch-2.11" -> OpenSearch, "2.11". An image path before
// the name ("docker.elastic.co/elasticsearch/") is dropped with it.
func splitProduct(s string) (Product, string) {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	low := strings.ToLower(s)
	for _, c := range []struct {
		name string
		p    Product
	}{{"elasticsearch", Elasticsearch}, {"opensearch", OpenSearch}} {
		rest, ok := strings.CutPrefix(low, c.name)
		if !ok {
			continue
		}
		rest = strings.TrimLeft(rest, "-_: @=")
		return c.p, s[len(s)-len(rest):]
	}
	return Both, s
}

// Status is what a release makes of a setting key.
type Status int

const (
	// Unknown: no row of the table matches the key for either
	// distribution. The node may still read it (a plugin's setting).
	Unknown Status = iota
	// Present: the release reads the key.
	Present
	// Deprecated: the release reads the key and logs a deprecation warning.
	Deprecated
	// NotYet: a later release introduced the key; this one refuses it.
	NotYet
	// Removed: an earlier release had the key; this one refuses it.
	Removed
	// OtherProduct: only the other distribution knows the key.
	OtherProduct
)

var statusNames = [...]string{"unknown", "present", "deprecated", "not yet", "removed", "other product"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("status(%d)", int(s))
}

// Known reports whether the release reads the key (with or without a
// warning).
func (s Status) Known() bool { return s == Present || s == Deprecated }

// Answer is Has's reply.
type Answer struct {
	Status Status
	// Setting is the row that decided: for Present and Deprecated the row
	// in force, for NotYet the first row to come, for Removed the last row
	// that had the key, for OtherProduct a row of the other distribution.
	// Nil for Unknown.
	Setting *Setting
	// Since and Until bound, in the asked distribution's own numbering,
	// the releases that have the key (zero: no bound). For a shared-lineage
	// row asked about OpenSearch they are zero: every OpenSearch release
	// has it.
	Since, Until Version
}

// Has answers whether release r reads key (a flat key such as
// "transport.profiles.client.port"; placeholders and numbered list items
// resolve as in Lookup).
//
// Rows of the shared lineage (Both) carry Elasticsearch's versions: for an
// OpenSearch release they count as present when Elasticsearch had them at
// the fork point (7.10), deprecated when it had deprecated them by then.
// OpenSearch rows carry OpenSearch's versions, and where a key has any
// OpenSearch row those rows alone decide for OpenSearch (the fork changed
// the key). With r.Product Both the key counts for the distribution that
// knows it, Elasticsearch first.
func Has(key string, r Release) Answer {
	return answer(func(p Product) []*Setting { return candidates(key, p) }, r)
}

// answer decides from the rows find returns for a product (its own rows
// and shared ones, as candidates does); Both asks each distribution.
func answer(find func(Product) []*Setting, r Release) Answer {
	if r.Product == Both {
		es := hasIn(find, Release{Elasticsearch, r.Version})
		if es.Status.Known() {
			return es
		}
		if os := hasIn(find, Release{OpenSearch, r.Version}); os.Status.Known() {
			return os
		}
		return es
	}
	return hasIn(find, r)
}

// hasIn answers for one distribution.
func hasIn(find func(Product) []*Setting, r Release) Answer {
	rows := find(r.Product)
	if len(rows) == 0 {
		return otherProduct(find, r.Product)
	}
	if r.Product == OpenSearch {
		var own []*Setting
		for _, s := range rows {
			if s.Product == OpenSearch {
				own = append(own, s)
			}
		}
		if len(own) == 0 {
			// Shared rows, seen from OpenSearch: all or nothing at the fork.
			return forked(rows)
		}
		rows = own
	}
	return decide(rows, r.Version)
}

// decide answers from rows that share one numbering.
func decide(rows []*Setting, v Version) Answer {
	// The range is the union of the rows' ranges; zero bounds are open.
	a := Answer{Since: rows[0].Since, Until: rows[0].Until}
	for _, s := range rows[1:] {
		if !a.Since.IsZero() && (s.Since.IsZero() || s.Since.Less(a.Since)) {
			a.Since = s.Since
		}
		if !a.Until.IsZero() && (s.Until.IsZero() || a.Until.Less(s.Until)) {
			a.Until = s.Until
		}
	}
	if v.IsZero() {
		// The newest release: the row still in force, if any.
		for _, s := range rows {
			if s.Until.IsZero() {
				a.Setting, a.Status = s, Present
				if !s.Deprecated.IsZero() {
					a.Status = Deprecated
				}
				return a
			}
		}
		a.Setting, a.Status = latest(rows), Removed
		return a
	}
	for _, s := range rows {
		if s.In(v) {
			a.Setting, a.Status = s, Present
			if !s.Deprecated.IsZero() && !v.Less(s.Deprecated) {
				a.Status = Deprecated
			}
			return a
		}
	}
	// Not in v: before every row, or after one that ended.
	var next, prev *Setting
	for _, s := range rows {
		if !s.Since.IsZero() && v.Less(s.Since) {
			if next == nil || s.Since.Less(next.Since) {
				next = s
			}
		} else if prev == nil || prev.Until.Less(s.Until) {
			prev = s
		}
	}
	if prev != nil {
		a.Setting, a.Status = prev, Removed
	} else {
		a.Setting, a.Status = next, NotYet
	}
	return a
}

// latest is the row that ended last.
func latest(rows []*Setting) *Setting {
	best := rows[0]
	for _, s := range rows[1:] {
		if best.Until.Less(s.Until) {
			best = s
		}
	}
	return best
}

// forked answers for OpenSearch from shared-lineage rows.
func forked(rows []*Setting) Answer {
	for _, s := range rows {
		if s.Product != Both || !s.In(ForkPoint) {
			continue
		}
		a := Answer{Status: Present, Setting: s}
		if !s.Deprecated.IsZero() && !ForkPoint.Less(s.Deprecated) {
			a.Status = Deprecated
		}
		return a
	}
	// Elasticsearch dropped the key before the fork: no OpenSearch release
	// has it. Since and Until stay zero: there is no OpenSearch range.
	return Answer{Status: Removed, Setting: latest(rows)}
}

// otherProduct reports a key only the other distribution knows, or
// Unknown.
func otherProduct(find func(Product) []*Setting, p Product) Answer {
	other := OpenSearch
	if p == OpenSearch {
		other = Elasticsearch
	}
	for _, s := range find(other) {
		if s.Product == other {
			return Answer{Status: OtherProduct, Setting: s}
		}
	}
	return Answer{}
}
