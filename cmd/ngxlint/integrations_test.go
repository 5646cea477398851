package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// ixCopyExample copies the bundled example into a fresh folder (the test
// must never modify testdata).
func ixCopyExample(t *testing.T) (string, []byte) {
	t.Helper()
	src, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "nginx.conf")
	if err := os.WriteFile(p, src, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o640); err != nil {
		t.Fatal(err)
	}
	return p, src
}

func ixRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFixUnsafeChangesExactlyOneLine(t *testing.T) {
	p, orig := ixCopyExample(t)
	code, out, errs := ngx(t, "", "lint", "--fix", "--unsafe-fixes", p)
	if code != 0 || out != "" {
		t.Fatalf("exit %d, output %q, stderr %q; want 0 and no findings left", code, out, errs)
	}
	if !strings.Contains(errs, "fixed 1 problem in "+p) {
		t.Errorf("stderr %q does not say what was fixed", errs)
	}
	got := ixRead(t, p)
	// Byte for byte: split keeping line endings, so a lost final newline
	// or a changed line ending would show.
	a, b := bytes.SplitAfter(orig, []byte("\n")), bytes.SplitAfter(got, []byte("\n"))
	if len(a) != len(b) {
		t.Fatalf("%d lines became %d", len(a), len(b))
	}
	changed := 0
	for i := range a {
		if bytes.Equal(a[i], b[i]) {
			continue
		}
		changed++
		want := bytes.Replace(a[i], []byte("localhost:3000"), []byte("127.0.0.1:3000"), 1)
		if !bytes.Equal(b[i], want) {
			t.Errorf("line %d became %q, want %q", i+1, b[i], want)
		}
	}
	if changed != 1 {
		t.Errorf("%d lines changed, want exactly 1", changed)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want the original -rw-r-----", fi.Mode().Perm())
	}

	// A second run changes nothing and says nothing.
	code, out, errs = ngx(t, "", "lint", "--fix", "--unsafe-fixes", p)
	if code != 0 || out != "" || errs != "" {
		t.Errorf("second --fix: exit %d, output %q, stderr %q", code, out, errs)
	}
	if !bytes.Equal(ixRead(t, p), got) {
		t.Error("a second --fix changed the file")
	}
}

func TestFixWithoutUnsafeLeavesUnsafeFixAlone(t *testing.T) {
	p, orig := ixCopyExample(t)
	code, out, errs := ngx(t, "", "lint", "--color", "never", "--fix", p)
	if code != 1 || !strings.Contains(out, "[upstream-localhost]") {
		t.Fatalf("exit %d, output %q; want the finding reported and exit 1", code, out)
	}
	if !strings.Contains(errs, "1 unsafe fix not applied") {
		t.Errorf("stderr %q does not mention the held-back fix", errs)
	}
	if !bytes.Equal(ixRead(t, p), orig) {
		t.Error("--fix applied an unsafe fix")
	}
}

func TestDiffPrintsAndWritesNothing(t *testing.T) {
	p, orig := ixCopyExample(t)
	code, out, _ := ngx(t, "", "lint", "--diff", "--unsafe-fixes", p)
	if code != 1 {
		t.Errorf("exit %d, want 1 (there is a diff)", code)
	}
	line, _ := locate(t, p, "localhost:3000")
	want := "--- " + p + "\n+++ " + p + "\n@@ -" + itoa(line-3) + ",7 +" + itoa(line-3) + ",7 @@\n"
	if !strings.HasPrefix(out, want) || !strings.Contains(out, "\n-        server localhost:3000;\n+        server 127.0.0.1:3000;\n") {
		t.Errorf("diff:\n%s\nwant it to start with:\n%s", out, want)
	}
	if !bytes.Equal(ixRead(t, p), orig) {
		t.Error("--diff wrote the file")
	}
	// Without --unsafe-fixes there is nothing safe to show.
	if code, out, _ := ngx(t, "", "lint", "--diff", p); code != 0 || out != "" {
		t.Errorf("--diff with only an unsafe fix: exit %d, output %q", code, out)
	}
	// Standard input can be diffed, not fixed.
	if code, out, _ := ngx(t, string(orig), "lint", "--diff", "--unsafe-fixes", "--stdin-filename", "nginx.conf", "-"); code != 1 || !strings.Contains(out, "+        server 127.0.0.1:3000;") {
		t.Errorf("--diff of stdin: exit %d, output %q", code, out)
	}
	if code, _, errs := ngx(t, string(orig), "lint", "--fix", "--unsafe-fixes", "-"); code != 2 || !strings.Contains(errs, "standard input") {
		t.Errorf("--fix of stdin: exit %d, stderr %q; want a usage error", code, errs)
	}
	if code, _, _ := ngx(t, "", "lint", "--unsafe-fixes", p); code != 2 {
		t.Errorf("--unsafe-fixes alone: exit %d, want 2", code)
	}
}

type ixJSON struct {
	Findings []struct {
		Name     string `json:"name"`
		Severity string `json:"severity"`
		File     string `json:"file"`
		Line     int    `json:"line"`
	} `json:"findings"`
}

func ixLintJSON(t *testing.T, wantCode int, args ...string) ixJSON {
	t.Helper()
	code, out, errs := ngx(t, "", append([]string{"lint", "--format", "json"}, args...)...)
	if code != wantCode {
		t.Fatalf("exit %d, want %d; stderr %s", code, wantCode, errs)
	}
	var doc ixJSON
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return doc
}

const ixLocal = "http {\n    upstream app {\n        server localhost:3000;\n    }\n    server { location / { proxy_pass http://app; } }\n    server_tokens off;\n}\nevents {}\nworker_processes 1;\n"

func TestConfigFileIsFoundAndApplied(t *testing.T) {
	dir := t.TempDir()
	sharedtest.WriteTree(t, dir, map[string]string{
		".ngxlint.yml":         "severity:\n  upstream-localhost: error\nignore:\n  - legacy\n",
		"sites/app.conf":       ixLocal,
		"legacy/old.conf":      ixLocal,
		"sites/deep/more.conf": ixLocal,
	})
	// Found by walking up from the first path.
	doc := ixLintJSON(t, 1, filepath.Join(dir, "sites"), filepath.Join(dir, "legacy"))
	if len(doc.Findings) != 2 {
		t.Fatalf("%d findings, want 2 (legacy/ ignored): %+v", len(doc.Findings), doc.Findings)
	}
	for _, f := range doc.Findings {
		if f.Severity != "error" || strings.Contains(f.File, "legacy") {
			t.Errorf("finding %+v: want severity error, nothing from legacy/", f)
		}
	}
	// The command line wins over the file.
	if doc := ixLintJSON(t, 0, "--disable", "upstream-localhost", filepath.Join(dir, "sites")); len(doc.Findings) != 0 {
		t.Errorf("--disable did not win over the file: %+v", doc.Findings)
	}
	// --config names another file.
	other := filepath.Join(dir, "other.yml")
	sharedtest.WriteTree(t, dir, map[string]string{"other.yml": "disable: [upstream-localhost]\n"})
	if doc := ixLintJSON(t, 0, "--config", other, filepath.Join(dir, "sites")); len(doc.Findings) != 0 {
		t.Errorf("--config was not used: %+v", doc.Findings)
	}
}

func TestConfigErrorIsPositioned(t *testing.T) {
	dir := t.TempDir()
	sharedtest.WriteTree(t, dir, map[string]string{
		".ngxlint.yml": "disable:\n  - upstream-localhost\nseverity:\n  upstream-localhost: loud\n",
		"nginx.conf":   ixLocal,
	})
	code, out, errs := ngx(t, "", "lint", filepath.Join(dir, "nginx.conf"))
	want := filepath.Join(dir, ".ngxlint.yml") + ":4:23: unknown severity \"loud\""
	if code != 2 || out != "" || !strings.Contains(errs, want) {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, out, errs, want)
	}
}

func TestBaselineFlags(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "nginx.conf")
	bl := filepath.Join(dir, "baseline.json")
	sharedtest.WriteTree(t, dir, map[string]string{"nginx.conf": ixLocal})
	code, out, errs := ngx(t, "", "lint", "--write-baseline", bl, conf)
	if code != 0 || out != "" || !strings.Contains(errs, "recorded 1 finding in "+bl) {
		t.Fatalf("--write-baseline: exit %d, output %q, stderr %q", code, out, errs)
	}
	// Shift the recorded finding down and add a new one.
	sharedtest.WriteTree(t, dir, map[string]string{"nginx.conf": "# moved\n\n" + strings.Replace(ixLocal, "    }\n", "        server localhost:3001;\n    }\n", 1)})
	doc := ixLintJSON(t, 1, "--baseline", bl, conf)
	if len(doc.Findings) != 1 || doc.Findings[0].Line != 6 {
		t.Errorf("findings %+v; want only the new one, on line 6", doc.Findings)
	}
	if code, _, errs := ngx(t, "", "lint", "--baseline", filepath.Join(dir, "missing.json"), conf); code != 2 || !strings.Contains(errs, "missing.json: no such file; record one with --write-baseline") {
		t.Errorf("missing baseline: exit %d, stderr %q", code, errs)
	}
}

func TestMachineFormatsFromCLI(t *testing.T) {
	code, out, _ := ngx(t, "", "lint", "--format", "github", example)
	line, col := locate(t, example, "localhost:3000")
	want := "::warning file=" + filepathTo(example) + ",line=" + itoa(line) + ",col=" + itoa(col) + ",endLine=" + itoa(line) + ",endColumn=" + itoa(col+9) + ",title=NGX101 upstream-localhost::"
	if code != 1 || !strings.HasPrefix(out, want) {
		t.Errorf("github: exit %d, output %q, want prefix %q", code, out, want)
	}
	code, out, _ = ngx(t, "", "lint", "--format", "checkstyle", example)
	if code != 1 || !strings.Contains(out, `<error line="`+itoa(line)+`" column="`+itoa(col)+`" severity="warning"`) {
		t.Errorf("checkstyle: exit %d, output %q", code, out)
	}
	code, out, _ = ngx(t, "", "lint", "--format", "sarif", example)
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &doc); code != 1 || err != nil || len(doc.Runs) != 1 || len(doc.Runs[0].Results) != 1 || doc.Runs[0].Results[0].RuleID != "NGX101" {
		t.Errorf("sarif: exit %d, err %v, output %.300s", code, err, out)
	}
}
