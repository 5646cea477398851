package vars

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// A variable defined more than smallDefs times has its definitions
// looked up by the blocks around the query (defScopes) rather than read
// whole. Both ways must give every reference the same answer: on a tree
// that defines one variable in locations, ifs, servers, an included
// file's top and a map, and on the corpus.
func TestDefsByBlockAnswerAsAll(t *testing.T) {
	var main strings.Builder
	main.WriteString("http {\n    map $uri $v { default m; }\n    include top.conf;\n    server {\n        set $v s;\n")
	for i := range 12 {
		fmt.Fprintf(&main, "        location /l%d { set $v l%d; if ($arg_a) { set $v i%d; } return 200 $v; }\n", i, i, i)
	}
	main.WriteString("        location /none { return 200 $v; }\n        location /inc { include inner.conf; }\n    }\n" +
		"    server { listen 81; return 200 $v; location / { if ($arg_b) { return 200 $v; } } }\n}\n")
	dir := sharedtest.Tree(t, map[string]string{
		"nginx.conf": main.String(),
		"top.conf":   "server { listen 82; set $v t; location / { return 200 $v; } }\n",
		"inner.conf": "set $v n;\nreturn 200 $v;\n",
	})
	if n := compareWays(t, dir); n < 30 {
		t.Fatalf("%d references compared, want every one of the tree's", n)
	}
	t.Run("corpus", func(t *testing.T) {
		root := sharedtest.Path(t, "corpus", "nginx")
		repos, err := os.ReadDir(root)
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, repo := range repos {
			if repo.IsDir() {
				total += compareWays(t, filepath.Join(root, repo.Name()))
			}
		}
		t.Logf("%d references compared", total)
	})
}

// compareWays loads every file under dir as one workspace and checks
// that each reference gets one answer both ways; it returns how many it
// compared.
func compareWays(t *testing.T, dir string) int {
	t.Helper()
	l := LoadTree(t, dir, nil)
	answers := func(small int) []string {
		defer func(old int) { smallDefs = old }(smallDefs)
		smallDefs = small
		ix := Build(l.Configs()) // its own memos
		var out []string
		for _, c := range l.Configs() {
			nginx.Walk(c, func(d *nginx.Directive) bool {
				for _, site := range c.Sites() {
					for _, r := range DirectiveRefs(d) {
						v := ix.At(d, site, r.Name)
						var from []string
						for _, p := range v.Providers {
							from = append(from, p.Span().String())
						}
						out = append(out, fmt.Sprintf("%s $%s: %v %v [%s]", r.Span(), r.Name, v.Origin, v.Props, strings.Join(from, " ")))
					}
				}
				return true
			})
		}
		return out
	}
	all, byBlock := answers(1<<30), answers(0)
	if !slices.Equal(all, byBlock) {
		for i := range min(len(all), len(byBlock)) {
			if all[i] != byBlock[i] {
				t.Fatalf("%s: answers differ:\n  all:      %s\n  by block: %s", dir, all[i], byBlock[i])
			}
		}
		t.Fatalf("%s: %d answers read whole, %d by block", dir, len(all), len(byBlock))
	}
	return len(all)
}
