package lsp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sourcegraph/jsonrpc2"
)

// raw drives the server with hand-made bytes, to test what a well-behaved
// client library would never send.
type raw struct {
	t    *testing.T
	conn net.Conn
	out  chan map[string]any
	done chan int
}

func newRaw(t *testing.T) *raw {
	a, b := net.Pipe()
	r := &raw{t: t, conn: b, out: make(chan map[string]any, 256), done: make(chan int, 1)}
	go func() { r.done <- newServer(Options{Debounce: -1}).serve(context.Background(), a) }()
	go func() {
		br := bufio.NewReader(b)
		for {
			var m map[string]any
			if err := (jsonrpc2.VSCodeObjectCodec{}).ReadObject(br, &m); err != nil {
				close(r.out)
				return
			}
			r.out <- m
		}
	}()
	t.Cleanup(func() { _ = b.Close() })
	return r
}

func (r *raw) send(s string) {
	r.t.Helper()
	if _, err := r.conn.Write([]byte(s)); err != nil {
		r.t.Fatalf("write: %v", err)
	}
}

func frame(body string) string { return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body) }

// next returns the next message that matches.
func (r *raw) next(match func(map[string]any) bool) map[string]any {
	r.t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case m, ok := <-r.out:
			if !ok {
				r.t.Fatal("server closed the connection")
			}
			if match(m) {
				return m
			}
		case <-deadline:
			r.t.Fatal("timed out")
		}
	}
}

func response(id float64) func(map[string]any) bool {
	return func(m map[string]any) bool { v, ok := m["id"].(float64); return ok && v == id && m["method"] == nil }
}

func errorCode(m map[string]any) float64 {
	e, _ := m["error"].(map[string]any)
	c, _ := e["code"].(float64)
	return c
}

func logMessage(m map[string]any) bool { return m["method"] == "window/logMessage" }

func TestMalformedInputNeverEndsTheSession(t *testing.T) {
	r := newRaw(t)
	r.send(frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`))
	r.next(response(1))

	// Not JSON at all: logged, ignored.
	r.send(frame(`{"jsonrpc":"2.0","id":2,"method":`))
	if m := r.next(logMessage); !strings.Contains(fmt.Sprint(m["params"]), "malformed") {
		t.Errorf("log %v", m)
	}
	// A request whose method is not a string: an error response for its id.
	r.send(frame(`{"jsonrpc":"2.0","id":3,"method":42}`))
	if m := r.next(response(3)); errorCode(m) != jsonrpc2.CodeInvalidRequest {
		t.Errorf("bad method: %v", m)
	}
	// Neither request nor response; a batch; a bare value.
	r.send(frame(`{"jsonrpc":"2.0"}`) + frame(`[{"jsonrpc":"2.0","id":9,"method":"shutdown"}]`) + frame(`17`))
	// Header problems: no Content-Length, a bad one, "\n" line endings,
	// a lower-case header, noise lines (oversized bodies: TestReadFrame).
	r.send("Content-Type: x\r\n\r\n")
	r.send("Content-Length: -5\r\n\r\n")
	r.send("noise\r\n" + strings.Repeat("x", 10000) + "\r\n")
	body := `{"jsonrpc":"2.0","id":4,"method":"no/such/method","params":{}}`
	r.send(fmt.Sprintf("content-length: %d\n\n%s", len(body), body))
	if m := r.next(response(4)); errorCode(m) != jsonrpc2.CodeMethodNotFound {
		t.Errorf("unknown method: %v", m)
	}
	// Unknown notifications and ones with wrong params are ignored.
	r.send(frame(`{"jsonrpc":"2.0","method":"$/unknown","params":{}}`))
	r.send(frame(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":"oops"}`))
	r.send(frame(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///nope.conf","version":2},"contentChanges":[{"text":"x"}]}}`))
	// Requests with wrong params or about unopened documents: errors.
	r.send(frame(`{"jsonrpc":"2.0","id":5,"method":"textDocument/hover","params":[1,2]}`))
	if m := r.next(response(5)); errorCode(m) != jsonrpc2.CodeInvalidParams {
		t.Errorf("bad params: %v", m)
	}
	r.send(frame(`{"jsonrpc":"2.0","id":6,"method":"textDocument/completion","params":{"textDocument":{"uri":"file:///nope.conf"},"position":{"line":0,"character":0}}}`))
	if m := r.next(response(6)); errorCode(m) != jsonrpc2.CodeInvalidParams {
		t.Errorf("closed document: %v", m)
	}
	// Positions far outside the document are clamped, not fatal.
	dir := t.TempDir()
	u := pathToURI(filepath.Join(dir, "x.conf"))
	r.send(frame(fmt.Sprintf(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":%q,"languageId":"nginx","version":1,"text":"events {}\n"}}}`, u)))
	r.send(frame(fmt.Sprintf(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":%q,"version":2},"contentChanges":[{"range":{"start":{"line":99,"character":-4},"end":{"line":-3,"character":99999}},"text":"x"}]}}`, u)))
	r.send(frame(fmt.Sprintf(`{"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{"textDocument":{"uri":%q},"position":{"line":1000000,"character":1000000}}}`, u)))
	if m := r.next(response(7)); m["error"] != nil {
		t.Errorf("hover past the end: %v", m)
	}
	// And the session still works end to end.
	r.send(frame(`{"jsonrpc":"2.0","id":8,"method":"shutdown"}`))
	r.next(response(8))
	r.send(frame(`{"jsonrpc":"2.0","method":"exit"}`))
	select {
	case code := <-r.done:
		if code != 0 {
			t.Fatalf("exit status %d", code)
		}
	case <-time.After(timeout):
		t.Fatal("no exit")
	}
}

// Messages a client sends before initialize: requests are refused,
// notifications dropped (didOpen must not be linted).
func TestBeforeInitialize(t *testing.T) {
	r := newRaw(t)
	r.send(frame(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///tmp/x.conf","languageId":"nginx","version":1,"text":"upstream a { server localhost:1; }"}}}`))
	r.send(frame(`{"jsonrpc":"2.0","id":1,"method":"shutdown"}`))
	if m := r.next(response(1)); errorCode(m) != codeServerNotInitialized {
		t.Fatalf("shutdown before initialize: %v", m)
	}
}

// The fuzz seeds are real sessions; make sure they stay parseable as
// intended (a seed that no longer reaches the handlers would fuzz
// nothing).
func TestFuzzSeedsReachTheServer(t *testing.T) {
	seeds, _ := filepath.Glob("testdata/fuzz/FuzzMessages/*")
	if len(seeds) == 0 {
		t.Fatal("no seed corpus")
	}
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		data, err := corpusBytes(b)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if !strings.Contains(string(data), "Content-Length") {
			t.Errorf("%s: no framed message", s)
		}
	}
}

// corpusBytes decodes a "go test fuzz v1" file holding one []byte.
func corpusBytes(b []byte) ([]byte, error) {
	lines := strings.SplitN(string(b), "\n", 2)
	if len(lines) != 2 || lines[0] != "go test fuzz v1" {
		return nil, fmt.Errorf("not a fuzz corpus file")
	}
	v := strings.TrimSpace(lines[1])
	if !strings.HasPrefix(v, "[]byte(") || !strings.HasSuffix(v, ")") {
		return nil, fmt.Errorf("not a []byte value")
	}
	return unquoteGo(v[len("[]byte(") : len(v)-1])
}

// A declared length past maxMessage cannot be skipped (the bytes may
// never come, and waiting for them is a deaf server): the codec returns an
// error, which ends the session, and logs why.
func TestReadFrameOversizedEndsTheSession(t *testing.T) {
	var logged []string
	c := &codec{logf: func(format string, args ...any) { logged = append(logged, fmt.Sprintf(format, args...)) }}
	br := bufio.NewReader(strings.NewReader(fmt.Sprintf("Content-Length: %d\r\n\r\n{}", maxMessage+1)))
	var m map[string]any
	if err := c.ReadObject(br, &m); !errors.Is(err, errTooLarge) {
		t.Fatalf("oversized: %v %v", m, err)
	}
	if len(logged) != 1 || !strings.Contains(logged[0], "over the") {
		t.Errorf("logged %q", logged)
	}
}

// TestFramingResynchronises: after each kind of broken frame the issue
// lists, the next well-formed request is answered, and what was dropped
// is logged. Before, each later body was glued to the next header and the
// server never answered again.
func TestFramingResynchronises(t *testing.T) {
	cases := map[string]string{
		"not a number":   "Content-Length: abc\r\n\r\n" + `{"jsonrpc":"2.0","id":50,"method":"shutdown"}`,
		"negative":       "Content-Length: -20\r\n\r\n" + `{"jsonrpc":"2.0","id":50,"method":"shutdown"}`,
		"too short":      "Content-Length: 10\r\n\r\n" + `{"jsonrpc":"2.0","id":50,"method":"shutdown"}`,
		"too long":       "Content-Length: 80\r\n\r\n" + `{"jsonrpc":"2.0","id":50,"method":"shutdown"}`,
		"no header":      `{"jsonrpc":"2.0","id":50,"method":"shutdown"}`,
		"binary garbage": "\x00\xff\xfe{{\r\x1b[0m" + strings.Repeat("\xde\xad\xbe\xef", 3000),
		"long garbage":   strings.Repeat("Z", 100_000) + "\r\n",
	}
	for name, broken := range cases {
		t.Run(name, func(t *testing.T) {
			r := newRaw(t)
			r.send(frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`))
			r.next(response(1))
			r.send(broken)
			for id := 2; id <= 4; id++ {
				r.send(frame(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"no/such/method"}`, id)))
			}
			// The second and third requests must be answered; the first may
			// be the one a too-long frame swallowed whole.
			r.next(response(3))
			r.next(response(4))
		})
	}
}

// A JSON-RPC id may be any number; jsonrpc2 holds only unsigned ones, and
// -3 used to be answered with no id at all.
func TestNegativeIDEchoed(t *testing.T) {
	r := newRaw(t)
	r.send(frame(`{"jsonrpc":"2.0","id":-3,"method":"initialize","params":{"capabilities":{}}}`))
	if m := r.next(response(-3)); m["result"] == nil {
		t.Errorf("initialize -3: %v", m)
	}
	r.send(frame(`{"jsonrpc":"2.0","id":-4,"method":42}`))
	if m := r.next(response(-4)); errorCode(m) != jsonrpc2.CodeInvalidRequest {
		t.Errorf("malformed -4: %v", m)
	}
	r.send(frame(`{"jsonrpc":"2.0","id":2.5,"method":"no/such/method"}`))
	if m := r.next(response(2.5)); errorCode(m) != jsonrpc2.CodeMethodNotFound {
		t.Errorf("2.5: %v", m)
	}
}
