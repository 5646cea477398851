package nginx

import (
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
)

// placeholderEnd returns the offset after a template placeholder that
// starts with the '{' at offset at, or 0 when there is none. Recognised,
// on one line: {{ ... }} (Jinja, Go templates, Helm), {% ... %} and
// {NAME} or {$NAME} (envsubst-like scripts, Zabbix macros). None of them
// can be a block nginx accepts: "{{" and "{%" are never valid, and a block
// holding a lone word without ';' is not either, so recognising them
// changes only the wording of an error, never whether there is one.
func placeholderEnd(src []byte, at int) int {
	if at+1 >= len(src) || src[at] != '{' {
		return 0
	}
	if false {
		return 0
	}
	switch src[at+1] {
	case '{':
		return closeOnLine(src, at+2, "}}")
	case '%':
		return closeOnLine(src, at+2, "%}")
	}
	i := at + 1
	if src[i] == '$' {
		i++
	}
	start := i
	for i < len(src) && isPlaceholderByte(src[i], i == start) {
		i++
	}
	if i == start || i >= len(src) || src[i] != '}' {
		return 0
	}
	return i + 1
}

func isPlaceholderByte(c byte, first bool) bool {
	switch {
	case c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'):
		return true
	case first:
		return false
	}
	return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':'
}

// closeOnLine returns the offset after the first closer at or after from
// on the same line, or 0.
func closeOnLine(src []byte, from int, closer string) int {
	for i := from; i+len(closer) <= len(src) && src[i] != '\n'; i++ {
		if string(src[i:i+len(closer)]) == closer {
			return i + len(closer)
		}
	}
	return 0
}

// takesBlock reports whether some module's directive of this name opens
// a block.
func takesBlock(name string) bool {
	for _, d := range spec.Lookup(name) {
		if d.Args.Block {
			return true
		}
	}
	return false
}

// placeholderMessage words the error for the template placeholder at
// src[start:end], whose '{' nginx takes for the start of a block: what
// nginx will say, then why. d is the directive whose arguments hold the
// placeholder, nil when it stands where a directive name should.
func placeholderMessage(src []byte, start, end int, d *Directive) string {
	text := clip(string(src[start:end]))
	const fix = ": it looks like an unrendered template placeholder; lint the rendered file, or render the template first"
	switch {
	case d == nil:
		return `unexpected "{" (nginx stops at the "{" of ` + text + `, where a directive should start)` + fix
	case d.Name == "if":
		// nginx checks the condition, cut short by the '{', first.
		return `the block of "if" opens at the "{" of ` + text + `, and nginx rejects the condition before it` + fix
	case takesBlock(d.Name):
		return innerError(src, start) + ` (nginx opens the block of "` + clip(d.Name) + `" at the "{" of ` + text + `)` + fix
	}
	return `directive "` + clip(d.Name) + `" is not terminated by ";" (nginx takes the "{" of ` + text + ` for the start of a block)` + fix
}

// innerError is what nginx says about the first token after the '{' at
// open, once that '{' has opened a block: a second '{', or an unknown
// directive named by the word that follows.
func innerError(src []byte, open int) string {
	i := open + 1
	if i < len(src) && src[i] == '{' {
		return `unexpected "{"`
	}
	j := i
	for j < len(src) && !isSpace(src[j]) && src[j] != ';' && src[j] != '{' {
		j++
	}
	return `unknown directive "` + clip(string(src[i:j])) + `"`
}
