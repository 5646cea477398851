package report

import (
	"bufio"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

// An excerpt is a window around the span with "..." where the line was
// cut, and the caret still sits under the span.
func TestExcerptWindow(t *testing.T) {
	line := strings.Repeat("a", 5000) + "TARGET" + strings.Repeat("é", 5000)
	f := source.NewFile("f", "", source.KindNginx, []byte("x\n"+line+"\n"))
	at := strings.Index(string(f.Src), "TARGET")
	var b strings.Builder
	excerpt(&b, f, f.Span(at, at+len("TARGET")))
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 2 || len(b.String()) > 2*excerptMax+40 {
		t.Fatalf("excerpt of %d bytes: %q", b.Len(), b.String())
	}
	shown, carets := lines[0], lines[1]
	if !strings.HasPrefix(shown, "    ...") || !strings.HasSuffix(shown, "...") {
		t.Errorf("no cut marks: %q", shown)
	}
	col := strings.Index(carets, "^")
	if got := shown[col : col+len("TARGET")]; got != "TARGET" || strings.Count(carets, "^") != len("TARGET") {
		t.Errorf("caret under %q:\n%s\n%s", got, shown, carets)
	}
	// A short line is shown whole.
	b.Reset()
	g := source.NewFile("g", "", source.KindNginx, []byte("listen 80;\n"))
	excerpt(&b, g, g.Span(7, 9))
	if want := "    listen 80;\n           ^^\n"; b.String() != want {
		t.Errorf("short line: %q, want %q", b.String(), want)
	}
}

func excerpt(b *strings.Builder, f *source.File, s source.Span) {
	w := bufio.NewWriter(b)
	writeExcerpt(stickyWriter{w}, f, s, "", "")
	_ = w.Flush()
}
