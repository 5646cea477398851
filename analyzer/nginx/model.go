// Package nginx loads nginx configuration into one positioned tree per
// file: our own tokenizer supplies spans and recovers from errors, gonginx
// supplies the typed view, and includes are resolved here, not by gonginx.
package nginx

import (
	"sync"

	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
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
	Name string
	// nameEnd is where the name ends (see NameSpan): the name starts
	// where Span does.
	nameEnd source.Pos
	Args    []*Arg
	// Block holds the children in source order; nil when the directive has
	// no block. HasBlock tells `x {}` (true, empty Block) from `x;`.
	Block    []*Directive
	HasBlock bool
	// Terminated is false when the directive ran into a '}' or the end of
	// file without its ';', or its block (or Lua body) was never closed.
	// (Beside HasBlock and id: the three share a word.)
	Terminated bool
	// id is the table's number for Name, set by the parser (see NameID).
	id spec.NameID
	// Span runs from the first byte of the name to the terminating ';' or
	// '}' inclusive (to the last byte read when the file ends early).
	Span source.Span
	// Lua holds the raw body of a *_by_lua_block directive, whose braces
	// are Lua, not nginx.
	Lua *Arg
	// Parent is the enclosing block directive in the same file; nil at the
	// file's top level (see Config.IncludedBy for the way out of a file).
	Parent *Directive
	Config *Config
	// node is gonginx's view of this directive (see Node).
	node config.IDirective
	// Includes lists the files an `include` resolved to, in nginx's order.
	Includes []*Config

	// inner is the context of a block's children at the file's first
	// site (see link).
	inner []string
}

// NameID is the directive table's number for the name, spec.NoID when
// the table does not know it: the rules' lookups per directive index by it
// instead of hashing the name again. The parser stores it; a directive
// made another way has it worked out here.
func (d *Directive) NameID() spec.NameID {
	if d.id != spec.NoID {
		return d.id
	}
	return spec.ID(d.Name)
}

// NameSpan is the span of the directive's name, quotes included.
func (d *Directive) NameSpan() source.Span {
	return source.Span{File: d.Span.File, Start: d.Span.Start, End: d.nameEnd}
}

// Config is one parsed nginx file.
type Config struct {
	File       *source.File
	Directives []*Directive
	// Diagnostics are syntax errors and include problems, positioned.
	Diagnostics []source.Diagnostic
	// parseDiags counts the Diagnostics the parse made (the syntax
	// errors, first); loading adds the include problems after them.
	parseDiags int
	// IncludedBy lists the include directives (possibly in other files)
	// that pulled this file in, in the order they were met.
	IncludedBy []*Directive
	// Implied is the context a fragment is linted in, outermost first, for
	// example ["http"] for a file of top-level server blocks, or
	// ["http", "server"] for bare location blocks. Nil for a main file.
	Implied []string
	// sites and top (the context of the top level at the first site)
	// are computed by link once includes are resolved.
	sites []Site
	top   []string
	// order is the file's index in the loaded workspace (see link).
	order int

	// The gonginx join is made the first time a typed view of one of the
	// file's directives is asked for (see Node): per block when it can be,
	// else for the whole file; most runs never need the whole file.
	joinMu      sync.Mutex
	joinedAll   bool
	joinedUnits map[*Directive]bool
	gonginxErr  error
	// gonginx is gonginx's tree of this file (nil on error), kept so that
	// tests can check the join from its side too.
	gonginx *config.Config
	// tooDeep are the block contents Parse skipped past MaxDepth.
	tooDeep [][2]int
	// cutDepth is how many blocks were open where the parse stopped for
	// the node budget (see MaxNodes); gonginx gets their closing braces.
	cutDepth int
	// neutral is the source with tooDeep blanked, what gonginx reads
	// (made on the first block-wise join).
	neutral []byte
	// joins is the parse cache's memo of block joins, or nil.
	joins *joinMemo
	// parts are what this file added to the models last built over it
	// (see ModelPart); a copy starts without.
	parts partStore
	// known and others hold the names of the directives of the file's own
	// tree (known as a set of the table's numbers, others the names the
	// table lacks), and includes its include directives, made on first
	// use (see HasName).
	ownOnce  sync.Once
	known    []uint64
	others   map[string]bool
	includes []*Directive
}
