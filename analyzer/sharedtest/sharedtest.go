// Package sharedtest holds helpers the tests of several packages share. It
// finds the ../shared folder (corpus, SARIF schema) that
// sits beside a checkout on developer machines and in CI, but not in a
// user's clone.
package sharedtest

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// RequireEnv, when set to 1, turns the skip for a missing ../shared into a
// failure; .ci/run sets it so that CI always runs these tests.
const RequireEnv = "NGXLINT_REQUIRE_SHARED"

// Dir returns the absolute path of ../shared (beside the repository root),
// or skips the test with a clear message when it is absent.
func Dir(t testing.TB) string {
	t.Helper()
	dir := find(t)
	if dir == "" {
		t.Skip(absent)
	}
	return dir
}

// DirIfPresent is Dir for a test that has more to do without ../shared
// (a fuzz target whose seeds it adds to): "" and a logged message where
// it is absent.
func DirIfPresent(t testing.TB) string {
	t.Helper()
	dir := find(t)
	if dir == "" {
		t.Log(absent + " (its files are left out)")
	}
	return dir
}

const absent = "../shared (corpus and schemas beside the checkout) is absent; set " + RequireEnv + "=1 to make this a failure"

// find returns ../shared, "" when it is absent, failing the test then
// when RequireEnv is set.
func find(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(repoDir(t), "..", "shared")
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return filepath.Clean(dir)
	}
	if os.Getenv(RequireEnv) == "1" {
		t.Fatal(absent)
	}
	return ""
}

// Path returns a path inside ../shared, skipping as Dir does.
func Path(t testing.TB, elem ...string) string {
	t.Helper()
	return filepath.Join(append([]string{Dir(t)}, elem...)...)
}

// Files returns the regular files under a folder inside ../shared, in
// lexical order, with their contents; it skips as Dir does, and fails the
// test on a read error or when the folder holds no file.
func Files(t testing.TB, elem ...string) []File {
	t.Helper()
	root := Path(t, elem...)
	var out []File
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() {
			return err
		}
		src, err := os.ReadFile(path)
		out = append(out, File{Path: path, Src: src})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("no files under %s", root)
	}
	return out
}

// File is one file Files found.
type File struct {
	Path string
	Src  []byte
}

// ToolsEnv, when set to 1, turns the skip for a missing external tool
// (nginx, nvim, pre-commit, unshare, npx) into a failure; .ci/run sets it
// after installing them.
const ToolsEnv = "NGXLINT_REQUIRE_TOOLS"

// Tool returns the path of an external program the test drives, or skips
// the test (fails it under NGXLINT_REQUIRE_TOOLS=1) when it is not installed.
func Tool(t testing.TB, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	msg := name + " is not installed (.ci/run installs it); set " + ToolsEnv + "=1 to make this a failure"
	if os.Getenv(ToolsEnv) == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// Tree writes files (slash-separated path -> content) under a new temporary
// folder and returns the folder.
func Tree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	WriteTree(t, dir, files)
	return dir
}

// WriteTree writes files (slash-separated path -> content) under dir,
// creating folders as needed.
func WriteTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Date sets the access and modification times of the files names (under
// dir, which may be "" for absolute names) to at: the parse cache trusts
// an old file's time (nginx.ParseCache), so its tests date the trees they
// edit as an editor's are.
func Date(t testing.TB, at time.Time, dir string, names ...string) {
	t.Helper()
	for _, name := range names {
		if err := os.Chtimes(filepath.Join(dir, filepath.FromSlash(name)), at, at); err != nil {
			t.Fatal(err)
		}
	}
}

// FirstDiff shows the first line where two multi-line texts differ, for a
// test that compares a dump with the one it expects.
func FirstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range min(len(w), len(g)) {
		if w[i] != g[i] {
			return fmt.Sprintf("line %d\nwant: %s\ngot:  %s", i+1, w[i], g[i])
		}
	}
	return fmt.Sprintf("want %d lines, got %d", len(w), len(g))
}

// Machine returns the absolute path of testdata/machine, the stand-in for
// this machine's file system that corpus tests give the loader (see
// nginx.Loader.Machine), so that an absolute include the corpus does not
// hold reads the same files wherever the tests run.
func Machine(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(repoDir(t), "testdata", "machine")
	if _, err := os.Stat(filepath.Join(dir, "etc", "nginx", "mime.types")); err != nil {
		t.Fatalf("sharedtest: the stand-in machine is missing: %v", err)
	}
	return filepath.Clean(dir)
}

// repoDir returns the repository's root folder, found from this file's
// place in it (<repo>/analyzer/sharedtest/sharedtest.go).
func repoDir(t testing.TB) string {
	t.Helper()
	_, here, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("sharedtest: cannot locate source file")
	}
	return filepath.Join(filepath.Dir(here), "..", "..")
}
