package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// nginxBinary finds the real nginx, which makes the dump. Locally its
// absence skips the test; in CI (CI=true, NGXLINT_REQUIRE_SHARED=1 or
// NGXLINT_REQUIRE_TOOLS=1) it fails it.
func nginxBinary(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("nginx"); err == nil {
		return p
	}
	if fi, err := os.Stat("/usr/sbin/nginx"); err == nil && fi.Mode().IsRegular() {
		return "/usr/sbin/nginx"
	}
	if os.Getenv("CI") == "true" || os.Getenv(sharedtest.RequireEnv) == "1" {
		t.Fatal("nginx is not installed (.ci/run installs nginx-light); the nginx -T dump test needs it")
	}
	return sharedtest.Tool(t, "nginx")
}

// dumpCase writes a three-file configuration (a main file, a wildcard
// include by absolute path, a relative include) with findings in every
// file, and returns its folder and main file.
func dumpCase(t *testing.T) (string, string) {
	dir := t.TempDir()
	sharedtest.WriteTree(t, dir, map[string]string{
		"nginx.conf": "pid " + filepath.Join(dir, "nginx.pid") + ";\n" +
			"error_log " + filepath.Join(dir, "error.log") + ";\n" +
			"events {}\n" +
			"http {\n" +
			"    include " + filepath.Join(dir, "conf.d") + "/*.conf;\n" +
			"    include upstreams.conf;\n" +
			"    add_header X-Content-Type-Options nosniff;\n" +
			"    upstream main_pool {\n        server localhost:4000;\n    }\n" +
			"}\n",
		"conf.d/app.conf": "server {\n" +
			"    listen 127.0.0.1:8080;\n" +
			"    server_name example.test;\n" +
			"    location / {\n" +
			"        proxy_pass http://app;\n" +
			"    }\n" +
			"    location /es {\n" +
			"        proxy_pass http://127.0.0.1:9300;\n" +
			"        add_header X-Frame-Options DENY;\n" +
			"    }\n" +
			"    location /main {\n" +
			"        proxy_pass http://main_pool;\n" +
			"    }\n" +
			"}", // no final newline: nginx -T adds one of its own
		"upstreams.conf": "upstream app {\n    server localhost:3000;\n    keepalive 8;\n}\n" +
			"upstream unused_pool {\n    server 127.0.0.1:3001;\n}\n\n",
	})
	return dir, filepath.Join(dir, "nginx.conf")
}

// jsonFindings returns the findings of a JSON report, each as a whole
// object: rule, file, line, column, end, message, fix edits.
func jsonFindings(t *testing.T, out string) []any {
	t.Helper()
	var doc struct {
		Findings []any `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return doc.Findings
}

// TestNginxDump: a configuration dumped by the real `nginx -T` gives the
// same findings, at the same paths, lines and columns, as its files, from
// a file and from standard input; --fix refuses a dump.
func TestNginxDump(t *testing.T) {
	bin := nginxBinary(t)
	dir, main := dumpCase(t)
	cmd := exec.Command(bin, "-T", "-c", main, "-e", filepath.Join(dir, "error.log"))
	dump, err := cmd.Output()
	if err != nil {
		t.Fatalf("nginx -T: %v\n%s", err, dump)
	}
	if !strings.HasPrefix(string(dump), "# configuration file "+main+":\n") || strings.Count(string(dump), "# configuration file ") != 3 {
		t.Fatalf("unexpected nginx -T output:\n%s", dump)
	}
	dumpFile := filepath.Join(t.TempDir(), "nginx-T.txt")
	if err := os.WriteFile(dumpFile, dump, 0o644); err != nil {
		t.Fatal(err)
	}

	args := []string{"lint", "--format", "json", "--enable", "all", "--fail-on", "none"}
	code, out, errs := ngx(t, "", append(args, main)...)
	if code != 0 {
		t.Fatalf("files: exit %d: %s", code, errs)
	}
	want := jsonFindings(t, out)
	files := map[string]bool{}
	for _, f := range want {
		files[f.(map[string]any)["file"].(string)] = true
	}
	t.Logf("%d findings in %d files", len(want), len(files))
	if len(want) < 3 || len(files) != 3 {
		t.Fatalf("the case must have findings in each of its three files: %d findings in %v\n%s", len(want), files, out)
	}

	code, out, errs = ngx(t, "", append(args, dumpFile)...)
	if got := jsonFindings(t, out); code != 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("dump file: exit %d %s\n got %v\nwant %v", code, errs, got, want)
	}
	// As operators run it: nginx -T 2>&1 | ngxlint lint -, nginx's own
	// messages first.
	merged := "nginx: the configuration file " + main + " syntax is ok\n" +
		"nginx: configuration file " + main + " test is successful\n" + string(dump)
	code, out, errs = ngx(t, merged, append(args, "-")...)
	if got := jsonFindings(t, out); code != 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("dump on standard input: exit %d %s\n got %v\nwant %v", code, errs, got, want)
	}

	code, out, errs = ngx(t, "", "lint", "--fix", "--enable", "all", dumpFile)
	if code != 2 || !strings.Contains(errs, "--fix cannot fix an nginx -T dump") {
		t.Errorf("--fix on a dump: exit %d\n%s%s", code, out, errs)
	}
	code, _, errs = ngx(t, string(dump), "lint", "--fix", "-")
	if code != 2 || !strings.Contains(errs, "-: --fix cannot fix an nginx -T dump") {
		t.Errorf("--fix on a dump from standard input: exit %d: %s", code, errs)
	}
	code, _, errs = ngx(t, "", "lint", dumpFile, main)
	if code != 2 || !strings.Contains(errs, "lint it on its own") {
		t.Errorf("a dump beside other nginx files: exit %d: %s", code, errs)
	}
}
