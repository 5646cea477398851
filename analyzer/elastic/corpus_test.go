package elastic

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// TestCorpus parses every real-world file of the shared corpus. All of
// them are valid YAML except AllenKings__elasticsearch-cluster's, whose
// unquoted `*node-ks-psw*` values are YAML aliases with an illegal name;
// Elasticsearch itself cannot read that file either.
func TestCorpus(t *testing.T) {
	dir := sharedtest.Path(t, "corpus", "elasticsearch")
	// Known syntax errors: repository -> span of the expected diagnostic.
	broken := map[string]string{
		"AllenKings__elasticsearch-cluster": "6:26-6:39", // keystore_password: *node-ks-psw*
	}
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		rel, _ := filepath.Rel(dir, path)
		repo := strings.SplitN(filepath.ToSlash(rel), "/", 2)[0]
		s := Parse(source.NewFile(rel, path, source.KindElastic, src))
		checkBounds(t, s)
		var syntax []string
		for _, d := range s.Diagnostics {
			if d.Code == CodeSyntax {
				syntax = append(syntax, sp(d.Span))
			}
		}
		want, isBroken := broken[repo]
		switch {
		case isBroken && (len(syntax) != 1 || syntax[0] != want):
			t.Errorf("%s: want one yaml-syntax diagnostic at %s, got %v", rel, want, syntax)
		case !isBroken && len(syntax) != 0:
			t.Errorf("%s: unexpected yaml-syntax diagnostics %v: %+v", rel, syntax, s.Diagnostics)
		case !isBroken && len(s.All) == 0:
			t.Errorf("%s: no settings read", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 30 {
		t.Errorf("only %d corpus files found under %s", n, dir)
	}
}

// TestCorpusFindings pins the findings of two corpus files, so a change in
// flattening shows up here.
func TestCorpusFindings(t *testing.T) {
	dir := sharedtest.Path(t, "corpus", "elasticsearch")
	read := func(rel string) *Settings {
		src, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		return Parse(source.NewFile(rel, "", source.KindElastic, src))
	}
	// The OpenSearch demo security block was appended twice: every key of
	// it is a literal duplicate, which stops the node.
	s := read("kingkongapps__opensearch-install/config__opensearch.yml")
	if s.Flavor != OpenSearch || len(s.Diagnostics) != 17 || s.Diagnostics[0].Code != CodeDuplicateKey ||
		sp(s.Diagnostics[0].Span) != "38:1-38:48" || sp(s.Diagnostics[0].Related[0].Span) != "7:1-7:48" {
		t.Errorf("kingkongapps: flavor %s, %d diagnostics, first %+v", s.Flavor, len(s.Diagnostics), s.Diagnostics[0])
	}
	// `network.host: _site_,_lo_` style value split into two hosts.
	s = read("AckeeDevOps__docker-elasticsearch/config__elasticsearch.yml")
	if len(s.HTTPBind.Values) != 2 || s.HTTPBind.Values[0].Text != "_site_" || s.HTTPBind.Values[1].Text != "_lo_" {
		t.Errorf("AckeeDevOps: HTTPBind %+v", s.HTTPBind)
	}
}

// checkBounds asserts every span lies in the file and agrees with f.Pos.
func checkBounds(t testing.TB, s *Settings) {
	t.Helper()
	f := s.File
	check := func(what string, sp source.Span) {
		t.Helper()
		if sp.Start.Offset < 0 || sp.Start.Offset > sp.End.Offset || sp.End.Offset > len(f.Src) ||
			sp.Start != f.Pos(sp.Start.Offset) || sp.End != f.Pos(sp.End.Offset) || sp.File != f.Path {
			t.Fatalf("%s: bad span %+v (file has %d bytes)", what, sp, len(f.Src))
		}
	}
	for _, st := range s.All {
		check("key "+st.Key, st.KeySpan)
		for _, v := range st.Values {
			check("value of "+st.Key, v.Span)
		}
	}
	for _, d := range s.Diagnostics {
		check("diagnostic "+d.Code, d.Span)
		for _, r := range d.Related {
			check("related of "+d.Code, r.Span)
		}
		if strings.Contains(d.Message, "parser failed") {
			t.Fatalf("Parse recovered from a panic: %s", d.Message)
		}
	}
	for _, c := range f.Comments {
		check("comment", c.Span)
		if !strings.HasPrefix(c.Text, "#") || c.Text != f.Text(c.Span) {
			t.Fatalf("comment %q does not match its span %q", c.Text, f.Text(c.Span))
		}
	}
	for _, b := range []Bind{s.HTTPBind, s.TransportBind} {
		for _, v := range b.Values {
			check("bind value", v.Span)
		}
	}
}
