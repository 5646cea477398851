package format

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// meaning lists what nginx reads from a file, and its comments: every
// token's text in order (names, arguments as written, braces, ';'), with
// a Lua body's white space before its closing brace and a comment's
// trailing white space left out, as the layout may change those.
func meaning(t *testing.T, name string, src []byte) []string {
	t.Helper()
	r, err := layout(name, src, Options{})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	out := make([]string, 0, len(r.toks))
	for _, k := range r.toks {
		text := string(src[k.start:k.end])
		switch k.kind {
		case kLua:
			if i := strings.LastIndexByte(text, '\n'); i >= 0 && strings.Trim(text[i+1:], " \t") == "" {
				text = text[:i+1]
			}
		case kComment:
			text = strings.TrimRight(text, " \t\r")
		}
		out = append(out, fmt.Sprintf("%d:%s", k.kind, text))
	}
	return out
}

// TestCorpus formats every nginx file of the shared corpus: formatting
// twice gives the bytes of formatting once, and the tokens (names,
// arguments, comments) are the same before and after.
func TestCorpus(t *testing.T) {
	root := sharedtest.Path(t, "corpus", "nginx")
	var files []string
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	formatted, refused, changed := 0, 0, 0
	for _, path := range files {
		rel, _ := filepath.Rel(root, path)
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		once, err := Source(rel, src, Options{})
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Errorf("%s: %v", rel, err)
			}
			refused++
			continue
		}
		formatted++
		if !bytes.Equal(once, src) {
			changed++
		}
		twice, err := Source(rel, once, Options{})
		if err != nil {
			t.Errorf("%s: the formatted text does not parse: %v", rel, err)
			continue
		}
		if !bytes.Equal(once, twice) {
			t.Errorf("%s: not idempotent:\n%s", rel, firstDiff(once, twice))
		}
		before, after := meaning(t, rel, src), meaning(t, rel, once)
		if len(before) != len(after) {
			t.Errorf("%s: %d tokens before formatting, %d after", rel, len(before), len(after))
			continue
		}
		for i := range before {
			if before[i] != after[i] {
				t.Errorf("%s: token %d was %q, is %q", rel, i, before[i], after[i])
				break
			}
		}
	}
	if formatted == 0 {
		t.Fatalf("no corpus file formatted (%d refused)", refused)
	}
	t.Logf("%d files formatted (%d changed), %d refused for syntax errors", formatted, changed, refused)
}

// firstDiff shows the first line where a and b differ.
func firstDiff(a, b []byte) string {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := 0; i < len(la) && i < len(lb); i++ {
		if !bytes.Equal(la[i], lb[i]) {
			return fmt.Sprintf("line %d: %q\n      vs %q", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(la), len(lb))
}

// TestMeaningSeesChanges keeps the corpus check honest: moving an
// argument, a comment or a quote changes the sequence.
func TestMeaningSeesChanges(t *testing.T) {
	base := "a b c; # x\n"
	for _, other := range []string{"a c b; # x\n", "# x\na b c;\n", "a \"b\" c; # x\n", "a b c; # y\n"} {
		if fmt.Sprint(meaning(t, "a", []byte(base))) == fmt.Sprint(meaning(t, "b", []byte(other))) {
			t.Errorf("%q and %q have the same meaning sequence", base, other)
		}
	}
	if fmt.Sprint(meaning(t, "a", []byte(base))) != fmt.Sprint(meaning(t, "b", []byte("a   b\n  c;# x  \n"))) {
		t.Error("white space alone changed the meaning sequence")
	}
}
