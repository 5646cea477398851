// Package lazyre holds regular expressions that are compiled the first
// time they are used. Every run of ngxlint initialises every package
// before it reads a file, and compiling the project's expressions there
// cost more than half a millisecond per run, mostly for expressions only
// the error-log, node-log or Elasticsearch paths use.
package lazyre

import (
	"regexp"
	"sync"
)

// Regexp is a regular expression compiled on first use; safe for
// concurrent use.
type Regexp struct {
	pattern string
	get     func() *regexp.Regexp
}

var (
	mu  sync.Mutex
	all []*Regexp
)

// New returns the expression for pattern, not yet compiled. A pattern
// that does not compile panics at first use, as regexp.MustCompile does;
// TestEveryPatternCompiles (cmd/ngxlint) compiles every pattern the
// program declares.
func New(pattern string) *Regexp {
	r := &Regexp{pattern: pattern, get: sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })}
	mu.Lock()
	all = append(all, r)
	mu.Unlock()
	return r
}

// Re returns the compiled expression.
func (r *Regexp) Re() *regexp.Regexp { return r.get() }

// String returns the pattern.
func (r *Regexp) String() string { return r.pattern }

// All lists every expression declared so far, in the order declared.
func All() []*Regexp {
	mu.Lock()
	defer mu.Unlock()
	return append([]*Regexp(nil), all...)
}
