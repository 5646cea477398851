package nginx

import (
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// parseBothWays parses src serially and in two pieces (the helper's
// piece used whenever it can be), and returns both dumps and whether a
// piece was used.
func parseBothWays(t testing.TB, src []byte, budget int) (serial, split string, used bool) {
	t.Helper()
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2)) // the helper needs a second core
	}
	defer func(m int, sync bool) { twoPiecesFrom, helperSync, spliced = m, sync, nil }(twoPiecesFrom, helperSync)
	twoPiecesFrom = 1 << 62
	c, n := parseWithin(source.NewFile("f.conf", "", source.KindNginx, src), budget, budget)
	checkOwn(t, c)
	checkInners(t, c)
	serial = fullDump(c, n)
	twoPiecesFrom, helperSync = 0, true
	spliced = func(int) { used = true }
	c, n = parseWithin(source.NewFile("f.conf", "", source.KindNginx, src), budget, budget)
	checkOwn(t, c)
	checkInners(t, c)
	split = fullDump(c, n)
	return serial, split, used
}

// checkInners fails t when the blocks' contexts the parse gave differ
// from those link's walk makes.
func checkInners(t testing.TB, c *Config) {
	t.Helper()
	contexts := func() []string {
		var out []string
		Walk(c, func(d *Directive) bool {
			if d.inner == nil {
				out = append(out, d.Name+": none")
			} else {
				out = append(out, d.Name+": "+strings.Join(*d.inner, "/"))
			}
			return true
		})
		return out
	}
	parsed := contexts()
	setInners(c.Directives, c.top)
	if walked := contexts(); !slices.Equal(parsed, walked) {
		t.Errorf("the parse's block contexts differ from the walk's:\n%s", sharedtest.FirstDiff(strings.Join(walked, "\n"), strings.Join(parsed, "\n")))
	}
}

// checkOwn fails t when what the parse gathered of c's own names
// (HasName, NumDirectives, the includes and the blocks holding them)
// differs from what a walk of the finished tree finds.
func checkOwn(t testing.TB, c *Config) {
	t.Helper()
	var walked ownNames
	Walk(c, func(d *Directive) bool { walked.add(d); return true })
	var w Config
	w.setOwn(&walked)
	c.ownWalk() // a no-op after a parse
	a, b := c.own, w.own
	if a.count != b.count || !slices.Equal(a.known, b.known) || !maps.Equal(a.others, b.others) ||
		!slices.Equal(a.includes, b.includes) || !maps.Equal(c.holders, w.holders) {
		t.Errorf("the parse gathered %d directives, names %v %v, %d includes, %d holders; the walk %d, %v %v, %d, %d",
			a.count, a.known, a.others, len(a.includes), len(c.holders), b.count, b.known, b.others, len(b.includes), len(w.holders))
	}
}

// fullDump is treeDump with the nodes spent and the count of the
// parse's own diagnostics.
func fullDump(c *Config, used int) string {
	return fmt.Sprintf("used=%d parseDiags=%d\n", used, c.parseDiags) + treeDump(c)
}

// A file parsed in two pieces gives the serial parse's tree, node for
// node, whether the helper's piece is used or not; the cases say which.
func TestPiecesMatchSerial(t *testing.T) {
	servers := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "    server {\n        listen %d; # port %d {\n        server_name \"a{%d}\";\n        location / { return 200; }\n    }\n", 8000+i, i, i)
		}
		return b.String()
	}
	for _, c := range []struct {
		name string
		src  string
		used bool
	}{
		{"servers in http", "events {}\nhttp {\n" + servers(20) + "}\n", true},
		{"windows line ends and tabs", strings.ReplaceAll("http {\n"+servers(20)+"}\n", "\n", "\r\n\t"), true},
		{"lua with braces before the split", "http {\n    init_by_lua_block { local s = \"}}}\" -- }\n }\n" + servers(20) + "}\n", true},
		{"wide characters", "http {\n" + strings.ReplaceAll(servers(20), "port", "pört 日本") + "}\n", true},
		// 21 lines put the piece's start at a server after the wide string
		// on its line: the helper's cursor starts from File.Pos there.
		{"wide characters before the piece on its line", "http {\n" + strings.Repeat("    set $x \""+strings.Repeat("日本", 100)+"\"; server { listen 1; }\n", 21) + "}\n", true},
		{"placeholder before the split", "http {\n    {{ extra }}\n" + servers(20) + "}\n", true},
		{"two top-level blocks", "http {\n" + servers(5) + "}\nstream {\n" + strings.ReplaceAll(servers(15), "location / { return 200; }", "proxy_pass b:1;") + "}\n", true},
		{"unclosed http", "http {\n" + servers(20), true},
		{"directives after http", "http {\n" + servers(20) + "}\nworker_processes 1;\n", true},
		{"syntax error after the split", "http {\n" + servers(15) + "    ;\n" + servers(5) + "}\n", false},
		{"quote left open after the split", "http {\n" + servers(15) + "    return 200 \"x;\n" + servers(5) + "}\n", false},
		{"stray brace before the split", "http {\n" + servers(5) + "}\n}\n" + servers(15) + "}\n", true}, // the split falls inside a top-level server
		{"nameless brace open at the split", "http {\n {\n" + servers(20) + "}\n}\n", false},
		{"no block", strings.Repeat("worker_processes 1; # {\n", 500), false},
		{"a brace in a word", "http {\n" + strings.ReplaceAll(servers(20), "listen", "rewrite ^/a{2}$ /b;\n listen") + "}\n", false},
		{"control bytes before the split", "http {\n" + servers(5) + "\x00\x01\n" + servers(15) + "}\n", true},
		{"control bytes after the split", "http {\n" + servers(15) + "\x00\x01\n" + servers(5) + "}\n", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			serial, split, used := parseBothWays(t, []byte(c.src), 1<<30)
			if serial != split {
				t.Fatalf("the split parse differs:\n%s", sharedtest.FirstDiff(serial, split))
			}
			if used != c.used {
				t.Errorf("piece used: %v, want %v", used, c.used)
			}
		})
	}
}

// A file that could reach the node budget is parsed serially, so that the
// cut falls where it always did.
func TestPiecesNotWhereTheBudgetCouldCut(t *testing.T) {
	src := []byte("http {\n" + strings.Repeat("    a b c d;\n", 200) + "}\n")
	for _, budget := range []int{len(src) / 2, 300, 10} {
		serial, split, used := parseBothWays(t, src, budget)
		if used || serial != split {
			t.Errorf("budget %d: piece used %v; same: %v", budget, used, serial == split)
		}
	}
	if _, _, used := parseBothWays(t, src, len(src)/2+1); !used {
		t.Error("with a budget the file cannot reach, the piece was not used")
	}
}

// Every corpus file, split where the helper finds a place, parses as it
// does serially, and most files take the piece.
func TestPiecesCorpus(t *testing.T) {
	files, took := sharedtest.Files(t, "corpus", "nginx"), 0
	for _, f := range files {
		serial, split, used := parseBothWays(t, f.Src, MaxNodes)
		if serial != split {
			t.Errorf("%s: the split parse differs:\n%s", f.Path, sharedtest.FirstDiff(serial, split))
		}
		if used {
			took++
		}
	}
	t.Logf("%d files, %d parsed in two pieces", len(files), took)
	if took < len(files)/4 {
		t.Errorf("%d files, only %d parsed in two pieces", len(files), took)
	}
}

// A helper that finds its place only after the parser has gone past it
// parses nothing, and one that is abandoned stops within a few thousand
// nodes.
func TestPieceHelperGivesUp(t *testing.T) {
	src := []byte("http {\n" + strings.Repeat("    server { listen 80; }\n", 2000) + "}\n")
	f := source.NewFile("f.conf", "", source.KindNginx, src)
	late := &helper{target: len(src) / 2, done: make(chan struct{})}
	if late.take(late.target) != nil {
		t.Fatal("a piece before the helper ran")
	}
	late.run(f, &Config{File: f}, 1<<30)
	if late.piece != nil {
		t.Error("the helper parsed a piece the parser had already passed")
	}

	var stop atomic.Bool
	stop.Store(true)
	p := &parser{lex: newLexer(f), cfg: &Config{File: f}, left: 1 << 30, cut: -1, abandon: &stop}
	p.block(nil, 0)
	if used := 1<<30 - p.left; used > 4096 {
		t.Errorf("an abandoned parse built %d nodes", used)
	}
}
