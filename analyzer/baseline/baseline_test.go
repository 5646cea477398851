package baseline_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/baseline"
	"github.com/ngxlint/ngxlint/rules"
	"github.com/ngxlint/ngxlint/rules/connectivity"
)

func lint(t *testing.T, dir, src string) (*analyzer.Workspace, []analyzer.Finding) {
	t.Helper()
	p := filepath.Join(dir, "conf", "nginx.conf")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	// The working folder differs from the baseline's: paths are stored
	// relative to the baseline file.
	ws, err := analyzer.Load([]string{p}, analyzer.LoadOptions{WorkDir: filepath.Join(dir, "conf")})
	if err != nil {
		t.Fatal(err)
	}
	// One rule keeps the counts below about the baseline, not about
	// which rules exist.
	fs, errs := analyzer.Run(ws, []*analyzer.Rule{connectivity.UpstreamLocalhost}, rules.All())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return ws, fs
}

const legacy = `http {
    upstream app {
        server localhost:3000;
        server localhost:3000;
    }
}
`

// An unrelated edit moves the recorded findings down; they stay matched,
// and only the new finding is reported.
func TestBaselineSurvivesLineShiftAndReportsNew(t *testing.T) {
	dir := t.TempDir()
	ws, fs := lint(t, dir, legacy)
	if len(fs) != 2 {
		t.Fatalf("%d findings in the legacy file, want 2", len(fs))
	}
	path := filepath.Join(dir, "ngxlint-baseline.json")
	if err := baseline.Write(path, ws, fs); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), `"file": "conf/nginx.conf"`) {
		t.Errorf("baseline paths are not relative to its folder:\n%s", b)
	}

	edited := "# a comment\nworker_processes 2;\n\n" + strings.Replace(legacy, "upstream app {", "upstream app {\n        keepalive 4;", 1) +
		"stream {\n    upstream db {\n        server localhost:5432;\n    }\n}\n"
	ws2, fs2 := lint(t, dir, edited)
	if len(fs2) != 3 {
		t.Fatalf("%d findings after the edit, want 3", len(fs2))
	}
	bl, err := baseline.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	left, matched := bl.Filter(ws2, fs2)
	if matched != 2 || len(left) != 1 || !strings.Contains(left[0].Message, "localhost:5432") {
		for _, f := range left {
			t.Logf("left: %s %s", f.Span, f.Message)
		}
		t.Fatalf("matched %d, left %d; want the 2 recorded ones matched and the :5432 one left", matched, len(left))
	}
	if fs2[0].Span.Start.Line == fs[0].Span.Start.Line {
		t.Fatal("the edit did not move the recorded findings: the test proves nothing")
	}

	// A third copy of a recorded problem is new: each entry matches once.
	third := strings.Replace(legacy, "server localhost:3000;\n    }", "server localhost:3000;\n        server localhost:3000;\n    }", 1)
	ws3, fs3 := lint(t, dir, third)
	if left, _ := bl.Filter(ws3, fs3); len(fs3) != 3 || len(left) != 1 {
		t.Errorf("%d findings, %d left; want 3 and 1", len(fs3), len(left))
	}
}

func TestReadRejectsGarbage(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"notjson.json": "nope",
		"version.json": `{"version": 99, "findings": []}`,
		"entry.json":   `{"version": 1, "findings": [{"rule": "NGX101"}]}`,
		"unknown.json": `{"version": 1, "findings": [], "extra": 1}`,
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := baseline.Read(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: err %v, want an error naming the file", name, err)
		}
	}
}
