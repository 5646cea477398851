package nginx

import (
	"strings"
	"testing"
)

// TestValueSpan: an offset into an argument's value lands on the byte of
// the source that wrote it, through quotes, escapes and line breaks.
func TestValueSpan(t *testing.T) {
	tests := []struct {
		src    string
		arg    int    // index of the argument in the first directive found
		value  string // its value, as a check of the case itself
		off    int    // offset in the value
		at     string // the source text from the mapped position on
		line   int32
		col    int32
		endLen int // ValueSpan(off, off+1) covers this many source bytes
	}{
		{"location ~ ^/a(b {}", 1, "^/a(b", 3, "(b {}", 1, 15, 1},
		{`rewrite "^/x\"(y" /z;`, 0, `^/x"(y`, 4, `(y" /z;`, 1, 15, 1},
		{`rewrite "^/x\"(y" /z;`, 0, `^/x"(y`, 3, `\"(y" /z;`, 1, 13, 2},
		{`if ($a ~ "a\\d(") {}`, 2, `a\d(`, 3, `(") {}`, 1, 15, 1},
		{`rewrite 'it\'s(' /;`, 0, `it's(`, 4, `(' /;`, 1, 15, 1},
		{"rewrite \"^a\nb(\" /;", 0, "^a\nb(", 4, "(\" /;", 2, 2, 1},
		{"rewrite \"^a\\nb(\" /;", 0, "^a\nb(", 4, "(\" /;", 1, 15, 1},
		{`rewrite "abc" /;`, 0, "abc", 3, `" /;`, 1, 13, 0}, // the end: before the quote
		{`rewrite é(x /;`, 0, "é(x", 2, "(x /;", 1, 10, 1},
	}
	for _, tt := range tests {
		c := parseString(tt.src)
		var d *Directive
		Walk(c, func(x *Directive) bool {
			if d == nil && len(x.Args) > tt.arg {
				d = x
			}
			return true
		})
		if d == nil {
			t.Errorf("%q: no directive with argument %d", tt.src, tt.arg)
			continue
		}
		a := d.Args[tt.arg]
		if a.Value != tt.value {
			t.Errorf("%q: argument %d is %q, want %q", tt.src, tt.arg, a.Value, tt.value)
			continue
		}
		sp := a.ValueSpan(tt.off, tt.off+1)
		if got := tt.src[sp.Start.Offset:]; got != tt.at {
			t.Errorf("%q: value offset %d maps to %q, want %q", tt.src, tt.off, got, tt.at)
		}
		if sp.Start.Line != tt.line || sp.Start.Col != tt.col {
			t.Errorf("%q: value offset %d at %d:%d, want %d:%d", tt.src, tt.off, sp.Start.Line, sp.Start.Col, tt.line, tt.col)
		}
		if want := c.File.Pos(sp.Start.Offset); sp.Start != want {
			t.Errorf("%q: start %+v, the file says %+v", tt.src, sp.Start, want)
		}
		if n := sp.End.Offset - sp.Start.Offset; n != tt.endLen {
			t.Errorf("%q: span of one value byte covers %d source bytes, want %d", tt.src, n, tt.endLen)
		}
		if want := c.File.Pos(sp.End.Offset); sp.End != want {
			t.Errorf("%q: end %+v, the file says %+v", tt.src, sp.End, want)
		}
	}
}

// TestRawOffsetBroken: a quoted word cut at the end of its line keeps its
// offsets inside the text that was read.
func TestRawOffsetBroken(t *testing.T) {
	c := parseString("rewrite \"ab(\nlocation / {}\n")
	var a *Arg
	Walk(c, func(d *Directive) bool {
		if d.Name == "rewrite" && len(d.Args) > 0 {
			a = d.Args[0]
		}
		return true
	})
	if a == nil {
		t.Fatal("no rewrite argument: the lexer dropped the broken quoted word")
	}
	i := strings.IndexByte(a.Value, '(')
	if i < 0 {
		t.Fatalf("value %q has no (", a.Value)
	}
	if r := a.RawOffset(i); r >= len(a.Raw()) || a.Raw()[r] != '(' {
		t.Errorf("RawOffset(%d) = %d in %q", i, r, a.Raw())
	}
}

// TestValueOffset: ValueOffset undoes RawOffset at every byte of a value,
// through quotes and escapes, and refuses the quotes and the second byte
// of an escape.
func TestValueOffset(t *testing.T) {
	for _, src := range []string{
		`rewrite ^/plain$ /;`,
		`rewrite "^/x\"(y" /z;`,
		`rewrite 'it\'s(' /;`,
		`rewrite "a\\b\tc" /;`,
		"rewrite \"^a\nb(\" /;",
		`rewrite "é\"x" /;`,
	} {
		c := parseString(src)
		a := c.Directives[0].Args[0]
		for v := 0; v <= len(a.Value); v++ {
			if got := a.ValueOffset(a.RawOffset(v)); got != v {
				t.Errorf("%s: value offset %d maps to raw %d and back to %d", src, v, a.RawOffset(v), got)
			}
		}
		if a.Quote != 0 {
			if got := a.ValueOffset(0); got != -1 {
				t.Errorf("%s: the opening quote maps to %d, want -1", src, got)
			}
		}
		if i := strings.IndexByte(a.Raw(), '\\'); i >= 0 {
			if got := a.ValueOffset(i + 1); got != -1 {
				t.Errorf("%s: the second byte of the escape at %d maps to %d, want -1", src, i, got)
			}
		}
	}
}
