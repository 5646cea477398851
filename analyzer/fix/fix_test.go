package fix

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

func edit(f *source.File, start, end int, text string) analyzer.Edit {
	return analyzer.Edit{Span: f.Span(start, end), NewText: text}
}

func TestApplyKeepsFirstOfOverlappingFixes(t *testing.T) {
	src := []byte("server localhost:3000;\n")
	f := source.NewFile("x.conf", "/x.conf", source.KindNginx, src)
	host := strings.Index(string(src), "localhost")
	fixes := []*analyzer.Fix{
		{Title: "host", Edits: []analyzer.Edit{edit(f, host, host+len("localhost"), "127.0.0.1")}},
		// Overlaps the first: skipped whole, including its harmless edit.
		{Title: "both", Edits: []analyzer.Edit{edit(f, 0, 0, "# x\n"), edit(f, host+3, host+12, "9")}},
		// Touches the first without overlapping: applied.
		{Title: "port", Edits: []analyzer.Edit{edit(f, host+len("localhost")+1, host+len("localhost:3000"), "3001")}},
		// Outside the file.
		{Title: "far", Edits: []analyzer.Edit{edit(f, 0, 0, "")}},
	}
	fixes[3].Edits[0].Span.End.Offset = 999
	out, applied, skipped := Apply(src, fixes)
	if got, want := string(out), "server 127.0.0.1:3001;\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if fmt.Sprint(applied) != "[0 2]" {
		t.Errorf("applied %v, want [0 2]", applied)
	}
	if len(skipped) != 2 || skipped[0].Index != 1 || !strings.Contains(skipped[0].Reason, "overlaps") ||
		skipped[1].Index != 3 || !strings.Contains(skipped[1].Reason, "outside") {
		t.Errorf("skipped %+v", skipped)
	}
}

func TestOverlaps(t *testing.T) {
	for _, c := range []struct {
		a, b, c, d int
		want       bool
	}{
		{0, 5, 5, 9, false}, // touching
		{0, 5, 4, 9, true},
		{3, 3, 3, 3, true},  // two insertions at one place
		{3, 3, 0, 5, true},  // insertion inside a range
		{5, 5, 0, 5, false}, // insertion at its end
		{0, 5, 0, 0, false}, // insertion at its start
		{2, 4, 0, 9, true},  // contained
	} {
		if got := overlaps(c.a, c.b, c.c, c.d); got != c.want {
			t.Errorf("overlaps([%d,%d), [%d,%d)) = %v, want %v", c.a, c.b, c.c, c.d, got, c.want)
		}
		if got := overlaps(c.c, c.d, c.a, c.b); got != c.want {
			t.Errorf("overlaps is not symmetric for %+v", c)
		}
	}
}

func TestDiffGolden(t *testing.T) {
	var old, new strings.Builder
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&old, "line %d\n", i)
		switch i {
		case 2:
			new.WriteString("line two\n")
		case 17:
			// deleted
		default:
			fmt.Fprintf(&new, "line %d\n", i)
		}
	}
	got := Diff("x.conf", []byte(old.String()), []byte(new.String()))
	want := `--- a/x.conf
+++ b/x.conf
@@ -1,5 +1,5 @@
 line 1
-line 2
+line two
 line 3
 line 4
 line 5
@@ -14,7 +14,6 @@
 line 14
 line 15
 line 16
-line 17
 line 18
 line 19
 line 20
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if Diff("x", []byte("a\n"), []byte("a\n")) != "" {
		t.Error("equal texts must give no diff")
	}
}

func TestDiffNoNewlineAtEnd(t *testing.T) {
	got := Diff("x", []byte("a\nb"), []byte("a\nc"))
	want := "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestDiffRoundTrip checks random diffs by applying them with a strict
// patcher: every context and deleted line must match the old text at the
// hunk's stated position, counts must match the header, hunks must not
// overlap and must show Context lines of context, and the result must be
// the new text.
func TestDiffRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for iter := 0; iter < 2000; iter++ {
		n := rng.Intn(30)
		var a []string
		for i := 0; i < n; i++ {
			a = append(a, "l"+strconv.Itoa(rng.Intn(6))+"\n")
		}
		b := append([]string{}, a...)
		for k := rng.Intn(5); k > 0; k-- {
			switch i := rng.Intn(len(b) + 1); rng.Intn(3) {
			case 0:
				b = append(b[:i], append([]string{"new" + strconv.Itoa(k) + "\n"}, b[i:]...)...)
			case 1:
				if i < len(b) {
					b = append(b[:i], b[i+1:]...)
				}
			default:
				if i < len(b) {
					b[i] = "chg\n"
				}
			}
		}
		oldS, newS := strings.Join(a, ""), strings.Join(b, "")
		if rng.Intn(4) == 0 && len(newS) > 0 {
			newS = strings.TrimSuffix(newS, "\n")
		}
		d := Diff("f", []byte(oldS), []byte(newS))
		if oldS == newS {
			if d != "" {
				t.Fatalf("equal texts gave a diff")
			}
			continue
		}
		got, err := patch(oldS, d)
		if err != nil {
			t.Fatalf("case %d: %v\nold %q\nnew %q\ndiff:\n%s", iter, err, oldS, newS, d)
		}
		if got != newS {
			t.Fatalf("case %d: patched %q, want %q\ndiff:\n%s", iter, got, newS, d)
		}
	}
}

// patch applies a unified diff produced by Diff to old, strictly.
func patch(old, diff string) (string, error) {
	a := splitLines(old)
	lines := strings.SplitAfter(diff, "\n")
	if !strings.HasPrefix(lines[0], "--- a/") || !strings.HasPrefix(lines[1], "+++ b/") {
		return "", errors.New("bad headers")
	}
	var out []string
	next := 0 // next unconsumed line of a (0-based)
	i := 2
	for i < len(lines) && lines[i] != "" {
		var as, al, bs, bl int
		h := strings.TrimSuffix(lines[i], "\n")
		if _, err := fmt.Sscanf(normRange(h), "@@ -%d,%d +%d,%d @@", &as, &al, &bs, &bl); err != nil {
			return "", fmt.Errorf("bad hunk header %q: %w", h, err)
		}
		i++
		start := as - 1
		if al == 0 {
			start = as
		}
		if start < next {
			return "", fmt.Errorf("hunk %q overlaps the previous one", h)
		}
		out = append(out, a[next:start]...)
		next = start
		gotA, gotB, lead := 0, 0, 0
		changed := false
		for i < len(lines) && lines[i] != "" && !strings.HasPrefix(lines[i], "@@") {
			l := lines[i]
			body := l[1:]
			if i+1 < len(lines) && lines[i+1] == "\\ No newline at end of file\n" {
				body = strings.TrimSuffix(body, "\n")
				i++
			}
			switch l[0] {
			case ' ', '-':
				if next >= len(a) || a[next] != body {
					return "", fmt.Errorf("hunk %q: line %d is %q in the old text, diff says %q", h, next+1, at(a, next), body)
				}
				if l[0] == ' ' {
					out = append(out, body)
					gotB++
					if !changed {
						lead++
					}
				} else {
					changed = true
				}
				next++
				gotA++
			case '+':
				out = append(out, body)
				gotB++
				changed = true
			default:
				return "", fmt.Errorf("bad line %q", l)
			}
			i++
		}
		if gotA != al || gotB != bl {
			return "", fmt.Errorf("hunk %q: counted -%d +%d", h, gotA, gotB)
		}
		if lead != Context && as > 1 && al != 0 {
			return "", fmt.Errorf("hunk %q: %d leading context lines", h, lead)
		}
	}
	out = append(out, a[next:]...)
	return strings.Join(out, ""), nil
}

func at(a []string, i int) string {
	if i < len(a) {
		return a[i]
	}
	return "<end>"
}

// normRange rewrites "-3" as "-3,1" so one Sscanf format reads both forms.
func normRange(h string) string {
	f := strings.Fields(h)
	for j := 1; j <= 2; j++ {
		if !strings.Contains(f[j], ",") {
			f[j] += ",1"
		}
	}
	return strings.Join(f, " ")
}

// TestDiffMatchesGNUDiff compares with diff(1) where the script is
// unambiguous (distinct lines).
func TestDiffMatchesGNUDiff(t *testing.T) {
	diffBin, err := exec.LookPath("diff")
	if err != nil {
		t.Skip("diff(1) is not installed")
	}
	dir := t.TempDir()
	var old, new strings.Builder
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&old, "directive_%d value;\n", i)
		switch i {
		case 11:
			new.WriteString("server 127.0.0.1:3000;\n")
		case 20, 21:
		case 33:
			fmt.Fprintf(&new, "directive_%d value;\nadded;\n", i)
		default:
			fmt.Fprintf(&new, "directive_%d value;\n", i)
		}
	}
	pa, pb := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	must(t, os.WriteFile(pa, []byte(old.String()), 0o644))
	must(t, os.WriteFile(pb, []byte(new.String()), 0o644))
	gnu, _ := exec.Command(diffBin, "-U3", pa, pb).Output()
	ours := Diff("x", []byte(old.String()), []byte(new.String()))
	// Compare the hunks only: the headers carry paths and times.
	strip := func(s string) string {
		if i := strings.Index(s, "@@"); i >= 0 {
			return s[i:]
		}
		return s
	}
	if strip(string(gnu)) != strip(ours) {
		t.Errorf("ours:\n%s\ndiff -U3:\n%s", ours, gnu)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestWriteFileKeepsModeAndRefusesChangedFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "nginx.conf")
	must(t, os.WriteFile(p, []byte("old\n"), 0o640))
	must(t, os.Chmod(p, 0o640)) // regardless of umask
	must(t, WriteFile(p, []byte("old\n"), []byte("new\n")))
	b, _ := os.ReadFile(p)
	fi, _ := os.Stat(p)
	if string(b) != "new\n" || fi.Mode().Perm() != 0o640 {
		t.Errorf("content %q mode %v, want \"new\\n\" -rw-r-----", b, fi.Mode().Perm())
	}
	// The file is now "new\n", not what the caller read: refused, untouched.
	err := WriteFile(p, []byte("old\n"), []byte("newer\n"))
	if !errors.Is(err, ErrChanged) {
		t.Errorf("err = %v, want ErrChanged", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "new\n" {
		t.Errorf("a refused write changed the file to %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	// A symlink is not replaced by a file.
	link := filepath.Join(dir, "link.conf")
	must(t, os.Symlink(p, link))
	if err := WriteFile(link, []byte("new\n"), []byte("x\n")); err == nil {
		t.Error("wrote through a symlink by replacing it")
	}
}

func TestApplyIsIdempotentOnItsOutput(t *testing.T) {
	src := []byte("a localhost b\n")
	f := source.NewFile("x", "/x", source.KindNginx, src)
	fx := []*analyzer.Fix{{Edits: []analyzer.Edit{edit(f, 2, 11, "127.0.0.1")}}}
	out, _, _ := Apply(src, fx)
	// Re-derived on the output, the same edit rewrites the text to itself.
	f2 := source.NewFile("x", "/x", source.KindNginx, out)
	out2, _, _ := Apply(out, []*analyzer.Fix{{Edits: []analyzer.Edit{edit(f2, 2, 11, "127.0.0.1")}}})
	if !bytes.Equal(out, out2) {
		t.Errorf("second application changed %q to %q", out, out2)
	}
}
