// Package spec is the table of node settings that Elasticsearch and
// OpenSearch read at start-up from elasticsearch.yml / opensearch.yml: each
// key's type, default, fallback chain, scope (static or dynamic), the
// versions that know it and where the fact came from. It also holds the
// node-level facts rules need (default ports and host, special host values,
// bootstrap checks). It is a leaf: standard library only.
//
// The table is written by hand from the sources named in each row (see
// settings.txt); no generator exists yet.
package spec

import (
	"fmt"
	"strconv"
	"strings"
)

// Product tells which distribution knows a setting.
type Product int

const (
	// Both: the setting comes from the common lineage (Elasticsearch before
	// the OpenSearch fork, or kept by both since).
	Both Product = iota
	Elasticsearch
	OpenSearch
)

func (p Product) String() string {
	switch p {
	case Elasticsearch:
		return "Elasticsearch"
	case OpenSearch:
		return "OpenSearch"
	}
	return "Elasticsearch and OpenSearch"
}

// matches reports whether a row of product row answers a question about q.
// Both, as a question, means "either".
func (q Product) matches(row Product) bool {
	return q == Both || row == Both || q == row
}

// Version is a major.minor release. The zero Version means "unknown" or
// "no bound", depending on where it is used.
type Version struct{ Major, Minor int }

// ForkPoint is the Elasticsearch release OpenSearch 1.0 was forked from. A
// Both row whose Elasticsearch range contains it exists in every
// OpenSearch release unless an OpenSearch row says otherwise.
var ForkPoint = Version{7, 10}

// ParseVersion reads "8", "8.11" or "8.11.3", with an optional leading "v"
// and an optional "-suffix" (8.11.3-SNAPSHOT); the patch level is dropped.
// The version is the product's own: OpenSearch 2.11 is "2.11", with the
// product given separately.
func ParseVersion(s string) (Version, error) {
	t := strings.TrimPrefix(strings.TrimSpace(s), "v")
	if i := strings.IndexByte(t, '-'); i >= 0 {
		t = t[:i]
	}
	parts := strings.Split(t, ".")
	if t == "" || len(parts) > 3 {
		return Version{}, fmt.Errorf("version %q: want MAJOR[.MINOR[.PATCH]]", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || p == "" || p[0] == '+' {
			return Version{}, fmt.Errorf("version %q: %q is not a number", s, p)
		}
		n[i] = v
	}
	if n[0] == 0 && n[1] == 0 {
		return Version{}, fmt.Errorf("version %q: 0.0 is not a release", s)
	}
	return Version{n[0], n[1]}, nil
}

// IsZero reports whether v is unset.
func (v Version) IsZero() bool { return v == Version{} }

// Less orders versions.
func (v Version) Less(w Version) bool {
	if v.Major != w.Major {
		return v.Major < w.Major
	}
	return v.Minor < w.Minor
}

func (v Version) String() string {
	if v.IsZero() {
		return ""
	}
	return strconv.Itoa(v.Major) + "." + strconv.Itoa(v.Minor)
}

// Type is how a setting's value is parsed.
type Type int

const (
	String Type = iota
	Bool
	Int
	// Port is a single port or a PortsRange ("9200-9300", "9200,9300-9305").
	Port
	// ByteSize is a size with a unit ("10mb", "1gb"); -1 and 0 need none.
	ByteSize
	// MemSize is a ByteSize or a percentage of the heap ("10%").
	MemSize
	// Time is a duration with a unit ("30s", "500ms"); -1 and 0 need none.
	Time
	// List is a YAML sequence or one comma-separated string.
	List
	// Enum is one of Setting.Enum.
	Enum
	// Float is a decimal number.
	Float
	// Secure is a secure setting: its value lives in the node's keystore,
	// and a node that finds it in the settings file refuses to start.
	Secure
)

var typeNames = [...]string{"string", "bool", "int", "port", "bytes", "memsize", "time", "list", "enum", "float", "secure"}

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "type(" + strconv.Itoa(int(t)) + ")"
}

// Setting is one row of the table. For Elasticsearch and Both rows the
// versions are Elasticsearch's; for OpenSearch rows they are OpenSearch's.
type Setting struct {
	// Key is the flat key. A `*` segment stands for one name chosen by the
	// user (a profile, a realm, an attribute); a trailing `*` stands for
	// one or more segments (group settings such as logger.*).
	Key     string
	Product Product
	Type    Type
	Enum    []string
	// Default is the value the node uses when the key is unset, as text
	// ("" when there is none or it is computed, see Note).
	Default string
	// Fallback lists the keys consulted, in order, before Default.
	Fallback []string
	// Dynamic settings can also be changed at runtime through the cluster
	// settings API; static ones only in the file (node restart).
	Dynamic bool
	// Since is the first release with the key (zero: older than any we
	// track); Until the first release without it (zero: still there).
	Since, Until Version
	// Deprecated is the release that started warning (zero: never).
	Deprecated Version
	// Replacement is the key to use instead, for deprecated and removed rows.
	Replacement string
	// Note says in a few words what the default or the key means when the
	// columns cannot.
	Note string
	// Source names where the facts came from: repository, path@commit.
	Source string
}

// In reports whether the setting exists in release v of its own product.
// An unknown (zero) version counts as present.
func (s *Setting) In(v Version) bool {
	if v.IsZero() {
		return true
	}
	return (s.Since.IsZero() || !v.Less(s.Since)) && (s.Until.IsZero() || v.Less(s.Until))
}

// InProduct reports whether release v of product p has the setting. A Both
// row asked about OpenSearch is there in every OpenSearch release when
// Elasticsearch still had it at the fork point.
func (s *Setting) InProduct(p Product, v Version) bool {
	if !p.matches(s.Product) {
		return false
	}
	if s.Product == Both && p == OpenSearch {
		return s.In(ForkPoint)
	}
	return s.In(v)
}

// DeprecatedIn reports whether release v of product p warns about the
// setting (or no longer has it). An unknown version counts as the newest.
func (s *Setting) DeprecatedIn(p Product, v Version) bool {
	if s.Product == Both && p == OpenSearch {
		return !s.Deprecated.IsZero() && !ForkPoint.Less(s.Deprecated) || !s.Until.IsZero() && !ForkPoint.Less(s.Until)
	}
	if v.IsZero() {
		return !s.Deprecated.IsZero() || !s.Until.IsZero()
	}
	return !s.Deprecated.IsZero() && !v.Less(s.Deprecated) || !s.Until.IsZero() && !v.Less(s.Until)
}

// RemovedIn reports whether release v of product p no longer has the
// setting, which it had before (for an unknown version: whether the newest
// release lacks it). A Both row asked about OpenSearch is removed when
// Elasticsearch dropped it before the fork point.
func (s *Setting) RemovedIn(p Product, v Version) bool {
	if s.Product == Both && p == OpenSearch {
		return !s.In(ForkPoint)
	}
	if s.Until.IsZero() {
		return false
	}
	return v.IsZero() || !v.Less(s.Until)
}
