package rules_test

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
	"github.com/ngxlint/ngxlint/rules"
)

// TestDocExamples lints every rule's doc examples: what "## Example" shows
// must be reported by the rule, and what "## Use instead" shows must not,
// so that a page never shows code its rule is silent on. How a section
// is read:
//   - a fence ```nginx is nginx.conf; an excerpt is put at the level its
//     directives belong to: the top level, in http, or in a server;
//   - ```nginx PATH and ```yaml PATH write that file (an included snippet,
//     an opensearch.yml, a docker-compose.yml), as it is;
//   - ```yaml is elasticsearch.yml;
//   - the section's text may name a setting the example needs, as the
//     command line does: `--nginx-version X`, `--es-version X`, `--max-nodes N`;
//   - "## Use instead" shows the files the fix changes: the example's
//     other files are linted with them.
//
// Rules that need the running system (tagged live) are left out.
func TestDocExamples(t *testing.T) {
	checked := 0
	for _, r := range rules.All() {
		if slices.Contains(r.Tags, analyzer.TagLive) {
			continue
		}
		t.Run(r.Name, func(t *testing.T) {
			ex, use := docSection(r.Doc, "## Example"), docSection(r.Doc, "## Use instead")
			files := docFiles(t, ex, nil)
			if n := lintDocFiles(t, r, files, ex); n == 0 {
				t.Errorf("## Example: %s reports nothing on it", r.Name)
			}
			if len(exampleFences.FindAllString(use, -1)) == 0 {
				return // the fix is told in words (remove the line, ...)
			}
			// Use instead shows the files the fix changes; the others are
			// the example's.
			if n := lintDocFiles(t, r, docFiles(t, use, files), use); n != 0 {
				t.Errorf("## Use instead: %s reports it %d times", r.Name, n)
			}
			// and it is a configuration nginx or the node would accept
			if n := lintDocFiles(t, nil, docFiles(t, use, files), use); n != 0 {
				t.Errorf("## Use instead: %d error findings (logged above)", n)
			}
		})
		checked++
	}
	if checked < 100 {
		t.Fatalf("only %d rules' examples checked", checked)
	}
}

var (
	exampleFences = regexp.MustCompile("(?s)```([a-z]+)( [^\\n]+)?\\n(.*?)```")
	versionFlag   = regexp.MustCompile("`--nginx-version ([0-9.]+)`")
	maxNodesFlag  = regexp.MustCompile("`--max-nodes ([0-9]+)`")
	esVersionFlag = regexp.MustCompile("`--es-version ([a-z0-9.-]+)`")
)

// docSection returns the text under a "## " heading, up to the next one.
func docSection(doc, head string) string {
	_, rest, ok := strings.Cut(doc, head+"\n")
	if !ok {
		return ""
	}
	if i := strings.Index(rest, "\n## "); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// docFiles reads a section's fences into file contents by path, over
// base (the example's files, for "## Use instead").
func docFiles(t *testing.T, sec string, base map[string]string) map[string]string {
	t.Helper()
	files := maps.Clone(base)
	if files == nil {
		files = map[string]string{}
	}
	seen := map[string]bool{}
	for _, m := range exampleFences.FindAllStringSubmatch(sec, -1) {
		lang, name, body := m[1], strings.TrimSpace(m[2]), m[3]
		switch {
		case name != "":
		case lang == "nginx":
			name, body = "nginx.conf", atItsLevel(body)
		case lang == "yaml":
			name = "elasticsearch.yml"
		default:
			continue // shell commands, log lines
		}
		if seen[name] {
			t.Fatalf("two fences write %s: give the second one a path", name)
		}
		seen[name] = true
		files[name] = body
	}
	if len(files) == 0 {
		t.Fatal("no example to lint")
	}
	return files
}

// lintDocFiles writes files to a fresh folder, lints them with rule r
// alone (the settings sec names) and returns how many findings r made.
func lintDocFiles(t *testing.T, r *analyzer.Rule, files map[string]string, sec string) int {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for _, name := range slices.Sorted(maps.Keys(files)) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(files[name]), 0o644); err != nil {
			t.Fatal(err)
		}
		if name == "nginx.conf" || strings.HasSuffix(name, ".yml") {
			paths = append(paths, p) // snippets are reached by include
		}
	}
	opts := analyzer.LoadOptions{WorkDir: dir}
	if m := maxNodesFlag.FindStringSubmatch(sec); m != nil {
		opts.Limits.MaxNodes, _ = strconv.Atoi(m[1])
	}
	ws, err := analyzer.Load(paths, opts)
	if err != nil {
		t.Fatal(err)
	}
	settings := &analyzer.Settings{NginxVersion: spec.Latest.String()}
	if m := versionFlag.FindStringSubmatch(sec); m != nil {
		settings.NginxVersion, settings.NginxVersionGiven = m[1], true
	}
	if m := esVersionFlag.FindStringSubmatch(sec); m != nil {
		settings.ElasticsearchVersion = m[1]
	}
	sel := []*analyzer.Rule{r}
	if r == nil {
		sel = rules.All()
	}
	fs, errs := analyzer.RunWith(ws, sel, rules.All(), settings)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	n := 0
	for _, f := range fs {
		if f.Rule == r || r == nil && f.Severity == analyzer.Error {
			if r == nil {
				t.Logf("%s: %s", f.Rule.Name, f.Message)
			}
			n++
		}
	}
	return n
}

// atItsLevel puts an nginx excerpt where all its top-level directives
// are allowed: at the top level, in http, or in a server of http (a
// directive without a block is matched against the table's entries
// without one, so an upstream's "server host;" is not a server block).
func atItsLevel(body string) string {
	c := nginx.Parse(source.NewFile("excerpt.conf", "", source.KindNginx, []byte(body)))
	allowed := func(in spec.Context) bool {
		for _, d := range c.Directives {
			ok := false
			for _, e := range spec.Lookup(d.Name) {
				ok = ok || e.Contexts&in != 0 && e.Args.Block == d.HasBlock
			}
			if !ok {
				return false
			}
		}
		return true
	}
	switch {
	case allowed(spec.Main | spec.Direct | spec.Any):
		return body
	case allowed(spec.HTTPMain | spec.Any):
		return "events {}\nhttp {\n" + body + "}\n"
	default:
		return "events {}\nhttp {\nserver {\n" + body + "}\n}\n"
	}
}
