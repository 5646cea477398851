// Package source holds what every loader and consumer shares: a file's
// bytes, positions in it, spans, and positioned diagnostics.
//
// Column unit: every Col in this module is 1-based and counted in UTF-16
// code units, the unit LSP and SARIF (columnKind utf16CodeUnits) use, so
// one number serves text, JSON, SARIF and the editor alike. Offsets are
// byte offsets into File.Src and are what edits and fixes use.
package source

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"
	"unicode/utf8"
	"unsafe"

	"github.com/ngxlint/ngxlint/internal/parallel"
)

// Kind tells which loader a file belongs to.
type Kind int

const (
	KindNginx   Kind = iota // nginx configuration
	KindElastic             // elasticsearch.yml / opensearch.yml
)

func (k Kind) String() string {
	if k == KindElastic {
		return "elastic"
	}
	return "nginx"
}

// File is one input file. Path is the display path (relative to the working
// folder where possible); Abs is the absolute, cleaned path that identifies
// the file within a run ("" for a buffer with no file behind it).
type File struct {
	Path string
	Abs  string
	Kind Kind
	// Src is the file's text. It must not be changed once the File is
	// made: the nginx parser's words and arguments share its bytes.
	Src []byte

	// Comments found by the loader, in source order; suppression reads them.
	Comments []Comment

	// Opaque, when set, says why this file's content must never be
	// quoted (it was reached only through an include leaving the folders
	// being linted, or it is not configuration at all: an environment
	// file, binary data). Reports give its path and line, and this reason,
	// instead of messages and excerpts that would show its text.
	Opaque string

	lineStarts []int
	// wide marks the lines that hold a byte >= 0x80; on the others a
	// column is the byte distance plus one.
	wide []bool
	// marks holds, for each wide line longer than markStride, the column
	// and code point count at about every markStride bytes, so that a
	// lookup on a megabyte-long line scans at most markStride bytes.
	marks map[int][]mark
}

// markStride is the distance between two marks on a long non-ASCII line.
const markStride = 256

// mark is a checkpoint on a long line: off is a byte offset relative to
// the line start at a code point boundary, col16 the UTF-16 units and
// runes the code points before it.
type mark struct{ off, col16, runes int }

// Comment is a `#` comment: Text includes the leading '#'.
type Comment struct {
	Text string
	Span Span
	// Alone is true when nothing but white space precedes the comment on
	// its line.
	Alone bool
}

// NewFile indexes src for position lookups: every lookup afterwards costs
// a binary search over the lines plus at most markStride bytes of scanning.
func NewFile(path, abs string, kind Kind, src []byte) *File {
	f := &File{Path: path, Abs: abs, Kind: kind, Src: src}
	// Counting the lines first sizes both tables exactly: appending to
	// them copied a large file's tables a dozen times over. A large file
	// is indexed in two halves at once, split after a line break: its
	// index (4 ms for 10 MB) comes before the parse can start.
	mid := -1
	if len(src) >= indexHalvesFrom {
		if i := bytes.IndexByte(src[len(src)/2:], '\n'); i >= 0 {
			mid = len(src)/2 + i + 1
		}
	}
	if mid < 0 {
		n := bytes.Count(src, []byte{'\n'}) + 1
		f.lineStarts, f.wide = make([]int, n), make([]bool, n)
		indexLines(src, 0, len(src)+1, f.lineStarts, f.wide)
	} else {
		var breaks [2]int
		halves := [2][]byte{src[:mid], src[mid:]}
		parallel.Each(2, func(h int) { breaks[h] = bytes.Count(halves[h], []byte{'\n'}) })
		c1 := breaks[0] // the lines that start before mid
		n := c1 + breaks[1] + 1
		f.lineStarts, f.wide = make([]int, n), make([]bool, n)
		parallel.Each(2, func(h int) {
			if h == 0 {
				indexLines(src, 0, mid, f.lineStarts[:c1], f.wide[:c1])
			} else {
				indexLines(src, mid, len(src)+1, f.lineStarts[c1:], f.wide[c1:])
			}
		})
	}
	for i, w := range f.wide {
		if w && f.lineEnd(i+1)-f.lineStarts[i] > markStride {
			f.indexLine(i + 1)
		}
	}
	return f
}

// indexHalvesFrom is the size from which NewFile indexes a file in two
// halves at once. A variable for the tests.
var indexHalvesFrom = 1 << 20

// indexLines records the lines of src that start in [start, stop), the
// first at starts[0] and wide[0]: where each starts, and whether it holds
// a byte past ASCII. A line starts at start and after each line break.
func indexLines(src []byte, start, stop int, starts []int, wide []bool) {
	for k := 0; ; k++ {
		starts[k] = start
		end := len(src)
		if i := bytes.IndexByte(src[start:], '\n'); i >= 0 {
			end = start + i
		}
		wide[k] = !IsASCII(src[start:end])
		if end == len(src) || end+1 >= stop {
			return
		}
		start = end + 1
	}
}

// IsASCII reports whether b holds no byte >= 0x80, eight bytes at a time.
func IsASCII(b []byte) bool {
	const high = 0x8080808080808080
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&high != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// IsASCIIString is IsASCII for a string: a name in ASCII compares without
// letter case by its lower case, where one beyond it may fold otherwise
// (the Kelvin sign folds to k).
func IsASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// LineEnd returns the byte offset at which the text of a 1-based line ends
// (before its "\n" or "\r\n"), without copying the line.
func (f *File) LineEnd(line int) int {
	if line < 1 || line > len(f.lineStarts) {
		return f.LineStart(line)
	}
	end := f.lineEnd(line)
	if end > f.lineStarts[line-1] && f.Src[end-1] == '\r' {
		end--
	}
	return end
}

// lineEnd is the offset of the '\n' ending a 1-based line (or the end of
// the file).
func (f *File) lineEnd(line int) int {
	if line < len(f.lineStarts) {
		return f.lineStarts[line] - 1
	}
	return len(f.Src)
}

// indexLine records the marks of one long non-ASCII line, decoding it as
// UTF16Len does so that counting from a mark gives the same answer as
// counting from the line start.
func (f *File) indexLine(line int) {
	start, end := f.lineStarts[line-1], f.lineEnd(line)
	var ms []mark
	col16, runes, next := 0, 0, markStride
	for i := start; i < end; {
		if i-start >= next {
			ms = append(ms, mark{off: i - start, col16: col16, runes: runes})
			next = i - start + markStride
		}
		r, size := rune(f.Src[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(f.Src[i:])
		}
		col16++
		if r >= 0x10000 {
			col16++
		}
		runes++
		i += size
	}
	if f.marks == nil {
		f.marks = map[int][]mark{}
	}
	f.marks[line] = ms
}

// LineCount is the number of lines (a final line without '\n' counts).
func (f *File) LineCount() int { return len(f.lineStarts) }

// LineStart returns the byte offset at which 1-based line begins.
func (f *File) LineStart(line int) int {
	if line < 1 {
		return 0
	}
	if line > len(f.lineStarts) {
		return len(f.Src)
	}
	return f.lineStarts[line-1]
}

// Line returns the text of a 1-based line without its line ending.
func (f *File) Line(line int) string {
	if line < 1 || line > len(f.lineStarts) {
		return ""
	}
	start := f.lineStarts[line-1]
	end := len(f.Src)
	if line < len(f.lineStarts) {
		end = f.lineStarts[line] - 1
	}
	if end > start && f.Src[end-1] == '\r' {
		end--
	}
	return string(f.Src[start:end])
}

// Pos returns the position of a byte offset (clamped to the file).
func (f *File) Pos(offset int) Pos {
	if offset < 0 {
		offset = 0
	}
	if offset > len(f.Src) {
		offset = len(f.Src)
	}
	line := sort.SearchInts(f.lineStarts, offset+1) // first start past offset
	start := f.lineStarts[line-1]
	if !f.wide[line-1] {
		return Pos{Offset: offset, Line: int32(line), Col: int32(1 + offset - start)}
	}
	col := 1
	ms := f.marks[line]
	if k := sort.Search(len(ms), func(i int) bool { return ms[i].off > offset-start }); k > 0 {
		col += ms[k-1].col16
		start += ms[k-1].off
	}
	return Pos{Offset: offset, Line: int32(line), Col: int32(col + UTF16Len(f.Src[start:offset]))}
}

// OffsetOf converts a 1-based line and a 1-based column counted in Unicode
// code points (the unit YAML libraries report) to a byte offset.
func (f *File) OffsetOf(line, runeCol int) int {
	line = max(line, 1)
	off := f.LineStart(line)
	if line > len(f.lineStarts) {
		return off
	}
	if !f.wide[line-1] {
		return min(off+max(runeCol-1, 0), f.lineEnd(line))
	}
	n := 1
	ms := f.marks[line]
	if k := sort.Search(len(ms), func(i int) bool { return ms[i].runes >= runeCol }); k > 0 {
		n += ms[k-1].runes
		off += ms[k-1].off
	}
	for ; n < runeCol && off < len(f.Src) && f.Src[off] != '\n'; n++ {
		_, size := utf8.DecodeRune(f.Src[off:])
		off += size
	}
	return off
}

// LineIndent returns the blanks between the start of offset's line and
// offset, and false when something else precedes offset on its line:
// where a fix inserts a line before a directive, it indents it the same.
func (f *File) LineIndent(offset int) (string, bool) {
	start := offset
	for start > 0 && (f.Src[start-1] == ' ' || f.Src[start-1] == '\t') {
		start--
	}
	if start > 0 && f.Src[start-1] != '\n' {
		return "", false
	}
	return string(f.Src[start:offset]), true
}

// Span returns the span of the byte range [start, end).
func (f *File) Span(start, end int) Span {
	s := f.Pos(start)
	line := int(s.Line) // 1-based: lineStarts[line] is the next line's start
	if end >= s.Offset && !f.wide[line-1] && (line < len(f.lineStarts) && end < f.lineStarts[line] || line == len(f.lineStarts) && end <= len(f.Src)) {
		// on the same ASCII line: no second search
		return Span{File: f.Path, Start: s, End: Pos{Offset: end, Line: s.Line, Col: s.Col + int32(end-s.Offset)}}
	}
	return Span{File: f.Path, Start: s, End: f.Pos(end)}
}

// Slice returns the text of the byte range [start, end) (clamped to the
// file) without copying it: Src never changes once the File is made.
func (f *File) Slice(start, end int) string {
	start, end = max(0, min(start, len(f.Src))), max(0, min(end, len(f.Src)))
	if start >= end {
		return ""
	}
	return unsafe.String(&f.Src[start], end-start)
}

// Text returns the source text of a span of this file.
func (f *File) Text(s Span) string {
	if s.Start.Offset < 0 || s.End.Offset > len(f.Src) || s.Start.Offset > s.End.Offset {
		return ""
	}
	return string(f.Src[s.Start.Offset:s.End.Offset])
}

// UTF16Len counts the UTF-16 code units of b. An invalid byte counts as
// one unit: editors show it as one U+FFFD.
func UTF16Len(b []byte) int {
	n := 0
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		n++
		if r >= 0x10000 { // outside the BMP: a surrogate pair
			n++
		}
		i += size
	}
	return n
}

// Pos is a position: a byte offset, a 1-based line and a 1-based column in
// UTF-16 code units.
type Pos struct {
	Offset int   `json:"offset"`
	Line   int32 `json:"line"`
	Col    int32 `json:"column"`
}

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// Span is a half-open range [Start, End) in one file, named by display path.
type Span struct {
	File  string
	Start Pos
	End   Pos
}

func (s Span) String() string { return fmt.Sprintf("%s:%d:%d", s.File, s.Start.Line, s.Start.Col) }

// IsZero reports whether the span was never set.
func (s Span) IsZero() bool { return s.File == "" && s.Start.Line == 0 }

// Contains reports whether the byte offset lies in the span (an empty span
// contains its own start).
func (s Span) Contains(offset int) bool {
	return offset >= s.Start.Offset && (offset < s.End.Offset || offset == s.Start.Offset)
}

// Diagnostic is a positioned problem found while loading a file: a syntax
// error, a bad include, a YAML duplicate. Code names the analyzer rule that
// reports it (for example "nginx-syntax").
type Diagnostic struct {
	Code    string
	Span    Span
	Message string
	// Related points at a second place that explains the first (the other
	// definition of a duplicate key, the including file of a cycle).
	Related []Related
	// Info lowers the severity to info: the loader cannot tell for sure.
	Info bool
}

// Related is a secondary location with a short note.
type Related struct {
	Span    Span
	Message string
}
