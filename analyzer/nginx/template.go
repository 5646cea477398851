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

// placeholderMessage words the error for a template placeholder whose '{'
// nginx takes for the start of a block: what nginx will say, then why.
// d is the directive whose arguments hold the placeholder, nil when the
// placeholder stands where a directive name should.
func placeholderMessage(text string, d *Directive) string {
	const fix = "; lint the rendered file, or render the template first"
	what := clip(text) + ` looks like an unrendered template placeholder`
	switch {
	case d == nil:
		return `unexpected "{" (nginx stops here): ` + what + fix
	case takesBlock(d.Name):
		return `the block of "` + clip(d.Name) + `" opens at the "{" of ` + clip(text) + ` (nginx then stops inside it): it` +
			what[len(clip(text)):] + fix
	}
	return `directive "` + clip(d.Name) + `" is not terminated by ";" (nginx takes the "{" of ` + clip(text) +
		` for the start of a block): it` + what[len(clip(text)):] + fix
}
