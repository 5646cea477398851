package analyzer_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// reportEveryServer is a test rule: one finding per `server` directive,
// at its name.
var reportEveryServer = &analyzer.Rule{
	ID: "T001", Name: "every-server", Severity: analyzer.Warning, Aliases: []string{"srv"},
	Run: func(p *analyzer.Pass) {
		p.Workspace.WalkNginx(func(d *nginx.Directive) {
			if d.Name == "server" {
				p.Reportf(d.NameSpan(), "server here")
			}
		})
	},
}

var optIn = &analyzer.Rule{ID: "T002", Name: "opt-in", Severity: analyzer.Info, OptIn: true, Run: func(*analyzer.Pass) {}}

var panics = &analyzer.Rule{ID: "T003", Name: "panics", Severity: analyzer.Error, Run: func(*analyzer.Pass) { panic("boom") }}

var known = []*analyzer.Rule{reportEveryServer, optIn, panics, analyzer.BadSuppression}

func names(rs []*analyzer.Rule) string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Name)
	}
	return strings.Join(out, ",")
}

func TestSelect(t *testing.T) {
	for _, tc := range []struct {
		enable, disable []string
		want            string
	}{
		{nil, nil, "every-server,panics,bad-suppression"},
		{[]string{"opt-in"}, nil, "every-server,opt-in,panics,bad-suppression"},
		{[]string{"all"}, []string{"T003"}, "every-server,opt-in,bad-suppression"},
		{[]string{"srv"}, []string{"all"}, "every-server"},
		{[]string{"every-server,opt-in"}, []string{" panics ", "bad-suppression"}, "every-server,opt-in"},
		{[]string{"EVERY-SERVER"}, []string{"every-server"}, "panics,bad-suppression"},
	} {
		got, err := analyzer.Select(known, tc.enable, tc.disable)
		if err != nil {
			t.Fatal(err)
		}
		if names(got) != tc.want {
			t.Errorf("enable %v disable %v: %s, want %s", tc.enable, tc.disable, names(got), tc.want)
		}
	}
	if _, err := analyzer.Select(known, []string{"nope"}, nil); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown rule: err %v", err)
	}
}

func load(t *testing.T, files map[string]string, paths ...string) *analyzer.Workspace {
	t.Helper()
	dir := sharedtest.Tree(t, files)
	var abs []string
	for _, p := range paths {
		abs = append(abs, filepath.Join(dir, p))
	}
	ws, err := analyzer.Load(abs, analyzer.LoadOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func TestSuppression(t *testing.T) {
	ws := load(t, map[string]string{"a.conf": `upstream a {
    server 10.0.0.1; # ngxlint:ignore every-server -- end of line
    # ngxlint:ignore srv -- alone: silences the next line
    server 10.0.0.2;
    server 10.0.0.3;
    server 10.0.0.4; # ngxlint:ignore panics -- another rule: no effect here
    server 10.0.0.5; # ngxlint:ignore every-server,typo-rule
}
`}, "a.conf")
	fs, errs := analyzer.Run(ws, []*analyzer.Rule{reportEveryServer, analyzer.BadSuppression}, known)
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.Span.String()+" "+f.Rule.Name)
	}
	want := []string{"a.conf:5:5 every-server", "a.conf:6:5 every-server", "a.conf:7:52 bad-suppression"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestPanickingRule: a rule that panics is reported as an error, and the
// other rules still run.
func TestPanickingRule(t *testing.T) {
	ws := load(t, map[string]string{"a.conf": "upstream a { server 10.0.0.1; }\n"}, "a.conf")
	fs, errs := analyzer.Run(ws, []*analyzer.Rule{panics, reportEveryServer}, known)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "rule panics: boom") {
		t.Errorf("errs = %v", errs)
	}
	if len(fs) != 1 || fs[0].Rule != reportEveryServer {
		t.Errorf("findings = %v", fs)
	}
}

func TestLoadFolder(t *testing.T) {
	ws := load(t, map[string]string{
		"nginx/nginx.conf":                   "events {}\nhttp { include conf.d/*.conf; }\n",
		"nginx/conf.d/app.conf":              "server { listen 80; }\n",
		"nginx/conf.d/.hidden.conf":          "server { listen 81; }\n",
		"nginx/sites-enabled/example":        "server { listen 82; }\n",
		"nginx/sites-enabled/example.bak":    "garbage {",
		"nginx/sites-available/example.org":  "server { listen 83; }\n",
		"nginx/sites-available/notes.md":     "# not a config\n",
		"nginx/sites-available/example.org~": "garbage {",
		"es/node1/opensearch.yml.node1":      "network.host: 0.0.0.0\n",
		"es/templates/elasticsearch.yml.j2":  "network.host: 0.0.0.0\n",
		"nginx/README.md":                    "# not a config\n",
		".git/config.conf":                   "not linted",
		"es/config/elasticsearch.yml":        "network.host: 0.0.0.0\n",
		"es/config/jvm.options":              "-Xms1g\n",
		"os/opensearch.yaml":                 "network.host: 0.0.0.0\n",
		"other.yml":                          "a: b\n",
	}, ".")
	var got []string
	for _, f := range ws.Files {
		got = append(got, f.Path)
	}
	sort.Strings(got)
	want := []string{
		"es/config/elasticsearch.yml", "es/node1/opensearch.yml.node1", "es/templates/elasticsearch.yml.j2",
		"nginx/conf.d/app.conf", "nginx/nginx.conf",
		"nginx/sites-available/example.org", "nginx/sites-enabled/example", "os/opensearch.yaml",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("loaded %v\nwant   %v", got, want)
	}
	if len(ws.Nginx) != 4 || len(ws.Elastic) != 4 {
		t.Errorf("%d nginx, %d elastic", len(ws.Nginx), len(ws.Elastic))
	}
}

func TestClassify(t *testing.T) {
	for _, tt := range []struct {
		path string
		kind source.Kind
		ok   bool
	}{
		{"etc/nginx/sites-available/example.org", source.KindNginx, true},
		{"etc/nginx/sites-enabled/shop.example.co.uk", source.KindNginx, true},
		{"etc/nginx/sites-enabled/default", source.KindNginx, true},
		{"etc/nginx/sites-enabled/example.org.dpkg-old", source.KindNginx, false},
		{"etc/nginx/sites-available/example.org.j2", source.KindNginx, false},
		{"etc/nginx/sites-available/README.md", source.KindNginx, false},
		{"etc/nginx/conf.d/example.org", source.KindNginx, false},
		{"config/opensearch.yml.node1", source.KindElastic, true},
		{"templates/elasticsearch.yml.j2", source.KindElastic, true},
		{"config/elasticsearch.yaml", source.KindElastic, true},
		{"config/elasticsearch.yml.", source.KindNginx, false},
		{"config/elasticsearch.ymlx", source.KindNginx, false},
		{"docker-compose.yml", source.KindNginx, false},
	} {
		kind, ok := analyzer.Classify(filepath.FromSlash(tt.path))
		if kind != tt.kind || ok != tt.ok {
			t.Errorf("Classify(%s) = %v, %v; want %v, %v", tt.path, kind, ok, tt.kind, tt.ok)
		}
	}
}

func TestNamedSettingsFileWithSuffixIsYAML(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{"opensearch.yml.node1": "network.host: 0.0.0.0\n"})
	ws, err := analyzer.Load([]string{filepath.Join(dir, "opensearch.yml.node1")}, analyzer.LoadOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(ws.Elastic) != 1 || len(ws.Nginx) != 0 {
		t.Errorf("%d settings files, %d nginx files; want the file read as settings", len(ws.Elastic), len(ws.Nginx))
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := analyzer.Load([]string{"/no/such/path.conf"}, analyzer.LoadOptions{}); err == nil {
		t.Error("missing path: no error")
	} else if ue := (*analyzer.UsageError)(nil); !errors.As(err, &ue) {
		t.Errorf("missing path: %T %v, want *UsageError", err, err)
	}
	empty := t.TempDir()
	if _, err := analyzer.Load([]string{empty}, analyzer.LoadOptions{}); err == nil || !strings.Contains(err.Error(), "no nginx configuration") {
		t.Errorf("folder with nothing to lint: err %v", err)
	}
	if _, err := analyzer.Load([]string{"-"}, analyzer.LoadOptions{}); err == nil {
		t.Error("- without stdin: no error")
	}
}

func TestStdinResolvesIncludesBesideItsName(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "up.conf"), []byte("upstream u { server 10.0.0.1; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ws, err := analyzer.Load([]string{"-"}, analyzer.LoadOptions{
		Stdin: strings.NewReader("http { include up.conf; }\n"), StdinName: filepath.Join(dir, "nginx.conf"), WorkDir: dir,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ws.Nginx) != 2 || len(ws.Diagnostics()) != 0 {
		t.Errorf("%d files, diagnostics %v", len(ws.Nginx), ws.Diagnostics())
	}
}

// A dump's files are all there is: an include the dump does not hold is
// never read from this machine's disk, even where that path exists here.
func TestDumpNeverReadsThisMachine(t *testing.T) {
	here := sharedtest.Tree(t, map[string]string{"conf.d/host.conf": "server { listen 1; }\n"})
	dump := "# configuration file /srv/nginx/nginx.conf:\n" +
		"events {}\nhttp {\n    include " + filepath.Join(here, "conf.d") + "/*.conf;\n" +
		"    include " + filepath.Join(here, "conf.d", "host.conf") + ";\n    include app.conf;\n}\n\n" +
		"# configuration file /srv/nginx/app.conf:\nserver { listen 2; }\n\n"
	ws, err := analyzer.Load([]string{"-"}, analyzer.LoadOptions{Stdin: strings.NewReader(dump), WorkDir: here})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range ws.Files {
		got = append(got, f.Path)
	}
	if strings.Join(got, " ") != "/srv/nginx/nginx.conf /srv/nginx/app.conf" || ws.Dump != "-" {
		t.Errorf("files %v, dump %q; want the dump's two files only", got, ws.Dump)
	}
	diags := ws.Diagnostics()
	if len(diags) != 1 || diags[0].Span.Start.Line != 4 || !strings.Contains(diags[0].Message, "not found in the nginx -T dump") {
		t.Errorf("diagnostics %v; want one at line 4 saying the dump lacks the file", diags)
	}
}

// A model whose computation panics fails the rule that first asked for
// it with that panic, and every later asker with the model's name and
// the same cause (each saw "interface {} is nil, not *nginx.Peers" when
// the peer model panicked on a scheme that was not UTF-8).
func TestFailedModelNamedToLaterAskers(t *testing.T) {
	ws := load(t, map[string]string{"nginx.conf": "events {}\nhttp {}\n"})
	bad := &analyzer.Model[*int]{Name: "test/bad", Compute: func(*analyzer.Workspace) *int { panic("the cause") }}
	asker := func(id, name string) *analyzer.Rule {
		return &analyzer.Rule{ID: id, Name: name, Severity: analyzer.Info, Run: func(p *analyzer.Pass) { analyzer.ResultOf(p.Workspace, bad) }}
	}
	rs := []*analyzer.Rule{asker("T020", "first"), asker("T021", "second"), asker("T022", "third")}
	_, errs := analyzer.RunWith(ws, rs, rs, nil)
	if len(errs) != 3 {
		t.Fatalf("errors %v, want one per rule", errs)
	}
	cause, named := 0, 0
	for _, e := range errs {
		var re *analyzer.RuleError
		if !errors.As(e, &re) {
			t.Fatalf("%v is not a rule error", e)
		}
		switch v := fmt.Sprint(re.Value); v {
		case "the cause":
			cause++
		case "the model test/bad failed earlier in this run: the cause":
			named++
		default:
			t.Errorf("%s: %q", re.Rule, v)
		}
	}
	if cause != 1 || named != 2 {
		t.Errorf("%d rules saw the cause and %d the named failure, want 1 and 2", cause, named)
	}
}
