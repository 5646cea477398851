package pcre

import (
	"errors"
	"regexp/syntax"
	"strings"
)

// SharedError returns why pattern does not compile, for the errors PCRE
// shares with Go's regexp/syntax (an unclosed bracket or parenthesis, a
// stray ')', nothing to repeat, a trailing backslash, a backwards range);
// "" when it compiles or when Go's parser stops at syntax PCRE accepts.
// invalid-regex reports these at error level; regex-unparsed leaves them
// to it.
//
// caseInsensitive is how nginx compiles it (~*): it does not change the
// verdict, but the parse is shared with the other readers of the pattern
// only under the same flag (ParseCached).
func SharedError(pattern string, caseInsensitive bool) string {
	if strings.Contains(pattern, "$") && strings.Contains(pattern, "${") {
		return "" // holds a variable nginx expands first
	}
	if _, err := ParseCached(pattern, caseInsensitive); err == nil {
		return "" // our reading of PCRE2 compiles it: none of these errors
	}
	_, err := syntax.Parse(pattern, syntax.Perl)
	var se *syntax.Error
	if !errors.As(err, &se) {
		return ""
	}
	switch se.Code {
	case syntax.ErrMissingBracket:
		return "a '[' is never closed"
	case syntax.ErrMissingParen:
		return "a '(' is never closed"
	case syntax.ErrUnexpectedParen:
		return "a ')' closes nothing"
	case syntax.ErrTrailingBackslash:
		return "it ends in a lone backslash"
	case syntax.ErrMissingRepeatArgument:
		return "a quantifier has nothing to repeat: " + se.Expr
	case syntax.ErrInvalidCharRange:
		// Only a plain backwards range: Go also refuses "[\w-z]",
		// which PCRE reads as a literal '-'.
		if r := []rune(se.Expr); len(r) == 3 && r[1] == '-' && r[0] > r[2] {
			return "the range " + se.Expr + " is backwards"
		}
	}
	return ""
}
