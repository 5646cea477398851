// Package nginx loads nginx configuration into one positioned tree per
// file: our own tokenizer supplies spans and recovers from errors, gonginx
// supplies the typed view, and includes are resolved here, not by gonginx.
package nginx

import (
	"github.com/ngxlint/ngxlint/analyzer/source"
	"github.com/tufanbarisyildirim/gonginx/config"
)

// Arg is one argument of a directive.
type Arg struct {
	// Value is the argument as nginx sees it: quotes removed, escapes
	// resolved.
	Value string
	// Raw is the exact source text, quotes included.
	Raw string
	// Quote is '"' or '\'' for a quoted argument, 0 otherwise.
	Quote byte
	Span  source.Span
}

// Directive is one statement: `name args;` or `name args { ... }`.
type Directive struct {
	Name     string
	NameSpan source.Span
	Args     []*Arg
	// Block holds the children in source order; nil when the directive has
	// no block. HasBlock tells `x {}` (true, empty Block) from `x;`.
	Block    []*Directive
	HasBlock bool
	// Span runs from the first byte of the name to the terminating ';' or
	// '}' inclusive (to the last byte read when the file ends early).
	Span source.Span
	// Terminated is false when the directive ran into a '}' or the end of
	// file without its ';', or its block (or Lua body) was never closed.
	Terminated bool
	// Lua holds the raw body of a *_by_lua_block directive, whose braces
	// are Lua, not nginx.
	Lua *Arg
	// Parent is the enclosing block directive in the same file; nil at the
	// file's top level (see Config.IncludedBy for the way out of a file).
	Parent *Directive
	Config *Config
	// Node is gonginx's view of this directive, joined by position; nil
	// when gonginx failed on the file or disagreed with the tokenizer.
	Node config.IDirective
	// Includes lists the files an `include` resolved to, in nginx's order.
	Includes []*Config
}

// Config is one parsed nginx file.
type Config struct {
	File       *source.File
	Directives []*Directive
	// Diagnostics are syntax errors and include problems, positioned.
	Diagnostics []source.Diagnostic
	// IncludedBy lists the include directives (possibly in other files)
	// that pulled this file in, in the order they were met.
	IncludedBy []*Directive
	// Implied is the context a fragment is linted in, outermost first, for
	// example ["http"] for a file of top-level server blocks, or
	// ["http", "server"] for bare location blocks. Nil for a main file.
	Implied []string
	// GonginxErr is gonginx's own error on this file, if any.
	GonginxErr error

	// gonginx is gonginx's tree of this file (nil on error), kept so that
	// tests can check the join from its side too.
	gonginx *config.Config
	// tooDeep are the block contents Parse skipped past MaxDepth.
	tooDeep [][2]int
	// cutDepth is how many blocks were open where the parse stopped for
	// the node budget (see MaxNodes); gonginx gets their closing braces.
	cutDepth int
}
