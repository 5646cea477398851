package lsp

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// deepMain includes the snippet from four folders below the workspace
// (build/rootfs/etc/nginx), and defines the group that makes the
// snippet's `proxy_pass http://localhost` a group name: no finding in its
// context, one alone.
const deepMain = "events {}\nhttp {\n    upstream localhost { server 127.0.0.1:8080; }\n    include ../../../../conf.d/*.conf;\n}\n"

// localhostFindings opens conf.d/app.conf of a workspace holding files
// (after setup, when given) and returns its upstream-localhost findings.
func localhostFindings(t *testing.T, files map[string]string, setup func(dir string)) int {
	t.Helper()
	files["conf.d/app.conf"] = snippet
	dir := sharedtest.Tree(t, files)
	if setup != nil {
		setup(dir)
	}
	u := pathToURI(filepath.Join(dir, "conf.d", "app.conf"))
	c := newClient(t, Options{}, nil)
	c.initialize(dir, nil)
	from := 0
	c.open(u, "nginx", snippet)
	return len(byCode(c.diags(&from, u, 1).Diagnostics, "upstream-localhost"))
}

// The language server searches the whole workspace (within bounds) for the
// main file that includes an open snippet, skipping what git ignores,
// hidden and vendored folders; .ngxlint.yml's nginx.main wins.
func TestMainFileFoundDeepInTheWorkspace(t *testing.T) {
	nineDeep := "a/b/c/d/e/f/g/h/i/nginx.conf"
	for _, tc := range []struct {
		name  string
		files map[string]string
		setup func(t *testing.T, dir string)
		want  int
	}{
		{"four folders deep", map[string]string{"build/rootfs/etc/nginx/nginx.conf": deepMain}, nil, 0},
		{"no main file", map[string]string{}, nil, 1},
		{"in a hidden folder", map[string]string{".build/rootfs/etc/nginx/nginx.conf": deepMain}, nil, 1},
		{"under node_modules", map[string]string{"node_modules/rootfs/etc/nginx/nginx.conf": deepMain}, nil, 1},
		{"under vendor", map[string]string{"vendor/rootfs/etc/nginx/nginx.conf": deepMain}, nil, 1},
		{"deeper than the bound", map[string]string{nineDeep: strings.Replace(deepMain, "../../../../", strings.Repeat("../", 9), 1)}, nil, 1},
		{"ignored by git", map[string]string{"build/rootfs/etc/nginx/nginx.conf": deepMain, ".gitignore": "build/\n"}, gitInit, 1},
		{"in a git work tree, not ignored", map[string]string{"build/rootfs/etc/nginx/nginx.conf": deepMain, ".gitignore": "*.log\n"}, gitInit, 0},
		// nginx.main wins over the search, both ways: a main the search
		// skips is used, and one it would find is not.
		{"named by nginx.main in a hidden folder", map[string]string{
			".build/rootfs/etc/nginx/nginx.conf": deepMain,
			".ngxlint.yml":                       "nginx:\n  main: [.build/rootfs/etc/nginx/nginx.conf]\n",
		}, nil, 0},
		{"nginx.main names another main", map[string]string{
			"build/rootfs/etc/nginx/nginx.conf": deepMain,
			"other/nginx.conf":                  "events {}\nhttp {\n    include ../conf.d/*.conf;\n}\n",
			".ngxlint.yml":                      "nginx:\n  main: [other/nginx.conf]\n",
		}, nil, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var setup func(string)
			if tc.setup != nil {
				setup = func(dir string) { tc.setup(t, dir) }
			}
			if got := localhostFindings(t, tc.files, setup); got != tc.want {
				t.Fatalf("upstream-localhost findings on the snippet: %d, want %d", got, tc.want)
			}
		})
	}
}

func gitInit(t *testing.T, dir string) {
	t.Helper()
	git := sharedtest.Tool(t, "git")
	if out, err := exec.Command(git, "-C", dir, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
}

// A main file created after the first lint is found once the client
// reports the new file; a change to a known file re-reads what the main
// files include without searching the folder again.
func TestWatchedFilesRefreshTheSearch(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{"conf.d/app.conf": snippet, "build/other.conf": "events {}\n"})
	u := pathToURI(filepath.Join(dir, "conf.d", "app.conf"))
	c := newClient(t, Options{}, nil)
	c.initialize(dir, nil)
	from := 0
	c.open(u, "nginx", snippet)
	if got := byCode(c.diags(&from, u, 1).Diagnostics, "upstream-localhost"); len(got) != 1 {
		t.Fatalf("alone: %+v", got)
	}
	scans := func() int {
		c.srv.index.mu.Lock()
		defer c.srv.index.mu.Unlock()
		return c.srv.index.scans
	}
	if n := scans(); n != 1 {
		t.Fatalf("%d searches after the first lint, want 1", n)
	}

	// A known file changes: its includes are read again, no new search.
	other := filepath.Join(dir, "build", "other.conf")
	if err := os.WriteFile(other, []byte("events {}\nhttp {\n    upstream localhost { server 127.0.0.1:8080; }\n    include ../conf.d/*.conf;\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []map[string]any{{"uri": pathToURI(other), "type": 2}}})
	if got := byCode(c.diags(&from, u, 1).Diagnostics, "upstream-localhost"); len(got) != 0 {
		t.Fatalf("after the change: %+v", got)
	}
	if n := scans(); n != 1 {
		t.Errorf("%d searches after a change to a known file, want 1", n)
	}

	// A new main file: the folder is searched again.
	if err := os.Remove(other); err != nil {
		t.Fatal(err)
	}
	sharedtest.WriteTree(t, dir, map[string]string{"build/rootfs/etc/nginx/nginx.conf": deepMain})
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []map[string]any{
		{"uri": pathToURI(other), "type": 3},
		{"uri": pathToURI(filepath.Join(dir, "build", "rootfs", "etc", "nginx", "nginx.conf")), "type": 1},
	}})
	if got := byCode(c.diags(&from, u, 1).Diagnostics, "upstream-localhost"); len(got) != 0 {
		t.Fatalf("after the new main file: %+v", got)
	}
	if n := scans(); n != 2 {
		t.Errorf("%d searches after a created file, want 2", n)
	}
}

// The search goes breadth first, so a bound cuts off the deepest files:
// the top ones are kept, and nginx.conf comes before the rest.
func TestScanRootOrderAndBounds(t *testing.T) {
	files := map[string]string{
		"a/nginx.conf":            "",
		"z.conf":                  "",
		"elasticsearch.yml":       "",
		"x/y/elasticsearch.yml":   "", // too deep for settings files
		"m/n/o/p/q/deep.conf":     "", // past the candidate bound
		"node_modules/x/pkg.conf": "",
	}
	for i := 0; i < maxCandidates; i++ {
		files[fmt.Sprintf("many/f%03d.conf", i)] = ""
	}
	dir := sharedtest.Tree(t, files)
	ri := scanRoot(dir)
	if len(ri.nginx) != maxCandidates {
		t.Errorf("%d candidates, want the bound %d", len(ri.nginx), maxCandidates)
	}
	if ri.nginx[0] != filepath.Join(dir, "a", "nginx.conf") || ri.nginx[1] != filepath.Join(dir, "z.conf") {
		t.Errorf("first candidates %v, want a/nginx.conf then z.conf", ri.nginx[:2])
	}
	for _, p := range ri.nginx {
		if strings.Contains(p, "deep.conf") || strings.Contains(p, "node_modules") {
			t.Errorf("kept %s", p)
		}
	}
	if len(ri.elastic) != 1 || ri.elastic[0] != filepath.Join(dir, "elasticsearch.yml") {
		t.Errorf("settings files %v, want the top one only", ri.elastic)
	}
}
