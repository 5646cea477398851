// Package report renders findings for people and programs: text (with the
// source line and a caret under the span) and the JSON contract.
package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/source"
	"github.com/ngxlint/ngxlint/internal/parallel"
)

// Options tunes the renderers.
type Options struct {
	// Color adds ANSI colours (text only).
	Color bool
	// Version is the ngxlint version printed in machine formats.
	Version string
}

// Location is a span in the JSON contract: 1-based lines, 1-based columns
// in UTF-16 code units, endColumn exclusive (the column after the last
// character), as in SARIF and LSP.
type Location struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
}

func locationOf(s source.Span) Location {
	return Location{File: s.File, Line: int(s.Start.Line), Column: int(s.Start.Col), EndLine: int(s.End.Line), EndColumn: int(s.End.Col)}
}

// JSONFinding is one finding in the JSON contract.
type JSONFinding struct {
	Rule     string `json:"rule"`
	Name     string `json:"name"`
	Severity string `json:"severity"`
	Location
	Message string           `json:"message"`
	Related []JSONRelated    `json:"related"`
	Fix     *JSONFix         `json:"fix,omitempty"`
	Live    *analyzer.Live   `json:"live,omitempty"`
	Target  *analyzer.Target `json:"-"`
}

// JSONRelated is a secondary location.
type JSONRelated struct {
	Location
	Message string `json:"message"`
}

// JSONFix is a fix: byte offsets make it applicable without re-parsing.
type JSONFix struct {
	Title string     `json:"title"`
	Safe  bool       `json:"safe"`
	Edits []JSONEdit `json:"edits"`
}

// JSONEdit replaces [offset, endOffset) of file with newText.
type JSONEdit struct {
	Location
	Offset    int    `json:"offset"`
	EndOffset int    `json:"endOffset"`
	NewText   string `json:"newText"`
}

// JSONReport is the top-level JSON document.
type JSONReport struct {
	Version  string        `json:"version"`
	Findings []JSONFinding `json:"findings"`
}

// ToJSON converts findings to the JSON contract's shape.
func ToJSON(fs []analyzer.Finding, version string) JSONReport {
	out := JSONReport{Version: version, Findings: make([]JSONFinding, 0, len(fs))}
	for _, f := range fs {
		out.Findings = append(out.Findings, jsonFinding(f))
	}
	return out
}

// jsonFinding is one finding in the contract's shape.
func jsonFinding(f analyzer.Finding) JSONFinding {
	jf := JSONFinding{
		Rule: f.Rule.ID, Name: f.Rule.Name, Severity: f.Severity.String(),
		Location: locationOf(f.Span), Message: f.Message, Related: []JSONRelated{}, Live: f.Live,
	}
	for _, r := range f.Related {
		jf.Related = append(jf.Related, JSONRelated{Location: locationOf(r.Span), Message: r.Message})
	}
	if f.Fix != nil {
		fix := &JSONFix{Title: f.Fix.Title, Safe: f.Fix.Safe, Edits: []JSONEdit{}}
		for _, e := range f.Fix.Edits {
			fix.Edits = append(fix.Edits, JSONEdit{Location: locationOf(e.Span), Offset: e.Span.Start.Offset, EndOffset: e.Span.End.Offset, NewText: e.NewText})
		}
		jf.Fix = fix
	}
	return jf
}

// JSON writes the findings as the JSON contract, indented: byte for byte
// what encoding/json gives for the whole JSONReport (a test holds it to
// that), but written one finding at a time by hand. Reflection and
// re-indenting a large report whole cost a third of a lint run's
// allocations and held the report twice in memory.
func JSON(w io.Writer, fs []analyzer.Finding, opt Options) error {
	b := stickyWriter{bufio.NewWriterSize(w, 64<<10)}
	b.str("{\n  \"version\": ")
	jsonString(b, opt.Version)
	b.str(",\n  \"findings\": [")
	err := inBatches(b, len(fs), func(b stickyWriter, i int) error {
		if i > 0 {
			b.byte(',')
		}
		return writeJSONFinding(b, fs[i])
	})
	if err != nil {
		return err
	}
	if len(fs) > 0 {
		b.str("\n  ")
	}
	b.str("]\n}\n")
	return b.w.Flush()
}

// writeJSONFinding writes one finding's object of the JSON report.
func writeJSONFinding(b stickyWriter, f analyzer.Finding) error {
	b.str("\n    {")
	field(b, 6, "rule", f.Rule.ID, true)
	field(b, 6, "name", f.Rule.Name, false)
	field(b, 6, "severity", f.Severity.String(), false)
	location(b, 6, f.Span, false)
	field(b, 6, "message", f.Message, false)
	b.str(",\n      \"related\": [")
	for k, r := range f.Related {
		if k > 0 {
			b.byte(',')
		}
		b.str("\n        {")
		location(b, 10, r.Span, true)
		field(b, 10, "message", r.Message, false)
		b.str("\n        }")
	}
	if len(f.Related) > 0 {
		b.str("\n      ")
	}
	b.byte(']')
	if f.Fix != nil {
		b.str(",\n      \"fix\": {")
		field(b, 8, "title", f.Fix.Title, true)
		b.str(",\n        \"safe\": ")
		b.str(strconv.FormatBool(f.Fix.Safe))
		b.str(",\n        \"edits\": [")
		for k, e := range f.Fix.Edits {
			if k > 0 {
				b.byte(',')
			}
			b.str("\n          {")
			location(b, 12, e.Span, true)
			number(b, 12, "offset", e.Span.Start.Offset)
			number(b, 12, "endOffset", e.Span.End.Offset)
			field(b, 12, "newText", e.NewText, false)
			b.str("\n          }")
		}
		if len(f.Fix.Edits) > 0 {
			b.str("\n        ")
		}
		b.str("]\n      }")
	}
	if f.Live != nil {
		live, err := json.MarshalIndent(f.Live, "      ", "  ")
		if err != nil {
			return err
		}
		b.str(",\n      \"live\": ")
		b.bytes(live)
	}
	b.str("\n    }")
	return nil
}

// field writes one string member: `,\n<indent>"key": "value"`, with no
// comma before an object's first member.
func field(b stickyWriter, indent int, key, value string, first bool) {
	member(b, indent, key, first)
	jsonString(b, value)
}

func number(b stickyWriter, indent int, key string, n int) {
	member(b, indent, key, false)
	b.str(strconv.Itoa(n))
}

func member(b stickyWriter, indent int, key string, first bool) {
	if !first {
		b.byte(',')
	}
	b.byte('\n')
	for range indent {
		b.byte(' ')
	}
	b.byte('"')
	b.str(key)
	b.str("\": ")
}

// location writes a Location's members, first in its object.
func location(b stickyWriter, indent int, s source.Span, first bool) {
	field(b, indent, "file", s.File, first)
	number(b, indent, "line", int(s.Start.Line))
	number(b, indent, "column", int(s.Start.Col))
	number(b, indent, "endLine", int(s.End.Line))
	number(b, indent, "endColumn", int(s.End.Col))
}

// jsonString writes s quoted as encoding/json does: printable ASCII as it
// is, with its escapes for quote, backslash, HTML's <, > and &, and
// newline, return and tab; anything else goes through encoding/json.
func jsonString(b stickyWriter, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c >= utf8.RuneSelf {
			q, _ := json.Marshal(s) // a string always encodes
			b.bytes(q)
			return
		}
	}
	b.byte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '"':
			esc = `\"`
		case '\\':
			esc = `\\`
		case '\n':
			esc = `\n`
		case '\r':
			esc = `\r`
		case '\t':
			esc = `\t`
		case '<':
			esc = `\u003c`
		case '>':
			esc = `\u003e`
		case '&':
			esc = `\u0026`
		default:
			continue
		}
		b.str(s[start:i])
		b.str(esc)
		start = i + 1
	}
	b.str(s[start:])
	b.byte('"')
}

// stickyWriter writes to a bufio.Writer, which keeps its first error and
// returns it from Flush: the writes themselves need no check.
type stickyWriter struct{ w *bufio.Writer }

func (b stickyWriter) str(s string)   { _, _ = b.w.WriteString(s) }
func (b stickyWriter) byte(c byte)    { _ = b.w.WriteByte(c) }
func (b stickyWriter) bytes(p []byte) { _, _ = b.w.Write(p) }

// strs writes each of parts in turn.
func (b stickyWriter) strs(parts ...string) {
	for _, p := range parts {
		b.str(p)
	}
}

// batchFrom is the size of a report whose findings inBatches writes on
// all cores; a smaller one (the 300-host tree's 1,205 findings take 2 ms)
// is written on this goroutine, as it goes, with no buffers beside. A
// variable for the tests.
var batchFrom = 4096

// inBatches calls write for each of n findings in order, into b. A large
// report's findings are written a batch at a time on all cores, each into
// a buffer of its own, and the buffers copied into b in order: the text
// and JSON of the 10 MB file's 12,700 findings took 20-25 ms on one core
// after the rules, every other core idle. What a batch holds bounds the
// memory this takes. write's first error is returned.
func inBatches(b stickyWriter, n int, write func(b stickyWriter, i int) error) error {
	if n < batchFrom || runtime.GOMAXPROCS(0) < 2 {
		for i := range n {
			if err := write(b, i); err != nil {
				return err
			}
		}
		return nil
	}
	const batch = 256
	var bufs [batch]bytes.Buffer
	var ws [batch]*bufio.Writer
	var errs [batch]error
	for start := 0; start < n; start += batch {
		m := min(batch, n-start)
		parallel.Each(m, func(k int) {
			bufs[k].Reset()
			if ws[k] == nil {
				ws[k] = bufio.NewWriterSize(&bufs[k], 1<<10)
			}
			errs[k] = write(stickyWriter{ws[k]}, start+k)
			_ = ws[k].Flush() // into a bytes.Buffer: cannot fail
		})
		for k := range m {
			if errs[k] != nil {
				return errs[k]
			}
			b.bytes(bufs[k].Bytes())
		}
	}
	return nil
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[1;31m"
	ansiYellow = "\x1b[1;33m"
	ansiBlue   = "\x1b[1;34m"
	ansiGreen  = "\x1b[1;32m"
	ansiDim    = "\x1b[2m"
)

// Text writes `file:line:col: severity: message [name]`, the source line
// and a caret under the span, for each finding, then a one-line summary.
func Text(w io.Writer, ws *analyzer.Workspace, fs []analyzer.Finding, opt Options) error {
	// Written as it goes (a batch at a time, see inBatches), so that
	// memory does not grow with the report.
	b := stickyWriter{bufio.NewWriter(w)}
	counts := map[analyzer.Severity]int{}
	for _, f := range fs {
		counts[f.Severity]++
	}
	_ = inBatches(b, len(fs), func(b stickyWriter, i int) error {
		textFinding(b, ws, fs[i], opt.Color)
		return nil
	})
	if len(fs) > 0 {
		b.str(Summary(counts) + "\n")
	}
	return b.w.Flush()
}

// textFinding writes one finding of the text report: its line, a window
// of its source line with a caret, its related locations, fix and live
// evidence.
func textFinding(b stickyWriter, ws *analyzer.Workspace, f analyzer.Finding, color bool) {
	// Written piece by piece, not through fmt: a large report's findings
	// were a twentieth of the lint's CPU, half of it in Fprintf.
	paint := func(code string) (on, off string) {
		if color {
			return code, ansiReset
		}
		return "", ""
	}
	code := ansiBlue
	switch f.Severity {
	case analyzer.Error:
		code = ansiRed
	case analyzer.Warning:
		code = ansiYellow
	}
	on, off := paint(ansiBold)
	b.str(on)
	writePosition(b, f.Span)
	b.str(off)
	on, off = paint(code)
	b.strs(": ", on, f.Severity.String(), off, ": ", f.Message, " ")
	on, off = paint(ansiDim)
	b.strs(on, "[", f.Rule.Name, "]", off, "\n")
	if file := ws.File(f.Span.File); file != nil && file.Opaque == "" {
		on, off = paint(ansiGreen)
		writeExcerpt(b, file, f.Span, on, off)
	}
	for _, r := range f.Related {
		b.str("    ")
		writePosition(b, r.Span)
		b.strs(": ", r.Message, "\n")
	}
	if f.Fix != nil {
		kind := "unsafe fix"
		if f.Fix.Safe {
			kind = "fix"
		}
		b.strs("    ", kind, ": ", f.Fix.Title, "\n")
	}
	if f.Live != nil {
		b.strs("    live: ", f.Live.Status)
		if f.Live.Summary != "" {
			b.strs(": ", f.Live.Summary)
		}
		b.byte('\n')
		for _, e := range f.Live.Evidence {
			if e.Name != "" { // a DNS question: which name, to which server
				fmt.Fprintf(b.w, "      %s asked about %s: %s (%d ms)\n", e.Address, e.Name, e.Result, e.MS)
				continue
			}
			fmt.Fprintf(b.w, "      %s %s (%d ms)\n", e.Address, e.Result, e.MS)
		}
	}
}

// writePosition writes what Span.String gives, file:line:col.
func writePosition(b stickyWriter, s source.Span) {
	var num [24]byte
	b.str(s.File)
	b.byte(':')
	b.bytes(strconv.AppendInt(num[:0], int64(s.Start.Line), 10))
	b.byte(':')
	b.bytes(strconv.AppendInt(num[:0], int64(s.Start.Col), 10))
}

// Summary says "3 problems (1 error, 1 warning, 1 info)".
func Summary(counts map[analyzer.Severity]int) string {
	total := counts[analyzer.Error] + counts[analyzer.Warning] + counts[analyzer.Info]
	noun := "problems"
	if total == 1 {
		noun = "problem"
	}
	plural := func(n int, s string) string {
		if n == 1 || s == "info" {
			return fmt.Sprintf("%d %s", n, s)
		}
		return fmt.Sprintf("%d %ss", n, s)
	}
	return fmt.Sprintf("%d %s (%s, %s, %s)", total, noun,
		plural(counts[analyzer.Error], "error"), plural(counts[analyzer.Warning], "warning"), plural(counts[analyzer.Info], "info"))
}

// Excerpts show a window of the line, not the whole line: a finding on a
// 10 MB line must not print 10 MB (times the number of findings on it).
const (
	excerptBefore = 40  // bytes of context before the span
	excerptMax    = 160 // bytes of the line shown at most
)

// writeExcerpt prints a window of the span's first line and a caret line
// under it. The caret line copies tabs from the source so it lines up in
// any terminal; "..." marks where the line was cut.
func writeExcerpt(w stickyWriter, f *source.File, s source.Span, caretOn, caretOff string) {
	ls, le := f.LineStart(int(s.Start.Line)), f.LineEnd(int(s.Start.Line))
	start := min(max(s.Start.Offset, ls), le)
	end := s.End.Offset
	if s.End.Line != s.Start.Line || end > le {
		end = le
	}
	end = max(end, start)
	from := max(ls, start-excerptBefore)
	for from < start && !utf8.RuneStart(f.Src[from]) {
		from++
	}
	to := min(le, max(end, start+1)+excerptBefore, from+excerptMax)
	for to > start && to < le && !utf8.RuneStart(f.Src[to]) {
		to--
	}
	line := f.Src[from:to]
	if bytes.IndexByte(line, 0) >= 0 || !isPrintable(line) {
		return // binary garbage: the position says enough
	}
	// Written piece by piece into w (this runs once per finding of a
	// report, 12,000 times for a large file's).
	w.str("    ")
	if from > ls {
		w.str("...")
	}
	w.bytes(line)
	if to < le {
		w.str("...")
	}
	w.str("\n    ")
	if from > ls {
		w.str("   ")
	}
	for _, c := range line[:start-from] {
		if c == '\t' {
			w.byte('\t')
		} else if utf8.RuneStart(c) {
			w.byte(' ')
		}
	}
	width := max(utf8.RuneCount(line[start-from:min(end, to)-from]), 1)
	w.strs(caretOn, carets(width), caretOff)
	w.byte('\n')
}

// caretRun is the longest run of carets carets returns without making one.
const caretRun = "^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^"

func carets(n int) string {
	if n <= len(caretRun) {
		return caretRun[:n]
	}
	return strings.Repeat("^", n)
}

func isPrintable(s []byte) bool {
	for _, r := range string(s) {
		if r < 0x20 && r != '\t' || r == 0x7f || r == '\uFFFD' {
			return false
		}
	}
	return true
}
