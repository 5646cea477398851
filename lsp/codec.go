package lsp

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/sourcegraph/jsonrpc2"
)

// maxMessage bounds one message body: an editor never sends more, and a
// corrupt Content-Length must not make us allocate gigabytes.
const maxMessage = 64 << 20

// malformedMethod is what a message that cannot be decoded turns into, so
// that the connection survives it: jsonrpc2 closes the connection on any
// read error, and one bad message must not end the session.
const malformedMethod = "$/ngxlint/malformed"

// codec is jsonrpc2.VSCodeObjectCodec (Content-Length framing) made
// forgiving on the read side: it accepts "\n" line endings and any header
// case, skips stray lines, discards oversized bodies, and turns a body
// that is not a JSON-RPC message into a malformedMethod message instead
// of an error.
type codec struct{}

func (codec) WriteObject(w io.Writer, obj any) error {
	return jsonrpc2.VSCodeObjectCodec{}.WriteObject(w, obj)
}

func (codec) ReadObject(r *bufio.Reader, v any) error {
	body, err := readFrame(r)
	var bad *badFrame
	switch {
	case errors.As(err, &bad):
		return decodeInto(malformed(nil, bad.Error()), v)
	case err != nil:
		return err
	}
	if err := decodeInto(body, v); err != nil {
		return decodeInto(malformed(body, err.Error()), v)
	}
	return nil
}

// decodeInto decodes into a fresh value and stores it only on success, so
// that a failed attempt leaves nothing half-filled behind.
func decodeInto(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return json.Unmarshal(data, v)
	}
	fresh := reflect.New(rv.Elem().Type())
	if err := json.Unmarshal(data, fresh.Interface()); err != nil {
		return err
	}
	rv.Elem().Set(fresh.Elem())
	return nil
}

type badFrame struct{ msg string }

func (e *badFrame) Error() string { return e.msg }

// readFrame reads one "Content-Length: N\r\n\r\n<body>" message.
func readFrame(r *bufio.Reader) ([]byte, error) {
	length := -1
	var problem string
	lines := 0
	for {
		line, err := readLine(r)
		if err != nil {
			if errors.Is(err, io.EOF) && lines > 0 {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		lines++
		if line == "" {
			if lines == 1 {
				lines = 0 // a blank line between messages
				continue
			}
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			continue // Content-Type or noise
		}
		n, err := strconv.Atoi(strings.TrimSpace(value))
		switch {
		case err != nil || n < 0:
			problem = fmt.Sprintf("invalid Content-Length %q", strings.TrimSpace(value))
		case n > maxMessage:
			problem = fmt.Sprintf("message of %d bytes is larger than the %d-byte limit", n, maxMessage)
			length = n
		default:
			length = n
		}
	}
	if problem != "" {
		if length > 0 {
			if _, err := io.CopyN(io.Discard, r, int64(length)); err != nil {
				return nil, io.ErrUnexpectedEOF
			}
		}
		return nil, &badFrame{problem}
	}
	if length < 0 {
		return nil, &badFrame{"message header has no Content-Length"}
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, io.ErrUnexpectedEOF
	}
	return body, nil
}

// maxHeaderLine bounds a header line; longer lines are noise, skipped.
const maxHeaderLine = 4096

// readLine returns one line without its "\n" or "\r\n".
func readLine(r *bufio.Reader) (string, error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(buf) < maxHeaderLine {
			buf = append(buf, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil {
			if len(buf) > 0 && errors.Is(err, io.EOF) {
				return "", io.ErrUnexpectedEOF
			}
			return "", err
		}
		break
	}
	if len(buf) > maxHeaderLine {
		return "noise", nil
	}
	return strings.TrimRight(string(buf), "\r\n"), nil
}

// malformed builds the stand-in message for a body that could not be
// decoded. When the body still names a usable request id, the stand-in is
// a request with that id, so the client gets an error response for it.
func malformed(body []byte, reason string) []byte {
	msg := map[string]any{
		"jsonrpc": "2.0",
		"method":  malformedMethod,
		"params":  map[string]string{"error": reason},
	}
	var probe struct {
		ID     json.RawMessage `json:"id"`
		Method json.RawMessage `json:"method"`
	}
	if json.Unmarshal(body, &probe) == nil && len(probe.Method) > 0 && validID(probe.ID) {
		msg["id"] = probe.ID
	}
	out, _ := json.Marshal(msg)
	return out
}

// validID accepts the ids jsonrpc2 can represent: a string or a
// non-negative integer.
func validID(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return false
	}
	if raw[0] == '"' {
		var s string
		return json.Unmarshal(raw, &s) == nil
	}
	_, err := strconv.ParseUint(string(raw), 10, 64)
	return err == nil
}
