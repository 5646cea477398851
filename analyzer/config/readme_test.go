package config

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/ngxlint/ngxlint/rules"
)

// The .ngxlint.yml reference in the README parses, with every key it
// shows: the documentation cannot drift from the parser.
func TestReadmeConfigExampleParses(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)### `\\.ngxlint\\.yml`.*?```yaml\n(.*?)```").FindSubmatch(b)
	if m == nil {
		t.Fatal("README.md has no .ngxlint.yml example")
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "etc", "nginx", "nginx.conf"), "")
	write(t, filepath.Join(dir, "es", "elasticsearch.yml"), "")
	c, err := Parse(".ngxlint.yml", dir, m[1], rules.All())
	if err != nil {
		t.Fatalf("the README's example: %v\n%s", err, m[1])
	}
	if len(c.Enable) == 0 || len(c.Disable) == 0 || len(c.Severity) == 0 || len(c.Ignores) == 0 || c.Prefix == "" || c.Root == "" ||
		len(c.Directives) == 0 || len(c.Main) == 0 || c.ElasticsearchVersion == "" || len(c.Links) == 0 ||
		len(c.NodeFiles) == 0 {
		t.Errorf("the README's example leaves a key out: %+v", c)
	}
}
