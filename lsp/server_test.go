package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/rules/connectivity"
	lsp "github.com/sourcegraph/go-lsp"
	"github.com/sourcegraph/jsonrpc2"
)

const exampleConf = "../testdata/examples/nginx.conf"

func readExample(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(exampleConf)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestInitializeAdvertisesCapabilities(t *testing.T) {
	c := newClient(t, Options{Version: "1.2.3"}, nil)
	res := c.initialize("", nil)
	if res.ServerInfo.Name != "ngxlint" || res.ServerInfo.Version != "1.2.3" {
		t.Errorf("serverInfo %+v", res.ServerInfo)
	}
	caps := res.Capabilities
	if caps.TextDocumentSync.Change != lsp.TDSKIncremental || !caps.TextDocumentSync.OpenClose || caps.TextDocumentSync.Save == nil {
		t.Errorf("textDocumentSync %+v", caps.TextDocumentSync)
	}
	if !caps.HoverProvider || caps.CompletionProvider == nil || strings.Join(caps.CompletionProvider.TriggerCharacters, "") != "$" || !caps.CompletionProvider.ResolveProvider {
		t.Errorf("hover/completion %+v", caps)
	}
	if k := caps.CodeActionProvider.CodeActionKinds; len(k) != 1 || k[0] != lsp.CAKQuickFix {
		t.Errorf("codeActionKinds %v", k)
	}
	// A second initialize is a protocol error, not a reset.
	var again initializeResult
	if err := c.call("initialize", map[string]any{"capabilities": map[string]any{}}, &again); errCode(err) != jsonrpc2.CodeInvalidRequest {
		t.Errorf("second initialize: %v", err)
	}
}

func errCode(err error) int64 {
	var je *jsonrpc2.Error
	if errors.As(err, &je) {
		return je.Code
	}
	return 0
}

func TestRequestsBeforeInitializeAreRefused(t *testing.T) {
	c := newClient(t, Options{}, nil)
	err := c.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": "file:///x.conf"}, "position": position{}}, nil)
	if errCode(err) != codeServerNotInitialized {
		t.Fatalf("got %v, want ServerNotInitialized", err)
	}
}

// The flagship finding arrives with every field the protocol defines, at
// the exact UTF-16 range of "localhost".
func TestDidOpenPublishesExactDiagnostics(t *testing.T) {
	text := readExample(t)
	_, _, _, _, p := openNginxConf(t, text, Options{})
	ds := byCode(p.Diagnostics, "upstream-localhost")
	if len(ds) != 1 {
		t.Fatalf("want one upstream-localhost, got %+v", p.Diagnostics)
	}
	d := ds[0]
	want := find(t, text, "localhost")
	if d.Range != want {
		t.Errorf("range %v, want %v", d.Range, want)
	}
	if d.Severity != lsp.Warning || d.Source != "ngxlint" || !strings.Contains(d.Message, "127.0.0.1:3000 and [::1]:3000") {
		t.Errorf("diagnostic %+v", d)
	}
	if d.CodeDescription == nil || d.CodeDescription.Href != connectivity.UpstreamLocalhost.URL() {
		t.Errorf("codeDescription %+v", d.CodeDescription)
	}
}

// Columns count UTF-16 units: a character outside the BMP before the
// finding counts two, and an edit addressed in UTF-16 lands on the right
// bytes.
func TestUTF16RangesAndEdits(t *testing.T) {
	text := "http {\n    upstream \"é😀\" { server localhost:3000; }\n}\n"
	dir := sharedtest.Tree(t, map[string]string{"nginx.conf": text})
	u := pathToURI(filepath.Join(dir, "nginx.conf"))
	c := newClient(t, Options{}, nil)
	c.initialize(dir, nil)
	from := 0
	c.open(u, "nginx", text)
	ds := byCode(c.diags(&from, u, 1).Diagnostics, "upstream-localhost")
	want := find(t, text, "localhost")
	if len(ds) != 1 || ds[0].Range != want {
		t.Fatalf("got %+v, want range %v", ds, want)
	}
	if want.Start.Character != len("    upstream \"é")+2+len("\" { server ")-1 {
		// é is 2 bytes but 1 unit; 😀 is 4 bytes and 2 units.
		t.Fatalf("test helper miscounts: %v", want)
	}
	// Replace localhost using the UTF-16 range: the finding goes away.
	c.changeRange(u, 2, want, "127.0.0.1")
	if ds := byCode(c.diags(&from, u, 2).Diagnostics, "upstream-localhost"); len(ds) != 0 {
		t.Fatalf("after the edit: %+v", ds)
	}
	c.srv.mu.Lock()
	got := string(c.srv.docs[u].text)
	c.srv.mu.Unlock()
	if got != strings.Replace(text, "localhost", "127.0.0.1", 1) {
		t.Fatalf("text after edit:\n%s", got)
	}
}

func TestIncrementalAndFullChanges(t *testing.T) {
	text := readExample(t)
	c, u, _, from, _ := openNginxConf(t, text, Options{})

	// Incremental: an unterminated quote after the port (an empty range
	// is an insertion).
	at := find(t, text, "localhost:3000;")
	at.Start = at.End
	c.changeRange(u, 2, at, ` "`)
	p := c.diags(&from, u, 2)
	if len(byCode(p.Diagnostics, "nginx-syntax")) == 0 {
		t.Fatalf("no syntax error after the edit: %+v", p.Diagnostics)
	}
	// Full: back to the original text.
	c.changeFull(u, 3, text)
	p = c.diags(&from, u, 3)
	if len(byCode(p.Diagnostics, "nginx-syntax")) != 0 || len(byCode(p.Diagnostics, "upstream-localhost")) != 1 {
		t.Fatalf("after full change: %+v", p.Diagnostics)
	}
}

// With a debounce, a burst of edits is linted once, for the last version,
// and no older version is ever published after a newer one.
func TestDebounceLintsOnlyTheLastVersion(t *testing.T) {
	text := readExample(t)
	dir := sharedtest.Tree(t, map[string]string{"nginx.conf": text})
	u := pathToURI(filepath.Join(dir, "nginx.conf"))
	c := newClient(t, Options{Debounce: 300 * time.Millisecond}, nil)
	c.initialize(dir, nil)
	from := 0
	c.open(u, "nginx", text)
	c.diags(&from, u, 1) // opening is not debounced
	start := time.Now()
	for v := 2; v <= 5; v++ {
		c.changeFull(u, v, text+strings.Repeat("\n", v))
	}
	c.diags(&from, u, 5)
	if el := time.Since(start); el < 300*time.Millisecond {
		t.Errorf("published after %v, before the debounce", el)
	}
	time.Sleep(100 * time.Millisecond)
	for v := 2; v <= 4; v++ {
		if n := c.count(isPublish(u, v)); n != 0 {
			t.Errorf("version %d published %d times", v, n)
		}
	}
}

// TestHoverAfterEditLintsOnce: a hover during the debounce lints the new
// version, and the debounced lint of that version reuses the outcome; a
// disk change the server hears of, or a newer version, lints again.
func TestHoverAfterEditLintsOnce(t *testing.T) {
	text := readExample(t)
	dir := sharedtest.Tree(t, map[string]string{"nginx.conf": text})
	u := pathToURI(filepath.Join(dir, "nginx.conf"))
	c := newClient(t, Options{Debounce: 200 * time.Millisecond}, nil)
	c.initialize(dir, nil)
	from := 0
	c.open(u, "nginx", text)
	first := c.diags(&from, u, 1)
	lints := c.srv.lints.Load()
	hover := func() {
		at := posOf(text, strings.Index(text, "proxy_pass"))
		var out json.RawMessage
		if err := c.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": u}, "position": at}, &out); err != nil {
			t.Fatal(err)
		}
	}
	c.changeFull(u, 2, text+"\n")
	hover() // within the debounce: lints version 2
	if got := c.srv.lints.Load() - lints; got != 1 {
		t.Fatalf("the hover ran %d lints, want 1", got)
	}
	second := c.diags(&from, u, 2) // the debounced lint, reusing the hover's
	if got := c.srv.lints.Load() - lints; got != 1 {
		t.Errorf("version 2 was linted %d times, want once", got)
	}
	if len(second.Diagnostics) != len(first.Diagnostics) || len(first.Diagnostics) == 0 {
		t.Errorf("published %d diagnostics for version 2, %d for version 1", len(second.Diagnostics), len(first.Diagnostics))
	}
	hover() // the result is current: no lint
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []map[string]any{{"uri": u, "type": 2}}})
	c.diags(&from, u, 2)
	if got := c.srv.lints.Load() - lints; got != 2 {
		t.Errorf("after a watched-file change: %d lints in all, want 2", got)
	}
	c.changeFull(u, 3, text)
	c.diags(&from, u, 3)
	if got := c.srv.lints.Load() - lints; got != 3 {
		t.Errorf("after an edit: %d lints in all, want 3", got)
	}
}

func TestDidCloseClearsDiagnostics(t *testing.T) {
	text := readExample(t)
	dir := sharedtest.Tree(t, map[string]string{"nginx.conf": text})
	u := pathToURI(filepath.Join(dir, "nginx.conf"))
	c := newClient(t, Options{}, nil)
	c.initialize(dir, nil)
	from := 0
	c.open(u, "nginx", text)
	if len(c.diags(&from, u, 1).Diagnostics) == 0 {
		t.Fatal("no diagnostics to clear")
	}
	c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": u}})
	n := c.waitNote(&from, isPublish(u, -1))
	var p published
	_ = json.Unmarshal(n.params, &p)
	if len(p.Diagnostics) != 0 || p.Version != nil {
		t.Fatalf("close published %s", n.params)
	}
	// A request about the closed document is an error, not a crash.
	err := c.call("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": u}, "range": rng{}, "context": map[string]any{"diagnostics": []any{}}}, nil)
	if errCode(err) != jsonrpc2.CodeInvalidParams {
		t.Fatalf("codeAction on a closed document: %v", err)
	}
}

// A conf.d snippet is linted in the context of the nginx.conf that
// includes it: `proxy_pass http://localhost` names the upstream group
// nginx.conf defines, so it is no finding there, while the same snippet
// without that nginx.conf is one.
const mainWithGroup = "events {}\nhttp {\n    upstream localhost { server 127.0.0.1:8080; }\n    include conf.d/*.conf;\n}\n"
const mainWithoutGroup = "events {}\nhttp {\n    include conf.d/*.conf;\n}\n"
const snippet = "server {\n    listen 80;\n    location / {\n        proxy_pass http://localhost;\n    }\n}\n"

func TestSnippetIsLintedInContextOfItsMainFile(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  int
	}{
		{"with the main file", map[string]string{"nginx.conf": mainWithGroup, "conf.d/app.conf": snippet}, 0},
		{"alone", map[string]string{"conf.d/app.conf": snippet}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := sharedtest.Tree(t, tc.files)
			u := pathToURI(filepath.Join(dir, "conf.d", "app.conf"))
			c := newClient(t, Options{}, nil)
			c.initialize(dir, nil)
			from := 0
			c.open(u, "nginx", snippet)
			if got := byCode(c.diags(&from, u, 1).Diagnostics, "upstream-localhost"); len(got) != tc.want {
				t.Fatalf("got %+v, want %d", got, tc.want)
			}
		})
	}
}

// Editing one open member of a group re-lints the others: removing the
// upstream group from the open nginx.conf (unsaved) turns the open
// snippet's proxy_pass into a finding.
func TestEditingOneDocumentRelintsItsGroup(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{"nginx.conf": mainWithGroup, "conf.d/app.conf": snippet})
	mainURI := pathToURI(filepath.Join(dir, "nginx.conf"))
	snipURI := pathToURI(filepath.Join(dir, "conf.d", "app.conf"))
	c := newClient(t, Options{}, nil)
	c.initialize(dir, nil)
	from := 0
	c.open(snipURI, "nginx", snippet)
	c.diags(&from, snipURI, 1)
	c.open(mainURI, "nginx", mainWithGroup)
	mark := from
	c.diags(&mark, mainURI, 1)
	c.changeFull(mainURI, 2, mainWithoutGroup)
	c.diags(&mark, mainURI, 2)
	// The snippet's version did not change, but its diagnostics did.
	for {
		p := c.diags(&from, snipURI, 1)
		if len(byCode(p.Diagnostics, "upstream-localhost")) == 1 {
			break
		}
	}
}

// A closed main file changed on disk is picked up after
// workspace/didChangeWatchedFiles or a didSave (both rebuild the include
// index), in either direction: the snippet gains or loses its finding.
func TestClosedMainFileChangeRelints(t *testing.T) {
	for _, tc := range []struct {
		name          string
		before, after string // nginx.conf on disk
		want          [2]int // upstream-localhost findings before, after
		notify        func(c *client, dir string, snip uri)
	}{
		{"didChangeWatchedFiles", mainWithGroup, mainWithoutGroup, [2]int{0, 1}, func(c *client, dir string, _ uri) {
			c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []map[string]any{{"uri": pathToURI(filepath.Join(dir, "nginx.conf")), "type": 2}}})
		}},
		{"didSave", mainWithoutGroup, mainWithGroup, [2]int{1, 0}, func(c *client, _ string, snip uri) {
			c.notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": snip}})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := sharedtest.Tree(t, map[string]string{"nginx.conf": tc.before, "conf.d/app.conf": snippet})
			snipURI := pathToURI(filepath.Join(dir, "conf.d", "app.conf"))
			c := newClient(t, Options{}, nil)
			c.initialize(dir, nil)
			from := 0
			c.open(snipURI, "nginx", snippet)
			if got := byCode(c.diags(&from, snipURI, 1).Diagnostics, "upstream-localhost"); len(got) != tc.want[0] {
				t.Fatalf("before: %+v", got)
			}
			if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(tc.after), 0o644); err != nil {
				t.Fatal(err)
			}
			tc.notify(c, dir, snipURI)
			if got := byCode(c.diags(&from, snipURI, 1).Diagnostics, "upstream-localhost"); len(got) != tc.want[1] {
				t.Fatalf("after: %+v", got)
			}
		})
	}
}

// An open elasticsearch.yml and the open nginx files of the same folder
// form one group: a change to either republishes both (the hook
// cross-file rules will use).
func TestElasticAndNginxUpdateEachOther(t *testing.T) {
	esText := "network.host: 127.0.0.1\nhttp.port: 9200\n"
	text := readExample(t)
	dir := sharedtest.Tree(t, map[string]string{"nginx.conf": text, "elasticsearch.yml": esText})
	ngURI := pathToURI(filepath.Join(dir, "nginx.conf"))
	esURI := pathToURI(filepath.Join(dir, "elasticsearch.yml"))
	c := newClient(t, Options{}, nil)
	c.initialize(dir, nil)
	from := 0
	c.open(ngURI, "nginx", text)
	c.open(esURI, "yaml", esText)
	c.diags(&from, esURI, 1)
	before := c.count(isPublish(ngURI, 1))
	c.changeFull(esURI, 2, esText+"http.port: 9201\n")
	p := c.diags(&from, esURI, 2)
	if len(byCode(p.Diagnostics, "es-duplicate-key")) != 1 {
		t.Fatalf("es diagnostics %+v", p.Diagnostics)
	}
	deadline := time.Now().Add(timeout)
	for c.count(isPublish(ngURI, 1)) <= before {
		if time.Now().After(deadline) {
			t.Fatal("nginx.conf was not re-published after elasticsearch.yml changed")
		}
		time.Sleep(5 * time.Millisecond)
	}
	// A YAML file that is not a settings file is never linted.
	other := pathToURI(filepath.Join(dir, "docker-compose.yml"))
	c.open(other, "yaml", "a: 1\na: 2\n")
	c.changeFull(esURI, 3, esText)
	c.diags(&from, esURI, 3)
	if n := c.count(isPublish(other, -1)); n != 0 {
		t.Fatalf("docker-compose.yml got %d publications", n)
	}
}

// relatedInformation carries Finding.Related, in the same file (a YAML
// duplicate key) and across files (an include cycle, pointing at the
// closed file whose include starts it).
func TestRelatedInformation(t *testing.T) {
	esText := "http.port: 9200\nhttp.port: 9201\n"
	dir := sharedtest.Tree(t, map[string]string{
		"elasticsearch.yml": esText,
		"nginx.conf":        "events {}\nhttp {\n    include a.conf;\n}\n",
		"a.conf":            "include b.conf;\n",
		"b.conf":            "include a.conf;\n",
	})
	esURI := pathToURI(filepath.Join(dir, "elasticsearch.yml"))
	bURI := pathToURI(filepath.Join(dir, "b.conf"))
	c := newClient(t, Options{}, nil)
	c.initialize(dir, nil)
	from := 0
	c.open(esURI, "yaml", esText)
	ds := byCode(c.diags(&from, esURI, 1).Diagnostics, "es-duplicate-key")
	if len(ds) != 1 || len(ds[0].RelatedInformation) != 1 {
		t.Fatalf("duplicate key: %+v", ds)
	}
	rel := ds[0].RelatedInformation[0]
	if rel.Location.URI != esURI || rel.Location.Range != find(t, esText, "http.port") || rel.Message == "" {
		t.Errorf("related %+v", rel)
	}

	c.open(bURI, "nginx", "include a.conf;\n")
	var cyc []diagnostic
	for len(cyc) == 0 {
		cyc = byCode(c.diags(&from, bURI, 1).Diagnostics, "include-error")
	}
	if len(cyc[0].RelatedInformation) != 1 {
		t.Fatalf("cycle: %+v", cyc)
	}
	rel = cyc[0].RelatedInformation[0]
	if rel.Location.URI != pathToURI(filepath.Join(dir, "a.conf")) || rel.Location.Range != find(t, "include b.conf;\n", "b.conf") {
		t.Errorf("cross-file related %+v", rel)
	}
}

// A buffer with no file behind it (untitled:) is linted as well.
func TestUntitledBufferIsLinted(t *testing.T) {
	text := readExample(t)
	c := newClient(t, Options{}, nil)
	c.initialize(t.TempDir(), nil)
	from := 0
	u := uri("untitled:Untitled-1")
	c.open(u, "nginx", text)
	if got := byCode(c.diags(&from, u, 1).Diagnostics, "upstream-localhost"); len(got) != 1 {
		t.Fatalf("got %+v", got)
	}
	// A second one in the same session too.
	u2 := uri("untitled:Untitled-2")
	c.open(u2, "nginx", "http {\n  upstream a { server localhost:1; }\n}\n")
	if got := byCode(c.diags(&from, u2, 1).Diagnostics, "upstream-localhost"); len(got) != 1 {
		t.Fatalf("second buffer: %+v", got)
	}
}

func TestInitializationOptions(t *testing.T) {
	text := readExample(t)
	dir := sharedtest.Tree(t, map[string]string{"nginx.conf": text})
	u := pathToURI(filepath.Join(dir, "nginx.conf"))

	t.Run("disable", func(t *testing.T) {
		c := newClient(t, Options{}, nil)
		c.initialize(dir, map[string]any{"disable": []string{"upstream-localhost"}})
		from := 0
		c.open(u, "nginx", text)
		if got := byCode(c.diags(&from, u, 1).Diagnostics, "upstream-localhost"); len(got) != 0 {
			t.Fatalf("disabled rule reported: %+v", got)
		}
	})
	t.Run("unknown rule", func(t *testing.T) {
		c := newClient(t, Options{}, nil)
		err := c.call("initialize", map[string]any{"capabilities": map[string]any{}, "initializationOptions": map[string]any{"enable": []string{"no-such-rule"}}}, nil)
		if errCode(err) != jsonrpc2.CodeInvalidParams || !strings.Contains(err.Error(), "no-such-rule") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("live off by default", func(t *testing.T) {
		called := false
		live := func(_ context.Context, _ *analyzer.Workspace, fs []analyzer.Finding, _ []*analyzer.Rule) ([]analyzer.Finding, error) {
			called = true
			return fs, nil
		}
		c := newClient(t, Options{Live: live}, nil)
		c.initialize(dir, nil)
		from := 0
		c.open(u, "nginx", text)
		c.diags(&from, u, 1)
		if called {
			t.Fatal("live mode ran without being asked for")
		}
	})
	t.Run("live on", func(t *testing.T) {
		live := func(_ context.Context, _ *analyzer.Workspace, fs []analyzer.Finding, _ []*analyzer.Rule) ([]analyzer.Finding, error) {
			for i := range fs {
				fs[i].Live = &analyzer.Live{Status: "confirmed", Summary: "only 127.0.0.1:3000 accepts"}
			}
			return fs, nil
		}
		c := newClient(t, Options{Live: live}, nil)
		c.initialize(dir, map[string]any{"live": true})
		from := 0
		c.open(u, "nginx", text)
		ds := byCode(c.diags(&from, u, 1).Diagnostics, "upstream-localhost")
		if len(ds) != 1 || !strings.HasSuffix(ds[0].Message, "(live: only 127.0.0.1:3000 accepts)") {
			t.Fatalf("got %+v", ds)
		}
	})
	t.Run("live asked for but absent", func(t *testing.T) {
		c := newClient(t, Options{}, nil)
		c.initialize(dir, map[string]any{"live": true})
		from := 0
		c.waitNote(&from, func(n note) bool {
			return n.method == "window/logMessage" && strings.Contains(string(n.params), "no live mode")
		})
	})
}

// Dynamic file-watcher registration goes out after initialized, when the
// client supports it.
func TestRegistersFileWatchers(t *testing.T) {
	c := newClient(t, Options{}, nil)
	var res initializeResult
	c.mustCall("initialize", map[string]any{"capabilities": map[string]any{
		"workspace": map[string]any{"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true}}}}, &res)
	c.notify("initialized", map[string]any{})
	from := 0
	n := c.waitNote(&from, func(n note) bool { return n.method == "client/registerCapability" })
	if !strings.Contains(string(n.params), "workspace/didChangeWatchedFiles") || !strings.Contains(string(n.params), "**/*.conf") {
		t.Fatalf("registration %s", n.params)
	}
}

// The group's trees are relinked by every lint (an Exclusive parse cache):
// requests that lint the current version themselves (hover, completion,
// code actions) while edits keep coming must take turns with the edit
// lints (this test means something under -race), and every publication
// must be a whole lint's: the snippet has its localhost finding exactly
// when the main file it is open with has no upstream of that name.
func TestRequestsDuringEditsTakeTurns(t *testing.T) {
	files := map[string]string{"nginx.conf": mainWithGroup, "conf.d/app.conf": snippet}
	for i := range 8 {
		files[fmt.Sprintf("conf.d/site%d.conf", i)] = fmt.Sprintf("server {\n    listen %d;\n    location / { proxy_pass http://127.0.0.1:%d; }\n}\n", 8000+i, 3000+i)
	}
	dir := sharedtest.Tree(t, files)
	mainURI := pathToURI(filepath.Join(dir, "nginx.conf"))
	snipURI := pathToURI(filepath.Join(dir, "conf.d", "app.conf"))
	c := newClient(t, Options{Debounce: -1}, nil)
	c.initialize(dir, nil)
	from := 0
	c.open(snipURI, "nginx", snippet)
	c.open(mainURI, "nginx", mainWithGroup)
	c.diags(&from, mainURI, 1)
	// Requests about the main file find its result stale after each edit
	// and lint; those about the snippet read what the last lint kept.
	at := map[uri]position{snipURI: posOf(snippet, strings.Index(snippet, "proxy_pass")), mainURI: posOf(mainWithGroup, strings.Index(mainWithGroup, "include"))}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i, method := range []string{"textDocument/hover", "textDocument/completion", "textDocument/codeAction", "textDocument/hover"} {
		u := []uri{mainURI, snipURI}[i%2]
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				at := at[u]
				params := map[string]any{"textDocument": map[string]any{"uri": u}, "position": at,
					"range": rng{Start: at, End: at}, "context": map[string]any{"diagnostics": []any{}}}
				var out json.RawMessage
				if err := c.call(method, params, &out); err != nil {
					t.Errorf("%s: %v", method, err)
					return
				}
			}
		})
	}
	for v := 2; v < 12; v++ {
		text, want := mainWithoutGroup, 1
		if v%2 == 1 {
			text, want = mainWithGroup, 0
		}
		mark := from
		c.changeFull(mainURI, v, text)
		c.diags(&mark, mainURI, v)
		// The snippet is published again with the main file's lint (or
		// by a lint a request made).
		for {
			p := c.diags(&from, snipURI, 1)
			if got := len(byCode(p.Diagnostics, "upstream-localhost")); got == want {
				break
			}
		}
	}
	close(stop)
	wg.Wait()
}
