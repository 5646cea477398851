package security

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// The summary of a long run answers as reading it whole: the count, the
// first lines, whether one is flagged. Random runs of add_header lines
// (names repeating in other letter cases, some with variables, empty
// values or letters beyond ASCII), random own and flag sets (some past
// nameSet's eight scanned names, some with a name beyond ASCII that
// folds to one in it), runs short and long, each read both ways in one
// lint's memo.
func TestLostFromAsReadingWhole(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	names := []string{"X-A", "x-a", "X-B", "X-s", "Cache-Control", "cache-control", "Strict-Transport-Security", "$h", "X-ß", "X-\u212A", "X-k"}
	ws, err := analyzer.Load(nil, analyzer.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := analyzer.RunMemo[runKey, *runSummary]("test/runs")
	summed := 0
	for round := range 2000 {
		pool := names[:len(names)-3] // beyond ASCII in one round of five
		if r.Intn(5) == 0 {
			pool = names
		}
		var b strings.Builder
		n := 1 + r.Intn(200)
		for i := range n {
			v := fmt.Sprintf("v%d", i)
			if r.Intn(10) == 0 {
				v = `""`
			}
			fmt.Fprintf(&b, "add_header %s %s;\n", pool[r.Intn(len(pool))], v)
		}
		run := nginx.Parse(source.NewFile("x.conf", "/x.conf", source.KindNginx, []byte(b.String()))).Directives
		var own, flag nameSet
		for range r.Intn(12) {
			own.add(pool[r.Intn(len(pool))])
		}
		if r.Intn(5) == 0 {
			own.add("X-ſ") // the long s folds to s, and is its own lower case
		}
		for range r.Intn(3) {
			flag.add(pool[r.Intn(len(pool))])
		}
		whole, wholeN, wholeFlag := lostFrom(ws, m, run, sentHeader, &own, &flag, true)
		lost, total, flagged := lostFrom(ws, m, run, sentHeader, &own, &flag, false)
		if total != wholeN || flagged != wholeFlag || !slices.Equal(lost, whole[:min(len(whole), max(len(lost), shownLines))]) ||
			len(lost) < min(wholeN, shownLines) {
			t.Fatalf("round %d: %d lost (%d listed), flagged %v; read whole: %d, flagged %v", round, total, len(lost), flagged, wholeN, wholeFlag)
		}
		if len(lost) < total {
			summed++
		}
	}
	t.Logf("%d of 2000 rounds took the summary", summed)
	if summed < 300 {
		t.Fatalf("only %d rounds took the summary", summed)
	}
}
