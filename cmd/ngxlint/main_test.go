package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// ngx runs the CLI in-process and returns its exit status and streams.
func ngx(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"ngxlint"}, args...), strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

const example = "../../testdata/examples/nginx.conf"

// locate returns the 1-based line and column of the first occurrence of
// needle in the file, so that tests do not hard-code positions.
func locate(t *testing.T, path, needle string) (int, int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(b), "\n") {
		if c := strings.Index(line, needle); c >= 0 {
			return i + 1, c + 1
		}
	}
	t.Fatalf("%s: %q not found", path, needle)
	return 0, 0
}

func TestExampleReportsLocalhostAtExactPosition(t *testing.T) {
	code, out, errs := ngx(t, "", "lint", "--color", "never", example)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr: %s", code, errs)
	}
	line, col := locate(t, example, "localhost:3000")
	want := filepathTo(example) + ":" + itoa(line) + ":" + itoa(col) + ": warning: upstream server localhost:3000 expands to 127.0.0.1:3000 and [::1]:3000"
	if !strings.HasPrefix(out, want) {
		t.Fatalf("first line:\n%s\nwant prefix:\n%s", firstLine(out), want)
	}
	if !strings.Contains(firstLine(out), "[upstream-localhost]") {
		t.Errorf("no rule name in %q", firstLine(out))
	}
	// The excerpt: the source line, then a caret under exactly "localhost".
	lines := strings.Split(out, "\n")
	if len(lines) < 3 || !strings.HasSuffix(lines[2], strings.Repeat(" ", col-1)+"^^^^^^^^^") || strings.Count(lines[2], "^") != len("localhost") {
		t.Errorf("caret line %q does not underline localhost at column %d", lines[2], col)
	}
}

func TestFixedExampleExitsZero(t *testing.T) {
	src, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	fixed := strings.Replace(string(src), "server localhost:3000;", "server 127.0.0.1:3000;", 1)
	if fixed == string(src) {
		t.Fatal("example has no `server localhost:3000;`")
	}
	path := filepath.Join(t.TempDir(), "nginx.conf")
	if err := os.WriteFile(path, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := ngx(t, "", "lint", path)
	if code != 0 || out != "" {
		t.Fatalf("exit %d, output %q, stderr %q; want 0 and nothing", code, out, errs)
	}
}

func TestFlagsAfterPaths(t *testing.T) {
	code, out, _ := ngx(t, "", "lint", example, "--format", "json", "--fail-on=error")
	if code != 0 {
		t.Errorf("exit %d with --fail-on=error after the path; want 0 (the finding is a warning)", code)
	}
	if !json.Valid([]byte(out)) {
		t.Errorf("--format after the path was ignored: %q", out)
	}
}

// TestJSONContract checks the JSON output field for field against the
// design's contract.
func TestJSONContract(t *testing.T) {
	code, out, _ := ngx(t, "", "lint", "--format", "json", example)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if keys(doc) != "findings,version" || doc["version"] != version {
		t.Fatalf("top level %v", doc)
	}
	fs := doc["findings"].([]any)
	if len(fs) != 1 {
		t.Fatalf("%d findings, want 1: %s", len(fs), out)
	}
	f := fs[0].(map[string]any)
	if got := keys(f); got != "column,endColumn,endLine,file,fix,line,message,name,related,rule,severity" {
		t.Errorf("finding keys %s", got)
	}
	line, col := locate(t, example, "localhost:3000")
	want := map[string]any{
		"rule": "NGX101", "name": "upstream-localhost", "severity": "warning", "file": filepathTo(example),
		"line": float64(line), "column": float64(col), "endLine": float64(line), "endColumn": float64(col + len("localhost")),
	}
	for k, v := range want {
		if !reflect.DeepEqual(f[k], v) {
			t.Errorf("%s = %v, want %v", k, f[k], v)
		}
	}
	if rel, ok := f["related"].([]any); !ok || len(rel) != 0 {
		t.Errorf("related = %v, want []", f["related"])
	}
	fix := f["fix"].(map[string]any)
	if keys(fix) != "edits,safe,title" || fix["safe"] != false {
		t.Errorf("fix = %v", fix)
	}
	edit := fix["edits"].([]any)[0].(map[string]any)
	if edit["newText"] != "127.0.0.1" || edit["endOffset"].(float64)-edit["offset"].(float64) != float64(len("localhost")) {
		t.Errorf("edit = %v", edit)
	}
}

func TestBrokenInputIsAFindingNotACrash(t *testing.T) {
	cases := map[string]string{
		"stray-brace.conf":   "user nginx;\n}\nworker_processes 1;\n",
		"unterminated.conf":  "http {\n  server_name \"example.com;\n}\n",
		"missing-semi.conf":  "http {\n  server { listen 80 }\n}\n",
		"eof-in-block.conf":  "http {\n  server {\n    listen 80;\n",
		"nul.conf":           "user nginx;\x00\nworker_processes 1;\n",
		"garbage.conf":       "\x7fELF\x02\x01\x01\x00\x00\x00{{;;}}\xff\xfe",
		"broken.yml":         "network.host: [a, b\n",
		"elasticsearch.yaml": "\tnetwork.host: 0.0.0.0\n",
	}
	dir := t.TempDir()
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errs := ngx(t, "", "lint", "--format", "json", path)
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr %q", code, errs)
			}
			if strings.Contains(errs, "goroutine") || strings.Contains(errs, "panic") {
				t.Fatalf("stack trace: %s", errs)
			}
			var doc struct {
				Findings []struct {
					Severity     string
					File         string
					Line, Column int
				}
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			if len(doc.Findings) == 0 {
				t.Fatal("no finding")
			}
			for _, f := range doc.Findings {
				if f.Line < 1 || f.Column < 1 || !strings.HasSuffix(f.File, name) {
					t.Errorf("unpositioned finding %+v", f)
				}
			}
			if doc.Findings[0].Severity != "error" {
				t.Errorf("first finding %+v is not an error", doc.Findings[0])
			}
		})
	}
}

func TestEmptyFiles(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.conf")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := ngx(t, "", "lint", empty); code != 0 || out != "" {
		t.Errorf("empty nginx file: exit %d, %q %q", code, out, errs)
	}
	es := filepath.Join(dir, "elasticsearch.yml")
	if err := os.WriteFile(es, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// An empty settings file leaves network.host unset: loopback only.
	code, out, _ := ngx(t, "", "lint", es)
	if code != 1 || !strings.Contains(out, "elasticsearch.yml:1:1: warning: none of http.bind_host") {
		t.Errorf("empty elasticsearch.yml: exit %d, %q", code, out)
	}
}

func TestStdin(t *testing.T) {
	code, out, _ := ngx(t, "upstream a { server localhost:8080; }\n", "lint", "--stdin-filename", "conf.d/a.conf", "-")
	if code != 1 || !strings.HasPrefix(out, "conf.d/a.conf:1:21: warning: upstream server localhost:8080") {
		t.Errorf("exit %d, %q", code, out)
	}
	code, out, _ = ngx(t, "http.port: 9300\nnetwork.host: 0.0.0.0\n", "lint", "--fail-on", "info", "--stdin-filename", "elasticsearch.yml", "-")
	if code != 1 || !strings.Contains(out, "elasticsearch.yml:1:12: info: http.port 9300") {
		t.Errorf("exit %d, %q", code, out)
	}
}

func TestFailOnAndRuleSelection(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"--fail-on", "none"}, 0},
		{[]string{"--fail-on", "error"}, 0},
		{[]string{"--fail-on", "warning"}, 1},
		{[]string{"--disable", "upstream-localhost"}, 0},
		{[]string{"--disable", "NGX101"}, 0},
		{[]string{"--disable", "proxy-pass-localhost"}, 0},
		{[]string{"--disable", "all", "--enable", "upstream-localhost"}, 1},
		{[]string{"--disable", "no-such-rule"}, 2},
		{[]string{"--fail-on", "sometimes"}, 2},
		{[]string{"--format", "yaml"}, 2},
	} {
		code, _, errs := ngx(t, "", append(append([]string{"lint"}, tc.args...), example)...)
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d (%s)", tc.args, code, tc.code, errs)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"lint"},
		{"lint", "/no/such/file.conf"},
		{"lint", "--no-such-flag", example},
		{"explain", "no-such-rule"},
		{"rules", "--format", "xml"},
	} {
		code, _, errs := ngx(t, "", args...)
		if code != 2 || errs == "" || strings.Contains(errs, "goroutine") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, errs)
		}
	}
}

func TestRulesJSONContract(t *testing.T) {
	code, out, _ := ngx(t, "", "rules", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, r := range list {
		if keys(r) != "aliases,id,name,severity,summary,url" {
			t.Errorf("rule keys %s", keys(r))
		}
		if _, ok := r["aliases"].([]any); !ok {
			t.Errorf("%v: aliases is not a list", r["name"])
		}
		if !strings.HasSuffix(r["url"].(string), "/docs/rules/"+r["name"].(string)+".md") {
			t.Errorf("url %v", r["url"])
		}
		names[r["name"].(string)] = true
	}
	for _, n := range []string{"upstream-localhost", "es-loopback-only", "es-custom-http-port"} {
		if !names[n] {
			t.Errorf("rule %s missing", n)
		}
	}
}

func TestExplainAndVersion(t *testing.T) {
	code, out, _ := ngx(t, "", "explain", "NGX101")
	if code != 0 || !strings.HasPrefix(out, "NGX101 upstream-localhost (warning)") || !strings.Contains(out, "## Why is this bad?") {
		t.Errorf("explain: %d %q", code, out)
	}
	code, out, _ = ngx(t, "", "version")
	if code != 0 || out != "ngxlint "+version+" (commit "+commitID()+")\n" || commitID() == "" {
		t.Errorf("version: %d %q", code, out)
	}
}

// TestBinary builds the real binary and runs it as a user would: exit
// status, stdout and no colour when not on a terminal.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "ngxlint")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "lint", "../../testdata/examples")
	out, err := cmd.Output()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("err %v, want exit 1; out %s", err, out)
	}
	if bytes.Contains(out, []byte("\x1b[")) {
		t.Errorf("colour codes when stdout is not a terminal: %q", out)
	}
	if !bytes.Contains(out, []byte("[upstream-localhost]")) || bytes.Count(out, []byte("warning:")) != 1 {
		t.Errorf("output %s", out)
	}
}

func keys(m map[string]any) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

func firstLine(s string) string { return strings.SplitN(s, "\n", 2)[0] }

func itoa(n int) string { return strconv.Itoa(n) }

// filepathTo is how the CLI displays a path given relative to the working
// folder: as written, cleaned.
func filepathTo(p string) string { return filepath.Clean(p) }

// TestIncludedFileReportedOnce names an included file on the command line
// and through its folder as well: its finding appears once, at its own
// path and line.
func TestIncludedFileReportedOnce(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{
		"nginx.conf":      "worker_processes 1;\nevents {}\nhttp {\n    include conf.d/*.conf;\n    server { location / { proxy_pass http://app; } }\n    server_tokens off;\n}\n",
		"conf.d/app.conf": "upstream app {\n    server localhost:3000;\n}\n",
	})
	code, out, errs := ngx(t, "", "lint", "--format", "json",
		filepath.Join(dir, "nginx.conf"), filepath.Join(dir, "conf.d", "app.conf"), dir)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Findings []struct {
			File   string
			Line   int
			Column int
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 1 {
		t.Fatalf("%d findings, want 1: %s", len(doc.Findings), out)
	}
	f := doc.Findings[0]
	if !strings.HasSuffix(f.File, filepath.Join("conf.d", "app.conf")) || f.Line != 2 || f.Column != 12 {
		t.Errorf("finding at %s:%d:%d, want conf.d/app.conf:2:12", f.File, f.Line, f.Column)
	}
}

// TestPrefix resolves relative includes against --prefix, as nginx -p.
func TestPrefix(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{
		"repo/nginx.conf":           "events {}\nhttp {\n    include conf.d/app.conf;\n}\n",
		"etc/nginx/conf.d/app.conf": "upstream app { server localhost:3000; }\n",
	})
	main := filepath.Join(dir, "repo", "nginx.conf")
	code, out, _ := ngx(t, "", "lint", main)
	if code != 1 || !strings.Contains(out, "[include-not-found]") || strings.Contains(out, "[upstream-localhost]") {
		t.Errorf("without --prefix: exit %d\n%s", code, out)
	}
	code, out, _ = ngx(t, "", "lint", "--prefix", filepath.Join(dir, "etc", "nginx"), main)
	if code != 1 || strings.Contains(out, "[include-not-found]") || !strings.Contains(out, "app.conf:1:23: warning: upstream server localhost:3000") {
		t.Errorf("with --prefix: exit %d\n%s", code, out)
	}
	// nginx resolves includes beside the main file whatever -p says, so a
	// file found there is never reported missing because of --prefix.
	beside := sharedtest.Tree(t, map[string]string{
		"B/nginx.conf": "worker_processes 1;\nevents {}\nhttp {\n    server_tokens off;\n    include sub.conf;\n}\n",
		"B/sub.conf":   "server { listen 8080; }\n",
		"A/.keep":      "",
	})
	code, out, _ = ngx(t, "", "lint", "--prefix", filepath.Join(beside, "A"), filepath.Join(beside, "B", "nginx.conf"))
	if code != 0 || out != "" {
		t.Errorf("--prefix elsewhere, include beside the main file: exit %d\n%s", code, out)
	}
}

// TestReadmeShowsRealOutput keeps the README's "The first command prints"
// block true: its first line (up to "...") is a prefix of the real first
// line, and the excerpt lines match exactly.
func TestReadmeShowsRealOutput(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	_, after, ok := strings.Cut(readme, "The first command prints:\n\n```\n")
	if !ok {
		t.Fatal("README has no \"The first command prints:\" block")
	}
	block, _, _ := strings.Cut(after, "```")
	want := strings.Split(strings.TrimRight(block, "\n"), "\n")
	wd, _ := os.Getwd()
	if err := os.Chdir("../.."); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = os.Chdir(wd) }()
	code, out, _ := ngx(t, "", "lint", "testdata/examples")
	got := strings.Split(out, "\n")
	if code != 1 || len(got) < len(want) {
		t.Fatalf("exit %d, output %q", code, out)
	}
	head, _, _ := strings.Cut(want[0], "...")
	if !strings.HasPrefix(got[0], head) {
		t.Errorf("README first line\n%s\nis not a prefix of the real\n%s", head, got[0])
	}
	if !strings.HasSuffix(got[0], strings.TrimSpace(want[0][len(head)+len("..."):])) {
		t.Errorf("README first line ends %q; real line %q", want[0][len(head):], got[0])
	}
	for i := 1; i < len(want); i++ {
		if got[i] != want[i] {
			t.Errorf("line %d: README %q, real %q", i+1, want[i], got[i])
		}
	}
}

// --nginx-version is checked against the directive table: a branch is
// its newest release, a version nginx never released is a usage error.
func TestNginxVersionFlagIsChecked(t *testing.T) {
	if code, _, errs := ngx(t, "", "lint", "--color", "never", "--nginx-version", "1.25.6", example); code != 2 || !strings.Contains(errs, "1.25.6 is not a release") {
		t.Errorf("1.25.6: exit %d, stderr %q", code, errs)
	}
	if code, _, errs := ngx(t, "", "lint", "--color", "never", "--nginx-version", "1.24", example); code != 1 {
		t.Errorf("1.24: exit %d, stderr %q", code, errs)
	}
}

func TestRoot(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{
		"repo/nginx.conf":                        "events {}\nhttp {\n    include /etc/nginx/conf.d/*.conf;\n    include /etc/nginx/extra.conf;\n}\n",
		"repo/image/etc/nginx/conf.d/app.conf":   "upstream app { server localhost:3000; }\n",
		"repo/image/etc/nginx/extra.conf":        "server { listen 8080; location / { proxy_pass http://app; } }\n",
		"repo/.ngxlint.yml":                      "nginx:\n  root: image\n",
		"other/nginx.conf":                       "events {}\nhttp {\n    include /etc/nginx/conf.d/app.conf;\n}\n",
		"other/conf.d/app.conf":                  "upstream app { server localhost:3001; }\nserver { location / { proxy_pass http://app; } }\n",
		"other/rootfs/etc/nginx/conf.d/app.conf": "upstream app { server localhost:3002; }\nserver { location / { proxy_pass http://app; } }\n",
	})
	// nginx.root from .ngxlint.yml.
	code, out, errs := ngx(t, "", "lint", "--color", "never", filepath.Join(dir, "repo", "nginx.conf"))
	if code != 1 || strings.Contains(out, "[include-not-found]") || !strings.Contains(out, filepath.Join("image", "etc", "nginx", "conf.d", "app.conf")+":1:23: warning: upstream server localhost:3000") {
		t.Errorf("nginx.root: exit %d\n%s%s", code, out, errs)
	}
	// Without --root, the repository's conf.d/app.conf (the main file's
	// folder taken as /etc/nginx); with it, the root's.
	other := filepath.Join(dir, "other", "nginx.conf")
	code, out, _ = ngx(t, "", "lint", "--color", "never", other)
	if code != 1 || !strings.Contains(out, "localhost:3001") || strings.Contains(out, "localhost:3002") || strings.Contains(out, "[include-not-found]") {
		t.Errorf("without --root: exit %d\n%s", code, out)
	}
	code, out, _ = ngx(t, "", "lint", "--color", "never", "--root", filepath.Join(dir, "other", "rootfs"), other)
	if code != 1 || !strings.Contains(out, "localhost:3002") || strings.Contains(out, "localhost:3001") {
		t.Errorf("--root: exit %d\n%s", code, out)
	}
	if code, _, errs := ngx(t, "", "lint", "--root", filepath.Join(dir, "nowhere"), other); code != 2 || !strings.Contains(errs, "--root") {
		t.Errorf("--root that is not a folder: exit %d, %s", code, errs)
	}
}

// This machine's /etc/nginx (nginx is installed where the tests run) is
// never linted silently in place of the repository's files.
func TestHostNginxNeverSilentlyReplacesTheRepository(t *testing.T) {
	const hostSite = "/etc/nginx/sites-enabled/default"
	if _, err := os.Stat(hostSite); err != nil {
		t.Skip(hostSite + " is absent on this machine")
	}
	dir := sharedtest.Tree(t, map[string]string{
		"nginx.conf":            "events {}\nhttp {\n    include /etc/nginx/sites-enabled/*;\n}\n",
		"sites-enabled/default": "upstream app { server localhost:3000; }\nserver { location / { proxy_pass http://app; } }\n",
		"bare/nginx.conf":       "events {}\nhttp {\n    include " + hostSite + ";\n}\n",
	})
	_, out, _ := ngx(t, "", "lint", "--color", "never", "--format", "json", filepath.Join(dir, "nginx.conf"))
	if strings.Contains(out, hostSite) || !strings.Contains(out, "localhost:3000") {
		t.Errorf("the repository's sites-enabled/default must be linted, not %s:\n%s", hostSite, out)
	}
	_, out, _ = ngx(t, "", "lint", "--color", "never", filepath.Join(dir, "bare", "nginx.conf"))
	if !strings.Contains(out, "info: \""+hostSite+"\" is not in the repository") || !strings.Contains(out, "this machine's "+hostSite+" is linted in its place") {
		t.Errorf("the host's file was used without a finding saying so:\n%s", out)
	}
}
