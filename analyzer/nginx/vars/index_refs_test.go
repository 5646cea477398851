package vars

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// Every directive with a '$' gets its references from its file's part,
// found by offset, and they are the ones DirectiveRefs works out; a file
// with thousands of them (worked out on all cores) and the corpus alike.
func TestDirectiveRefsFromParts(t *testing.T) {
	var b strings.Builder
	b.WriteString("http {\n    map $uri $m { default 1; ~^/(?<x>a) $1; }\n    server {\n")
	for i := range 3000 {
		fmt.Fprintf(&b, "        location /l%d { add_header X-%d \"$host$m\"; proxy_pass http://b:%d$request_uri; }\n", i, i, 1000+i)
	}
	b.WriteString("    }\n}\n")
	srcs := map[string][]byte{"big.conf": []byte(b.String())}
	if files, ok := corpusIfThere(t); ok {
		for _, f := range files {
			srcs[f.Path] = f.Src
		}
	}
	var configs []*nginx.Config
	for name, src := range srcs {
		configs = append(configs, nginx.Parse(source.NewFile(name, "", source.KindNginx, src)))
	}
	ix := Build(configs)
	var checked int
	for _, c := range configs {
		nginx.Walk(c, func(d *nginx.Directive) bool {
			if !anyDollar(d.Args) {
				return true
			}
			got, ok := ix.byFile[c].ownRefs(d)
			if !ok {
				t.Fatalf("%s: %s not found in its file's part", d.Span, d.Name)
			}
			if want := DirectiveRefs(d); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("%s: part has %v, DirectiveRefs %v", d.Span, got, want)
			}
			checked++
			return true
		})
	}
	if checked < 6000 {
		t.Errorf("only %d directives checked", checked)
	}
	// A directive the index has not seen, and no index at all.
	other := nginx.Parse(source.NewFile("o.conf", "", source.KindNginx, []byte("return 200 $host;")))
	if got := ix.DirectiveRefs(other.Directives[0]); len(got) != 1 || got[0].Name != "host" {
		t.Errorf("a directive outside the index: %v", got)
	}
	if got := (*Index)(nil).DirectiveRefs(other.Directives[0]); len(got) != 1 {
		t.Errorf("no index: %v", got)
	}
}

// corpusIfThere returns the corpus's nginx files, or nothing where the
// corpus is absent (the rest of the test still runs).
func corpusIfThere(t *testing.T) ([]sharedtest.File, bool) {
	var files []sharedtest.File
	ok := t.Run("corpus", func(t *testing.T) { files = sharedtest.Files(t, "corpus", "nginx") })
	return files, ok && len(files) > 0
}
