package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// Regressions found in review: each test names the defect it guards.

// --fix re-lints from disk; standard input must be replayed, not re-read
// (it would be empty the second time and its findings would vanish).
func TestFixKeepsStdinFindings(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{"other.conf": "upstream u { server localhost:4000; }\n"})
	other := filepath.Join(dir, "other.conf")
	code, out, errs := ngx(t, "server { listen 80\n", "lint", "--fix", "--unsafe-fixes", "--stdin-filename", "s.conf", "-", other)
	if code != 1 || !strings.Contains(out, "s.conf:1:8: error:") {
		t.Errorf("exit %d, stdout %q, stderr %q: the stdin file's syntax errors were lost", code, out, errs)
	}
	if b, _ := os.ReadFile(other); !strings.Contains(string(b), "server 127.0.0.1:4000;") {
		t.Errorf("other.conf was not fixed: %q", b)
	}
}

// A value flag written last must not swallow the `--` that flag
// reordering inserts (it wrote the report to a file named "--").
func TestValueFlagWithoutValue(t *testing.T) {
	wd, _ := os.Getwd()
	for _, flag := range []string{"--output", "--fail-on", "--format", "--config", "--write-baseline"} {
		code, out, errs := ngx(t, "", "lint", example, flag)
		if code != 2 || out != "" || !strings.Contains(errs, "flag needs an argument: "+flag) {
			t.Errorf("%s last: exit %d, stdout %q, stderr %q", flag, code, out, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(wd, "--")); err == nil {
		_ = os.Remove(filepath.Join(wd, "--"))
		t.Error("a file named -- was written")
	}
}

func TestUnknownCommandExitsTwo(t *testing.T) {
	if code, _, errs := ngx(t, "", "bogus"); code != 2 || !strings.Contains(errs, `unknown command "bogus"`) {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

// A usage error prints one line on stderr and nothing on stdout, which a
// pipeline may be reading as JSON.
func TestUsageErrorKeepsStdoutClean(t *testing.T) {
	code, out, errs := ngx(t, "", "lint", "--format", "json", "--bogus", example)
	if code != 2 || out != "" || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// --diff honours --output, and names a file outside the working folder by
// its absolute path (a/../x cannot be applied with patch -p1).
func TestDiffOutputAndPaths(t *testing.T) {
	src, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	dir := sharedtest.Tree(t, map[string]string{"a.conf": string(src)})
	wd, _ := os.Getwd()
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(filepath.Join(dir, "sub")); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = os.Chdir(wd) }()
	patch := filepath.Join(dir, "fix.patch")
	code, out, errs := ngx(t, "", "lint", "--diff", "--unsafe-fixes", "-o", patch, "../a.conf")
	if code != 1 || out != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	b, err := os.ReadFile(patch)
	if err != nil {
		t.Fatalf("--output not written: %v", err)
	}
	abs := filepath.Join(dir, "a.conf")
	if !strings.HasPrefix(string(b), "--- "+abs+"\n+++ "+abs+"\n") {
		t.Errorf("diff headers:\n%s", b)
	}
	if got, _ := os.ReadFile(abs); string(got) != string(src) {
		t.Error("--diff wrote to the file")
	}
}

func TestConfigSecondDocumentIsAnError(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{
		".ngxlint.yml": "disable: [upstream-localhost]\n---\nbogus: 1\n",
		"nginx.conf":   "events {}\n",
	})
	code, _, errs := ngx(t, "", "lint", filepath.Join(dir, "nginx.conf"))
	if code != 2 || !strings.Contains(errs, ".ngxlint.yml:2:1: a second YAML document") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

func TestBaselineWithTrailingDataIsRejected(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{"b.json": `{"version":1,"findings":[]} trailing`})
	code, _, errs := ngx(t, "", "lint", "--baseline", filepath.Join(dir, "b.json"), example)
	if code != 2 || !strings.Contains(errs, "unexpected data after the JSON document") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}
