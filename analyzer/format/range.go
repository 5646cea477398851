package format

import "bytes"

// Edit replaces src[Start:End] (byte offsets) with New.
type Edit struct {
	Start, End int
	New        []byte
}

// Range formats the lines of src that [start, end) touches and returns
// the one edit that does so; lines outside are left as they are. The
// region grows to whole lines and to whole statements where formatting
// would join or split lines across its edge (a '{' moved up to its
// directive's line, an end-of-line comment). An empty region gives an
// edit that changes nothing (New equal to the text it replaces).
func Range(path string, src []byte, start, end int, opt Options) (Edit, error) {
	r, err := layout(path, src, opt)
	if err != nil {
		return Edit{}, err
	}
	from, to := lineStart(src, start), lineEnd(src, max(end-1, start))
	i, j := -1, -1
	for k, t := range r.toks {
		if t.start < to && t.end > from {
			if i < 0 {
				i = k
			}
			j = k
		}
	}
	if i < 0 {
		return Edit{Start: from, End: from, New: nil}, nil
	}
	for i > 0 && (!firstOnLine(src, r.toks[i].start) || !firstOnLine(r.out, r.toks[i].out)) {
		i--
	}
	for j < len(r.toks)-1 && (sameLine(src, r.toks[j].end, r.toks[j+1].start) || sameLine(r.out, r.toks[j].outEnd, r.toks[j+1].out)) {
		j++
	}
	s0, s1 := lineStart(src, r.toks[i].start), lineEnd(src, r.toks[j].end)
	o0, o1 := lineStart(r.out, r.toks[i].out), lineEnd(r.out, r.toks[j].outEnd)
	return Edit{Start: s0, End: s1, New: r.out[o0:o1]}, nil
}

// lineStart is the offset of the start of off's line.
func lineStart(b []byte, off int) int {
	off = min(max(off, 0), len(b))
	return bytes.LastIndexByte(b[:off], '\n') + 1
}

// lineEnd is the offset just after the '\n' that ends off's line (or the
// end of b).
func lineEnd(b []byte, off int) int {
	off = min(max(off, 0), len(b))
	if i := bytes.IndexByte(b[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(b)
}

// firstOnLine reports whether only blanks precede off on its line.
func firstOnLine(b []byte, off int) bool {
	return len(bytes.Trim(b[lineStart(b, off):off], " \t")) == 0
}

// sameLine reports whether no line break lies between a and b.
func sameLine(b []byte, a, c int) bool {
	return bytes.IndexByte(b[a:c], '\n') < 0
}
