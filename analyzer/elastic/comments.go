package elastic

import (
	"sort"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

// scanComments finds every YAML comment lexically, so that it works on a
// file yaml.v3 rejects too (suppression comments must keep working while
// the user is mid-edit). A '#' opens a comment at line start or after a
// blank, outside quoted scalars and block scalar bodies. skip holds byte
// ranges known (from a successful parse) to be scalar text; a '#' inside
// one is never a comment, whatever the lexical guess.
func scanComments(f *source.File, skip [][2]int) []source.Comment {
	sort.Slice(skip, func(i, j int) bool { return skip[i][0] < skip[j][0] })
	c := commentScanner{f: f, src: f.Src, skip: skip, blockParent: -1}
	c.run()
	return c.out
}

type commentScanner struct {
	f           *source.File
	src         []byte
	skip        [][2]int
	out         []source.Comment
	blockParent int // indentation of the line owning a block scalar, or -1
	quoteStart  int // offset of the last quote opened
	unclosed    int // offset of a quote never closed, or -1
}

// unclosedQuote returns the offset of a quote that the lexical scan never
// saw closed, or -1; it places "unexpected end of stream" errors.
func unclosedQuote(f *source.File) int {
	c := commentScanner{f: f, src: f.Src, blockParent: -1}
	c.run()
	return c.unclosed
}

// add records a comment unless a known scalar covers it. Comments come in
// source order, so one forward pass over the sorted ranges suffices.
func (c *commentScanner) add(start, end int, alone bool) {
	for len(c.skip) > 0 && c.skip[0][1] <= start {
		c.skip = c.skip[1:]
	}
	if len(c.skip) > 0 && c.skip[0][0] <= start {
		return
	}
	c.out = append(c.out, source.Comment{Text: string(c.src[start:end]), Span: c.f.Span(start, end), Alone: alone})
}

func (c *commentScanner) run() {
	var quote byte // open quote carried over from a previous line
	c.unclosed = -1
	for ls := 0; ls < len(c.src); {
		le := lineEnd(c.src, ls)
		next := le
		for next < len(c.src) && c.src[next] != '\n' {
			next++
		}
		quote = c.line(ls, le, quote)
		ls = next + 1
	}
	if quote != 0 {
		c.unclosed = c.quoteStart
	}
}

// line scans one line [ls, le); it returns the quote still open at its end.
func (c *commentScanner) line(ls, le int, quote byte) byte {
	src := c.src
	ind := 0
	for ls+ind < le && src[ls+ind] == ' ' {
		ind++
	}
	if c.blockParent >= 0 {
		if ls+ind == le || ind > c.blockParent {
			return 0 // blank or body line of a block scalar
		}
		c.blockParent = -1
	}
	var prev byte // last non-blank byte outside quotes, 0 at line start
	for i := ls; i < le; i++ {
		b := src[i]
		if quote != 0 {
			i, quote = closeQuote(src, i, le, quote)
			prev = '"'
			continue
		}
		switch {
		case b == '#' && (i == ls || isBlank(src[i-1])):
			c.add(i, le, prev == 0)
			return 0
		case (b == '"' || b == '\'') && startsToken(src, ls, i, prev):
			quote, c.quoteStart = b, i
			i, quote = closeQuote(src, i+1, le, quote)
			prev = '"'
			continue
		case (b == '|' || b == '>') && startsToken(src, ls, i, prev) && prev != 0:
			c.blockParent = ind
		}
		if !isBlank(b) {
			prev = b
		}
	}
	return quote
}

// startsToken reports whether the byte at i begins a new YAML token: it
// follows a blank or a flow indicator, and the previous non-blank byte is
// an indicator (or there is none), so `don't` and `a 'b` stay plain text.
func startsToken(src []byte, ls, i int, prev byte) bool {
	if i > ls && !isBlank(src[i-1]) && src[i-1] != '[' && src[i-1] != '{' && src[i-1] != ',' {
		return false
	}
	switch prev {
	case 0, ':', '-', '?', '[', '{', ',':
		return true
	}
	return false
}

// closeQuote scans from i for the end of a quote; it returns the index of
// the closing quote (and 0), or le-1 and the still-open quote.
func closeQuote(src []byte, i, le int, quote byte) (int, byte) {
	for ; i < le; i++ {
		switch {
		case quote == '"' && src[i] == '\\':
			i++
		case src[i] == quote && quote == '\'' && i+1 < le && src[i+1] == '\'':
			i++
		case src[i] == quote:
			return i, 0
		}
	}
	return le - 1, quote
}
