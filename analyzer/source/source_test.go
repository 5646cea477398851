package source

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestPositions(t *testing.T) {
	// "é" is 2 bytes / 1 UTF-16 unit; "𝄞" is 4 bytes / 2 UTF-16 units.
	f := NewFile("a.conf", "/a.conf", KindNginx, []byte("ab\r\né𝄞x;\n\nlast"))
	for _, tc := range []struct {
		offset    int
		line, col int32
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

// naivePos and naiveOffsetOf are the definitions the indexed lookups must
// agree with: count from the start of the line.
func naivePos(f *File, offset int) Pos {
	offset = max(0, min(offset, len(f.Src)))
	line := 1
	for _, s := range f.lineStarts[1:] {
		if s <= offset {
			line++
		}
	}
	start := f.lineStarts[line-1]
	return Pos{Offset: offset, Line: int32(line), Col: int32(1 + UTF16Len(f.Src[start:offset]))}
}

func naiveOffsetOf(f *File, line, runeCol int) int {
	off := f.LineStart(line)
	for n := 1; n < runeCol && off < len(f.Src) && f.Src[off] != '\n'; n++ {
		_, size := utf8.DecodeRune(f.Src[off:])
		off += size
	}
	return off
}

func TestPositionsAgreeWithNaive(t *testing.T) {
	long := strings.Repeat("aé𝄞\xff-", 300) // past markStride, with every width
	for _, src := range []string{"", "\n", "abc", long, "x\n" + long + "\r\nascii line\n" + long, long + "\n"} {
		f := NewFile("f", "", KindNginx, []byte(src))
		for off := -1; off <= len(src)+1; off++ {
			if got, want := f.Pos(off), naivePos(f, off); got != want {
				t.Fatalf("%q: Pos(%d) = %v, want %v", src[:min(len(src), 10)], off, got, want)
			}
		}
		for line := 0; line <= f.LineCount()+1; line++ {
			for col := -1; col < 1600; col += 7 {
				if got, want := f.OffsetOf(line, col), naiveOffsetOf(f, line, col); got != want {
					t.Fatalf("OffsetOf(%d, %d) = %d, want %d", line, col, got, want)
				}
			}
		}
	}
}

// TestPositionsLongLine: a lookup must not walk from the start of the
// line (a 40,000-item YAML flow list took 23 s that way). It compares the
// cost of lookups near the end of a 16 KB line and of a 1 MB line: walking
// makes the second 64 times dearer, an index keeps them close. A ratio,
// not a duration, so that a loaded machine does not decide the result.
func TestPositionsLongLine(t *testing.T) {
	for _, unit := range []string{"abcd", "é𝄞"} {
		cost := func(size int) time.Duration {
			f := NewFile("f", "", KindNginx, []byte(strings.Repeat(unit, size/len(unit))))
			best := time.Duration(1 << 62)
			for range 5 {
				start := time.Now()
				for i := range 200 {
					p := f.Pos(len(f.Src) - 1 - i*7)
					if f.OffsetOf(1, int(p.Col)) < 0 {
						t.Fatal("negative offset")
					}
				}
				best = min(best, time.Since(start))
			}
			return best
		}
		small, large := cost(16<<10), cost(1<<20)
		if large > 8*small+time.Millisecond {
			t.Errorf("%q: lookups on a 1 MB line cost %v, on a 16 KB line %v: they grow with the line", unit, large, small)
		}
	}
}

// The line tables agree with a byte-by-byte reading: a line start after
// every '\n', and a line wide when it holds any byte >= 0x80, wherever
// that byte falls in the eight-byte words isASCII reads.
func TestLineTables(t *testing.T) {
	srcs := []string{"", "\n", "\n\n", "a", "abc\n", "é", "1234567é\n12345678é", "\x80" + strings.Repeat("a", 20),
		strings.Repeat("a", 15) + "\xff\nplain ascii line here\r\n" + strings.Repeat("b", 16) + "é", "last\xff"}
	for n := 0; n <= 20; n++ { // one high byte at each position of a 20-byte line, then none
		line := []byte(strings.Repeat("x", 20))
		if n < 20 {
			line[n] = 0xc3
		}
		srcs = append(srcs, "top\n"+string(line)+"\nend")
	}
	for _, src := range srcs {
		f := NewFile("f", "", KindNginx, []byte(src))
		starts, wide := []int{0}, []bool{}
		w := false
		for i := 0; i < len(src); i++ {
			switch {
			case src[i] == '\n':
				wide, w = append(wide, w), false
				starts = append(starts, i+1)
			case src[i] >= 0x80:
				w = true
			}
		}
		wide = append(wide, w)
		if !slices.Equal(f.lineStarts, starts) || !slices.Equal(f.wide, wide) {
			t.Errorf("%q: starts %v wide %v, want %v %v", src, f.lineStarts, f.wide, starts, wide)
		}
	}
}

func TestLineIndent(t *testing.T) {
	f := NewFile("a.conf", "/a.conf", KindNginx, []byte("http {\n    \tserver {}\n    x; y;\n"))
	for _, tt := range []struct {
		needle string
		indent string
		ok     bool
	}{
		{"http", "", true},
		{"server", "    \t", true},
		{"x;", "    ", true},
		{"y;", "", false},
	} {
		off := strings.Index(string(f.Src), tt.needle)
		if got, ok := f.LineIndent(off); got != tt.indent || ok != tt.ok {
			t.Errorf("LineIndent before %q = %q, %v; want %q, %v", tt.needle, got, ok, tt.indent, tt.ok)
		}
	}
}

// Span answers a range on one ASCII line without a second search; every
// range of a text with ASCII, wide, CRLF and unterminated lines must
// still be the two positions Pos gives.
func TestSpanAgreesWithPos(t *testing.T) {
	for _, text := range []string{"", "a", "ab\ncd", "x\r\ny é𝄞 z\n\nlast", "one\n", "é\nab"} {
		f := NewFile("f.conf", "/f.conf", KindNginx, []byte(text))
		for start := -1; start <= len(text)+1; start++ {
			for end := start; end <= len(text)+1; end++ {
				want := Span{File: "f.conf", Start: f.Pos(start), End: f.Pos(end)}
				if got := f.Span(start, end); got != want {
					t.Fatalf("%q: Span(%d, %d) = %+v, want %+v", text, start, end, got, want)
				}
			}
		}
	}
}

func TestSlice(t *testing.T) {
	f := NewFile("f.conf", "/f.conf", KindNginx, []byte("listen 80;"))
	for _, c := range []struct {
		start, end int
		want       string
	}{{0, 6, "listen"}, {7, 9, "80"}, {7, 99, "80;"}, {-3, 1, "l"}, {5, 5, ""}, {6, 2, ""}} {
		if got := f.Slice(c.start, c.end); got != c.want {
			t.Errorf("Slice(%d, %d) = %q, want %q", c.start, c.end, got, c.want)
		}
	}
}

// A large file is indexed in two halves at once; the tables must be the
// ones a single pass makes, wherever the middle falls.
func TestIndexInHalves(t *testing.T) {
	texts := []string{"", "a", "\n", "\n\n\n", "ab\ncd", "abc\n", "x\r\ny é𝄞 z\n\nlast", "é\n" + strings.Repeat("é", 600) + "\nb"}
	r := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "bc", "\n", "\r\n", "é", "𝄞", "    ", "server { listen 80; }", strings.Repeat("ü", 300)}
	for range 200 {
		var b strings.Builder
		for range r.IntN(60) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	old := indexHalvesFrom
	defer func() { indexHalvesFrom = old }()
	for _, text := range texts {
		indexHalvesFrom = 1 << 62
		one := NewFile("f", "f", KindNginx, []byte(text))
		indexHalvesFrom = 1
		two := NewFile("f", "f", KindNginx, []byte(text))
		if !reflect.DeepEqual(one.lineStarts, two.lineStarts) || !reflect.DeepEqual(one.wide, two.wide) || !reflect.DeepEqual(one.marks, two.marks) {
			t.Fatalf("%q: in halves %v %v, in one pass %v %v", text, two.lineStarts, two.wide, one.lineStarts, one.wide)
		}
	}
}
