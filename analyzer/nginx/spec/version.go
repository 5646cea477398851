package spec

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
)

// Releases returns nginx's releases the table was built from, oldest
// first.
func Releases() []Version {
	out := make([]Version, len(releases))
	for i, p := range releases {
		out[i] = unpack(p)
	}
	return out
}

// IsRelease reports whether v is one of nginx's release tags the table
// was built from.
func IsRelease(v Version) bool {
	for _, p := range releases {
		if unpack(p) == v {
			return true
		}
	}
	return false
}

// ResolveVersion turns what a user writes for the nginx version into the
// release the table answers for: "" is Latest (the newest stable release
// it knows); "1.27" is the newest 1.27.x it knows; "1.25.1" must be a
// release. A version newer than Newest is accepted as written (the table
// then answers as of its newest release).
func ResolveVersion(s string) (Version, error) {
	if s == "" {
		return Latest, nil // the common case, asked for every directive
	}
	// Rules ask for every directive they read: remember the answers (a
	// run names one or two versions), the last one where it is read
	// fastest.
	if l := lastResolved.Load(); l != nil && l.s == s {
		return l.v, l.err
	}
	if r, ok := resolved.Load(s); ok {
		r := r.(resolvedVersion)
		lastResolved.Store(&r)
		return r.v, r.err
	}
	v, err := resolveVersion(s)
	lastResolved.Store(&resolvedVersion{s, v, err})
	if resolvedCount.Add(1) <= maxResolved {
		resolved.Store(s, resolvedVersion{s, v, err})
	}
	return v, err
}

type resolvedVersion struct {
	s   string
	v   Version
	err error
}

var (
	resolved      sync.Map
	lastResolved  atomic.Pointer[resolvedVersion]
	resolvedCount atomic.Int64
)

// maxResolved bounds the remembered answers (a language server session
// may see many spellings while a user types a version).
const maxResolved = 256

func resolveVersion(s string) (Version, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Latest, nil
	}
	v, err := ParseVersion(s)
	if err != nil {
		return Version{}, err
	}
	if Newest.Less(v) {
		return v, nil
	}
	if strings.Count(strings.TrimPrefix(s, "v"), ".") == 1 { // a branch: MAJOR.MINOR
		var best Version
		found := false
		for _, p := range releases {
			if r := unpack(p); r.Major == v.Major && r.Minor == v.Minor {
				best, found = r, true
			}
		}
		if found {
			return best, nil
		}
		return Version{}, fmt.Errorf("nginx %s: no release of that branch (known: %v to %v)", s, unpack(releases[0]), Newest)
	}
	if !IsRelease(v) {
		return Version{}, fmt.Errorf("nginx %s is not a release (known: %v to %v)", s, unpack(releases[0]), Newest)
	}
	return v, nil
}

// Known reports whether name is a directive: one of the table's (any
// source, any release) or one of extra, the third-party directives a
// build declares (.ngxlint.yml nginx.directives).
func Known(name string, extra []string) bool {
	if ID(name) != NoID {
		return true
	}
	for _, e := range extra {
		if e == name {
			return true
		}
	}
	return false
}
