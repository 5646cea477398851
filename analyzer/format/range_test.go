package format

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func apply(src []byte, e Edit) string {
	return string(src[:e.Start]) + string(e.New) + string(src[e.End:])
}

// A range over the whole file formats it as Source does.
func TestRangeWholeFileIsSource(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/fmt/*.conf")
	n := 0
	for _, in := range files {
		src, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Source(in, src, optionsFor(in))
		if err != nil {
			continue // the unparsable case
		}
		e, err := Range(in, src, 0, len(src), optionsFor(in))
		if err != nil {
			t.Fatal(err)
		}
		n++
		if got := apply(src, e); got != string(want) {
			t.Errorf("%s: range over the whole file:\n%s\nwant:\n%s", in, got, want)
		}
	}
	if n == 0 {
		t.Fatal("no cases")
	}
}

func TestRangeFormatsOnlyTheRange(t *testing.T) {
	src := []byte("http {\nserver {\nlisten 80;\n}\nserver\n{\n  listen   81;  # b\n}\n}\n")
	// The second server's `listen` line only.
	at := bytes.Index(src, []byte("listen   81"))
	e, err := Range("x", src, at, at+3, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := apply(src, e)
	want := "http {\nserver {\nlisten 80;\n}\nserver\n{\n        listen 81; # b\n}\n}\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	// The line of the lone '{': the region grows to its directive.
	at = bytes.Index(src, []byte("\n{\n")) + 1
	e, err = Range("x", src, at, at+1, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got = apply(src, e)
	if !strings.Contains(got, "}\n    server {\n  listen   81;  # b\n}\n}\n") || !strings.HasPrefix(got, "http {\nserver {\nlisten 80;\n}\n") {
		t.Errorf("range on a lone brace:\n%s", got)
	}
	// A file that does not parse gives the syntax error.
	if _, err := Range("x", []byte("a {\n"), 0, 1, Options{}); err == nil {
		t.Error("no error for an unparsable file")
	}
}
