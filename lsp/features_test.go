package lsp

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
	"github.com/ngxlint/ngxlint/rules"
	lsp "github.com/sourcegraph/go-lsp"
	"github.com/sourcegraph/jsonrpc2"
)

// applyEdits applies non-overlapping LSP edits to text.
func applyEdits(t *testing.T, text string, edits []lsp.TextEdit) string {
	t.Helper()
	d := &document{abs: "/x", text: []byte(text)}
	// Apply from the end so earlier ranges stay valid.
	for i := len(edits) - 1; i >= 0; i-- {
		r := edits[i].Range
		applyChange(d, contentChange{Range: &r, Text: edits[i].NewText})
	}
	return string(d.text)
}

// openExample opens the bundled example (see openNginxConf).
func openExample(t *testing.T, opt Options) (*client, uri, string, *int) {
	t.Helper()
	text := readExample(t)
	c, u, _, from, _ := openNginxConf(t, text, opt)
	return c, u, text, &from
}

func actionsAt(c *client, u uri, r rng, only ...lsp.CodeActionKind) []codeAction {
	c.t.Helper()
	params := map[string]any{"textDocument": map[string]any{"uri": u}, "range": r, "context": map[string]any{"diagnostics": []any{}}}
	if only != nil {
		params["context"] = map[string]any{"diagnostics": []any{}, "only": only}
	}
	var out []codeAction
	c.mustCall("textDocument/codeAction", params, &out)
	return out
}

func TestCodeActionsFixAndIgnore(t *testing.T) {
	c, u, text, from := openExample(t, Options{})
	cursor := find(t, text, "localhost")
	cursor.End = cursor.Start // a bare cursor, as editors send
	acts := actionsAt(c, u, cursor)
	if len(acts) != 2 {
		t.Fatalf("want the fix and the ignore, got %+v", acts)
	}
	fix, ignore := acts[0], acts[1]
	if fix.Title != "Replace localhost with 127.0.0.1" || fix.Kind != lsp.CAKQuickFix || fix.IsPreferred {
		t.Errorf("fix %+v (an unsafe fix is not preferred)", fix)
	}
	if len(fix.Diagnostics) != 1 || fix.Diagnostics[0].Code != "upstream-localhost" {
		t.Errorf("fix diagnostics %+v", fix.Diagnostics)
	}
	fixed := applyEdits(t, text, fix.Edit.Changes[string(u)])
	if fixed != strings.Replace(text, "server localhost:3000;", "server 127.0.0.1:3000;", 1) {
		t.Fatalf("fixed text:\n%s", fixed)
	}
	if ignore.Title != "Ignore upstream-localhost on this line" || ignore.IsPreferred {
		t.Errorf("ignore %+v", ignore)
	}
	ignored := applyEdits(t, text, ignore.Edit.Changes[string(u)])
	if !strings.Contains(ignored, "server localhost:3000; # ngxlint:ignore upstream-localhost -- \n") {
		t.Fatalf("ignored text:\n%s", ignored)
	}
	// The inserted comment really silences the finding.
	c.changeFull(u, 2, ignored)
	if got := byCode(c.diags(from, u, 2).Diagnostics, "upstream-localhost"); len(got) != 0 {
		t.Fatalf("still reported after ignore: %+v", got)
	}
	// Nothing on a line without findings; nothing when only other kinds
	// are asked for.
	if got := actionsAt(c, u, find(t, text, "worker_processes")); len(got) != 0 {
		t.Errorf("actions on a clean line: %+v", got)
	}
	c.changeFull(u, 3, text)
	c.diags(from, u, 3)
	if got := actionsAt(c, u, cursor, "refactor"); len(got) != 0 {
		t.Errorf("refactor-only request got %+v", got)
	}
	if got := actionsAt(c, u, cursor, "quickfix"); len(got) != 2 {
		t.Errorf("quickfix-only request got %+v", got)
	}
}

// A code action asked for right after an edit sees the edited text, even
// before the debounced lint has run.
func TestCodeActionUsesTheCurrentVersion(t *testing.T) {
	c, u, text, _ := openExample(t, Options{Debounce: time.Hour})
	edited := strings.Replace(text, "server localhost:3000;", "server 127.0.0.1:3000;\n        server localhost:4000;", 1)
	c.changeFull(u, 2, edited)
	acts := actionsAt(c, u, find(t, edited, "localhost"))
	if len(acts) == 0 || acts[0].Edit.Changes[string(u)][0].Range != find(t, edited, "localhost") {
		t.Fatalf("actions %+v", acts)
	}
}

// A safe fix is offered as the preferred action.
func TestSafeFixIsPreferred(t *testing.T) {
	safe := &analyzer.Rule{ID: "T1", Name: "test-safe", Severity: analyzer.Info, Summary: "test", Doc: "doc",
		Run: func(p *analyzer.Pass) {
			p.Workspace.WalkNginx(func(d *nginx.Directive) {
				if d.Name == "keepalive" {
					p.Report(analyzer.Finding{Span: d.NameSpan(), Message: "test", Fix: &analyzer.Fix{
						Title: "Rename", Safe: true, Edits: []analyzer.Edit{{Span: d.NameSpan(), NewText: "keepalive"}}}})
				}
			})
		}}
	c, u, text, _ := openExample(t, Options{Rules: append(rules.All(), safe)})
	_ = c
	acts := actionsAt(c, u, find(t, text, "keepalive"))
	if len(acts) == 0 || !acts[0].IsPreferred || acts[0].Title != "Rename" {
		t.Fatalf("actions %+v", acts)
	}
}

func TestIgnoreEdit(t *testing.T) {
	for _, tc := range []struct {
		name, kind, text, want string
	}{
		{"append", "nginx", "a {\n    server localhost:1;\n}\n", "a {\n    server localhost:1; # ngxlint:ignore r -- \n}\n"},
		{"crlf", "nginx", "server localhost:1;\r\nx;\r\n", "server localhost:1; # ngxlint:ignore r -- \r\nx;\r\n"},
		{"extend", "nginx", "server localhost:1; # ngxlint:ignore other -- why\n", "server localhost:1; # ngxlint:ignore other,r -- why\n"},
		{"other comment", "nginx", "    server localhost:1; # note\n", "    # ngxlint:ignore r -- \n    server localhost:1; # note\n"},
		{"yaml", "yaml", "http.port: 9200\nhttp.port: 9201\n", "http.port: 9200\nhttp.port: 9201 # ngxlint:ignore r -- \n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var f = parsedFile(t, tc.kind, tc.text)
			line := 1
			if tc.kind == "yaml" {
				line = 2
			} else if strings.HasPrefix(tc.text, "a {") {
				line = 2
			}
			got := applyEdits(t, tc.text, []lsp.TextEdit{ignoreEdit(f, line, "r")})
			if got != tc.want {
				t.Fatalf("got\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

func TestHover(t *testing.T) {
	c, u, text, _ := openExample(t, Options{})
	hoverAt := func(p position) *hover {
		t.Helper()
		var h *hover
		c.mustCall("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": u}, "position": p}, &h)
		return h
	}
	// A directive: syntax, contexts, module, reference; the range is its name.
	pp := find(t, text, "proxy_pass")
	h := hoverAt(pp.Start)
	if h == nil || !strings.Contains(h.Contents.Value, "proxy_pass arg;") || !strings.Contains(h.Contents.Value, "`location`, `if in location`, `limit_except`") ||
		!strings.Contains(h.Contents.Value, "ngx_http_proxy_module.html#proxy_pass") || h.Contents.Kind != "markdown" {
		t.Fatalf("proxy_pass hover %+v", h)
	}
	if *h.Range != pp {
		t.Errorf("range %v, want %v", *h.Range, pp)
	}
	// server inside upstream is the upstream member, not the http block.
	srv := find(t, text, "server localhost")
	h = hoverAt(srv.Start)
	if h == nil || !strings.Contains(h.Contents.Value, "`weight=`") || !strings.Contains(h.Contents.Value, "`upstream`") {
		t.Fatalf("upstream server hover %+v", h)
	}
	// A flagged span: the rule's documentation.
	h = hoverAt(find(t, text, "localhost").Start)
	if h == nil || !strings.Contains(h.Contents.Value, "upstream-localhost") || !strings.Contains(h.Contents.Value, "## Why is this bad?") {
		t.Fatalf("finding hover %+v", h)
	}
	// Blank space: nothing.
	if h = hoverAt(position{Line: 3, Character: 0}); h != nil {
		t.Errorf("hover on a blank line: %+v", h)
	}
}

func completionAt(c *client, u uri, p position) completionList {
	c.t.Helper()
	var l completionList
	c.mustCall("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": u}, "position": p}, &l)
	return l
}

func labels(l completionList) map[string]completionItem {
	m := map[string]completionItem{}
	for _, it := range l.Items {
		m[it.Label] = it
	}
	return m
}

func TestCompletion(t *testing.T) {
	text := "http {\n    upstream app {\n        ke\n    }\n    server {\n        listen 80;\n        location / {\n            proxy_set_header Host $ho\n            # prox\n        }\n    }\n}\n"
	c, u, _, _, _ := openNginxConf(t, text, Options{})

	// In an upstream block: its directives, not location ones.
	at := find(t, text, "ke\n")
	at.Start.Character += 2
	got := labels(completionAt(c, u, at.Start))
	if _, ok := got["keepalive"]; !ok || got["proxy_pass"].Label != "" || got["listen"].Label != "" {
		t.Fatalf("upstream completion: %v", got)
	}
	if e := got["keepalive"].TextEdit; e == nil || e.Range.Start.Character != at.Start.Character-2 || e.NewText != "keepalive" {
		t.Errorf("keepalive edit %+v", e)
	}
	// After $: variables, replacing from the '$'.
	v := find(t, text, "$ho")
	got = labels(completionAt(c, u, v.End))
	host, ok := got["$host"]
	if !ok || host.TextEdit == nil || host.TextEdit.Range.Start != v.Start || host.TextEdit.NewText != "$host" {
		t.Fatalf("variable completion: %+v", host)
	}
	// In an argument position: no directive names.
	l := find(t, text, "listen ")
	if got := completionAt(c, u, l.End); len(got.Items) != 0 {
		t.Errorf("argument position offered %d items", len(got.Items))
	}
	// In a comment: nothing.
	cm := find(t, text, "# prox")
	if got := completionAt(c, u, cm.End); len(got.Items) != 0 {
		t.Errorf("comment offered %d items", len(got.Items))
	}
	// Top of an http block in a location: location directives.
	loc := find(t, text, "            proxy_set_header")
	loc.Start.Character = 12
	got = labels(completionAt(c, u, loc.Start))
	if got["proxy_pass"].Label == "" || got["worker_processes"].Label != "" {
		t.Errorf("location completion lacks proxy_pass or has worker_processes")
	}
	// Documentation comes when the editor resolves the item shown: the
	// location's entry of proxy_pass; an item from elsewhere comes back
	// as it was.
	pp := got["proxy_pass"]
	if pp.Documentation != nil || pp.Data == nil {
		t.Fatalf("proxy_pass item carries documentation %v, data %v; want data only", pp.Documentation, pp.Data)
	}
	var resolved completionItem
	c.mustCall("completionItem/resolve", pp, &resolved)
	if d := resolved.Documentation; d == nil || !strings.Contains(d.Value, "proxy_pass arg;") || !strings.Contains(d.Value, "ngx_http_proxy_module.html#proxy_pass") ||
		resolved.Label != "proxy_pass" || resolved.TextEdit == nil || *resolved.TextEdit != *pp.TextEdit {
		t.Errorf("resolved proxy_pass %+v", resolved)
	}
	other := completionItem{Label: "x", Data: &completionData{Path: []string{"http"}, Version: "1.26.0"}}
	var same completionItem
	c.mustCall("completionItem/resolve", other, &same)
	if same.Documentation != nil || same.Label != "x" {
		t.Errorf("unknown item resolved to %+v", same)
	}
}

// A conf.d fragment's top level is in http (implied by its content):
// server and upstream are offered, main-only directives are not.
func TestCompletionInFragmentUsesImpliedContext(t *testing.T) {
	text := "server {\n    listen 80;\n}\n\n"
	dir := sharedtest.Tree(t, map[string]string{"conf.d/app.conf": text})
	u := pathToURI(filepath.Join(dir, "conf.d", "app.conf"))
	c := newClient(t, Options{}, nil)
	c.initialize(dir, nil)
	from := 0
	c.open(u, "nginx", text)
	c.diags(&from, u, 1)
	got := labels(completionAt(c, u, position{Line: 3, Character: 0}))
	if got["upstream"].Label == "" || got["worker_processes"].Label != "" || got["events"].Label != "" {
		t.Fatalf("fragment top-level completion: %d items", len(got))
	}
}

// $/cancelRequest reaches a request in flight: it answers RequestCancelled.
func TestCancelRequest(t *testing.T) {
	started := make(chan struct{})
	hook := func(ctx context.Context, method string) {
		if method != "textDocument/hover" {
			return
		}
		close(started)
		select {
		case <-ctx.Done():
		case <-time.After(timeout):
		}
	}
	text := readExample(t)
	dir := sharedtest.Tree(t, map[string]string{"nginx.conf": text})
	u := pathToURI(filepath.Join(dir, "nginx.conf"))
	c := newClient(t, Options{}, hook)
	c.initialize(dir, nil)
	c.open(u, "nginx", text)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	id := jsonrpc2.ID{Num: 4242}
	w, err := c.conn.DispatchCall(ctx, "textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": u}, "position": position{}}, jsonrpc2.PickID(id))
	if err != nil {
		t.Fatal(err)
	}
	<-started
	c.notify("$/cancelRequest", map[string]any{"id": 4242})
	err = w.Wait(ctx, nil)
	if errCode(err) != codeRequestCancelled {
		t.Fatalf("got %v, want RequestCancelled", err)
	}
}

// A panic inside one request becomes an internal-error response and a log
// message; the session goes on.
func TestPanicInRequestIsRecovered(t *testing.T) {
	hook := func(_ context.Context, method string) {
		if method == "textDocument/completion" {
			panic("boom")
		}
	}
	text := readExample(t)
	dir := sharedtest.Tree(t, map[string]string{"nginx.conf": text})
	u := pathToURI(filepath.Join(dir, "nginx.conf"))
	c := newClient(t, Options{}, hook)
	c.initialize(dir, nil)
	from := 0
	c.open(u, "nginx", text)
	c.diags(&from, u, 1)
	err := c.call("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": u}, "position": position{}}, nil)
	if errCode(err) != jsonrpc2.CodeInternalError || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("got %v", err)
	}
	n := c.waitNote(&from, func(n note) bool { return n.method == "window/logMessage" })
	var lm lsp.LogMessageParams
	_ = json.Unmarshal(n.params, &lm)
	if lm.Type != msgError || !strings.Contains(lm.Message, "boom") {
		t.Errorf("log %+v", lm)
	}
	var h *hover
	c.mustCall("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": u}, "position": find(t, text, "proxy_pass").Start}, &h)
	if h == nil {
		t.Fatal("no hover after the panic")
	}
}

func TestShutdownAndExit(t *testing.T) {
	t.Run("shutdown then exit", func(t *testing.T) {
		c := newClient(t, Options{}, nil)
		c.initialize("", nil)
		c.mustCall("shutdown", nil, nil)
		err := c.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": "file:///x"}, "position": position{}}, nil)
		if errCode(err) != jsonrpc2.CodeInvalidRequest {
			t.Errorf("request after shutdown: %v", err)
		}
		c.notify("exit", nil)
		if code := <-c.done; code != 0 {
			t.Fatalf("exit status %d, want 0", code)
		}
		c.done <- 0 // for the cleanup
	})
	t.Run("exit without shutdown", func(t *testing.T) {
		c := newClient(t, Options{}, nil)
		c.initialize("", nil)
		c.notify("exit", nil)
		if code := <-c.done; code != 1 {
			t.Fatalf("exit status %d, want 1", code)
		}
		c.done <- 1
	})
	t.Run("client vanishes", func(t *testing.T) {
		c := newClient(t, Options{}, nil)
		c.initialize("", nil)
		_ = c.conn.Close()
		if code := <-c.done; code != 1 {
			t.Fatalf("exit status %d, want 1", code)
		}
		c.done <- 1
	})
}

func TestOffsetAt(t *testing.T) {
	text := "ab\r\né😀x\nlast"
	d := &document{abs: "/x", text: []byte(text)}
	f := d.file()
	for _, tc := range []struct {
		p    position
		want int
	}{
		{position{Line: 0, Character: 0}, 0},
		{position{Line: 0, Character: 2}, 2},
		{position{Line: 0, Character: 9}, 2}, // past the end: before "\r\n"
		{position{Line: 1, Character: 1}, 6}, // after é (2 bytes)
		{position{Line: 1, Character: 2}, 6}, // inside the surrogate pair: rounds down
		{position{Line: 1, Character: 3}, 10},
		{position{Line: 1, Character: 4}, 11},
		{position{Line: 2, Character: 4}, len(text)},
		{position{Line: 7, Character: 0}, len(text)},
		{position{Line: -1, Character: 0}, 0},
	} {
		if got := offsetAt(f, tc.p); got != tc.want {
			t.Errorf("offsetAt(%v) = %d, want %d", tc.p, got, tc.want)
		}
	}
}

func TestURIs(t *testing.T) {
	p := "/tmp/a b/ngínx.conf"
	u := pathToURI(p)
	if string(u) != "file:///tmp/a%20b/ng%C3%ADnx.conf" {
		t.Errorf("pathToURI = %s", u)
	}
	if back, ok := uriToPath(u); !ok || back != p {
		t.Errorf("uriToPath = %q, %v", back, ok)
	}
	if _, ok := uriToPath("untitled:Untitled-1"); ok {
		t.Error("untitled: is not a file")
	}
	if b := bufferPath("untitled:x.conf"); filepath.Base(b) != "x.conf" || !filepath.IsAbs(b) {
		t.Errorf("bufferPath = %s", b)
	}
}

// parsedFile parses text so that its comments are known, as the loader
// does.
func parsedFile(t *testing.T, kind, text string) *source.File {
	t.Helper()
	if kind == "yaml" {
		return elastic.Parse(source.NewFile("x.yml", "/x.yml", source.KindElastic, []byte(text))).File
	}
	return nginx.Parse(source.NewFile("x.conf", "/x.conf", source.KindNginx, []byte(text))).File
}

// openVersioned opens text as nginx.conf in a workspace whose .ngxlint.yml
// holds yml, after its first lint.
func openVersioned(t *testing.T, text, yml string) (*client, uri) {
	t.Helper()
	files := map[string]string{"nginx.conf": text}
	if yml != "" {
		files[".ngxlint.yml"] = yml
	}
	dir := sharedtest.Tree(t, files)
	u := pathToURI(filepath.Join(dir, "nginx.conf"))
	c := newClient(t, Options{}, nil)
	c.initialize(dir, nil)
	from := 0
	c.open(u, "nginx", text)
	c.diags(&from, u, 1)
	return c, u
}

// Completion offers what the configured nginx release has: the http2
// directive from 1.25.1, the ssl directive until 1.25.1; no
// nginx.version means the newest stable release.
func TestCompletionFollowsNginxVersion(t *testing.T) {
	text := "http {\n    server {\n        listen 80;\n\n    }\n}\n"
	at := position{Line: 3, Character: 8}
	for _, c := range []struct {
		yml        string
		http2, ssl bool
	}{
		{"nginx:\n  version: 1.24.0\n", false, true},
		{"nginx:\n  version: 1.25.1\n", true, false},
		{"", true, false},
	} {
		cl, u := openVersioned(t, text, c.yml)
		got := labels(completionAt(cl, u, at))
		if _, ok := got["http2"]; ok != c.http2 {
			t.Errorf("%q: http2 offered %t, want %t", c.yml, ok, c.http2)
		}
		if _, ok := got["ssl"]; ok != c.ssl {
			t.Errorf("%q: ssl offered %t, want %t", c.yml, ok, c.ssl)
		}
		if _, ok := got["server_name"]; !ok {
			t.Errorf("%q: server_name not offered", c.yml)
		}
	}
}

// Hover says when a directive appeared or left, and whether the
// configured release has it.
func TestHoverShowsVersions(t *testing.T) {
	text := "http {\n    server {\n        listen 443 ssl;\n        http2 on;\n        ssl on;\n    }\n}\n"
	c, u := openVersioned(t, text, "nginx:\n  version: 1.24.0\n")
	hoverAt := func(needle string) string {
		t.Helper()
		var h *hover
		c.mustCall("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": u}, "position": find(t, text, needle).Start}, &h)
		if h == nil {
			t.Fatalf("no hover on %q", needle)
		}
		return h.Contents.Value
	}
	if h := hoverAt("http2 on"); !strings.Contains(h, "since 1.25.1") || !strings.Contains(h, "Not in nginx 1.24.0") {
		t.Errorf("http2 hover: %s", h)
	}
	if h := hoverAt("ssl on"); !strings.Contains(h, "removed in 1.25.1") || strings.Contains(h, "Not in nginx") {
		t.Errorf("ssl hover: %s", h)
	}
	// listen's parameters as of 1.24.0: quic (1.25.0) is not among them.
	if h := hoverAt("listen"); !strings.Contains(h, "`default_server`") || strings.Contains(h, "`quic`") {
		t.Errorf("listen hover: %s", h)
	}
}

// A third-party directive declared in .ngxlint.yml (nginx.directives) is
// known to hover; an undeclared unknown name gets no directive hover.
func TestHoverOnDeclaredThirdPartyDirective(t *testing.T) {
	text := "http {\n    vhost_traffic_status_zone;\n    made_up_directive on;\n}\n"
	c, u := openVersioned(t, text, "nginx:\n  directives: [vhost_traffic_status_zone]\n")
	var h *hover
	c.mustCall("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": u}, "position": find(t, text, "vhost_traffic").Start}, &h)
	if h == nil || !strings.Contains(h.Contents.Value, "third-party directive") {
		t.Errorf("declared directive hover: %+v", h)
	}
	h = nil
	c.mustCall("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": u}, "position": find(t, text, "made_up").Start}, &h)
	if h != nil && strings.Contains(h.Contents.Value, "third-party directive") {
		t.Errorf("undeclared directive hover: %+v", h)
	}
}
