// Package nginx loads nginx configuration into one positioned tree per
// file: our own tokenizer supplies spans and recovers from errors, gonginx
// supplies the typed view, and includes are resolved here, not by gonginx.
package nginx

import (
	"strings"
	"sync"

	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
	"github.com/tufanbarisyildirim/gonginx/config"
)

// Arg is one argument of a directive. It keeps its place as two byte
// offsets into its file and works out lines and columns when asked
// (Span): most arguments are never reported, and a positioned span per
// argument was half the size of the parsed tree.
type Arg struct {
	// Value is the argument as nginx sees it: quotes removed, escapes
	// resolved.
	Value string
	// file holds the argument's text; start and end are the offsets of
	// its first byte and past its last, quotes included. (The loader
	// refuses a file over 1 GB, so an offset fits in 32 bits.)
	file       *source.File
	start, end uint32
	// Quote is '"' or '\'' for a quoted argument, 0 otherwise.
	Quote byte
	// dollar is set when the source text holds a '$': most arguments
	// have none, and the variables model asks of each directive it meets.
	dollar bool
}

// argAt makes the argument written at [start, end) of f.
func argAt(f *source.File, start, end int, value string, quote byte) Arg {
	a := Arg{Value: value, file: f, start: uint32(start), end: uint32(end), Quote: quote}
	a.dollar = strings.IndexByte(a.Raw(), '$') >= 0
	return a
}

// HasDollar reports whether the argument's text holds a '$' (its value,
// for an argument made by hand): where there is none, it refers to no
// variable.
func (a *Arg) HasDollar() bool {
	if a.file == nil {
		return strings.IndexByte(a.Value, '$') >= 0
	}
	return a.dollar
}

// Span returns where the argument is written, quotes included.
func (a *Arg) Span() source.Span {
	if a.file == nil {
		return source.Span{}
	}
	return a.file.Span(int(a.start), int(a.end))
}

// Raw returns the exact source text of the argument, quotes included.
func (a *Arg) Raw() string {
	if a.file == nil {
		return ""
	}
	return a.file.Slice(int(a.start), int(a.end))
}

// Start returns the byte offset in its file where the argument begins.
func (a *Arg) Start() int { return int(a.start) }

// End returns the byte offset in its file just past the argument.
func (a *Arg) End() int { return int(a.end) }

// Directive is one statement: `name args;` or `name args { ... }`.
type Directive struct {
	Name string
	Args []*Arg
	// Block holds the children in source order; nil when the directive has
	// no block. HasBlock tells `x {}` (true, empty Block) from `x;`.
	Block    []*Directive
	HasBlock bool
	// Terminated is false when the directive ran into a '}' or the end of
	// file without its ';', or its block (or Lua body) was never closed.
	// (Beside HasBlock, id and nameLen: the four share a word.)
	Terminated bool
	// id is the table's number for Name, set by the parser (see NameID).
	id spec.NameID
	// nameLen is the length in bytes of the name as written, quotes
	// included: the name starts where the directive does (see NameSpan).
	nameLen uint32
	// start and end are the offsets in Config's file of the name's first
	// byte and past the terminating ';' or '}' (the last byte read when
	// the file ends early); Span works out lines and columns from them.
	start, end uint32
	// Parent is the enclosing block directive in the same file; nil at the
	// file's top level (see Config.IncludedBy for the way out of a file).
	Parent *Directive
	Config *Config

	// inner is the context of a block's children at the file's first
	// site (see link); blocks of one name in a list share it, and a leaf,
	// most directives, has none, so it is held by pointer.
	inner *[]string
	// rare holds what few directives have (see Includes and Lua), so that
	// the others do not carry room for it: 24 bytes less a directive.
	rare *rare
}

// rare is the part of a directive that only includes and Lua blocks use.
type rare struct {
	includes []*Config
	lua      *Arg
}

// Includes lists the files an `include` resolved to, in nginx's order.
func (d *Directive) Includes() []*Config {
	if d.rare == nil {
		return nil
	}
	return d.rare.includes
}

// Lua is the raw body of a *_by_lua_block directive, whose braces are
// Lua, not nginx; nil for any other directive.
func (d *Directive) Lua() *Arg {
	if d.rare == nil {
		return nil
	}
	return d.rare.lua
}

func (d *Directive) addInclude(c *Config) {
	if d.rare == nil {
		d.rare = &rare{}
	}
	d.rare.includes = append(d.rare.includes, c)
}

func (d *Directive) setLua(a *Arg) {
	if d.rare == nil {
		d.rare = &rare{}
	}
	d.rare.lua = a
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

// Span returns where the directive is written: from the first byte of
// its name to its terminating ';' or '}' inclusive.
func (d *Directive) Span() source.Span {
	if f := d.file(); f != nil {
		return f.Span(int(d.start), int(d.end))
	}
	return source.Span{}
}

// NameSpan is the span of the directive's name, quotes included.
func (d *Directive) NameSpan() source.Span {
	if f := d.file(); f != nil {
		return f.Span(int(d.start), int(d.start)+int(d.nameLen))
	}
	return source.Span{}
}

// rawName is the name as written, quotes included ("" for a directive
// made by hand).
func (d *Directive) rawName() string {
	if f := d.file(); f != nil {
		return f.Slice(int(d.start), int(d.start)+int(d.nameLen))
	}
	return ""
}

// Start returns the byte offset in its file where the directive begins.
func (d *Directive) Start() int { return int(d.start) }

// End returns the byte offset in its file just past the directive.
func (d *Directive) End() int { return int(d.end) }

// file is the file the directive is written in, nil for one made by hand.
func (d *Directive) file() *source.File {
	if d.Config == nil {
		return nil
	}
	return d.Config.File
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
	// innersTop is the top context the blocks' inner contexts were last
	// set for (innersSet: they were), so that linking again with the same
	// one leaves them as they are.
	innersTop []string
	innersSet bool
	// order is the file's index in the loaded workspace (see link).
	order int

	// The gonginx join is made the first time a typed view of one of the
	// file's directives is asked for (see Node): per block when it can be,
	// else for the whole file; most runs never need the whole file.
	joinMu      sync.RWMutex
	joinedAll   bool
	joinedUnits map[*Directive]bool
	// joining holds the blocks being parsed for their join, each with a
	// channel closed once it is joined.
	joining map[*Directive]chan struct{}
	// nodes are gonginx's views of the joined directives (see Node): a
	// few of a file's directives, so kept here rather than on each.
	nodes      map[*Directive]config.IDirective
	gonginxErr error
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
	// own is what the file's own tree holds (names, includes, how many
	// directives; see HasName), made by its parse or on first use, and
	// holders the blocks an include is in (see HoldsInclude).
	ownOnce sync.Once
	own     ownNames
	// pre is PreOrder's list.
	preOnce sync.Once
	pre     []*Directive
	holders map[*Directive]bool
}
