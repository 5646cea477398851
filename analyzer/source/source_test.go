package source

import "testing"

func TestPositions(t *testing.T) {
	// "é" is 2 bytes / 1 UTF-16 unit; "𝄞" is 4 bytes / 2 UTF-16 units.
	f := NewFile("a.conf", "/a.conf", KindNginx, []byte("ab\r\né𝄞x;\n\nlast"))
	for _, tc := range []struct {
		offset, line, col int
	}{
		{0, 1, 1}, {2, 1, 3}, {4, 2, 1}, {6, 2, 2}, {10, 2, 4}, {11, 2, 5}, {13, 3, 1}, {14, 4, 1}, {18, 4, 5}, {99, 4, 5}, {-1, 1, 1},
	} {
		p := f.Pos(tc.offset)
		if p.Line != tc.line || p.Col != tc.col {
			t.Errorf("Pos(%d) = %d:%d, want %d:%d", tc.offset, p.Line, p.Col, tc.line, tc.col)
		}
	}
	if got := f.Line(1); got != "ab" {
		t.Errorf("Line(1) = %q (CR must be dropped)", got)
	}
	if got := f.Line(2); got != "é𝄞x;" {
		t.Errorf("Line(2) = %q", got)
	}
	if got := f.Line(4); got != "last" || f.Line(5) != "" || f.LineCount() != 4 {
		t.Errorf("Line(4) = %q, LineCount = %d", got, f.LineCount())
	}
	// OffsetOf counts code points, as YAML libraries report columns.
	if got := f.OffsetOf(2, 3); got != 10 {
		t.Errorf("OffsetOf(2, 3) = %d, want 10", got)
	}
	if got := f.OffsetOf(2, 99); got != 12 {
		t.Errorf("OffsetOf past the line = %d, want its end (12)", got)
	}
	s := f.Span(4, 10)
	if f.Text(s) != "é𝄞" || s.String() != "a.conf:2:1" || !s.Contains(4) || s.Contains(10) {
		t.Errorf("span %v text %q", s, f.Text(s))
	}
	if empty := f.Span(3, 3); !empty.Contains(3) {
		t.Error("an empty span contains its own start")
	}
}

func TestUTF16Len(t *testing.T) {
	for in, want := range map[string]int{"": 0, "abc": 3, "é": 1, "€": 1, "𝄞": 2, "\xff\xfe": 2} {
		if got := UTF16Len([]byte(in)); got != want {
			t.Errorf("UTF16Len(%q) = %d, want %d", in, got, want)
		}
	}
}
