package main

import (
	"path"
	"regexp"
	"strings"
)

// fileFacts is what one C source blob declares. A blob is parsed once,
// however many tags hold it.
type fileFacts struct {
	commands []command
	vars     []variable
	modules  []module          // ngx_module_t definitions, in file order
	defines  map[string]string // object-like #defines (name -> body)
	prefixes []string          // "http_"-style prefixes matched by hand in old *_variables.c
}

type command struct {
	array   string // the ngx_command_t array it belongs to
	name    string
	flags   []string // identifiers OR'ed in the type field
	handler string   // the set function
}

type variable struct {
	name   string
	prefix bool
}

type module struct {
	name string
	body []string // identifiers in its initializer (the commands array is one)
}

var (
	reCommandArray = regexp.MustCompile(`ngx_command_t\s+(\w+)\s*\[\s*\w*\s*\]\s*=\s*\{`)
	reVarArray     = regexp.MustCompile(`ngx_(?:http|stream)_variable_t\s+\w+\s*\[\s*\w*\s*\]\s*=\s*\{`)
	reModule       = regexp.MustCompile(`ngx_module_t\s+(\w+)\s*=\s*\{`)
	reNgxString    = regexp.MustCompile(`^ngx_string\(\s*"([^"]*)"\s*\)$`)
	reIdent        = regexp.MustCompile(`[A-Za-z_]\w*`)
	reDefine       = regexp.MustCompile(`(?m)^[ \t]*#[ \t]*define[ \t]+(\w+)[ \t]+((?:[^\n\\]|\\\n)*)`)
	rePrefixCmp    = regexp.MustCompile(`ngx_strncmp\(\s*name->data\s*,\s*"([a-z0-9_]+_)"`)
)

// parseC extracts commands, variables, modules and #defines from C text.
// It never fails: text it cannot read is skipped.
func parseC(filename string, src []byte) *fileFacts {
	text := stripComments(string(src))
	f := &fileFacts{}
	for _, m := range reDefine.FindAllStringSubmatch(text, -1) {
		body := strings.TrimSpace(strings.ReplaceAll(m[2], "\\\n", " "))
		if f.defines == nil {
			f.defines = map[string]string{}
		}
		f.defines[m[1]] = body
	}
	text = dropIfZero(text)
	for _, loc := range reCommandArray.FindAllStringSubmatchIndex(text, -1) {
		array := text[loc[2]:loc[3]]
		body, ok := braceBody(text, loc[1]-1)
		if !ok {
			continue
		}
		for _, e := range entries(body) {
			fields := splitTop(e, ',')
			if len(fields) < 2 {
				continue
			}
			m := reNgxString.FindStringSubmatch(strings.TrimSpace(fields[0]))
			if m == nil {
				continue
			}
			c := command{array: array, name: m[1], flags: reIdent.FindAllString(fields[1], -1)}
			if len(fields) > 2 {
				c.handler = strings.TrimSpace(fields[2])
			}
			f.commands = append(f.commands, c)
		}
	}
	for _, loc := range reVarArray.FindAllStringIndex(text, -1) {
		body, ok := braceBody(text, loc[1]-1)
		if !ok {
			continue
		}
		for _, e := range entries(body) {
			fields := splitTop(e, ',')
			m := reNgxString.FindStringSubmatch(strings.TrimSpace(fields[0]))
			if m == nil || m[1] == "" {
				continue
			}
			v := variable{name: m[1]}
			for _, id := range reIdent.FindAllString(e, -1) {
				if id == "NGX_HTTP_VAR_PREFIX" || id == "NGX_STREAM_VAR_PREFIX" {
					v.prefix = true
				}
			}
			f.vars = append(f.vars, v)
		}
	}
	for _, loc := range reModule.FindAllStringSubmatchIndex(text, -1) {
		body, ok := braceBody(text, loc[1]-1)
		if !ok {
			continue
		}
		f.modules = append(f.modules, module{name: text[loc[2]:loc[3]], body: reIdent.FindAllString(body, -1)})
	}
	// Before prefix variables were flagged (1.11.10), the lookup matched
	// their names by hand in ngx_{http,stream}_variables.c.
	if strings.HasSuffix(path.Base(filename), "_variables.c") {
		seen := map[string]bool{}
		for _, m := range rePrefixCmp.FindAllStringSubmatch(text, -1) {
			if !seen[m[1]] {
				seen[m[1]] = true
				f.prefixes = append(f.prefixes, m[1])
			}
		}
	}
	return f
}

// stripComments blanks C comments, keeping string and char literals and
// newlines (so preprocessor lines stay lines).
func stripComments(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return b.String()
			}
			for _, r := range s[i : i+2+end+2] {
				if r == '\n' {
					b.WriteByte('\n')
				}
			}
			b.WriteByte(' ')
			i += 2 + end + 2
		case c == '/' && i+1 < len(s) && s[i+1] == '/':
			end := strings.IndexByte(s[i:], '\n')
			if end < 0 {
				return b.String()
			}
			i += end
		case c == '"' || c == '\'':
			j := i + 1
			for j < len(s) && s[j] != c && s[j] != '\n' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				b.WriteString(s[i:])
				return b.String()
			}
			b.WriteString(s[i : j+1])
			i = j + 1
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// dropIfZero removes `#if 0` ... `#endif` regions (nested conditionals
// counted), which hold code nginx never compiles.
func dropIfZero(s string) string {
	if !strings.Contains(s, "#if 0") {
		return s
	}
	lines := strings.Split(s, "\n")
	out := lines[:0]
	depth := 0 // nesting inside a dropped region
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if depth > 0 {
			switch {
			case strings.HasPrefix(t, "#if"):
				depth++
			case strings.HasPrefix(t, "#endif"):
				depth--
			case depth == 1 && (strings.HasPrefix(t, "#else") || strings.HasPrefix(t, "#elif")):
				depth = 0
			}
			continue
		}
		if t == "#if 0" || strings.HasPrefix(t, "#if 0 ") || strings.HasPrefix(t, "#if (0)") {
			depth = 1
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// braceBody returns the text between the '{' at open and its match.
func braceBody(s string, open int) (string, bool) {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return s[open+1 : i], true
			}
		case '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		}
	}
	return "", false
}

// entries splits an array initializer into its top-level { ... } items,
// skipping preprocessor lines between them.
func entries(body string) []string {
	var lines []string
	for _, l := range strings.Split(body, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			lines = append(lines, l)
		}
	}
	body = strings.Join(lines, "\n")
	var out []string
	for i := 0; i < len(body); i++ {
		if body[i] != '{' {
			continue
		}
		inner, ok := braceBody(body, i)
		if !ok {
			break
		}
		out = append(out, inner)
		i += len(inner) + 1
	}
	return out
}

// splitTop splits s at sep outside parentheses, braces and strings.
func splitTop(s string, sep byte) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '{', '[':
			depth++
		case ')', '}', ']':
			depth--
		case '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		case sep:
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}
