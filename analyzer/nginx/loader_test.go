package nginx

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// newLoader returns a loader whose display paths are relative to dir.
func newLoader(dir string) *Loader {
	return &Loader{Display: func(abs string) string {
		if rel, err := filepath.Rel(dir, abs); err == nil {
			return rel
		}
		return abs
	}}
}

func load(t *testing.T, l *Loader, abs string) *Config {
	t.Helper()
	c, err := l.Load(abs)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// allDiags renders the diagnostics of every loaded file as
// "file:line:col code [info] message".
func allDiags(l *Loader) []string {
	var out []string
	for _, c := range l.Configs() {
		for _, d := range c.Diagnostics {
			info := ""
			if d.Info {
				info = " info"
			}
			out = append(out, fmt.Sprintf("%s %s%s %s", d.Span, d.Code, info, d.Message))
		}
	}
	return out
}

func includedPaths(d *Directive) []string {
	var out []string
	for _, c := range d.Includes() {
		out = append(out, c.File.Path)
	}
	return out
}

func TestIncludes(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{
		"nginx.conf": "http {\n" +
			"    include conf.d/*.conf;\n" +
			"    include \"mime.types\";\n" +
			"    include missing.conf;\n" +
			"    include fastcgi_params;\n" +
			"    include /nonexistent/abs.conf;\n" +
			"    include conf.d;\n" +
			"    include nothing/*.conf;\n" +
			"    include;\n" +
			"    include a b;\n" +
			"    include bad[.conf*;\n" +
			"}\n",
		"conf.d/b.conf":       "server { listen 81; }\n",
		"conf.d/a.conf":       "upstream u { server 127.0.0.1:1; include snippets/x.conf; }\n",
		"conf.d/.hidden.conf": "server { listen 99; }\n",
		"mime.types":          "types { text/html html; }\n",
		"snippets/x.conf":     "keepalive 8;\n",
	})
	l := newLoader(dir)
	main := load(t, l, filepath.Join(dir, "nginx.conf"))
	l.Resolve()
	http := main.Directives[0]
	if got := includedPaths(http.Block[0]); !reflect.DeepEqual(got, []string{"conf.d/a.conf", "conf.d/b.conf"}) {
		t.Errorf("glob include = %q", got)
	}
	if got := includedPaths(http.Block[1]); !reflect.DeepEqual(got, []string{"mime.types"}) {
		t.Errorf("quoted include = %q", got)
	}
	want := []string{
		`nginx.conf:4:13 include-not-found included file "missing.conf" not found (looked for missing.conf)`,
		`nginx.conf:5:13 include-not-found info included file "fastcgi_params" not found (looked for fastcgi_params); nginx packages install this file, so it is probably on the server`,
		`nginx.conf:6:13 include-not-found info included file "/nonexistent/abs.conf" not found in the repository (looked for nonexistent/abs.conf, taking the main file's folder as nginx's prefix) nor on this machine; it may exist on the server this configuration is deployed to`,
		`nginx.conf:7:13 include-error cannot include conf.d: is a directory, not a regular file`,
		`nginx.conf:9:5 nginx-syntax "include" takes exactly one file name or pattern, not 0`,
		`nginx.conf:10:5 nginx-syntax "include" takes exactly one file name or pattern, not 2`,
		`nginx.conf:11:13 include-error bad include pattern "bad[.conf*": syntax error in pattern`,
	}
	if got := allDiags(l); !reflect.DeepEqual(got, want) {
		t.Errorf("diagnostics\n got %q\nwant %q", got, want)
	}
	// Nested include resolved against the main file's folder.
	a := http.Block[0].Includes()[0]
	up := a.Directives[0]
	if got := includedPaths(up.Block[1]); !reflect.DeepEqual(got, []string{"snippets/x.conf"}) {
		t.Errorf("nested include = %q", got)
	}
	if len(l.Roots()) != 1 || l.Roots()[0] != main || len(l.Configs()) != 5 {
		t.Errorf("roots %d configs %d", len(l.Roots()), len(l.Configs()))
	}
	x := up.Block[1].Includes()[0]
	if x.IncludedBy[0] != up.Block[1] || a.IncludedBy[0] != http.Block[0] {
		t.Errorf("IncludedBy links wrong")
	}
	// Context crosses files: keepalive in snippets/x.conf sits in http >
	// upstream through two includes.
	ka := x.Directives[0]
	if got := ka.Context(); !reflect.DeepEqual(got, []string{"http", "upstream"}) {
		t.Errorf("Context = %q", got)
	}
	if ka.Module() != "http" || ka.Enclosing("upstream") != up || ka.Enclosing("http") != http || ka.Enclosing("server") != nil {
		t.Errorf("Module %q / Enclosing wrong", ka.Module())
	}
	if http.Module() != "" || len(http.Context()) != 0 {
		t.Errorf("http itself is main-level: %q", http.Context())
	}
	if x.Implied != nil || main.Implied != nil {
		t.Errorf("Implied set on non-fragments: %q %q", x.Implied, main.Implied)
	}
}

func TestIncludeCycle(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{
		"a.conf": "include b.conf;\n",
		"b.conf": "events {}\ninclude a.conf;\n",
	})
	l := newLoader(dir)
	load(t, l, filepath.Join(dir, "a.conf"))
	l.Resolve()
	var got []string
	for _, c := range l.Configs() {
		for _, d := range c.Diagnostics {
			got = append(got, fmt.Sprintf("%s %s %s", d.Span, d.Code, d.Message))
			for _, r := range d.Related {
				got = append(got, fmt.Sprintf("  related %s %s", r.Span, r.Message))
			}
		}
	}
	want := []string{
		"b.conf:2:9 include-error include cycle: a.conf is already being included higher up this chain",
		"  related a.conf:1:9 the cycle starts with this include",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if len(l.Roots()) != 1 {
		t.Errorf("roots %d", len(l.Roots()))
	}
}

func TestOverlayAndAddSource(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{
		"nginx.conf":    "http { include conf.d/*.conf; }\n",
		"conf.d/a.conf": "server { listen 80; }\n",
	})
	l := newLoader(dir)
	l.Overlay = map[string][]byte{
		filepath.Join(dir, "conf.d/a.conf"): []byte("server { listen 8080; }\n"),
		filepath.Join(dir, "conf.d/n.conf"): []byte("server { listen 9090; }\n"), // unsaved new file
	}
	main := l.AddSource("nginx.conf", filepath.Join(dir, "nginx.conf"), []byte("http { include conf.d/*.conf; }\n"))
	if again := l.AddSource("x", filepath.Join(dir, "nginx.conf"), nil); again != main {
		t.Errorf("AddSource did not return the loaded config")
	}
	if c, _ := l.Load(filepath.Join(dir, "nginx.conf")); c != main {
		t.Errorf("Load did not return the cached config")
	}
	l.Resolve()
	var listens []string
	for _, c := range main.Directives[0].Block[0].Includes() {
		listens = append(listens, c.File.Path+"="+c.Directives[0].Block[0].Args[0].Value)
	}
	if want := []string{"conf.d/a.conf=8080", "conf.d/n.conf=9090"}; !reflect.DeepEqual(listens, want) {
		t.Errorf("got %q want %q", listens, want)
	}
	stdin := l.AddSource("-", "", []byte("location / { proxy_pass http://b; }\n"))
	l.Resolve()
	if !reflect.DeepEqual(stdin.Implied, []string{"http", "server"}) {
		t.Errorf("stdin Implied %q", stdin.Implied)
	}
	if got := stdin.Directives[0].Block[0].Context(); !reflect.DeepEqual(got, []string{"http", "server", "location"}) {
		t.Errorf("Context %q", got)
	}
}

func TestFragments(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{"server { listen 80; }\nupstream u { server a:1; }\n", []string{"http"}},
		{"map $a $b { default 0; }\n", []string{"http"}},
		{"location / { }\nlocation /b { }\n", []string{"http", "server"}},
		{"listen 443 ssl;\nserver_name x;\n", []string{"http", "server"}},
		{"proxy_pass http://b;\nproxy_set_header Host $host;\n", []string{"http", "server", "location"}},
		{"proxy_set_header Host $host;\n", []string{"http"}},
		{"server 10.0.0.1:80;\nserver 10.0.0.2:80 backup;\n", []string{"http", "upstream"}},
		{"server { listen 53 udp; proxy_pass dns:53; }\n", []string{"stream"}},
		{"server { listen 80; proxy_pass app:80; location / {} }\n", []string{"http"}},
		{"user nginx;\nhttp { server {} }\n", nil},
		{"events {}\nserver {}\n", nil},
		{"error_log stderr;\ninclude x.conf;\n", nil},
		{"rtmp { server { listen 1935; } }\n", nil},
		{"my_module_thing on;\n", nil},
	}
	for _, tt := range tests {
		l := &Loader{Prefix: t.TempDir()}
		c := l.AddSource("f.conf", "", []byte(tt.src))
		l.Resolve()
		if !reflect.DeepEqual(c.Implied, tt.want) {
			t.Errorf("%q: Implied %q, want %q", tt.src, c.Implied, tt.want)
		}
	}
}

func TestFragmentIncludeFallsBackToParent(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{
		"nginx.conf":            "http { include sites-enabled/*; }\n",
		"sites-enabled/site":    "server {\n  include snippets/ssl.conf;\n  include snippets/gone.conf;\n}\n",
		"snippets/ssl.conf":     "ssl_protocols TLSv1.3;\n",
		"sites-enabled/.backup": "garbage {",
	})
	// Linted alone (pre-commit passes one file): a fragment.
	l := newLoader(dir)
	site := load(t, l, filepath.Join(dir, "sites-enabled/site"))
	l.Resolve()
	if !reflect.DeepEqual(site.Implied, []string{"http"}) {
		t.Errorf("Implied %q", site.Implied)
	}
	if got := includedPaths(site.Directives[0].Block[0]); !reflect.DeepEqual(got, []string{"snippets/ssl.conf"}) {
		t.Errorf("fallback include = %q", got)
	}
	want := []string{`sites-enabled/site:3:11 include-not-found info included file "snippets/gone.conf" not found (looked for sites-enabled/snippets/gone.conf); this file is linted on its own, so its include folder is a guess`}
	if got := allDiags(l); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	ssl := site.Directives[0].Block[0].Includes()[0].Directives[0]
	if got := ssl.Context(); !reflect.DeepEqual(got, []string{"http", "server"}) {
		t.Errorf("Context %q", got)
	}

	// Linted with its main file, fragment given first: the main file's
	// folder is the base and the site is not a root.
	l = newLoader(dir)
	site = load(t, l, filepath.Join(dir, "sites-enabled/site"))
	main := load(t, l, filepath.Join(dir, "nginx.conf"))
	l.Resolve()
	if len(site.IncludedBy) != 1 || site.Implied != nil || len(l.Roots()) != 1 || l.Roots()[0] != main {
		t.Errorf("IncludedBy %d Implied %q roots %d", len(site.IncludedBy), site.Implied, len(l.Roots()))
	}
	want = []string{`sites-enabled/site:3:11 include-not-found included file "snippets/gone.conf" not found (looked for snippets/gone.conf)`}
	if got := allDiags(l); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestLoadErrors(t *testing.T) {
	l := &Loader{}
	if _, err := l.Load(filepath.Join(t.TempDir(), "nope.conf")); err == nil {
		t.Error("no error for a missing root file")
	}
	if _, err := l.Load(t.TempDir()); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("directory: %v", err)
	}
}

// TestWildcardIncludeWebIsNotExponential: files that all include each
// other by wildcard once made the fragment-context walk exponential (40
// files took a minute). With 60 it must finish as quickly as any load; a
// regression shows as this test hanging until go test's timeout.
func TestWildcardIncludeWebIsNotExponential(t *testing.T) {
	files := map[string]string{}
	for i := 0; i < 60; i++ {
		files[fmt.Sprintf("f%02d.conf", i)] = "include *.conf;\nserver localhost:3000;\n"
	}
	dir := sharedtest.Tree(t, files)
	l := newLoader(dir)
	for name := range files {
		if _, err := l.Load(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	l.Resolve()
	if n := len(l.Configs()); n != 60 {
		t.Fatalf("%d configs, want 60", n)
	}
}

// loadedPaths lists the absolute paths of every loaded file.
func loadedPaths(l *Loader) []string {
	var out []string
	for _, c := range l.Configs() {
		out = append(out, c.File.Abs)
	}
	return out
}

func TestAbsoluteIncludesPreferTheRepository(t *testing.T) {
	host := sharedtest.Tree(t, map[string]string{
		"etc/nginx/conf.d/x.conf":   "server { listen 1; }\n",
		"etc/nginx/only-host.conf":  "server { listen 3; }\n",
		"etc/nginx/sites/a.conf":    "server { listen 4; }\n",
		"etc/nginx/nginx.conf":      "http { include " + "HOST/etc/nginx/conf.d/x.conf; }\n",
		"etc/nginx/conf.d/y.conf":   "server { listen 5; }\n",
		"etc/nginx/conf.d/z.conf":   "server { listen 6; }\n",
		"etc/nginx/other/only.conf": "server { listen 7; }\n",
	})
	hp := func(p string) string { return filepath.Join(host, filepath.FromSlash(p)) }
	repo := sharedtest.Tree(t, map[string]string{
		"nginx.conf": "http {\n" +
			"    include " + hp("etc/nginx/conf.d/*.conf") + ";\n" +
			"    include " + hp("etc/nginx/conf.d/x.conf") + ";\n" +
			"    include " + hp("etc/nginx/only-host.conf") + ";\n" +
			"    include " + hp("etc/nginx/nowhere.conf") + ";\n" +
			"    include " + hp("etc/nginx/other/*.conf") + ";\n" +
			"}\n",
		"conf.d/x.conf": "server { listen 2; }\n",
	})
	l := newLoader(repo)
	main := load(t, l, filepath.Join(repo, "nginx.conf"))
	l.Resolve()
	http := main.Directives[0]
	repoX := filepath.Join(repo, "conf.d", "x.conf")
	for i := 0; i < 2; i++ {
		if inc := http.Block[i].Includes(); len(inc) != 1 || inc[0].File.Abs != repoX {
			t.Errorf("include %d: got %v, want the repository's %s", i+1, loadedPaths(l), repoX)
		}
	}
	if inc := http.Block[2].Includes(); len(inc) != 1 || inc[0].File.Abs != hp("etc/nginx/only-host.conf") {
		t.Errorf("a file only on this machine is still read: %v", loadedPaths(l))
	}
	if inc := http.Block[4].Includes(); len(inc) != 1 || inc[0].File.Abs != hp("etc/nginx/other/only.conf") {
		t.Errorf("a pattern matching only on this machine: %v", loadedPaths(l))
	}
	want := []string{
		`nginx.conf:4:13 include-not-found info "` + hp("etc/nginx/only-host.conf") + `" is not in the repository (looked for only-host.conf, ` +
			`taking the main file's folder as nginx's prefix); this machine's ` + hp("etc/nginx/only-host.conf") + ` is linted in its place; ` +
			`pass --root with the folder that holds the server's file system to lint the repository's files instead`,
		`nginx.conf:5:13 include-not-found info included file "` + hp("etc/nginx/nowhere.conf") + `" not found in the repository (looked for nowhere.conf, ` +
			`taking the main file's folder as nginx's prefix) nor on this machine; it may exist on the server this configuration is deployed to`,
		`nginx.conf:6:13 include-not-found info "` + hp("etc/nginx/other/*.conf") + `" is not in the repository (looked for other/*.conf, ` +
			`taking the main file's folder as nginx's prefix); this machine's 1 matching files are linted in its place; ` +
			`pass --root with the folder that holds the server's file system to lint the repository's files instead`,
	}
	if got := allDiags(l); !reflect.DeepEqual(got, want) {
		t.Errorf("diagnostics\n got %q\nwant %q", got, want)
	}

	// Linted where it runs (the main file beside the included folder),
	// the path is read as written, silently.
	inPlace := newLoader(host)
	if err := os.WriteFile(hp("etc/nginx/nginx.conf"), []byte("http { include "+hp("etc/nginx/conf.d/x.conf")+"; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m := load(t, inPlace, hp("etc/nginx/nginx.conf"))
	inPlace.Resolve()
	if inc := m.Directives[0].Block[0].Includes(); len(inc) != 1 || inc[0].File.Abs != hp("etc/nginx/conf.d/x.conf") {
		t.Errorf("in place: %v", loadedPaths(inPlace))
	}
	if d := allDiags(inPlace); len(d) != 0 {
		t.Errorf("in place: %q", d)
	}
}

func TestRootResolvesAbsoluteIncludes(t *testing.T) {
	root := sharedtest.Tree(t, map[string]string{
		"etc/nginx/conf.d/x.conf": "server { listen 1; }\n",
		"etc/nginx/sites/a.conf":  "server { listen 2; }\n",
	})
	repo := sharedtest.Tree(t, map[string]string{
		"nginx.conf": "http {\n    include /etc/nginx/conf.d/x.conf;\n    include /etc/nginx/sites/*.conf;\n" +
			"    include /etc/nginx/nowhere.conf;\n    include /etc/nginx/mime.types;\n}\n",
		"conf.d/x.conf": "server { listen 3; }\n",
	})
	l := newLoader(repo)
	l.Root = root
	main := load(t, l, filepath.Join(repo, "nginx.conf"))
	l.Resolve()
	http := main.Directives[0]
	if inc := http.Block[0].Includes(); len(inc) != 1 || inc[0].File.Abs != filepath.Join(root, "etc/nginx/conf.d/x.conf") {
		t.Errorf("under the root: %v", loadedPaths(l))
	}
	if inc := http.Block[1].Includes(); len(inc) != 1 || inc[0].File.Abs != filepath.Join(root, "etc/nginx/sites/a.conf") {
		t.Errorf("pattern under the root: %v", loadedPaths(l))
	}
	rel, _ := filepath.Rel(repo, root)
	var got []string
	for _, d := range allDiags(l) {
		got = append(got, strings.ReplaceAll(d, rel, "ROOT"))
	}
	want := []string{
		`nginx.conf:4:13 include-not-found included file "/etc/nginx/nowhere.conf" not found (looked for ROOT/etc/nginx/nowhere.conf under the root)`,
		`nginx.conf:5:13 include-not-found info included file "/etc/nginx/mime.types" not found (looked for ROOT/etc/nginx/mime.types under the root); nginx packages install this file, so it is probably on the server`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("diagnostics\n got %q\nwant %q", got, want)
	}
}

// TestRepositoryWinsOverThisMachinesNginx uses the nginx installed on this
// machine, if any: its /etc/nginx must never be linted silently in place
// of a repository's files.
func TestRepositoryWinsOverThisMachinesNginx(t *testing.T) {
	const hostSite = "/etc/nginx/sites-enabled/default"
	if _, err := os.Stat(hostSite); err != nil {
		t.Skip(hostSite + " is absent on this machine")
	}
	repo := sharedtest.Tree(t, map[string]string{
		"nginx.conf":              "http {\n    include /etc/nginx/sites-enabled/*;\n}\n",
		"sites-enabled/default":   "server { listen 8081; }\n",
		"other/nginx.conf":        "http {\n    include " + hostSite + ";\n}\n",
		"other/sites/example.org": "server { listen 8082; }\n",
	})
	l := newLoader(repo)
	main := load(t, l, filepath.Join(repo, "nginx.conf"))
	l.Resolve()
	if inc := main.Directives[0].Block[0].Includes(); len(inc) != 1 || inc[0].File.Abs != filepath.Join(repo, "sites-enabled", "default") {
		t.Errorf("the repository's sites-enabled/default must win: loaded %v", loadedPaths(l))
	}
	if d := allDiags(l); len(d) != 0 {
		t.Errorf("repository file found: no finding expected, got %q", d)
	}

	l = newLoader(repo)
	other := load(t, l, filepath.Join(repo, "other", "nginx.conf"))
	l.Resolve()
	if inc := other.Directives[0].Block[0].Includes(); len(inc) != 1 || inc[0].File.Abs != hostSite {
		t.Fatalf("no repository copy: this machine's file is read, got %v", loadedPaths(l))
	}
	d := allDiags(l)
	if len(d) != 1 || !strings.Contains(d[0], "include-not-found info") || !strings.Contains(d[0], "this machine's "+hostSite+" is linted in its place") {
		t.Errorf("the host's file was used without saying so: %q", d)
	}
}

// With Machine set, the last lookup of an absolute include goes to that
// folder, never to this machine's /etc/nginx (tests rely on it to give the
// same findings wherever they run).
func TestMachineStandsForThisMachine(t *testing.T) {
	machine := sharedtest.Tree(t, map[string]string{
		"etc/nginx/only-machine.conf": "server { listen 1; }\n",
	})
	repo := sharedtest.Tree(t, map[string]string{
		"nginx.conf": "http {\n    include /etc/nginx/only-machine.conf;\n    include /etc/nginx/sites-enabled/default;\n}\n",
	})
	l := newLoader(repo)
	l.Machine = machine
	main := load(t, l, filepath.Join(repo, "nginx.conf"))
	l.Resolve()
	http := main.Directives[0]
	stand := filepath.Join(machine, "etc", "nginx", "only-machine.conf")
	if inc := http.Block[0].Includes(); len(inc) != 1 || inc[0].File.Abs != stand {
		t.Errorf("the stand-in machine's file is not read: %v", loadedPaths(l))
	}
	if inc := http.Block[1].Includes(); len(inc) != 0 {
		t.Errorf("this machine's file is read though Machine is set: %v", loadedPaths(l))
	}
	d := allDiags(l)
	if len(d) != 2 || !strings.Contains(d[0], "this machine's "+stand+" is linted in its place") ||
		!strings.Contains(d[1], "not found in the repository") {
		t.Errorf("diagnostics: %q", d)
	}
}

// A fragment linted on its own (no main file) looks for an absolute
// include around its folder and the folders above it, nginx's prefix
// being one of them.
func TestFragmentAbsoluteIncludeFoundInTheRepository(t *testing.T) {
	repo := sharedtest.Tree(t, map[string]string{
		"sites-enabled/example.org": "server {\n    listen 443 ssl;\n    include /etc/nginx/snippets/ssl-params.conf;\n}\n",
		"snippets/ssl-params.conf":  "ssl_session_cache shared:SSL:10m;\n",
	})
	l := newLoader(repo)
	frag := load(t, l, filepath.Join(repo, "sites-enabled", "example.org"))
	l.Resolve()
	want := filepath.Join(repo, "snippets", "ssl-params.conf")
	if inc := frag.Directives[0].Block[1].Includes(); len(inc) != 1 || inc[0].File.Abs != want {
		t.Errorf("got %v, want %s", loadedPaths(l), want)
	}
	if d := allDiags(l); len(d) != 0 {
		t.Errorf("diagnostics %q", d)
	}
}

// --prefix names where the configuration lives: an absolute include is
// looked for under it too, and one that points into it is read as written.
func TestPrefixIsAPlaceForAbsoluteIncludes(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{
		"repo/main/nginx.conf":           "events {}\nhttp {\n    include /etc/nginx/conf.d/app.conf;\n}\n",
		"repo/etc/nginx/conf.d/app.conf": "server { listen 8080; }\n",
	})
	l := newLoader(dir)
	l.Prefix = filepath.Join(dir, "repo", "etc", "nginx")
	main := load(t, l, filepath.Join(dir, "repo", "main", "nginx.conf"))
	l.Resolve()
	want := filepath.Join(dir, "repo", "etc", "nginx", "conf.d", "app.conf")
	if inc := main.Directives[1].Block[0].Includes(); len(inc) != 1 || inc[0].File.Abs != want {
		t.Errorf("got %v, want %s", loadedPaths(l), want)
	}
	if d := allDiags(l); len(d) != 0 {
		t.Errorf("diagnostics %q", d)
	}
}

// A load asks the disk once per path: the answer it got first stands for
// the rest of the load (the corpus's files name the same includes in the
// same places), and the next load asks again.
func TestLoaderAsksTheDiskOnce(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "later.conf")
	l := &Loader{}
	if l.exists(missing) {
		t.Fatal("a missing file exists")
	}
	if got, err := l.glob(filepath.Join(dir, "*.conf")); err != nil || len(got) != 0 {
		t.Fatalf("glob of an empty folder: %v, %v", got, err)
	}
	if err := l.listable(filepath.Join(dir, "sub")); err == nil {
		t.Fatal("a missing folder is listable")
	}
	if err := os.WriteFile(missing, []byte("a;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if l.exists(missing) || l.listable(filepath.Join(dir, "sub")) == nil {
		t.Error("the same load asked the disk again")
	}
	if got, _ := l.glob(filepath.Join(dir, "*.conf")); len(got) != 0 {
		t.Errorf("the same load globbed again: %v", got)
	}
	next := &Loader{}
	if !next.exists(missing) || next.listable(filepath.Join(dir, "sub")) != nil {
		t.Error("a new load kept the old answers")
	}
	if got, _ := next.glob(filepath.Join(dir, "*.conf")); len(got) != 1 {
		t.Errorf("a new load's glob: %v", got)
	}
}

// Named files read ahead and parsed on all cores load as they do one by
// one: the same trees, the same node budget cut, the same files admitted
// in the same order (a file named twice once), and the same first error.
func TestPrefetchedLoadMatchesSerial(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i := range 12 {
		p := filepath.Join(dir, fmt.Sprintf("f%02d.conf", i))
		src := fmt.Sprintf("server {\n    listen %d;\n    location / { return 200; }\n}\n", 8000+i)
		if i == 5 {
			src = strings.Repeat("a b c;\n", 40) // most of the budget below
		}
		if i == 7 {
			src = "server {\n    listen 80\n" // a syntax error
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	paths = append(paths, paths[3]) // named twice
	load := func(ahead bool, names []string) (string, []string, error) {
		var admitted []string
		l := &Loader{MaxNodes: 150, Display: filepath.Base,
			Admit: func(abs string, size int64) error {
				admitted = append(admitted, fmt.Sprintf("%s:%d", filepath.Base(abs), size))
				return nil
			}}
		if ahead {
			l.Prefetch(names)
		}
		for _, p := range names {
			if _, err := l.Load(p); err != nil {
				return "", admitted, err
			}
		}
		var b strings.Builder
		for _, c := range l.Configs() {
			b.WriteString(treeDump(c))
		}
		return b.String(), admitted, nil
	}
	serial, serialAdmitted, err := load(false, paths)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(serial, "not-analysed") || len(serialAdmitted) != 12 {
		t.Fatalf("the case lost its shape: %d files admitted", len(serialAdmitted))
	}
	ahead, aheadAdmitted, err := load(true, paths)
	if err != nil {
		t.Fatal(err)
	}
	if ahead != serial {
		t.Errorf("trees differ read ahead:\n%s\none by one:\n%s", ahead, serial)
	}
	if !reflect.DeepEqual(aheadAdmitted, serialAdmitted) {
		t.Errorf("admitted read ahead %v, one by one %v", aheadAdmitted, serialAdmitted)
	}

	gone := append(append([]string(nil), paths[:4]...), filepath.Join(dir, "missing.conf"), paths[4])
	_, _, serialErr := load(false, gone)
	_, _, aheadErr := load(true, gone)
	if serialErr == nil || aheadErr == nil || serialErr.Error() != aheadErr.Error() {
		t.Errorf("a missing file: %v read ahead, %v one by one", aheadErr, serialErr)
	}
}

// A file handed over read whole is loaded from those bytes, still
// admitted against the budget; one whose size disagrees with its stat, or
// a loader with a parse cache, reads the disk as before.
func TestPrereadFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.conf")
	if err := os.WriteFile(p, []byte("a 1;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	var admitted []int64
	l := &Loader{Admit: func(_ string, size int64) error { admitted = append(admitted, size); return nil }}
	l.Preread(p, fi, []byte("b 2;\n")) // what the disk said when it was read
	c, err := l.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.Directives[0].Name != "b" || !reflect.DeepEqual(admitted, []int64{5}) {
		t.Errorf("loaded %q, admitted %v: want the bytes handed over, admitted once", c.Directives[0].Name, admitted)
	}
	for name, l := range map[string]*Loader{"a size that disagrees": {}, "a parse cache": {Cache: &ParseCache{}}} {
		src := []byte("b 2;\n")
		if name == "a size that disagrees" {
			src = []byte("b 22;\n")
		}
		l.Preread(p, fi, src)
		if c, err := l.Load(p); err != nil || c.Directives[0].Name != "a" {
			t.Errorf("%s: the disk was not read", name)
		}
	}
}

// ReadAtMost reads a file whole when it holds at most size bytes, past
// its first buffer when the file is larger than that buffer, and refuses
// one that holds more than size.
func TestReadAtMost(t *testing.T) {
	// once as a small file is read, once with every file read in halves
	for _, from := range []int64{halvesFrom, 1} {
		old := halvesFrom
		halvesFrom = from
		testReadAtMost(t)
		halvesFrom = old
	}
}

func testReadAtMost(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.conf")
	if err := os.WriteFile(small, []byte("events {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadAtMost(small, 10); err != nil || string(b) != "events {}\n" {
		t.Errorf("exact size: %q, %v", b, err)
	}
	if b, err := ReadAtMost(small, 1000); err != nil || string(b) != "events {}\n" {
		t.Errorf("size above the file's: %q, %v", b, err)
	}
	if _, err := ReadAtMost(small, 4); err == nil || !strings.Contains(err.Error(), "grew past its 4 bytes") {
		t.Errorf("more than size: %v", err)
	}
	if _, err := ReadAtMost(small, 0); err == nil || !strings.Contains(err.Error(), "size of 0") {
		t.Errorf("a size of 0 with content: %v", err)
	}
	// Larger than the first buffer (64 MB): a sparse file reads as zeros.
	large := filepath.Join(dir, "large.conf")
	const n = 64<<20 + 4096
	if err := os.WriteFile(large, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(large, n); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadAtMost(large, n); err != nil || len(b) != n {
		t.Errorf("a file past the first buffer: %d bytes, %v", len(b), err)
	}
}

// Files an include glob reads ahead (two or more: the prefetch) are
// judged as a file read on its own is: an environment file or binary
// data among them is never quoted, and the others are.
func TestPrefetchedFilesJudgedAsRead(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{
		"nginx.conf":     "http { include conf.d/*; include one/*; }\n",
		"conf.d/a.conf":  "server { listen 80; }\n",
		"conf.d/b.env":   "DB_PASSWORD=hunter2\nAPI_KEY=abc\n",
		"conf.d/c.bin":   "\x00\x01\x02binary\n",
		"conf.d/d.conf":  "server { listen 81; }\n",
		"one/secret.env": "TOKEN=abc\nexport USER=x\n",
	})
	l := newLoader(dir)
	load(t, l, filepath.Join(dir, "nginx.conf"))
	l.Resolve()
	opaque := map[string]bool{"conf.d/b.env": true, "conf.d/c.bin": true, "one/secret.env": true}
	n := 0
	for _, c := range l.Configs() {
		n++
		if got := c.File.Opaque != ""; got != opaque[c.File.Path] {
			t.Errorf("%s opaque=%v (%q)", c.File.Path, got, c.File.Opaque)
		}
	}
	if n != 6 {
		t.Errorf("%d files loaded, want 6", n)
	}
}

// openRead fails as os.Open does, and reads what it opens.
func TestOpenRead(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{"a.conf": "events {}\n"})
	missing := filepath.Join(dir, "missing.conf")
	_, err := openRead(missing)
	_, want := os.Open(missing)
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Op != "open" || !errors.Is(err, fs.ErrNotExist) || err.Error() != want.Error() {
		t.Errorf("a missing file: %v, want %v", err, want)
	}
	f, err := openRead(filepath.Join(dir, "a.conf"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	if b, err := io.ReadAll(f); err != nil || string(b) != "events {}\n" {
		t.Errorf("read %q, %v", b, err)
	}
}
