package vars

import (
	"fmt"
	"slices"
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
				t.Fatalf("%s: %s not found in its file's part", d.Span(), d.Name)
			}
			if want := DirectiveRefs(d); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("%s: part has %v, DirectiveRefs %v", d.Span(), got, want)
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

// A large file's part, indexed in runs on all cores and joined, is the
// part a walk of the whole file makes: every list in the same order.
func TestLargePartMatchesSerial(t *testing.T) {
	var b strings.Builder
	b.WriteString("http {\n")
	for i := range 2000 {
		fmt.Fprintf(&b, "    map $uri $m%d { default 0; ~^/(?<p%d>[a-z]+) $1; }\n", i, i%7)
		fmt.Fprintf(&b, "    server {\n        server_name ~^(?<sub>.+)\\.ex%d\\.com$;\n        set $a%d $host;\n", i, i%11)
		fmt.Fprintf(&b, "        more_set_input_headers 'X-Id: %d';\n        location ~ ^/(?<seg>[0-9]+) { return 200 \"$seg$sub$m%d\"; }\n    }\n", i, i)
	}
	b.WriteString("}\n")
	c := nginx.Parse(source.NewFile("big.conf", "", source.KindNginx, []byte(b.String())))
	if n := c.NumDirectives(); n < 4*indexBlock {
		t.Fatalf("only %d directives: the file is indexed in one run", n)
	}
	serial := newIndex()
	nginx.Walk(c, func(d *nginx.Directive) bool { serial.addOwn(d); return true })
	if got, want := dumpPart(indexOf(c)), dumpPart(serial); got != want {
		t.Fatalf("the part made in runs differs:\n%s", sharedtest.FirstDiff(want, got))
	}
}

// dumpPart writes out what a part holds, lists in their order.
func dumpPart(ix *Index) string {
	var b strings.Builder
	sites := func(list []*regexSite) {
		for _, rs := range list {
			fmt.Fprintf(&b, " %v/%s/%v/%v", rs.d.Span().Start, rs.kind, rs.ok, rs.positive)
		}
		b.WriteByte('\n')
	}
	for _, name := range sortedKeys(ix.defs) {
		fmt.Fprintf(&b, "def %s:", name)
		for _, df := range ix.defs[name] {
			fmt.Fprintf(&b, " %v/%v/%s/%q", df.d.Span().Start, df.origin, df.family, df.value)
		}
		b.WriteByte('\n')
	}
	for _, name := range sortedKeys(ix.named) {
		fmt.Fprintf(&b, "named %s:", name)
		sites(ix.named[name])
	}
	fmt.Fprintf(&b, "regexes %d, servers %d\n", len(ix.regexOf), len(ix.serverNames))
	for d, rs := range ix.regexOf {
		if rs.d != d {
			fmt.Fprintf(&b, "regex of %v is at %v\n", d.Span().Start, rs.d.Span().Start)
		}
	}
	var srvs []*nginx.Directive
	for srv := range ix.serverNames {
		srvs = append(srvs, srv)
	}
	slices.SortFunc(srvs, func(a, b *nginx.Directive) int { return a.Start() - b.Start() })
	for _, srv := range srvs {
		fmt.Fprintf(&b, "server %v:", srv.Span().Start)
		sites(ix.serverNames[srv])
	}
	fmt.Fprintf(&b, "dollar %d %v\n", len(ix.dollar), ix.offs)
	for i, d := range ix.dollar {
		if d.Start() != ix.offs[i] {
			fmt.Fprintf(&b, "dollar %d at %v, offset %d\n", i, d.Span().Start, ix.offs[i])
		}
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
