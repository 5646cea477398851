package lsp

import (
	"math/rand"
	"runtime"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

// applyOneByOne is what a didChange means: each change applied to the
// text the one before left.
func applyOneByOne(d *document, chs []contentChange) {
	for _, ch := range chs {
		applyChange(d, ch)
	}
}

func newDoc(text string) *document {
	d := &document{abs: "/x.conf", kind: source.KindNginx}
	d.setText([]byte(text))
	return d
}

// applyChanges gives the text applying the changes one by one gives:
// random texts (CRLF, multi-byte letters, a character outside the BMP)
// and random batches of changes, bottom-to-top runs among them, with
// positions past their line, past the end and inside a surrogate pair.
func TestApplyChangesAsOneByOne(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	pieces := []string{"a", "bc", "\n", "\r\n", "é", "😀", "listen 80;", "  ", "}"}
	batched := 0
	for round := range 4000 {
		var b strings.Builder
		for range r.Intn(40) {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		text := b.String()
		lines := strings.Count(text, "\n") + 1
		pos := func() position {
			return position{Line: r.Intn(lines + 1), Character: r.Intn(8)}
		}
		var chs []contentChange
		if r.Intn(2) == 0 {
			// A multi-cursor edit: bottom to top, on one line or many,
			// mostly at places inside their lines.
			width := func(line int) int { // UTF-16 units of the line, or a little more
				ls := strings.Split(text, "\n")
				if line >= len(ls) {
					return 0
				}
				n := 0
				for _, c := range strings.TrimSuffix(ls[line], "\r") {
					n += 1 + boolInt(c >= 0x10000)
				}
				return n + boolInt(r.Intn(10) == 0)
			}
			line := lines - 1
			char := width(line)
			for range 1 + r.Intn(6) {
				if r.Intn(2) == 0 && line > 0 {
					line--
					char = width(line)
				}
				end := position{Line: line, Character: char}
				char = max(0, char-r.Intn(3))
				chs = append(chs, contentChange{Range: &rng{Start: position{Line: line, Character: char}, End: end},
					Text: pieces[r.Intn(len(pieces))]})
				char = max(0, char-r.Intn(2)) + boolInt(r.Intn(6) == 0) // sometimes into the change before
			}
		}
		for range r.Intn(3) {
			ch := contentChange{Range: &rng{Start: pos(), End: pos()}, Text: pieces[r.Intn(len(pieces))]}
			if r.Intn(8) == 0 {
				ch.Range = nil // the whole text
			}
			chs = append(chs, ch)
		}
		want, got := newDoc(text), newDoc(text)
		applyOneByOne(want, chs)
		if len(descendingRun(got.file(), chs)) >= 2 {
			batched++
		}
		applyChanges(got, chs)
		if string(got.text) != string(want.text) {
			t.Fatalf("round %d: %q with %+v: got %q, one by one %q", round, text, chs, got.text, want.text)
		}
	}
	t.Logf("%d of 4000 rounds had a run to apply at once", batched)
	if batched < 500 {
		t.Fatalf("only %d rounds had a run to apply at once", batched)
	}
}

// Edits at 1,250 cursors of a 20,000-line file, bottom to top as editors
// send them, copy the text about once, not once per cursor (one by one
// they held the server for a second): counted in bytes allocated.
func TestManyCursorsCopyTheTextOnce(t *testing.T) {
	text := bigConfig(20000)
	d := newDoc(text)
	f := d.file()
	var chs []contentChange
	for l := f.LineCount(); l >= 1; l-- {
		if i := strings.Index(f.Line(l), "expires"); i >= 0 {
			at := rng{Start: position{Line: l - 1, Character: i}, End: position{Line: l - 1, Character: i + len("expires")}}
			chs = append(chs, contentChange{Range: &at, Text: "EXPIRES"})
		}
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	applyChanges(d, chs)
	runtime.ReadMemStats(&after)
	if got := strings.Count(string(d.text), "EXPIRES"); got != len(chs) || len(chs) < 1000 {
		t.Fatalf("%d of %d changes made", got, len(chs))
	}
	if copied := after.TotalAlloc - before.TotalAlloc; copied > 8*uint64(len(text)) {
		t.Errorf("%d changes to %d bytes allocated %d bytes", len(chs), len(text), copied)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
