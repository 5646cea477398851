package lsp

import (
	"context"
	"io"
	"net"
	"strconv"
	"testing"
	"time"
)

func unquoteGo(s string) ([]byte, error) {
	u, err := strconv.Unquote(s)
	return []byte(u), err
}

// FuzzMessages feeds arbitrary bytes to the server as its input stream:
// whatever arrives, the server must neither panic nor hang, and must stop
// when the stream ends. The seeds (testdata/fuzz/FuzzMessages) are whole
// sessions: initialize, open, change, hover, completion, code actions,
// malformed frames, shutdown and exit.
func FuzzMessages(f *testing.F) {
	f.Add([]byte(frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, b := net.Pipe()
		done := make(chan int, 1)
		// No workspace folder is scanned (inputs name arbitrary folders);
		// the debounce is off so that lints run within the input's life.
		s := newServer(Options{Debounce: -1})
		s.index.off = true
		go func() { done <- s.serve(context.Background(), a) }()
		go func() { _, _ = io.Copy(io.Discard, b) }()
		_, _ = b.Write(data)
		_ = b.Close()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("server did not stop after its input ended")
		}
	})
}
