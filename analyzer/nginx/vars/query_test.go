package vars

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/pcre"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// A block whose lines each set a variable from itself was worked out in
// every order of its lines: eight `set $v "a$v";` took a second, ten
// more than a minute (each line 13 times the last). Every line of a block is one node of the query now, and the
// run's queries share a defined variable's answer, so the whole block
// costs a few values, whatever its length.
func TestSelfAppendingSets(t *testing.T) {
	const n = 40
	var b strings.Builder
	b.WriteString("http {\n  server {\n    location / {\n")
	for range n {
		b.WriteString("      set $v \"a$v\";\n")
	}
	b.WriteString("      if ($arg_x) { set $v \"b$v\"; }\n      return 200 $v;\n    }\n  }\n}\n")
	cfg := nginx.Parse(source.NewFile("nginx.conf", "/nginx.conf", source.KindNginx, []byte(b.String())))
	ix := Build([]*nginx.Config{cfg})
	loc := cfg.Directives[0].Block[0].Block[0]

	const budget = 10 * n // values and definitions worked out, for all the queries below
	work := 0
	computed = func() {
		if work++; work > budget {
			panic("too much work")
		}
	}
	defer func() { computed = nil }()
	var answers []Value
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("over %d values worked out for %d queries: the lines are read again and again", budget, n+3)
			}
		}()
		for _, d := range loc.Block {
			answers = append(answers, ix.At(d, nginx.Site{}, "v"))
		}
		answers = append(answers, ix.At(loc.Block[n].Block[0], nginx.Site{}, "v")) // inside the if
	}()
	for i, v := range answers {
		if v.Origin != Set || len(v.Providers) != n+1 || v.Props != answers[0].Props {
			t.Errorf("query %d: origin %v, %d providers, props %v; want set, %d, %v",
				i, v.Origin, len(v.Providers), v.Props, n+1, answers[0].Props)
		}
	}
	t.Logf("%d values worked out for %d queries", work, len(answers))
}

// names keeps the first of each name in order, by a scan and then, past
// smallNames, by a set; and a template lists each variable it reads once.
func TestNames(t *testing.T) {
	var n names
	var want []string
	for i := range 3 * smallNames {
		s := fmt.Sprint("v", i%(2*smallNames))
		n.add(s, "v0")
		if i < 2*smallNames {
			want = append(want, s)
		}
	}
	if !slices.Equal(n.list, want) {
		t.Errorf("names %v, want %v", n.list, want)
	}
	if _, read := splitTemplate("$a-$b-$a-${b}x$c"); !slices.Equal(read, []string{"a", "b", "c"}) {
		t.Errorf("template reads %v, want [a b c]", read)
	}
}

// The index keeps what it needs of each regex (its number of groups and
// its named ones), not the regex's tree, which pcre's cache bounds: a
// file of 32,000 rewrites took 146 MB of live heap when each site held
// its tree, 47 MB since. A group's tree is parsed again for a query
// after the cache let it go, and answers the same.
func TestIndexHoldsNoRegexTrees(t *testing.T) {
	const n = 20_000
	var b strings.Builder
	b.WriteString("http {\n  server {\n    location / {\n")
	for i := range n {
		fmt.Fprintf(&b, "      rewrite ^/old/%d/(.*)$ /new/%d/$1 break;\n", i, i)
	}
	b.WriteString("      return 200 $1;\n    }\n  }\n}\n")
	cfg := nginx.Parse(source.NewFile("nginx.conf", "/nginx.conf", source.KindNginx, []byte(b.String())))
	ret := cfg.Directives[0].Block[0].Block[0].Block[n]
	var before, after runtime.MemStats
	pcre.ResetCache()
	runtime.GC()
	runtime.ReadMemStats(&before)
	ix := Build([]*nginx.Config{cfg})
	first := ix.At(ret, nginx.Site{}, "1")
	pcre.ResetCache()
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > 20<<20 {
		t.Errorf("the index of %d regexes holds %d MB", n, grown>>20)
	}
	again := ix.At(ret, nginx.Site{}, "1")
	if first.Props != again.Props || len(first.Providers) != n || len(again.Providers) != n || !again.Props.May(Slash) {
		t.Errorf("$1 before the cache let go: %v from %d; after: %v from %d; want it to may hold a slash, from %d",
			first.Props, len(first.Providers), again.Props, len(again.Providers), n)
	}
	runtime.KeepAlive(ix)
}

// A named capture defined in every server (each its own regex
// server_name) is looked up among the regexes of its family once, not
// listed again for each query: 8,000 such servers took 2 s to lint, and
// 32,000 took 41. Counted as bytes allocated per query.
func TestNamedCaptureInEveryServer(t *testing.T) {
	const n = 8000
	var b strings.Builder
	b.WriteString("http {\n")
	for i := range n {
		fmt.Fprintf(&b, "  server { listen 80; server_name ~^(?<sub>w%d)\\.example\\.com$; return 200 $sub; }\n", i)
	}
	b.WriteString("}\n")
	cfg := nginx.Parse(source.NewFile("nginx.conf", "/nginx.conf", source.KindNginx, []byte(b.String())))
	ix := Build([]*nginx.Config{cfg})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i, srv := range cfg.Directives[0].Block {
		ret := srv.Block[2]
		if v := ix.At(ret, nginx.Site{}, "sub"); v.Origin != Capture || len(v.Providers) != 1 || v.Providers[0] != srv.Block[1] {
			t.Fatalf("server %d: $sub is %v from %d lines, want the capture of its own server_name", i, v.Origin, len(v.Providers))
		}
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / n; per > 4<<10 {
		t.Errorf("%d bytes allocated per query", per)
	}
}

// definedFoldByScan is DefinedFold as it was first written: every
// definition and named capture compared with the name.
func definedFoldByScan(ix *Index, name, fam string) bool {
	if ix.Defined(name, fam) || ix.Defined(strings.ToLower(name), fam) {
		return true
	}
	for n, defs := range ix.defs {
		for _, df := range defs {
			if strings.EqualFold(n, name) && sameFamily(df.family, fam) {
				return true
			}
		}
	}
	for n, rs := range ix.named {
		for _, r := range rs {
			if strings.EqualFold(n, name) && sameFamily(family(r.d.Context()), fam) {
				return true
			}
		}
	}
	return false
}

// DefinedFold's index answers as the scan of every definition: names in
// http, stream and a snippet of unknown family, named captures, and a
// name with the Kelvin sign, which folds to k.
func TestDefinedFoldAnswersAsTheScan(t *testing.T) {
	src := "http {\n  map $uri $Mapped { default 1; }\n  server {\n    set $MyVar 1;\n    set $\u212Aey 2;\n" +
		"    location ~ ^/(?<Part>[a-z]+)$ { return 200 $Part; }\n  }\n}\n" +
		"stream {\n  map $remote_addr $StreamOnly { default 1; }\n}\n"
	cfg := nginx.Parse(source.NewFile("nginx.conf", "/nginx.conf", source.KindNginx, []byte(src)))
	snippet := nginx.Parse(source.NewFile("snippet.conf", "/snippet.conf", source.KindNginx, []byte("set $Loose 1;\n")))
	ix := Build([]*nginx.Config{cfg, snippet})
	asked, yes := 0, 0
	for _, name := range []string{"myvar", "MYVAR", "MyVar", "mapped", "MAPPED", "part", "PART", "streamonly", "StreamOnly",
		"loose", "LOOSE", "key", "KEY", "\u212Aey", "\u212AEY", "k\u212A", "host", "HOST", "nothing", "Nothing", "m\u00fcller", ""} {
		for _, fam := range []string{"http", "stream", ""} {
			asked++
			want := definedFoldByScan(ix, name, fam)
			if got := ix.DefinedFold(name, fam); got != want {
				t.Errorf("DefinedFold(%q, %q) = %v, the scan says %v", name, fam, got, want)
			}
			if want {
				yes++
			}
		}
	}
	if yes == 0 || yes == asked {
		t.Fatalf("%d of %d names defined: the cases do not tell the answers apart", yes, asked)
	}
}
