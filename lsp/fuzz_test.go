package lsp

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/sourcegraph/jsonrpc2"
)

func unquoteGo(s string) ([]byte, error) {
	u, err := strconv.Unquote(s)
	return []byte(u), err
}

// FuzzMessages feeds arbitrary bytes to the server as its input stream,
// then one well-formed request: whatever came before, that request must be
// answered or the server must have exited (never a server that stays up
// and deaf), and it must stop when the stream ends. The seeds
// (testdata/fuzz/FuzzMessages) are whole sessions: initialize, open,
// change, hover, completion, code actions, malformed frames, shutdown and
// exit.
func FuzzMessages(f *testing.F) {
	f.Add([]byte(frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`)))
	f.Add([]byte("Content-Length: 7\r\n\r\n" + `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		inR, inW := io.Pipe()
		outR, outW := io.Pipe()
		done := make(chan int, 1)
		// No workspace folder is scanned (inputs name arbitrary folders);
		// the debounce is off so that lints run within the input's life.
		s := newServer(Options{Debounce: -1})
		s.index.off = true
		go func() { done <- s.serve(context.Background(), pipeConn{inR, outW}); _ = outW.Close() }()
		answered := make(chan struct{})
		go func() {
			br := bufio.NewReader(outR)
			for {
				var m map[string]any
				if err := (jsonrpc2.VSCodeObjectCodec{}).ReadObject(br, &m); err != nil {
					_, _ = io.Copy(io.Discard, outR)
					return
				}
				if m["id"] == probeID && m["method"] == nil {
					close(answered)
				}
			}
		}()
		probe := []byte(frame(fmt.Sprintf(`{"jsonrpc":"2.0","id":%v,"method":"no/such/method"}`, probeID)))
		stream := append(bytes.Clone(data), probe...)
		go func() { _, _ = inW.Write(stream) }()
		exited := false
		select {
		case <-done:
			exited = true
		case <-answered:
		case <-time.After(3 * time.Second):
			// Deaf, unless a declared length is still waiting for its
			// bytes (the probe swallowed into a body): the end of the
			// stream must then stop the server.
			if !awaitsBody(stream) {
				t.Fatal("the request after the input was neither answered nor did the server exit")
			}
		}
		_ = inW.Close()
		if exited {
			return
		}
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("server did not stop after its input ended")
		}
	})
}

// awaitsBody reports whether some Content-Length header in stream declares
// more bytes than follow it.
func awaitsBody(stream []byte) bool {
	lower := bytes.ToLower(stream)
	for i := 0; ; {
		k := bytes.Index(lower[i:], []byte("content-length"))
		if k < 0 {
			return false
		}
		i += k + len("content-length")
		j := i
		for j < len(stream) && (stream[j] == ' ' || stream[j] == ':' || stream[j] == '\t') {
			j++
		}
		n := 0
		for j < len(stream) && stream[j] >= '0' && stream[j] <= '9' && n < 1<<40 {
			n = n*10 + int(stream[j]-'0')
			j++
		}
		if n > len(stream)-j {
			return true
		}
	}
}

// probeID is the id of the request each fuzz input ends with (as JSON
// decodes it).
const probeID = float64(777001)

type pipeConn struct {
	*io.PipeReader
	*io.PipeWriter
}

func (p pipeConn) Close() error {
	_ = p.PipeReader.Close()
	return p.PipeWriter.Close()
}
