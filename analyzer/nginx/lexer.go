package nginx

import (
	"bytes"
	"fmt"
	"strings"
	"unsafe"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

// tokKind is the kind of a lexical token.
type tokKind int

const (
	tEOF tokKind = iota
	tWord
	tSemi
	tLBrace
	tRBrace
)

// token is one lexical token; start and end are byte offsets, end
// exclusive.
type token struct {
	kind  tokKind
	start int
	end   int
	value string // unquoted, escapes resolved (words only)
	quote byte   // '"' or '\'' for a quoted word
	// broken is set on a quoted word whose closing quote never came; the
	// lexer cut it at the end of its line so that the rest still parses.
	broken bool
}

// maxDiagnostics caps the syntax diagnostics of one file: a binary file or
// a megabyte of braces must not flood the editor.
const maxDiagnostics = 200

// lexer splits nginx configuration text into tokens the way nginx's
// ngx_conf_read_token does, except that it never stops: every problem
// becomes a diagnostic and lexing goes on.
type lexer struct {
	f   *source.File
	src []byte
	// text is src as one string: words, arguments and comments are
	// substrings of it, not a copy each (most of a parse's allocations).
	// It shares src's bytes, which no one changes once a File is made
	// (source.File.Src): a copy was the input's size again.
	text   string
	pos    int
	peeked *token
	diags  []source.Diagnostic
	// syntax and limited count the diagnostics made of each kind (see
	// diagCode), dropped the syntax errors beyond maxDiagnostics.
	syntax, limited, dropped int
	// garbageEnd is the end of the last reported run of control bytes, so
	// that a run is reported once.
	garbageEnd int
	cur        cursor
	// comments are the comments met, in order (the parse hands them to
	// the File at its end: a helper's lexer keeps its own).
	comments []source.Comment
	// quiet lexers (a helper's look-ahead, pieces.go) record neither comments nor
	// diagnostics.
	quiet bool
}

func newLexer(f *source.File) *lexer {
	text := unsafe.String(unsafe.SliceData(f.Src), len(f.Src))
	return &lexer{f: f, src: f.Src, text: text, garbageEnd: -1, cur: cursor{f: f, pos: source.Pos{Line: 1, Col: 1}}}
}

// cursor computes positions for offsets met in increasing order in time
// proportional to the distance moved. source.File.Pos measures the column
// from the start of the line, which is quadratic on a megabyte-long line.
type cursor struct {
	f   *source.File
	pos source.Pos
}

// at returns the position of off, walking forward from the last one (or
// asking the file for an offset behind it).
func (c *cursor) at(off int) source.Pos {
	off = max(0, min(off, len(c.f.Src)))
	if off < c.pos.Offset {
		return c.f.Pos(off)
	}
	p := c.pos
	seg := c.f.Src[p.Offset:off]
	for i := bytes.IndexByte(seg, '\n'); i >= 0; i = bytes.IndexByte(seg, '\n') {
		p.Line++
		p.Col = 1
		seg = seg[i+1:]
	}
	p.Col += int32(source.UTF16Len(seg))
	p.Offset = off
	c.pos = p
	return p
}

// span returns the span [start, end) using the cursor.
func (c *cursor) span(start, end int) source.Span {
	s := c.at(start)
	return source.Span{File: c.f.Path, Start: s, End: c.at(end)}
}

// diag records a syntax diagnostic on [start, end).
func (l *lexer) diag(start, end int, format string, args ...any) {
	l.diagCode(SyntaxCode, start, end, format, args...)
}

// diagCode is diag with another code than a syntax error's. Each code
// has its own cap, so that the one place a parse stopped at its node
// budget is reported however many syntax errors came before.
func (l *lexer) diagCode(code string, start, end int, format string, args ...any) {
	if l.quiet {
		return
	}
	n := &l.limited
	if code == SyntaxCode {
		n = &l.syntax
	}
	if *n >= maxDiagnostics {
		if code == SyntaxCode {
			l.dropped++
		}
		return
	}
	*n++
	l.diags = append(l.diags, source.Diagnostic{
		Code:    code,
		Span:    l.f.Span(start, end),
		Message: fmt.Sprintf(format, args...),
	})
}

// unread pushes one token back; the parser needs a single token of
// lookahead to let a '}' that ended an unterminated directive close the
// enclosing block.
func (l *lexer) unread(t token) { l.peeked = &t }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// isGarbage reports control bytes that have no business in a text
// configuration (NUL above all). nginx would take them as part of a word;
// they are almost always a binary file or a broken editor save.
func isGarbage(c byte) bool { return (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f }

// reportGarbage reports the run of control bytes that starts at i (once
// per run) and returns the offset after it.
func (l *lexer) reportGarbage(i int) int {
	j := i
	for j < len(l.src) && isGarbage(l.src[j]) {
		j++
	}
	if i >= l.garbageEnd {
		what := fmt.Sprintf("control byte 0x%02X", l.src[i])
		if l.src[i] == 0 {
			what = "NUL byte"
		}
		l.diag(i, i+1, "unexpected %s: this does not look like a text configuration file", what)
		l.garbageEnd = j
	}
	return j
}

// next returns the next token, skipping white space and comments.
func (l *lexer) next() token {
	if l.peeked != nil {
		t := *l.peeked
		l.peeked = nil
		return t
	}
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case isSpace(c):
			l.pos++
		case isGarbage(c):
			l.pos = l.reportGarbage(l.pos)
		case c == '#':
			l.comment()
		case c == ';':
			l.pos++
			return token{kind: tSemi, start: l.pos - 1, end: l.pos}
		case c == '{':
			l.pos++
			return token{kind: tLBrace, start: l.pos - 1, end: l.pos}
		case c == '}':
			l.pos++
			return token{kind: tRBrace, start: l.pos - 1, end: l.pos}
		case c == '"' || c == '\'':
			return l.quoted()
		default:
			return l.word()
		}
	}
	return token{kind: tEOF, start: len(l.src), end: len(l.src)}
}

// comment consumes a '#' comment to the end of its line and records it.
func (l *lexer) comment() {
	start := l.pos
	end := start
	for end < len(l.src) && l.src[end] != '\n' {
		end++
	}
	l.pos = end
	if l.quiet {
		return
	}
	text := end
	if text > start && l.src[text-1] == '\r' {
		text--
	}
	alone := true
	for i := start - 1; i >= 0 && l.src[i] != '\n'; i-- {
		if l.src[i] != ' ' && l.src[i] != '\t' {
			alone = false
			break
		}
	}
	l.comments = append(l.comments, source.Comment{
		Text:  l.text[start:text],
		Span:  l.cur.span(start, text),
		Alone: alone,
	})
}

// word lexes a bare word. As in nginx, a backslash escapes the next byte,
// "${" keeps its brace in the word, and '}' , quotes and '#' in the middle
// of a word belong to it; white space, ';' and '{' end it.
func (l *lexer) word() token {
	start := l.pos
	i := start
	dollar := false
	for i < len(l.src) {
		c := l.src[i]
		if c == '\\' {
			i = min(i+2, len(l.src))
			dollar = false
			continue
		}
		if c == '{' && dollar {
			i++
			dollar = false
			continue
		}
		if isSpace(c) || c == ';' || c == '{' || isGarbage(c) {
			break
		}
		dollar = c == '$'
		i++
	}
	l.pos = i
	raw := l.text[start:i]
	return token{kind: tWord, start: start, end: i, value: unescape(raw)}
}

// quoted lexes a "double" or 'single' quoted word. nginx lets a quoted
// string span lines; only when the closing quote never comes does the
// lexer report the opening quote and cut the string at the end of its
// line, the likeliest place the user meant it to end.
func (l *lexer) quoted() token {
	start := l.pos
	q := l.src[start]
	i := start + 1
	for i < len(l.src) && l.src[i] != q {
		if l.src[i] == '\\' {
			i++
		} else if isGarbage(l.src[i]) {
			// Past the whole run at once: one byte at a time, each
			// rescanning the run, was quadratic in its length.
			i = l.reportGarbage(i)
			continue
		}
		i++
	}
	if i >= len(l.src) {
		return l.unterminated(start)
	}
	end := i + 1
	l.pos = end
	l.needSpace(start, end)
	return token{kind: tWord, start: start, end: end, quote: q, value: unescape(l.text[start+1 : i])}
}

// unterminated reports a quote that is never closed and returns the
// string cut at the end of the quote's line.
func (l *lexer) unterminated(start int) token {
	q := l.src[start]
	end := start + 1
	for end < len(l.src) && l.src[end] != '\n' {
		end++
	}
	body := end
	if body > start+1 && l.src[body-1] == '\r' {
		body--
	}
	l.diag(start, start+1, "unterminated quoted string: the %c opened here is never closed", q)
	l.pos = end
	return token{kind: tWord, start: start, end: body, quote: q, broken: true,
		value: unescape(l.text[start+1 : body])}
}

// needSpace reproduces nginx's rule that a closing quote must be followed
// by white space, ';', '{' or ')'. A '}' is left to the parser, which
// reports the unterminated directive: that is the real mistake there.
func (l *lexer) needSpace(start, end int) {
	if end >= len(l.src) {
		return
	}
	c := l.src[end]
	if isSpace(c) || c == ';' || c == '{' || c == ')' || c == '}' || isGarbage(c) {
		return
	}
	l.diag(end, end+1, "unexpected %q right after the quoted string %s: nginx needs a space between arguments",
		string(rune(c)), clip(string(l.src[start:end])))
}

// clip shortens long token text for messages.
func clip(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

// unescape resolves backslash escapes as nginx does when it copies a word:
// \" \' \\ lose the backslash, \t \r \n become control characters, and any
// other backslash is kept as written (regexes rely on that).
func unescape(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		switch s[i+1] {
		case '"', '\'', '\\':
			b.WriteByte(s[i+1])
			i++
		case 't':
			b.WriteByte('\t')
			i++
		case 'r':
			b.WriteByte('\r')
			i++
		case 'n':
			b.WriteByte('\n')
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// lua scans the raw Lua body that follows the '{' at open, counting braces
// but skipping Lua strings, long brackets and comments, so that
// `local s = "}"` does not end the block. It returns the offset of the
// closing '}' (or len(src) with ok=false when the file ends first).
func (l *lexer) lua(open int) (closeAt int, ok bool) {
	src := l.src
	depth := 0
	i := open + 1
	for i < len(src) {
		switch c := src[i]; {
		case c == '{':
			depth++
			i++
		case c == '}':
			if depth == 0 {
				l.pos = i + 1
				return i, true
			}
			depth--
			i++
		case c == '"' || c == '\'':
			i = skipLuaString(src, i)
		case c == '[' && longBracketLevel(src, i) >= 0:
			i = skipLongBracket(src, i)
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			i = skipLuaComment(src, i)
		default:
			i++
		}
	}
	l.pos = len(src)
	return len(src), false
}

// skipLuaString skips a short Lua string starting at its quote. A short
// string cannot span lines (except after a backslash), so an unclosed one
// ends at the line break rather than swallowing the rest of the file.
func skipLuaString(src []byte, i int) int {
	q := src[i]
	i++
	for i < len(src) {
		switch src[i] {
		case '\\':
			i += 2
			continue
		case q:
			return i + 1
		case '\n':
			return i
		}
		i++
	}
	return len(src)
}

// longBracketLevel returns n for an opening long bracket [==...=[ with n
// equal signs at i, or -1.
func longBracketLevel(src []byte, i int) int {
	j := i + 1
	for j < len(src) && src[j] == '=' {
		j++
	}
	if j < len(src) && src[j] == '[' {
		return j - i - 1
	}
	return -1
}

// skipLongBracket skips [[...]] or [==[...]==] starting at i.
func skipLongBracket(src []byte, i int) int {
	level := longBracketLevel(src, i)
	closer := "]" + strings.Repeat("=", level) + "]"
	body := i + level + 2
	if body > len(src) {
		return len(src)
	}
	if k := bytes.Index(src[body:], []byte(closer)); k >= 0 {
		return body + k + len(closer)
	}
	return len(src)
}

// skipLuaComment skips a "--" comment: a long one when a long bracket
// follows, otherwise to the end of the line.
func skipLuaComment(src []byte, i int) int {
	i += 2
	if i < len(src) && src[i] == '[' && longBracketLevel(src, i) >= 0 {
		return skipLongBracket(src, i)
	}
	for i < len(src) && src[i] != '\n' {
		i++
	}
	return i
}
