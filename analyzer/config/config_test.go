package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var (
	ruleA = &analyzer.Rule{ID: "T001", Name: "rule-a", Severity: analyzer.Warning, Aliases: []string{"alias-a"}}
	ruleB = &analyzer.Rule{ID: "T002", Name: "rule-b", Severity: analyzer.Error}
	ruleC = &analyzer.Rule{ID: "T003", Name: "rule-c", Severity: analyzer.Info, OptIn: true,
		Options: []analyzer.Option{{Name: "max", Default: 2}, {Name: "hosts", Default: []string(nil)}}}
	all = []*analyzer.Rule{ruleA, ruleB, ruleC}
)

func TestParseFullConfig(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "nginx.conf"), "")
	write(t, filepath.Join(dir, "es", "elasticsearch.yml"), "")
	write(t, filepath.Join(dir, "deploy", "nginx", "nginx.conf"), "")
	src := `# every key
enable: [rule-c]
disable:
  - alias-a
severity:
  rule-b: warning
  T003: error
ignore:
  - "*.bak"
  - path: legacy/**
    rules: [rule-b]
nginx:
  version: 1.24.0
  prefix: .
  root: deploy
  main: [nginx.conf, deploy/nginx/nginx.conf]
  directives: [more_set_headers, lua_shared_dict]
options:
  rule-c:
    max: 5
    hosts: [a.example, b.example]
elasticsearch:
  version: 8.13
  nodes: [es/elasticsearch.yml]
links:
  - nginx: nginx.conf
    elasticsearch: es/elasticsearch.yml
`
	c, err := Parse(".ngxlint.yml", dir, []byte(src), all)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(c.Enable, ",") != "rule-c" || strings.Join(c.Disable, ",") != "alias-a" {
		t.Errorf("enable %v disable %v", c.Enable, c.Disable)
	}
	if c.Severity[ruleB] != analyzer.Warning || c.Severity[ruleC] != analyzer.Error || len(c.Severity) != 2 {
		t.Errorf("severity %v", c.Severity)
	}
	if len(c.Ignores) != 2 || c.Ignores[0].Pattern != "*.bak" || c.Ignores[0].Rules != nil ||
		c.Ignores[1].Pattern != "legacy/**" || len(c.Ignores[1].Rules) != 1 || c.Ignores[1].Rules[0] != ruleB {
		t.Errorf("ignores %+v", c.Ignores)
	}
	if c.Prefix != dir || c.ElasticsearchVersion != "8.13" || strings.Join(c.Directives, ",") != "more_set_headers,lua_shared_dict" {
		t.Errorf("prefix %q version %q directives %v", c.Prefix, c.ElasticsearchVersion, c.Directives)
	}
	if c.Root != filepath.Join(dir, "deploy") {
		t.Errorf("root %q, want %q", c.Root, filepath.Join(dir, "deploy"))
	}
	if len(c.Main) != 2 || c.Main[0] != filepath.Join(dir, "nginx.conf") || c.Main[1] != filepath.Join(dir, "deploy", "nginx", "nginx.conf") {
		t.Errorf("main %v", c.Main)
	}
	if len(c.NodeFiles) != 1 || c.NodeFiles[0] != filepath.Join(dir, "es", "elasticsearch.yml") {
		t.Errorf("node files %v", c.NodeFiles)
	}
	if len(c.Links) != 1 || c.Links[0].Nginx != filepath.Join(dir, "nginx.conf") || c.Links[0].Elasticsearch != filepath.Join(dir, "es", "elasticsearch.yml") {
		t.Errorf("links %+v", c.Links)
	}
	st := c.Settings()
	if st.NginxVersion != "1.24.0" || st.ElasticsearchVersion != "8.13" || st.Options["rule-c"]["max"] != 5 ||
		strings.Join(st.Options["rule-c"]["hosts"].([]string), ",") != "a.example,b.example" || len(st.Links) != 1 {
		t.Errorf("settings %+v", st)
	}
	sel, err := c.Select(all, nil, nil)
	if err != nil || len(sel) != 2 || sel[0] != ruleB || sel[1] != ruleC {
		t.Errorf("selected %v, %v; want rule-b and rule-c", names(sel), err)
	}
}

// Each bad file is an error at the exact line and column of the culprit.
func TestErrorsArePositioned(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "nginx.conf"), "")
	write(t, filepath.Join(dir, "elasticsearch.yml"), "")
	for _, c := range []struct {
		src, want string
	}{
		{"enable: [rule-a]\nfrobnicate: 1\n", "x.yml:2:1: unknown key \"frobnicate\" in the configuration"},
		{"disable:\n  - rule-a\n  - no-such-rule\n", "x.yml:3:5: unknown rule \"no-such-rule\" in disable"},
		{"severity:\n  rule-a: fatal\n", "x.yml:2:11: unknown severity \"fatal\""},
		{"severity:\n  nope: error\n", "x.yml:2:3: unknown rule \"nope\" in severity"},
		{"ignore:\n  - path: 'a/[b'\n", "x.yml:2:11: bad glob pattern"},
		{"ignore:\n  - rules: [rule-a]\n", "x.yml:2:5: an ignore entry needs a path"},
		{"ignore:\n  - path: x\n    rulez: [rule-a]\n", "x.yml:3:5: unknown key \"rulez\" in an ignore entry"},
		{"nginx:\n  prefix: nowhere\n", "x.yml:2:11: nginx.prefix \"nowhere\" is not a folder"},
		{"nginx:\n  root: nowhere\n", "x.yml:2:9: nginx.root \"nowhere\" is not a folder"},
		{"nginx:\n  root: nginx.conf\n", "x.yml:2:9: nginx.root \"nginx.conf\" is not a folder"},
		{"nginx:\n  root: [a, b]\n", "x.yml:2:9: nginx.root must be a single value"},
		{"nginx:\n  main: [nginx.conf, gone.conf]\n", "x.yml:2:22: nginx.main \"gone.conf\": no such file"},
		{"nginx:\n  main:\n    - nginx.conf\n    - ./nginx.conf\n", "x.yml:4:7: nginx.main \"./nginx.conf\" is listed twice"},
		{"nginx:\n  main: [es.yml]\n", "x.yml:2:10: nginx.main \"es.yml\": no such file"},
		{"nginx:\n  main: [elasticsearch.yml]\n", "x.yml:2:10: nginx.main \"elasticsearch.yml\" is not an nginx configuration file"},
		{"nginx:\n  main: [{a: b}]\n", "x.yml:2:10: an nginx.main file must be a single value"},
		{"nginx:\n  main: {a: b}\n", "x.yml:2:9: nginx.main must be a list"},
		{"nginx:\n  directives: [Bad-Name]\n", "x.yml:2:16: \"Bad-Name\" is not a directive name"},
		{"elasticsearch:\n  version: eight\n", "x.yml:2:12: elasticsearch.version \"eight\" is not a version"},
		{"elasticsearch:\n  nodes: [gone.yml]\n", "x.yml:2:11: elasticsearch.nodes \"gone.yml\": no such file"},
		{"links:\n  - nginx: nginx.conf\n    elasticsearch: missing.yml\n", "x.yml:3:20: links elasticsearch \"missing.yml\": no such file"},
		{"links:\n  - nginx: nginx.conf\n", "x.yml:2:5: a link needs both nginx and elasticsearch"},
		{"nginx:\n  version: latest\n", "x.yml:2:12: nginx.version \"latest\" is not a version"},
		// 1.25.5 was the last of its branch: the table knows no 1.25.6.
		{"nginx:\n  version: 1.25.6\n", "x.yml:2:12: nginx.version: nginx 1.25.6 is not a release"},
		{"options:\n  rule-c:\n    maxx: 1\n", "x.yml:3:5: rule rule-c has no option \"maxx\" (it takes max, hosts)"},
		{"options:\n  rule-c:\n    max: many\n", "x.yml:3:10: rule-c: option max takes a whole number"},
		{"options:\n  rule-a:\n    max: 1\n", "x.yml:3:5: rule rule-a has no option \"max\" (it takes none)"},
		{"options:\n  nope: {}\n", "x.yml:2:3: unknown rule \"nope\" in options"},
		{"enable: [rule-a]\nenable: [rule-b]\n", "x.yml:2:1: \"enable\" is set twice (first at line 1)"},
		{"- a\n- b\n", "x.yml:1:1: the configuration must be a mapping"},
		{"enable: [rule-a\n", "x.yml:1:1: not valid YAML"},
		// Columns are UTF-16 code units, as everywhere else: 😀 counts 2.
		{"# 😀\nseverity: {rule-a: \"😀\"}\n", "x.yml:2:20: unknown severity"},
		{"nginx: {directives: [\"é\"]}\n", "x.yml:1:22: \"é\" is not a directive name"},
		{"fmt:\n  indent: two\n", "x.yml:2:11: fmt.indent \"two\" is not a number of spaces"},
		{"fmt:\n  width: 80\n", "x.yml:2:3: unknown key \"width\" in fmt"},
	} {
		_, err := Parse("x.yml", dir, []byte(c.src), all)
		var ce *Error
		if !errors.As(err, &ce) {
			t.Errorf("%q: err %v, want a positioned error", c.src, err)
			continue
		}
		if !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q:\n got %s\nwant %s...", c.src, err, c.want)
		}
	}
}

func TestEmptyFileIsDefaults(t *testing.T) {
	for _, src := range []string{"", "# nothing\n", "~\n"} {
		c, err := Parse("x.yml", "/", []byte(src), all)
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		sel, _ := c.Select(all, nil, nil)
		if len(sel) != 2 {
			t.Errorf("%q: selected %v, want the default set", src, names(sel))
		}
	}
}

func TestFlagsWinOverFile(t *testing.T) {
	c, err := Parse("x.yml", "/", []byte("disable: [rule-a]\nenable: [rule-c]\n"), all)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		enable, disable []string
		want            string
	}{
		{nil, nil, "rule-b,rule-c"},
		{[]string{"rule-a"}, nil, "rule-a,rule-b,rule-c"},
		{nil, []string{"all"}, ""},
		{[]string{"rule-a"}, []string{"all"}, "rule-a"},
		{nil, []string{"rule-c,rule-b"}, ""},
	} {
		sel, err := c.Select(all, tc.enable, tc.disable)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(names(sel), ","); got != tc.want {
			t.Errorf("--enable %v --disable %v: %s, want %s", tc.enable, tc.disable, got, tc.want)
		}
	}
	if _, err := c.Select(all, []string{"nope"}, nil); err == nil {
		t.Error("an unknown rule on the command line was accepted")
	}
}

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		pat, rel string
		want     bool
	}{
		{"*.bak", "sites/a.conf.bak", true},
		{"*.bak", "sites/a.conf", false},
		{"legacy", "legacy/a.conf", true},
		{"legacy", "x/legacy/a.conf", true},
		{"legacy", "legacyx/a.conf", false},
		{"legacy/sites", "legacy/sites/a.conf", true},
		{"legacy/sites", "x/legacy/sites/a.conf", false},
		{"legacy/**", "legacy/a/b/c.conf", true},
		{"**/old.conf", "a/b/old.conf", true},
		{"**/old.conf", "old.conf", true},
		{"conf.d/*.conf", "conf.d/a.conf", true},
		{"conf.d/*.conf", "conf.d/sub/a.conf", false},
		{"a/**/z.conf", "a/z.conf", true},
		{"a/**/z.conf", "a/b/c/z.conf", true},
	} {
		if got := Match(c.pat, c.rel); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.pat, c.rel, got, c.want)
		}
	}
}

func TestApplyIgnoresAndOverrides(t *testing.T) {
	dir := t.TempDir()
	c, err := Parse("x.yml", dir, []byte("severity: {rule-a: error}\nignore:\n  - legacy\n  - {path: 'conf.d/*.conf', rules: [rule-b]}\n"), all)
	if err != nil {
		t.Fatal(err)
	}
	ws := workspace(t, dir, "legacy/a.conf", "conf.d/b.conf", "main.conf")
	mk := func(r *analyzer.Rule, file string) analyzer.Finding {
		return analyzer.Finding{Rule: r, Severity: r.Severity, Span: source.Span{File: file}}
	}
	fs := []analyzer.Finding{
		mk(ruleA, "legacy/a.conf"), // ignored: every rule
		mk(ruleB, "conf.d/b.conf"), // ignored: rule-b there
		mk(ruleA, "conf.d/b.conf"), // kept, raised to error
		mk(ruleB, "main.conf"),     // kept
	}
	got := c.Apply(ws, fs)
	if len(got) != 2 || got[0].Rule != ruleA || got[0].Span.File != "conf.d/b.conf" || got[0].Severity != analyzer.Error ||
		got[1].Rule != ruleB || got[1].Severity != analyzer.Error {
		for _, f := range got {
			t.Logf("%s %s %s", f.Rule.Name, f.Span.File, f.Severity)
		}
		t.Error("wrong findings after Apply")
	}
}

// A refuted live finding keeps the info severity live mode gave it, even
// when Apply sees it after live mode.
func TestApplyKeepsRefutedAtInfo(t *testing.T) {
	dir := t.TempDir()
	c, err := Parse("x.yml", dir, []byte("severity: {rule-a: error}\n"), all)
	if err != nil {
		t.Fatal(err)
	}
	ws := workspace(t, dir, "main.conf")
	fs := []analyzer.Finding{
		{Rule: ruleA, Severity: analyzer.Info, Span: source.Span{File: "main.conf"}, Live: &analyzer.Live{Status: "refuted"}},
		{Rule: ruleA, Severity: analyzer.Warning, Span: source.Span{File: "main.conf"}, Live: &analyzer.Live{Status: "confirmed"}},
	}
	got := c.Apply(ws, fs)
	if len(got) != 2 || got[0].Severity != analyzer.Info || got[1].Severity != analyzer.Error {
		t.Errorf("severities %v, %v; want info (refuted) and error (override)", got[0].Severity, got[1].Severity)
	}
}

func TestFindWalksUp(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, ".ngxlint.yml"), "")
	write(t, filepath.Join(dir, "a", "b", "nginx.conf"), "")
	for _, start := range []string{filepath.Join(dir, "a", "b", "nginx.conf"), filepath.Join(dir, "a", "b"), dir} {
		got, err := Find(start)
		if err != nil || got != filepath.Join(dir, ".ngxlint.yml") {
			t.Errorf("Find(%s) = %q, %v", start, got, err)
		}
	}
	// A nearer .ngxlint.yaml wins.
	write(t, filepath.Join(dir, "a", ".ngxlint.yaml"), "")
	if got, _ := Find(filepath.Join(dir, "a", "b")); got != filepath.Join(dir, "a", ".ngxlint.yaml") {
		t.Errorf("Find = %q, want the nearer file", got)
	}
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// workspace loads empty nginx files named relative to dir.
func workspace(t *testing.T, dir string, rel ...string) *analyzer.Workspace {
	t.Helper()
	var paths []string
	for _, r := range rel {
		p := filepath.Join(dir, r)
		write(t, p, "events {}\n")
		paths = append(paths, p)
	}
	ws, err := analyzer.Load(paths, analyzer.LoadOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func names(rs []*analyzer.Rule) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Name)
	}
	return out
}

func TestNginxVersion(t *testing.T) {
	for in, want := range map[string]string{"": spec.Latest.String(), "1.24": "1.24.0", "1.25.1": "1.25.1"} {
		if v, err := NginxVersion(in); err != nil || v.String() != want {
			t.Errorf("NginxVersion(%q) = %v, %v; want %s", in, v, err, want)
		}
	}
	for _, bad := range []string{"latest", "1.25.6", "1.2.3.4"} {
		if _, err := NginxVersion(bad); err == nil {
			t.Errorf("NginxVersion(%q) accepted", bad)
		}
	}
}

func TestFmtIndent(t *testing.T) {
	for src, want := range map[string]string{"fmt: {indent: tab}\n": "\t", "fmt: {indent: 2}\n": "  ", "": ""} {
		c, err := Parse("x.yml", "/", []byte(src), all)
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if c.FmtIndent != want {
			t.Errorf("%q: FmtIndent %q, want %q", src, c.FmtIndent, want)
		}
	}
}
