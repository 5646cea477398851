// Package format lays out nginx configuration text in one canonical way
// (`ngxlint fmt`, the language server's formatting). It works on the
// tokens of our own syntax layer (analyzer/nginx), so it never reorders,
// re-quotes or drops anything: only the white space between tokens
// changes. A file with syntax errors is not formatted.
package format

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// Options set the layout. The zero value indents by four spaces.
type Options struct {
	// Indent is one level of indentation: spaces or a tab. "" means four
	// spaces.
	Indent string
	// MaxNodes bounds the directives and arguments parsed (0: the
	// parser's default). A file past it is not formatted: its tree is
	// cut, and SyntaxError.Cut says so.
	MaxNodes int
}

// SyntaxError is returned for a file that does not parse cleanly: a
// recovered tree could move text between blocks, so nothing is changed.
type SyntaxError struct {
	Diagnostics []source.Diagnostic
}

// Cut reports whether the file parsed cleanly up to the node budget and
// was cut there: too large rather than wrong.
func (e *SyntaxError) Cut() bool {
	return len(e.Diagnostics) == 1 && e.Diagnostics[0].Code == nginx.NotAnalysedCode
}

func (e *SyntaxError) Error() string {
	if len(e.Diagnostics) == 0 {
		return "syntax error"
	}
	d := e.Diagnostics[0]
	msg := fmt.Sprintf("%s: %s", d.Span, d.Message)
	if n := len(e.Diagnostics) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more syntax errors)", n)
	}
	return msg
}

// Source formats the nginx file src (path is used in error positions
// only). It returns *SyntaxError when the file does not parse.
func Source(path string, src []byte, opt Options) ([]byte, error) {
	r, err := layout(path, src, opt)
	if err != nil {
		return nil, err
	}
	return r.out, nil
}

// tokKind is the kind of a layout token.
type tokKind int

const (
	kName tokKind = iota
	kArg
	kSemi
	kOpen
	kClose
	kComment
	kLua
)

// tok is one token of the file: [start, end) in the source, and where
// its text begins in the output (out, set by layout).
type tok struct {
	kind        tokKind
	start, end  int
	out, outEnd int
}

// result is a formatted file with the tokens that mapped source to output.
type result struct {
	src, out []byte
	toks     []tok
}

func layout(path string, src []byte, opt Options) (*result, error) {
	f := source.NewFile(path, path, source.KindNginx, src)
	cfg := nginx.ParseLimited(f, opt.MaxNodes)
	var diags []source.Diagnostic
	for _, d := range cfg.Diagnostics {
		// A recovered or cut tree lacks or misplaces some text: printing
		// it would move or drop that text.
		if nginx.LeavesTreeIncomplete(d) {
			diags = append(diags, d)
		}
	}
	if len(diags) > 0 {
		return nil, &SyntaxError{Diagnostics: diags}
	}
	toks := merge(treeTokens(src, cfg.Directives, nil), f.Comments)
	p := &printer{src: src, indent: opt.Indent, eol: "\n"}
	if p.indent == "" {
		p.indent = "    "
	}
	if i := bytes.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
		p.eol = "\r\n"
	}
	for i := range toks {
		p.emit(&toks[i])
	}
	if p.lineOpen {
		p.newline()
	}
	return &result{src: src, out: p.out.Bytes(), toks: toks}, nil
}

// treeTokens lists the tokens of the directives in source order.
func treeTokens(src []byte, list []*nginx.Directive, out []tok) []tok {
	for _, d := range list {
		out = append(out, tok{kind: kName, start: d.NameSpan().Start.Offset, end: d.NameSpan().End.Offset})
		last := d.NameSpan().End.Offset
		for _, a := range d.Args {
			out = append(out, tok{kind: kArg, start: a.Start(), end: a.End()})
			last = a.End()
		}
		end := d.End()
		switch {
		case d.Lua() != nil:
			open := d.Lua().Start() - 1
			out = append(out,
				tok{kind: kOpen, start: open, end: open + 1},
				tok{kind: kLua, start: d.Lua().Start(), end: d.Lua().End()},
				tok{kind: kClose, start: end - 1, end: end})
		case d.HasBlock:
			open := openBrace(src, last)
			out = append(out, tok{kind: kOpen, start: open, end: open + 1})
			out = treeTokens(src, d.Block, out)
			out = append(out, tok{kind: kClose, start: end - 1, end: end})
		default:
			out = append(out, tok{kind: kSemi, start: end - 1, end: end})
		}
	}
	return out
}

// openBrace finds the '{' after offset i, past white space and comments
// (the file parsed cleanly, so nothing else can come between).
func openBrace(src []byte, i int) int {
	for i < len(src) && src[i] != '{' {
		if src[i] == '#' {
			for i < len(src) && src[i] != '\n' {
				i++
			}
			continue
		}
		i++
	}
	return i
}

// merge interleaves the comments with the tree's tokens by offset.
func merge(toks []tok, comments []source.Comment) []tok {
	out := make([]tok, 0, len(toks)+len(comments))
	i := 0
	for _, c := range comments {
		s := c.Span.Start.Offset
		for i < len(toks) && toks[i].start < s {
			out = append(out, toks[i])
			i++
		}
		out = append(out, tok{kind: kComment, start: s, end: s + len(c.Text)})
	}
	return append(out, toks[i:]...)
}

// printer writes tokens with the canonical white space between them.
type printer struct {
	src    []byte
	out    bytes.Buffer
	indent string
	eol    string

	depth    int
	inHeader bool // after a directive's name, before its ';' or '{'
	lineOpen bool // the current output line has text
	comment  bool // the current output line ends in a comment
	prev     *tok
}

func (p *printer) newline() {
	p.out.WriteString(p.eol)
	p.lineOpen, p.comment = false, false
}

// startLine begins a line indented by level, after a blank line when
// blank is set.
func (p *printer) startLine(level int, blank bool) {
	if p.lineOpen {
		p.newline()
	}
	if blank && p.out.Len() > 0 {
		p.out.WriteString(p.eol)
	}
	p.out.WriteString(strings.Repeat(p.indent, max(level, 0)))
}

func (p *printer) write(s []byte) {
	p.out.Write(s)
	p.lineOpen = true
}

func (p *printer) emit(t *tok) {
	text := p.src[t.start:t.end]
	breaks, blank := 0, false
	if p.prev != nil {
		breaks = bytes.Count(p.src[p.prev.end:t.start], []byte{'\n'})
		// Blank lines are kept (one at most), except right after a '{'.
		blank = breaks >= 2 && p.prev.kind != kOpen
	}
	defer func() { p.prev = t }()
	switch t.kind {
	case kName:
		p.startLine(p.depth, blank)
		p.inHeader = true
	case kArg:
		// An argument written on a line of its own stays on one, as a
		// continuation line (log_format's pieces, long lists).
		if breaks > 0 || p.comment {
			p.startLine(p.depth+1, false)
		} else {
			p.out.WriteByte(' ')
		}
	case kSemi:
		if p.comment {
			p.startLine(p.depth+1, false)
		}
		p.inHeader = false
	case kOpen:
		if p.comment {
			p.startLine(p.depth, false)
		} else {
			p.out.WriteByte(' ')
		}
		p.depth++
		p.inHeader = false
	case kLua:
		t.out = p.out.Len()
		p.luaBody(text)
		t.outEnd = p.out.Len()
		return
	case kClose:
		p.depth--
		switch {
		case p.prev.kind == kLua && p.lineOpen:
			// `{ return 1 }`: the Lua body ended on this line.
		case p.prev.kind == kLua:
			p.out.WriteString(strings.Repeat(p.indent, max(p.depth, 0)))
		case p.prev.kind == kOpen && breaks == 0:
			// An empty block written `{}` stays so.
		default:
			p.startLine(p.depth, false)
		}
	case kComment:
		text = bytes.TrimRight(text, " \t\r")
		if breaks == 0 && p.lineOpen {
			// An end-of-line comment stays at the end of its line.
			p.out.WriteByte(' ')
		} else {
			level := p.depth
			if p.inHeader {
				level++
			}
			p.startLine(level, blank)
		}
		t.out = p.out.Len()
		p.write(text)
		t.outEnd = p.out.Len()
		p.comment = true
		return
	}
	t.out = p.out.Len()
	p.write(text)
	t.outEnd = p.out.Len()
}

// luaBody writes a Lua body byte for byte, except for the white space
// before its closing '}' when that brace is on a line of its own: the
// brace is indented like any other.
func (p *printer) luaBody(body []byte) {
	if i := bytes.LastIndexByte(body, '\n'); i >= 0 && len(bytes.Trim(body[i+1:], " \t")) == 0 {
		p.out.Write(body[:i+1])
		p.lineOpen, p.comment = false, false
		return
	}
	p.write(body)
}
