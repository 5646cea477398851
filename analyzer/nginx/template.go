package nginx

import (
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
)

// placeholders finds the template placeholders of one source (see end),
// remembering for each closer the stretch of a line in which a search
// found none: any later search that starts inside it fails too. A line
// of 60,000 '{' was read to its end from each of them, a second of
// parsing for 60 KB.
type placeholders struct {
	src []byte
	// miss is, by closer ("}}", "%}"), the last failed search: from its
	// start to the end of its line there is no closer.
	miss [2]struct{ from, to int }
	// read counts the bytes the searches compared, for the test that
	// holds them to the length of the line.
	read int
}

var closers = [2]string{"}}", "%}"}

func newPlaceholders(src []byte) *placeholders {
	ph := &placeholders{src: src}
	for k := range ph.miss {
		ph.miss[k].from, ph.miss[k].to = -1, -1
	}
	return ph
}

// end returns the offset after a template placeholder that starts with
// the '{' at offset at, or 0 when there is none. Recognised, on one line:
// {{ ... }} (Jinja, Go templates, Helm), {% ... %} and {NAME} or {$NAME}
// (envsubst-like scripts, Zabbix macros). None of them can be a block
// nginx accepts: "{{" and "{%" are never valid, and a block holding a
// lone word without ';' is not either, so recognising them changes only
// the wording of an error, never whether there is one.
func (ph *placeholders) end(at int) int {
	src := ph.src
	if at+1 >= len(src) || src[at] != '{' {
		return 0
	}
	switch src[at+1] {
	case '{':
		return ph.closeOnLine(0, at+2)
	case '%':
		return ph.closeOnLine(1, at+2)
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

// closeOnLine returns the offset after the first closers[k] at or after
// from on the same line, or 0.
func (ph *placeholders) closeOnLine(k, from int) int {
	if m := ph.miss[k]; m.from >= 0 && from >= m.from && from <= m.to {
		return 0
	}
	src, closer := ph.src, closers[k]
	i := from
	for ; i+len(closer) <= len(src) && src[i] != '\n'; i++ {
		if string(src[i:i+len(closer)]) == closer {
			ph.read += i - from + 1
			return i + len(closer)
		}
	}
	ph.read += i - from
	ph.miss[k].from, ph.miss[k].to = from, i
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
