package pcre

import (
	"errors"
	"regexp/syntax"
	"strings"
)

// SharedError returns why pattern does not compile, for the errors PCRE
// refuses for certain: those it shares with Go's regexp/syntax (an
// unclosed bracket or parenthesis, a stray ')', nothing to repeat, a
// trailing backslash, a backwards range), and a {} quantifier whose
// numbers are out of order or over PCRE's limit of 65535 (Go's parser
// stops at 1000, so ours tells). It returns "" when the pattern compiles
// or when Go's parser stops at syntax PCRE accepts. invalid-regex reports
// these at error level; regex-unparsed leaves them to it.
//
// caseInsensitive is how nginx compiles it (~*): it does not change the
// verdict, but the parse is shared with the other readers of the pattern
// only under the same flag (ParseCached).
func SharedError(pattern string, caseInsensitive bool) string {
	why, _, _ := SharedErrorAt(pattern, caseInsensitive)
	return why
}

// SharedErrorAt is SharedError with the bytes of pattern at fault,
// [start, end): the quantifier for a {} quantifier, else the whole pattern.
func SharedErrorAt(pattern string, caseInsensitive bool) (why string, start, end int) {
	if strings.Contains(pattern, "$") && strings.Contains(pattern, "${") {
		return "", 0, 0 // holds a variable nginx expands first
	}
	_, perr := ParseCached(pattern, caseInsensitive)
	if perr == nil {
		return "", 0, 0 // our reading of PCRE2 compiles it: none of these errors
	}
	var pe *Error
	if errors.As(perr, &pe) && (pe.Msg == msgRepeatOutOfOrder || pe.Msg == msgRepeatTooBig) && pe.Offset < len(pattern) {
		q := pattern[pe.Offset:]
		if i := strings.IndexByte(q, '}'); i >= 0 {
			q = q[:i+1]
		}
		why = "the quantifier " + q + " is over PCRE's limit of 65535"
		if pe.Msg == msgRepeatOutOfOrder {
			why = "the quantifier " + q + " has its numbers out of order"
		}
		return why, pe.Offset, pe.Offset + len(q)
	}
	if why = goShared(pattern); why != "" {
		return why, 0, len(pattern)
	}
	return "", 0, 0
}

// goShared is the part of SharedError Go's parser tells.
func goShared(pattern string) string {
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
