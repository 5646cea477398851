package vars_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/vars"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// genuinelyUndefined are the names the corpus really leaves undefined,
// each checked by hand: nothing in the repository's files defines them.
var genuinelyUndefined = map[string]string{
	"HOST":               "certbot test file: a template placeholder",
	"PORT":               "certbot test file: a template placeholder",
	"PROJECTBASE":        "certbot test file: a template placeholder",
	"PROJECTNAME":        "certbot test file: a template placeholder",
	"arg":                "crossplane test: a map value $arg (no such variable; $arg_NAME needs a name)",
	"blogid":             "parkr: the map that defines it is in a file the repository lacks",
	"connection_upgrade": "docker-swag: its map is in nginx.conf, which the corpus lacks",
	"no_auth_cache":      "perusio: set in a file the corpus lacks",
	"something":          "go-crossplane test: if ($something) with nothing defining it",
	"tornado_server":     "zulip: set in another puppet template",
}

// TestCorpus builds the index over every nginx configuration of the
// corpus (one workspace per repository, so that include trees resolve)
// and asks about every reference. It must never panic, and the
// references left undefined are listed: each must be a variable that
// really is defined nowhere in the files (a third-party module's, or one
// set in a file the corpus lacks), which the list below records.
func TestCorpus(t *testing.T) {
	root := sharedtest.Path(t, "corpus", "nginx")
	repos, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var refs, undefined, unknown, captures int
	undef := map[string][]string{}
	unk := map[string]int{}
	for _, repo := range repos {
		if !repo.IsDir() {
			continue
		}
		dir := filepath.Join(root, repo.Name())
		l := vars.LoadTree(t, dir, func(abs string) string {
			rel, _ := filepath.Rel(root, abs)
			return rel
		})
		ix := vars.Build(l.Configs())
		for _, c := range l.Configs() {
			nginx.Walk(c, func(d *nginx.Directive) bool {
				for _, site := range c.Sites() {
					for _, r := range vars.DirectiveRefs(d) {
						refs++
						v := ix.At(d, site, r.Name)
						switch {
						case v.Origin == vars.Undefined:
							undefined++
							undef[r.Name] = append(undef[r.Name], r.Span().String())
						case v.Props&vars.Unknown != 0:
							unknown++
							unk[r.Name+" "+v.Origin.String()]++
						}
						if v.Origin == vars.Capture {
							captures++
						}
					}
				}
				return true
			})
		}
	}
	names := make([]string, 0, len(undef))
	for n := range undef {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		where := undef[n]
		if len(where) > 3 {
			where = append(where[:3], "...")
		}
		t.Logf("undefined $%s (%d): %s", n, len(undef[n]), strings.Join(where, " "))
	}
	t.Logf("unknown: %v", unk)
	t.Logf("%d references (per inclusion site): %d undefined (%d names), %d unknown, %d captures",
		refs, undefined, len(undef), unknown, captures)
	for _, n := range names {
		if genuinelyUndefined[n] == "" {
			t.Errorf("$%s is undefined at %s: a variable the table or the index misses?", n, undef[n][0])
		}
	}
	if refs < 1000 {
		t.Errorf("only %d references found; the corpus walk is broken", refs)
	}
}

// BenchmarkCorpus measures Build over the whole corpus as one workspace
// and one At per reference per inclusion site.
func BenchmarkCorpus(b *testing.B) {
	root := sharedtest.Path(b, "corpus", "nginx")
	l := vars.LoadTree(b, root, func(abs string) string { r, _ := filepath.Rel(root, abs); return r })
	type ref struct {
		d    *nginx.Directive
		site nginx.Site
		name string
	}
	var refs []ref
	for _, c := range l.Configs() {
		nginx.Walk(c, func(d *nginx.Directive) bool {
			for _, s := range c.Sites() {
				for _, r := range vars.DirectiveRefs(d) {
					refs = append(refs, ref{d, s, r.Name})
				}
			}
			return true
		})
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ix := vars.Build(l.Configs())
		for _, r := range refs {
			_ = ix.At(r.d, r.site, r.name)
		}
	}
	b.ReportMetric(float64(len(refs)), "refs")
}
