package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const fmtBad = "http {\nserver {\n  listen 80;   \n}\n}\n"
const fmtGood = "http {\n    server {\n        listen 80;\n    }\n}\n"

func writeFile(t *testing.T, path, s string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(s), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fmt rewrites the files of a folder in place, keeping their mode, and
// leaves files that are not nginx alone.
func TestFmtRewritesInPlace(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "conf.d", "site.conf")
	other := filepath.Join(dir, "notes.txt")
	writeFile(t, conf, fmtBad, 0o640)
	writeFile(t, other, fmtBad, 0o644)
	code, out, errs := ngx(t, "", "fmt", dir)
	if code != 0 || out != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if got := readFile(t, conf); got != fmtGood {
		t.Errorf("formatted file:\n%s", got)
	}
	if fi, err := os.Stat(conf); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("mode not kept: %v %v", fi.Mode(), err)
	}
	if got := readFile(t, other); got != fmtBad {
		t.Errorf("a file that is not nginx was changed")
	}
	// Formatted already: nothing to do, --check is quiet.
	if code, out, _ := ngx(t, "", "fmt", "--check", dir); code != 0 || out != "" {
		t.Errorf("--check on formatted files: exit %d, %q", code, out)
	}
}

func TestFmtCheckAndDiffWriteNothing(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "nginx.conf")
	writeFile(t, conf, fmtBad, 0o644)
	code, out, _ := ngx(t, "", "fmt", "--check", conf)
	if code != 1 || strings.TrimSpace(out) != conf {
		t.Errorf("--check: exit %d, stdout %q; want 1 and the file's name", code, out)
	}
	code, out, _ = ngx(t, "", "fmt", conf, "--diff")
	if code != 1 || !strings.Contains(out, "-  listen 80;   \n") || !strings.Contains(out, "+        listen 80;\n") || !strings.HasPrefix(out, "--- ") {
		t.Errorf("--diff: exit %d, stdout:\n%s", code, out)
	}
	if readFile(t, conf) != fmtBad {
		t.Error("--check or --diff wrote the file")
	}
}

func TestFmtStdin(t *testing.T) {
	code, out, errs := ngx(t, fmtBad, "fmt", "-")
	if code != 0 || out != fmtGood {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, out, _ = ngx(t, fmtBad, "fmt", "--check", "-")
	if code != 1 || strings.TrimSpace(out) != "<stdin>" {
		t.Errorf("--check -: exit %d, %q", code, out)
	}
}

// A file that does not parse is left alone, with its errors positioned
// and exit status 1; the other files are still formatted.
func TestFmtSyntaxErrors(t *testing.T) {
	dir := t.TempDir()
	broken := "http {\n    server {\n        listen 80\n    }\n"
	bad, good := filepath.Join(dir, "a.conf"), filepath.Join(dir, "b.conf")
	writeFile(t, bad, broken, 0o644)
	writeFile(t, good, fmtBad, 0o644)
	code, _, errs := ngx(t, "", "fmt", dir)
	if code != 1 || !strings.Contains(errs, bad+":3:9: directive \"listen\" is not terminated") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if readFile(t, bad) != broken || readFile(t, good) != fmtGood {
		t.Error("the broken file was changed or the good one was not")
	}
}

// fmt.indent in .ngxlint.yml sets the indentation.
func TestFmtIndentFromConfig(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, ".ngxlint.yml"), "fmt:\n  indent: tab\n", 0o644)
	conf := filepath.Join(dir, "nginx.conf")
	writeFile(t, conf, fmtBad, 0o644)
	if code, _, errs := ngx(t, "", "fmt", conf); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if got, want := readFile(t, conf), strings.ReplaceAll(fmtGood, "    ", "\t"); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFmtUsage(t *testing.T) {
	if code, _, errs := ngx(t, "", "fmt"); code != 2 || !strings.Contains(errs, "name the files") {
		t.Errorf("no paths: exit %d, %q", code, errs)
	}
	dir := t.TempDir()
	es := filepath.Join(dir, "elasticsearch.yml")
	writeFile(t, es, "a: 1\n", 0o644)
	if code, _, errs := ngx(t, "", "fmt", es); code != 2 || !strings.Contains(errs, "not an nginx file") {
		t.Errorf("elasticsearch.yml: exit %d, %q", code, errs)
	}
}

// A snippet's `# ngxlint:context location` makes lint check it as the
// inside of a location; without it the content (server_name) says server.
// fmt keeps the comment and lays the snippet out from the top level.
func TestContextComment(t *testing.T) {
	dir := t.TempDir()
	plain, marked := filepath.Join(dir, "snippets", "a.conf"), filepath.Join(dir, "snippets", "b.conf")
	writeFile(t, plain, "server_name a.example;\n", 0o644)
	writeFile(t, marked, "# ngxlint:context location\n  server_name   a.example;\n", 0o644)
	_, out, _ := ngx(t, "", "lint", "--format", "json", plain)
	if strings.Contains(out, "directive-not-allowed-here") {
		t.Errorf("without the comment: %s", out)
	}
	_, out, _ = ngx(t, "", "lint", "--format", "json", marked)
	if !strings.Contains(out, "directive-not-allowed-here") || !strings.Contains(out, "not allowed in location") {
		t.Errorf("with the comment: %s", out)
	}
	if code, _, errs := ngx(t, "", "fmt", marked); code != 0 {
		t.Fatalf("fmt: %d %s", code, errs)
	}
	if got := readFile(t, marked); got != "# ngxlint:context location\nserver_name a.example;\n" {
		t.Errorf("fmt made %q", got)
	}
}

// fmt reads a file as a lint does: over --max-file-size it is refused, and
// standard input past the limit is refused rather than formatted in part
// (a filter that wrote the first 16 MiB out would cut the file).
func TestFmtSizeLimits(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "site.conf")
	writeFile(t, conf, fmtBad, 0o644)
	code, out, errs := ngx(t, "", "fmt", "--max-file-size", "16", conf)
	if code != 2 || !strings.Contains(errs, "over the limit of 16 bytes per file") || readFile(t, conf) != fmtBad {
		t.Errorf("a file over --max-file-size: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, out, errs = ngx(t, fmtBad, "fmt", "--max-file-size", "16", "-")
	if code != 2 || out != "" || !strings.Contains(errs, "standard input is longer than 16 bytes") {
		t.Errorf("standard input over --max-file-size: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if code, out, errs := ngx(t, fmtBad, "fmt", "--max-file-size", "0", "-"); code != 0 || out != fmtGood {
		t.Errorf("--max-file-size 0: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// A file past the node budget is left alone with a message that names
// fmt's own flag, not a syntax error; --max-nodes 0 formats it.
func TestFmtNodeBudget(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "big.conf")
	writeFile(t, conf, strings.Repeat(fmtBad, 5), 0o644) // 10 directives, 10 arguments
	code, _, errs := ngx(t, "", "fmt", "--max-nodes", "12", conf)
	if code != 2 || !strings.Contains(errs, "more than 12 directives and arguments") ||
		!strings.Contains(errs, "--max-nodes") || strings.Contains(errs, "syntax") {
		t.Errorf("past the budget: exit %d, stderr %q", code, errs)
	}
	if readFile(t, conf) != strings.Repeat(fmtBad, 5) {
		t.Error("a file past the budget was changed")
	}
	if code, _, errs := ngx(t, "", "fmt", "--max-nodes", "0", conf); code != 0 || readFile(t, conf) != strings.Repeat(fmtGood, 5) {
		t.Errorf("--max-nodes 0: exit %d, stderr %q, file:\n%s", code, errs, readFile(t, conf))
	}
}
