package elastic

import (
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// yaml.v3 gives where a node starts but not where it ends, and for a node
// with an anchor or a tag the start is that of the `&anchor`/`!tag`. The
// helpers here recover exact byte ranges from the source text.

// skipProperties moves past `&anchor` and `!tag` tokens (and the blanks,
// line breaks and comments after them) to the scalar itself. A scalar
// cannot start with '&' or '!' unless quoted, so this never eats content.
func skipProperties(src []byte, i int) int {
	for n := 0; n < 2 && i < len(src) && (src[i] == '&' || src[i] == '!'); n++ {
		for i < len(src) && !isBlank(src[i]) && src[i] != '\n' && src[i] != '\r' {
			i++
		}
		i = skipSpaceAndComments(src, i)
	}
	return i
}

// skipSpaceAndComments skips blanks, line breaks and whole comments.
func skipSpaceAndComments(src []byte, i int) int {
	for i < len(src) {
		switch {
		case isBlank(src[i]) || src[i] == '\n' || src[i] == '\r':
			i++
		case src[i] == '#':
			i = lineEnd(src, i)
		default:
			return i
		}
	}
	return i
}

// scalarEnd returns the byte offset just past scalar n, which starts at
// start: the closing quote for quoted scalars, the last content character
// for plain and block scalars, start itself for an empty null.
func scalarEnd(src []byte, start int, n *yaml.Node) int {
	if start >= len(src) {
		return len(src)
	}
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0 && src[start] == '"':
		return doubleQuotedEnd(src, start)
	case n.Style&yaml.SingleQuotedStyle != 0 && src[start] == '\'':
		return singleQuotedEnd(src, start)
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 && (src[start] == '|' || src[start] == '>'):
		return blockEnd(src, start, n.Value)
	}
	if n.Value == "" {
		return start // empty null: `key:` with nothing after it
	}
	if end := matchText(src, start, n.Value); end > start {
		return end
	}
	return start
}

// doubleQuotedEnd finds the closing '"', honouring backslash escapes.
func doubleQuotedEnd(src []byte, start int) int {
	for i := start + 1; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(src)
}

// singleQuotedEnd finds the closing single quote; a doubled quote inside
// stands for one quote character.
func singleQuotedEnd(src []byte, start int) int {
	for i := start + 1; i < len(src); i++ {
		if src[i] != '\'' {
			continue
		}
		if i+1 < len(src) && src[i+1] == '\'' {
			i++
			continue
		}
		return i + 1
	}
	return len(src)
}

// blockEnd ends a literal or folded block scalar at its last content
// character; an empty block ends after its header indicators.
func blockEnd(src []byte, start int, value string) int {
	hdr := start + 1
	for hdr < len(src) && (src[hdr] == '+' || src[hdr] == '-' || (src[hdr] >= '1' && src[hdr] <= '9')) {
		hdr++
	}
	body := lineEnd(src, start)
	if body < len(src) {
		body++ // past the '\n' of the header line
	}
	if end := matchText(src, body, value); end > body {
		return end
	}
	return hdr
}

// matchText walks src from i matching the non-blank characters of the
// decoded value in order, skipping any white space in the source. Plain
// and block scalars contain no escapes, and folding only changes white
// space, so the last matched character is the scalar's last character.
// It returns the offset after that character, or i when nothing matched.
func matchText(src []byte, i int, value string) int {
	end := i
	for _, r := range value {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			continue
		}
		for i < len(src) && (isBlank(src[i]) || src[i] == '\n' || src[i] == '\r') {
			i++
		}
		var buf [utf8.UTFMax]byte
		enc := buf[:utf8.EncodeRune(buf[:], r)]
		if i+len(enc) > len(src) || string(src[i:i+len(enc)]) != string(enc) {
			return end
		}
		i += len(enc)
		end = i
	}
	return end
}

// flowEnd finds the bracket closing the flow collection opened at start,
// skipping quoted text and nested collections.
func flowEnd(src []byte, start int) int {
	depth := 0
	for i := start; i < len(src); i++ {
		switch src[i] {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				return i + 1
			}
		case '"':
			i = doubleQuotedEnd(src, i) - 1
		case '\'':
			i = singleQuotedEnd(src, i) - 1
		}
	}
	return len(src)
}

// aliasEnd ends an alias token `*name` at the first blank or flow
// indicator.
func aliasEnd(src []byte, start int) int {
	i := start
	if i < len(src) && src[i] == '*' {
		i++
	}
	for i < len(src) && !isBlank(src[i]) && src[i] != '\n' && src[i] != '\r' &&
		src[i] != ',' && src[i] != ']' && src[i] != '}' {
		i++
	}
	return i
}

// lineEnd is the offset of the line break (or '\r\n') ending i's line.
func lineEnd(src []byte, start int) int {
	i := start
	for i < len(src) && src[i] != '\n' {
		i++
	}
	if i > start && src[i-1] == '\r' {
		return i - 1
	}
	return i
}

func isBlank(b byte) bool { return b == ' ' || b == '\t' }
