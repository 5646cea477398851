package elastic

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ngxlint/ngxlint/internal/lazyre"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

// yaml.v3 errors carry at most a line ("yaml: line N: msg"), and which line
// depends on the error's origin:
//   - scanner errors (bad characters, tabs, unterminated quotes, `a: b: c`)
//     name the offending line itself;
//   - parser errors ("did not find expected ...") name the line *before*
//     the construct being parsed (yaml.v3 prints a 0-based context line),
//     e.g. the line before an unclosed '[' or before the mapping that a
//     mis-indented line breaks.
// syntaxDiagnostic undoes that and, where a cheap look at the source finds
// the real culprit (a tab, an unclosed bracket, a mis-indented line, an
// alias), points at its exact column.

var yamlErrRe = lazyre.New(`^yaml: (?:line (\d+): )?(.*)$`)

func syntaxDiagnostic(f *source.File, err error) source.Diagnostic {
	line, msg := splitYAMLError(err.Error())
	sp := locateSyntaxError(f, line, msg)
	return source.Diagnostic{
		Code:    CodeSyntax,
		Span:    sp,
		Message: fmt.Sprintf("invalid YAML: %s; "+product+" cannot parse the file and refuses to start", describe(msg)),
	}
}

// splitYAMLError returns the reported line (0 when absent) and the bare
// message.
func splitYAMLError(text string) (int, string) {
	m := yamlErrRe.Re().FindStringSubmatch(text)
	if m == nil {
		return 0, text
	}
	line, _ := strconv.Atoi(m[1])
	return line, m[2]
}

// isParserError tells the parser's messages from the scanner's ones.
func isParserError(msg string) bool {
	return strings.HasPrefix(msg, "did not find expected key") ||
		strings.HasPrefix(msg, "did not find expected '-'") ||
		strings.HasPrefix(msg, "did not find expected ','") ||
		strings.HasPrefix(msg, "did not find expected node content") ||
		strings.HasPrefix(msg, "did not find expected <document start>")
}

// locateSyntaxError maps a yaml.v3 error to the best span it can justify.
func locateSyntaxError(f *source.File, line int, msg string) source.Span {
	if name, ok := strings.CutPrefix(msg, "unknown anchor '"); ok {
		name, _, _ = strings.Cut(name, "'")
		if sp, ok := findAlias(f, name); ok {
			return sp
		}
	}
	if strings.HasPrefix(msg, "found unexpected end of stream") {
		if off := unclosedQuote(f); off >= 0 {
			return f.Span(off, off+1)
		}
	}
	if rest, ok := strings.CutPrefix(msg, "exceeded max depth of "); ok {
		if limit, err := strconv.Atoi(rest); err == nil {
			if off := depthOffset(f.Src, limit); off >= 0 {
				return f.Span(off, off+1)
			}
		}
	}
	if isParserError(msg) {
		line++ // 0-based context line -> 1-based
	}
	if line < 1 {
		line = 1
	}
	if sp, ok := findTab(f, line); ok && (strings.Contains(msg, "tab") || strings.Contains(msg, "cannot start any token")) {
		return sp
	}
	switch {
	case strings.HasPrefix(msg, "did not find expected ',' or ']'"):
		if sp, ok := findOpenerBefore(f, line, '['); ok {
			return sp
		}
	case strings.HasPrefix(msg, "did not find expected ',' or '}'"):
		if sp, ok := findOpenerBefore(f, line, '{'); ok {
			return sp
		}
	case strings.HasPrefix(msg, "did not find expected key"), strings.HasPrefix(msg, "did not find expected '-'"):
		// From one line early: when the construct starts on line 1 yaml.v3
		// prints the problem line instead, so line may be one too far.
		if l := misindentedLine(f, line-1); l > 0 {
			return lineSpan(f, l)
		}
	case strings.HasPrefix(msg, "did not find expected alphabetic or numeric character"):
		if sp, ok := findIndicator(f, line); ok {
			return sp
		}
	}
	return lineSpan(f, line)
}

// describe rewords yaml.v3 messages that would puzzle a user.
func describe(msg string) string {
	switch {
	case strings.Contains(msg, "tab character") || strings.Contains(msg, "cannot start any token"):
		return msg + " (YAML forbids tabs in indentation: use spaces)"
	case strings.HasPrefix(msg, "found unexpected end of stream"):
		return "the file ends inside this quoted value: its closing quote is missing"
	case strings.HasPrefix(msg, "did not find expected ',' or ']'"):
		return "this '[' list is never closed with ']'"
	case strings.HasPrefix(msg, "did not find expected ',' or '}'"):
		return "this '{' mapping is never closed with '}'"
	case strings.HasPrefix(msg, "did not find expected key"), strings.HasPrefix(msg, "did not find expected '-'"):
		return msg + " (this line's indentation does not match the lines above it)"
	case strings.HasPrefix(msg, "did not find expected alphabetic or numeric character"):
		return msg + " (a value starting with '*' or '&' is read as a YAML alias or anchor: quote it)"
	}
	return msg
}

// findTab points at the first tab in the indentation of line (or of the
// line after it: the scanner sometimes stops one line early).
func findTab(f *source.File, line int) (source.Span, bool) {
	for l := line; l <= line+1 && l <= f.LineCount(); l++ {
		text := f.Line(l)
		for i := 0; i < len(text) && (text[i] == ' ' || text[i] == '\t'); i++ {
			if text[i] == '\t' {
				off := f.LineStart(l) + i
				return f.Span(off, off+1), true
			}
		}
	}
	return source.Span{}, false
}

// findOpenerBefore looks for an unclosed opener on line, then on the
// lines above it: when the construct starts on line 1, yaml.v3 reports
// the line where it gave up instead.
func findOpenerBefore(f *source.File, line int, open byte) (source.Span, bool) {
	for l := min(line, f.LineCount()); l >= 1; l-- {
		if sp, ok := findOpener(f, l, open); ok {
			return sp, true
		}
	}
	return source.Span{}, false
}

// findOpener points at the last opener on line that its line leaves
// unclosed (ignoring quoted text).
func findOpener(f *source.File, line int, open byte) (source.Span, bool) {
	closeB := byte(']')
	if open == '{' {
		closeB = '}'
	}
	text := f.Line(line)
	var stack []int
	var quote byte
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || isBlank(text[i-1])):
			i = len(text)
		case c == open:
			stack = append(stack, i)
		case c == closeB && len(stack) > 0:
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) == 0 {
		return source.Span{}, false
	}
	off := f.LineStart(line) + stack[0]
	return f.Span(off, off+1), true
}

// findIndicator points at a '*' or '&' that starts a token on line.
func findIndicator(f *source.File, line int) (source.Span, bool) {
	text := f.Line(line)
	for i := 1; i < len(text); i++ {
		if (text[i] == '*' || text[i] == '&') && isBlank(text[i-1]) {
			off := f.LineStart(line) + i
			return f.Span(off, off+len(strings.TrimRight(text[i:], " \t"))), true
		}
	}
	return source.Span{}, false
}

// findAlias finds `*name` used as a token.
func findAlias(f *source.File, name string) (source.Span, bool) {
	tok := "*" + name
	src := string(f.Src)
	for from := 0; ; {
		i := strings.Index(src[from:], tok)
		if i < 0 {
			return source.Span{}, false
		}
		i += from
		if i == 0 || strings.ContainsRune(" \t\n[{,", rune(src[i-1])) {
			return f.Span(i, i+len(tok)), true
		}
		from = i + 1
	}
}

// misindentedLine finds the first line from `from` on that is indented
// deeper than its context allows (the line above opened no block) or that
// sits at a sequence's level without a '-'. It skips blank and comment
// lines and block scalar bodies. It is a heuristic, used only to place an
// error yaml.v3 has already reported; 0 means no culprit found.
func misindentedLine(f *source.File, from int) int {
	levels := []int{0}
	dash := map[int]bool{} // levels opened by a sequence
	opens := true          // the previous content line opened a block
	blockParent := -1      // >= 0 while inside a block scalar body
	for l := 1; l <= f.LineCount(); l++ {
		text := strings.TrimRight(f.Line(l), " \t")
		body := strings.TrimLeft(text, " ")
		ind := len(text) - len(body)
		if body == "" || strings.HasPrefix(body, "#") || (blockParent >= 0 && ind > blockParent) {
			continue
		}
		blockParent = -1
		for len(levels) > 1 && levels[len(levels)-1] > ind {
			delete(dash, levels[len(levels)-1])
			levels = levels[:len(levels)-1]
		}
		top := levels[len(levels)-1]
		isDash := strings.HasPrefix(body, "- ") || body == "-"
		bad := (ind > top && !opens) || (ind == top && dash[ind] && !isDash)
		if bad && l >= from {
			return l
		}
		if ind > top {
			levels = append(levels, ind)
			dash[ind] = isDash
		}
		if isDash { // the item's content opens a level after "- "
			item := strings.TrimLeft(body[1:], " ")
			levels = append(levels, ind+len(body)-len(item))
		}
		code := body
		if i := strings.Index(code, " #"); i >= 0 {
			code = strings.TrimRight(code[:i], " \t")
		}
		opens = strings.HasSuffix(code, ":") || code == "-"
		if opensBlockScalar(code) {
			blockParent = ind
		}
	}
	return 0
}

// opensBlockScalar reports a line ending in a `|` or `>` header.
func opensBlockScalar(body string) bool {
	body = strings.TrimRight(body, "+-123456789")
	return strings.HasSuffix(body, ": |") || strings.HasSuffix(body, ": >") ||
		strings.HasSuffix(body, "- |") || strings.HasSuffix(body, "- >") || body == "|" || body == ">"
}

// depthOffset finds where nesting first passes limit, counting flow
// brackets ('[', '{') and block levels (each deeper indentation of a line
// starting a key or a list item) as the YAML parser nests nodes; quoted
// text and comments do not count. It returns -1 when nesting stays within
// the limit by this count. yaml.v3 reports its depth error with no
// position at all.
func depthOffset(src []byte, limit int) int {
	var indents []int // block levels open, by indentation
	flow := 0
	lineStart := true
	for i := 0; i < len(src); i++ {
		c := src[i]
		if lineStart && flow == 0 {
			j := i
			for j < len(src) && src[j] == ' ' {
				j++
			}
			if j < len(src) && src[j] != '\n' && src[j] != '#' && src[j] != '\r' {
				for len(indents) > 0 && indents[len(indents)-1] >= j-i {
					indents = indents[:len(indents)-1]
				}
				indents = append(indents, j-i)
				if len(indents) > limit {
					return j
				}
			}
			i = j - 1
			lineStart = false
			continue
		}
		switch c {
		case '\n':
			lineStart = true
		case '[', '{':
			flow++
			if flow+len(indents) > limit {
				return i
			}
		case ']', '}':
			flow = max(0, flow-1)
		case '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			lineStart = true
		case '"', '\'':
			for i++; i < len(src) && src[i] != c && src[i] != '\n'; i++ {
				if c == '"' && src[i] == '\\' {
					i++
				}
			}
		}
	}
	return -1
}
