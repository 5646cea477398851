package lsp

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/sourcegraph/jsonrpc2"
)

// client is an in-process LSP client talking to a Server over net.Pipe.
type client struct {
	t    testing.TB
	conn *jsonrpc2.Conn
	srv  *Server
	done chan int // the server's exit status

	mu    sync.Mutex
	notes []note
	wake  chan struct{}
}

type note struct {
	method string
	params json.RawMessage
}

// timeout bounds every wait: a broken server fails the test, not hangs it.
const timeout = 10 * time.Second

func newClient(t testing.TB, opt Options, hook func(context.Context, string)) *client {
	t.Helper()
	a, b := net.Pipe()
	if opt.Debounce == 0 {
		opt.Debounce = -1 // tests that want a debounce say so
	}
	s := newServer(opt)
	s.hook = hook
	c := &client{t: t, srv: s, done: make(chan int, 1), wake: make(chan struct{}, 1)}
	go func() { c.done <- s.serve(context.Background(), a) }()
	c.conn = jsonrpc2.NewConn(context.Background(), jsonrpc2.NewBufferedStream(b, jsonrpc2.VSCodeObjectCodec{}),
		jsonrpc2.HandlerWithError(func(_ context.Context, _ *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
			var raw json.RawMessage
			if req.Params != nil {
				raw = append(raw, *req.Params...)
			}
			c.mu.Lock()
			c.notes = append(c.notes, note{req.Method, raw})
			c.mu.Unlock()
			select {
			case c.wake <- struct{}{}:
			default:
			}
			return nil, nil
		}), jsonrpc2.SetLogger(log.New(io.Discard, "", 0)))
	t.Cleanup(func() {
		_ = c.conn.Close()
		select {
		case <-c.done:
		case <-time.After(timeout):
			t.Error("server did not stop after the connection closed")
		}
	})
	return c
}

func (c *client) call(method string, params, result any) error {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return c.conn.Call(ctx, method, params, result)
}

func (c *client) mustCall(method string, params, result any) {
	c.t.Helper()
	if err := c.call(method, params, result); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

func (c *client) notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.t.Fatalf("notify %s: %v", method, err)
	}
}

// initialize runs the handshake with root as the workspace folder.
func (c *client) initialize(root string, opts any) initializeResult {
	c.t.Helper()
	params := map[string]any{"processId": 1, "capabilities": map[string]any{}}
	if root != "" {
		params["rootUri"] = pathToURI(root)
	}
	if opts != nil {
		params["initializationOptions"] = opts
	}
	var res initializeResult
	c.mustCall("initialize", params, &res)
	c.notify("initialized", map[string]any{})
	return res
}

// waitNote returns the first note from index *from on that matches, and
// advances *from past it.
func (c *client) waitNote(from *int, match func(note) bool) note {
	c.t.Helper()
	deadline := time.After(timeout)
	for {
		c.mu.Lock()
		for i := *from; i < len(c.notes); i++ {
			if match(c.notes[i]) {
				*from = i + 1
				n := c.notes[i]
				c.mu.Unlock()
				return n
			}
		}
		c.mu.Unlock()
		select {
		case <-c.wake:
		case <-deadline:
			c.t.Fatalf("timed out waiting for a notification; got %d: %s", len(c.notes), c.dump())
		}
	}
}

func (c *client) dump() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var b strings.Builder
	for _, n := range c.notes {
		b.WriteString("\n  " + n.method + " " + string(n.params))
	}
	return b.String()
}

func (c *client) count(match func(note) bool) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, x := range c.notes {
		if match(x) {
			n++
		}
	}
	return n
}

// published is a decoded publishDiagnostics.
type published struct {
	URI         uri          `json:"uri"`
	Version     *int         `json:"version"`
	Diagnostics []diagnostic `json:"diagnostics"`
}

func isPublish(u uri, version int) func(note) bool {
	return func(n note) bool {
		if n.method != "textDocument/publishDiagnostics" {
			return false
		}
		var p published
		_ = json.Unmarshal(n.params, &p)
		return p.URI == u && (version < 0 || p.Version != nil && *p.Version == version)
	}
}

// diags waits for the diagnostics of u at version (any version if < 0).
func (c *client) diags(from *int, u uri, version int) published {
	c.t.Helper()
	n := c.waitNote(from, isPublish(u, version))
	var p published
	if err := json.Unmarshal(n.params, &p); err != nil {
		c.t.Fatal(err)
	}
	return p
}

func (c *client) open(u uri, lang, text string) {
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": u, "languageId": lang, "version": 1, "text": text}})
}

func (c *client) changeFull(u uri, version int, text string) {
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": u, "version": version},
		"contentChanges": []map[string]any{{"text": text}},
	})
}

func (c *client) changeRange(u uri, version int, r rng, text string) {
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": u, "version": version},
		"contentChanges": []map[string]any{{"range": r, "text": text}},
	})
}

// find returns the LSP range of the first occurrence of needle in text,
// counting UTF-16 units, so tests never hard-code positions.
func find(t testing.TB, text, needle string) rng {
	t.Helper()
	i := strings.Index(text, needle)
	if i < 0 {
		t.Fatalf("%q not in text", needle)
	}
	return rng{Start: posOf(text, i), End: posOf(text, i+len(needle))}
}

func posOf(text string, off int) position {
	line := strings.Count(text[:off], "\n")
	ls := strings.LastIndex(text[:off], "\n") + 1
	n := 0
	for _, r := range text[ls:off] {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return position{Line: line, Character: n}
}

func byCode(diags []diagnostic, code string) []diagnostic {
	var out []diagnostic
	for _, d := range diags {
		if d.Code == code {
			out = append(out, d)
		}
	}
	return out
}

// openNginxConf starts a server on a workspace whose nginx.conf holds
// text, opens that file and waits for its first diagnostics. It returns
// the client, the file's URI, the workspace folder, the diagnostics cursor
// for later waits, and the first publication.
func openNginxConf(t *testing.T, text string, opt Options) (*client, uri, string, int, published) {
	t.Helper()
	dir := sharedtest.Tree(t, map[string]string{"nginx.conf": text})
	u := pathToURI(filepath.Join(dir, "nginx.conf"))
	c := newClient(t, opt, nil)
	c.initialize(dir, nil)
	from := 0
	c.open(u, "nginx", text)
	p := c.diags(&from, u, 1)
	return c, u, dir, from, p
}
