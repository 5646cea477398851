package fix

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
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

// applyByScan is Apply as it was written first, every candidate edit
// compared with every edit taken before it: the reference the faster
// check must agree with. It returns the indexes of the fixes it applied
// and of those it left out.
func applyByScan(src []byte, fixes []*analyzer.Fix) (out []byte, applied, skipped []int) {
	var taken []change
	for i, fx := range fixes {
		if fx == nil || len(fx.Edits) == 0 {
			skipped = append(skipped, i)
			continue
		}
		var mine []change
		ok := true
		for _, e := range fx.Edits {
			s, t := e.Span.Start.Offset, e.Span.End.Offset
			cand := change{s, t, e.NewText}
			ok = s >= 0 && s <= t && t <= len(src)
			for _, o := range append(append([]change{}, taken...), mine...) {
				ok = ok && !overlaps(cand.start, cand.end, o.start, o.end)
			}
			if !ok {
				break
			}
			mine = append(mine, cand)
		}
		if !ok {
			skipped = append(skipped, i)
			continue
		}
		taken = append(taken, mine...)
		applied = append(applied, i)
	}
	// By start, then end: an insertion at the start of a replaced range
	// goes before it, whichever came first.
	sort.Slice(taken, func(a, b int) bool {
		return taken[a].start < taken[b].start || taken[a].start == taken[b].start && taken[a].end < taken[b].end
	})
	at := 0
	for _, e := range taken {
		out = append(out, src[at:e.start]...)
		out = append(out, e.text...)
		at = e.end
	}
	return append(out, src[at:]...), applied, skipped
}

// Apply takes and leaves out the same fixes as comparing every edit with
// every other, and the edit a reason names does overlap the fix left
// out: random fixes of one to three edits, many of them insertions, over
// a short text, so that edits touch, nest, repeat and overlap.
func TestApplyAgreesWithScanningEveryEdit(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	src := []byte("0123456789abcdefghijklmnopqrstuv")
	f := source.NewFile("x.conf", "/x.conf", source.KindNginx, src)
	clashes := 0
	for round := range 3000 {
		var fixes []*analyzer.Fix
		for range 1 + rng.Intn(12) {
			fx := &analyzer.Fix{Title: "f"}
			for range 1 + rng.Intn(3) {
				s := rng.Intn(len(src) + 1)
				e := s
				if rng.Intn(3) > 0 {
					e = min(len(src), s+rng.Intn(5))
				}
				fx.Edits = append(fx.Edits, edit(f, s, e, strconv.Itoa(rng.Intn(10))))
			}
			fixes = append(fixes, fx)
		}
		if round%50 == 0 {
			fixes = append(fixes, nil) // a fix without edits keeps its place
		}
		wantOut, wantApplied, wantSkipped := applyByScan(src, fixes)
		out, applied, skipped := Apply(src, fixes)
		var skippedAt []int
		for _, s := range skipped {
			skippedAt = append(skippedAt, s.Index)
			var a, b int
			if _, err := fmt.Sscanf(s.Reason, "it overlaps another fix at bytes [%d,%d)", &a, &b); err != nil {
				if fixes[s.Index] != nil {
					t.Fatalf("round %d: fix %d: reason %q", round, s.Index, s.Reason)
				}
				continue
			}
			named := false
			for _, e := range fixes[s.Index].Edits {
				named = named || overlaps(e.Span.Start.Offset, e.Span.End.Offset, a, b)
			}
			if !named {
				t.Fatalf("round %d: fix %d (%v) left out for [%d,%d), which it does not overlap", round, s.Index, fixes[s.Index].Edits, a, b)
			}
		}
		if string(out) != string(wantOut) || fmt.Sprint(applied) != fmt.Sprint(wantApplied) || fmt.Sprint(skippedAt) != fmt.Sprint(wantSkipped) {
			t.Fatalf("round %d: got %q %v %v, want %q %v %v", round, out, applied, skippedAt, wantOut, wantApplied, wantSkipped)
		}
		clashes += len(skipped)
	}
	if clashes < 1000 {
		t.Fatalf("only %d fixes clashed: the rounds do not test the check", clashes)
	}
}

// A file with thousands of fixes is applied without comparing each edit
// with every other (8,000 fixable lines took 11 seconds and 4 GB through
// --diff when it did): against edits that touch, nest and share starts,
// the check compares a candidate with a few of them, wherever it falls.
func TestClashComparesAFew(t *testing.T) {
	// Per unit of 10 bytes at u: an insertion at u, [u,u+3), an
	// insertion at u+5 and [u+5,u+10): every way two edits may sit side by
	// side.
	var es changes
	const units = 2000
	for u := 0; u < 10*units; u += 10 {
		for _, c := range []change{{u, u, ""}, {u, u + 3, ""}, {u + 5, u + 5, ""}, {u + 5, u + 10, ""}} {
			if _, ok, _ := es.clash(c); ok {
				t.Fatalf("%v clashes with the edits before it", c)
			}
			es.insert(c)
		}
	}
	most := 0
	for s := 0; s <= 10*units; s++ {
		for _, n := range []int{0, 1, 2, 3, 5, 7} {
			_, _, compared := es.clash(change{s, min(s+n, 10*units), ""})
			most = max(most, compared)
		}
	}
	if most > 4 {
		t.Errorf("a candidate was compared with %d edits", most)
	}
	// And what is compared decides: a wide candidate overlaps.
	if _, ok, _ := es.clash(change{1, 10 * units, ""}); !ok {
		t.Error("a candidate over the whole text does not clash")
	}
}

// An insertion at the start of a range another fix replaces goes before
// the replacement, whichever fix comes first (the replacement first once
// cut the text backwards and panicked).
func TestApplyInsertionAtStartOfReplacedRange(t *testing.T) {
	src := []byte("listen 80;\n")
	f := source.NewFile("x.conf", "/x.conf", source.KindNginx, src)
	port := edit(f, 7, 9, "8080")
	note := edit(f, 7, 7, "[::]:")
	for _, order := range [][]analyzer.Edit{{port, note}, {note, port}} {
		out, applied, skipped := Apply(src, []*analyzer.Fix{{Edits: order[:1]}, {Edits: order[1:]}})
		if got, want := string(out), "listen [::]:8080;\n"; got != want || len(applied) != 2 || len(skipped) != 0 {
			t.Errorf("%q then %q: got %q (%d applied, skipped %v), want %q", order[0].NewText, order[1].NewText, got, len(applied), skipped, want)
		}
	}
}

// checkScript fails unless ops turn a into b: every line of each side once
// and in order, kept lines equal, and an insertion (a deletion) naming
// the place on the other side that writeHunk reads for an empty side.
func checkScript(t *testing.T, a, b []string, ops []op) {
	t.Helper()
	x, y := 0, 0
	for n, o := range ops {
		switch {
		case o.kind == opEqual && o.ai == x && o.bi == y && a[x] == b[y]:
			x, y = x+1, y+1
		case o.kind == opDelete && o.ai == x && o.bi == y:
			x++
		case o.kind == opInsert && o.ai == x && o.bi == y:
			y++
		default:
			t.Fatalf("op %d %+v at a[%d], b[%d]", n, o, x, y)
		}
	}
	if x != len(a) || y != len(b) {
		t.Fatalf("the script ends at a[%d], b[%d] of %d and %d lines", x, y, len(a), len(b))
	}
}

// cost is the lines a script deletes and inserts.
func cost(ops []op) int {
	n := 0
	for _, o := range ops {
		if o.kind != opEqual {
			n++
		}
	}
	return n
}

// shortestCost is the cost of the shortest script, from the longest
// common subsequence.
func shortestCost(a, b []string) int {
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	return len(a) + len(b) - 2*lcs[0][0]
}

// randomEdit changes lines of a at random: replaced, dropped, added, out
// of a few distinct lines so that many repeat.
func randomEdit(rng *rand.Rand, a []string, rate int) []string {
	var b []string
	for _, l := range a {
		switch rng.Intn(rate) {
		case 0:
			b = append(b, fmt.Sprintf("new %d\n", rng.Intn(20)))
		case 1:
		case 2:
			b = append(b, l, fmt.Sprintf("added %d\n", rng.Intn(20)))
		default:
			b = append(b, l)
		}
	}
	return b
}

// Below maxCost the script is a shortest one; above it, still a script
// from one text to the other, through the anchors or whole.
func TestDiffLinesScripts(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for round := range 300 {
		a := make([]string, 1+rng.Intn(120))
		for i := range a {
			a[i] = fmt.Sprintf("line %d\n", rng.Intn(40))
		}
		b := randomEdit(rng, a, 2+rng.Intn(8))
		ops := diffLines(a, b)
		checkScript(t, a, b, ops)
		if got, want := cost(ops), shortestCost(a, b); got != want {
			t.Fatalf("round %d: script of cost %d, the shortest costs %d", round, got, want)
		}
	}
	large := 0
	for range 20 {
		a := make([]string, 3000+rng.Intn(3000))
		for i := range a {
			if rng.Intn(2) == 0 {
				a[i] = fmt.Sprintf("unique %d\n", i)
			} else {
				a[i] = fmt.Sprintf("line %d\n", rng.Intn(40))
			}
		}
		b := randomEdit(rng, a, 4)
		// A block moved, so that some unique lines cross.
		i, j := rng.Intn(len(b)/2), len(b)/2+rng.Intn(len(b)/2)
		b = slices.Concat(b[:i], b[j:j+(len(b)-j)/2], b[i:j], b[j+(len(b)-j)/2:])
		ops := diffLines(a, b)
		checkScript(t, a, b, ops)
		if cost(ops) > maxCost {
			large++
		}
	}
	if large == 0 {
		t.Fatal("no script cost more than maxCost: the large rounds test nothing")
	}
}

// A diff with thousands of changed lines takes memory in proportion to
// the texts (reindenting 15,000 lines took 14 GB when the search ran to
// the end, and the 8,000 one-line fixes of a file 4 GB): counted as bytes
// allocated, not timed.
func TestDiffManyChangesIsLinear(t *testing.T) {
	var old, reindented, fixed strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&old, "server {\nlisten %d;\n}\n", 8000+i%1000)
		fmt.Fprintf(&reindented, "    server {\n        listen %d;\n    }\n", 8000+i%1000)
		fmt.Fprintf(&fixed, "server {\nlisten %d;\n}\n", 9000+i%1000)
	}
	for _, tc := range []struct{ name, new string }{{"reindented", reindented.String()}, {"every port changed", fixed.String()}} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		d := Diff("x", []byte(old.String()), []byte(tc.new))
		runtime.ReadMemStats(&after)
		if n := strings.Count(d, "\n-"); n < 5000 {
			t.Errorf("%s: %d lines deleted", tc.name, n)
		}
		if mb := (after.TotalAlloc - before.TotalAlloc) >> 20; mb > 64 {
			t.Errorf("%s: the diff allocated %d MB", tc.name, mb)
		}
	}
}
