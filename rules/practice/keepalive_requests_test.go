package practice_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/rules/practice"
)

// The minimum comes from .ngxlint.yml's options; the default is 1000.
func TestKeepaliveRequestsMinimumOption(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte("events {}\nhttp {\n    keepalive_requests 500;\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ws, err := analyzer.Load([]string{path}, analyzer.LoadOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	rule := []*analyzer.Rule{practice.KeepaliveRequestsLow}
	for _, tc := range []struct {
		options map[string]map[string]any
		want    int
	}{
		{nil, 1},
		{map[string]map[string]any{"keepalive-requests-low": {"minimum": 200}}, 0},
		{map[string]map[string]any{"keepalive-requests-low": {"minimum": 501}}, 1},
	} {
		fs, errs := analyzer.RunWith(ws, rule, rule, &analyzer.Settings{Options: tc.options})
		if len(errs) > 0 || len(fs) != tc.want {
			t.Errorf("options %v: %d findings (%v), want %d", tc.options, len(fs), errs, tc.want)
		}
	}
}
