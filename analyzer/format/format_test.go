package format

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/fmt/*.golden")

// optionsFor picks the layout a golden case is written for: files named
// tabs*.conf are indented with tabs.
func optionsFor(name string) Options {
	if strings.HasPrefix(filepath.Base(name), "tabs") {
		return Options{Indent: "\t"}
	}
	return Options{}
}

// TestGolden formats each testdata/fmt/*.conf and compares with its
// .golden; an unparsable file's golden holds the error instead.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("../../testdata/fmt/*.conf")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, in := range files {
		t.Run(filepath.Base(in), func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Source(filepath.Base(in), src, optionsFor(in))
			if err != nil {
				var se *SyntaxError
				if !errors.As(err, &se) {
					t.Fatalf("error is not a *SyntaxError: %v", err)
				}
				got = []byte("error: " + err.Error() + "\n")
			} else if again, err := Source(in, got, optionsFor(in)); err != nil || !bytes.Equal(again, got) {
				t.Errorf("not idempotent (err %v):\n%s", err, again)
			}
			golden := in + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestCutTreeIsNotFormatted: a file whose parse skipped text at a limit
// (here blocks nested past nginx.MaxDepth) is refused like a syntax
// error, with the not-analysed diagnostic: printing the tree would drop
// the skipped text.
func TestCutTreeIsNotFormatted(t *testing.T) {
	src := []byte("events {}\n" + strings.Repeat("a {", 1001) + " b c; " + strings.Repeat("}", 1001) + "\n")
	out, err := Source("deep.conf", src, Options{})
	var se *SyntaxError
	if !errors.As(err, &se) || out != nil {
		t.Fatalf("formatted a cut tree: %v, %d bytes", err, len(out))
	}
	if len(se.Diagnostics) != 1 || se.Diagnostics[0].Code != "not-analysed" {
		t.Errorf("diagnostics %+v, want the one not-analysed", se.Diagnostics)
	}
}
