package nginx

import (
	"strings"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

// RawOffset maps a byte offset in a.Value to the offset in a.Raw where
// that byte is written, past the opening quote and through the escapes
// nginx resolves (\" \' \\ \t \r \n take two bytes of source for one of
// value). An offset at or past the end of the value maps to the end of
// the body, before any closing quote. A rule uses it to put a finding
// on one character inside an argument, e.g. a regex error at its offset.
func (a *Arg) RawOffset(off int) int {
	body, start := a.body()
	if off <= 0 {
		return start
	}
	if len(body) >= len(a.Value) && body[:len(a.Value)] == a.Value { // no escapes
		return start + min(off, len(a.Value))
	}
	v := 0
	for i := 0; i < len(body); i++ {
		if v == off {
			return start + i
		}
		if escapeAt(body, i) {
			i++
		}
		v++
	}
	return start + len(body)
}

// ValueOffset is RawOffset's inverse: the offset in a.Value of the byte
// written at offset raw of a.Raw, or -1 when raw is outside the value's
// text (on a quote) or on the second byte of an escape. A rule uses it to
// map a position read from the source text (a variable reference) into
// the value nginx sees.
func (a *Arg) ValueOffset(raw int) int {
	body, start := a.body()
	i := raw - start
	if i < 0 || i > len(body) {
		return -1
	}
	if len(body) >= len(a.Value) && body[:len(a.Value)] == a.Value { // no escapes
		return min(i, len(a.Value))
	}
	v := 0
	for j := 0; j < len(body); j++ {
		if j == i {
			return v
		}
		if escapeAt(body, j) {
			j++
			if j == i {
				return -1
			}
		}
		v++
	}
	return v // i == len(body): the end of the value
}

// escapeAt reports whether s[i] starts one of the escapes unescape
// resolves (\" \' \\ \t \r \n): two bytes of source for one of value.
func escapeAt(s string, i int) bool {
	return s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"'\\trn", s[i+1]) >= 0
}

// body returns the text of a.Raw that makes up a.Value (inside the quotes
// when there are two) and where it starts in a.Raw.
func (a *Arg) body() (string, int) {
	raw := a.Raw()
	if a.Quote == 0 || raw == "" || raw[0] != a.Quote {
		return raw, 0
	}
	body := raw[1:]
	// a closed quote ends with one that is not escaped; a word cut at the
	// end of its line (broken) has none
	if n := len(body); n > 0 && body[n-1] == a.Quote && unescape(body[:n-1]) == a.Value {
		body = body[:n-1]
	}
	return body, 1
}

// ValueSpan returns the source span of bytes [start, end) of a.Value,
// exact through quotes, escapes and line breaks inside a quoted argument.
func (a *Arg) ValueSpan(start, end int) source.Span {
	rs, re := a.RawOffset(start), a.RawOffset(end)
	sp, raw := a.Span(), a.Raw()
	sp.Start = advance(sp.Start, raw[:rs])
	sp.End = advance(sp.Start, raw[rs:max(rs, re)])
	return sp
}

// RawSpan returns the source span of bytes [start, end) of a.Raw() (a
// zero span for an argument made by hand, which has no source).
func (a *Arg) RawSpan(start, end int) source.Span {
	if a.file == nil {
		return source.Span{}
	}
	return a.file.Span(int(a.start)+start, int(a.start)+end)
}

// advance moves a position over text, which may hold line breaks.
func advance(p source.Pos, text string) source.Pos {
	p.Offset += len(text)
	if i := strings.LastIndexByte(text, '\n'); i >= 0 {
		p.Line += int32(strings.Count(text, "\n"))
		p.Col = int32(1 + source.UTF16Len([]byte(text[i+1:])))
		return p
	}
	p.Col += int32(source.UTF16Len([]byte(text)))
	return p
}
