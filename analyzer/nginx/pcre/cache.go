package pcre

import "sync"

// ParseCached is Parse for callers that only read the result: the same
// pattern is met by several rules and models in one run (a location's
// regex is read for captures, ReDoS, anchoring, traversal ...), and
// parsing it once saves most of the regex work of a lint. The tree and the
// error are shared between callers, so they must not be modified.
func ParseCached(pattern string, caseInsensitive bool) (*Regex, error) {
	if len(pattern) > maxCachedPattern {
		return Parse(pattern, caseInsensitive)
	}
	k := cacheKey{pattern, caseInsensitive}
	cache.Lock()
	e, ok := cache.m[k]
	cache.Unlock()
	if ok {
		return e.re, e.err
	}
	re, err := Parse(pattern, caseInsensitive)
	cache.Lock()
	if len(cache.m) >= maxCached {
		clear(cache.m) // a long-lived process (the language server) keeps it bounded
	}
	if cache.m == nil {
		cache.m = make(map[cacheKey]cacheEntry)
	}
	cache.m[k] = cacheEntry{re, err}
	cache.Unlock()
	return re, err
}

const (
	maxCached        = 8192
	maxCachedPattern = 4096
)

type cacheKey struct {
	pattern string
	fold    bool
}

type cacheEntry struct {
	re  *Regex
	err error
}

var cache struct {
	sync.Mutex
	m map[cacheKey]cacheEntry
}

// ResetCache drops every cached tree, so that a benchmark times each run
// as a fresh process would.
func ResetCache() {
	cache.Lock()
	clear(cache.m)
	cache.Unlock()
}
