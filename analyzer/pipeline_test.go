package analyzer_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// The pipeline filters what a stage adds exactly as it filters the rules'
// findings: ignore comments, then the policy; and sorts the result.
func TestPipelineFiltersStageFindings(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{"nginx.conf": "events {}\nhttp {\n" +
		"    server { listen 80; } # ngxlint:ignore every-server\n" +
		"    server { listen 81; }\n" +
		"    server { listen 82; }\n}\n"})
	var policySaw []int
	pipe := &analyzer.Pipeline{
		Rules: []*analyzer.Rule{reportEveryServer}, Known: known,
		Policy: func(ws *analyzer.Workspace, fs []analyzer.Finding) []analyzer.Finding {
			var out []analyzer.Finding
			for _, f := range fs {
				policySaw = append(policySaw, int(f.Span.Start.Line))
				if f.Span.Start.Line != 5 { // the project ignores line 5
					out = append(out, f)
				}
			}
			return out
		},
		Stages: []analyzer.Stage{func(_ context.Context, ws *analyzer.Workspace, fs []analyzer.Finding) ([]analyzer.Finding, error) {
			for i := range fs {
				fs[i].Message += " (evidence)"
			}
			// One finding per server again, as live mode adds its own.
			add := append([]analyzer.Finding(nil), fs...)
			for _, f := range fs {
				add = append(add, analyzer.Finding{Rule: reportEveryServer, Severity: analyzer.Info, Span: f.Span, Message: "added"})
			}
			// And one on the ignored line, which the comment must drop.
			f0 := ws.Files[0]
			add = append(add, analyzer.Finding{Rule: reportEveryServer, Severity: analyzer.Info,
				Span: f0.Span(f0.OffsetOf(3, 5), f0.OffsetOf(3, 11)), Message: "added"})
			return add, nil
		}},
	}
	_, fs, errs, err := pipe.Lint(context.Background(), []string{filepath.Join(dir, "nginx.conf")}, analyzer.LoadOptions{WorkDir: dir})
	if err != nil || len(errs) != 0 {
		t.Fatal(err, errs)
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.Span.Start.String()+" "+f.Message)
	}
	want := "4:5 server here (evidence)|4:5 added"
	if strings.Join(got, "|") != want {
		t.Errorf("findings\n got %q\nwant %q", strings.Join(got, "|"), want)
	}
	// Policy saw the rules' two findings (4, 5), then the one addition
	// that survived the ignore comment (4).
	if len(policySaw) != 3 || policySaw[2] != 4 {
		t.Errorf("policy saw lines %v", policySaw)
	}

	// A failing stage stops the run with its error.
	boom := errors.New("stage failed")
	pipe.Stages = []analyzer.Stage{func(context.Context, *analyzer.Workspace, []analyzer.Finding) ([]analyzer.Finding, error) {
		return nil, boom
	}}
	if _, _, _, err := pipe.Lint(context.Background(), []string{filepath.Join(dir, "nginx.conf")}, analyzer.LoadOptions{WorkDir: dir}); !errors.Is(err, boom) {
		t.Errorf("err %v, want the stage's", err)
	}
	// A cancelled context stops it before the rules run.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, _, err := pipe.Lint(ctx, []string{filepath.Join(dir, "nginx.conf")}, analyzer.LoadOptions{WorkDir: dir}); !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
}

// Loaded sees the loaded workspace once, before any rule has run, and is
// not called when loading fails.
func TestPipelineLoadedBeforeRules(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{"nginx.conf": "events {}\nhttp {\n    server { listen 80; }\n}\n"})
	var calls int
	var ruleRan bool
	var seen *analyzer.Workspace
	rule := &analyzer.Rule{Name: "note-run", Run: func(*analyzer.Pass) { ruleRan = true }}
	pipe := &analyzer.Pipeline{
		Rules: []*analyzer.Rule{rule}, Known: []*analyzer.Rule{rule},
		Loaded: func(ws *analyzer.Workspace) {
			calls++
			seen = ws
			if ruleRan {
				t.Error("a rule ran before Loaded")
			}
		},
	}
	ws, _, _, err := pipe.Lint(context.Background(), []string{filepath.Join(dir, "nginx.conf")}, analyzer.LoadOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 || seen != ws || !ruleRan {
		t.Fatalf("Loaded called %d times with the run's workspace %v, rule ran %v; want once, true, true", calls, seen == ws, ruleRan)
	}
	calls = 0
	if _, _, _, err := pipe.Lint(context.Background(), []string{filepath.Join(dir, "missing.conf")}, analyzer.LoadOptions{WorkDir: dir}); err == nil {
		t.Fatal("linting a missing file did not fail")
	}
	if calls != 0 {
		t.Errorf("Loaded called %d times after a failed load", calls)
	}
}
