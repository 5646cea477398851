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
)

// maxMessage bounds one message body: an editor never sends more, and a
// corrupt Content-Length must not make us allocate gigabytes.
const maxMessage = 64 << 20

// maxResponse bounds one message the server writes: a response larger
// than this becomes an error response (a client cannot use hundreds of
// megabytes of code actions anyway), a larger notification is dropped.
const maxResponse = 16 << 20

// malformedMethod is what a message that cannot be decoded turns into, so
// that the connection survives it: jsonrpc2 closes the connection on any
// read error, and one bad message must not end the session.
const malformedMethod = "$/ngxlint/malformed"

// codec is jsonrpc2.VSCodeObjectCodec (Content-Length framing) made
// forgiving on the read side: it accepts "\n" line endings and any header
// case, skips stray lines, and turns a body that is not a JSON-RPC message
// into a malformedMethod message instead of an error.
//
// It also resynchronises after a broken frame. A Content-Length that is
// missing, not a number or too short leaves the rest of the body in the
// stream, glued to the next header; one that is too long swallows the
// next message. Either way the next "Content-Length:" seen, inside a line
// or inside a body that does not decode, starts the next frame, and what
// was dropped is reported. A declared length past maxMessage cannot be
// skipped safely (the bytes may never come), so it ends the session with a
// logged error, and the editor restarts the server.
type codec struct {
	// pending holds bytes already read that belong to the next frame.
	pending []byte
	// logf reports a fatal framing error before the connection closes.
	logf func(format string, args ...any)
}

func (c *codec) WriteObject(w io.Writer, obj any) error {
	data, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	if len(data) > maxResponse {
		data = c.oversized(data)
	}
	if bytes.Contains(data, []byte(markedIDJSON)) {
		data = restoreNumberID(data)
	}
	if _, err := fmt.Fprintf(w, "Content-Length: %d\r\n\r\n", len(data)); err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

func (c *codec) ReadObject(r *bufio.Reader, v any) error {
	body, err := c.readFrame(r)
	var bad *badFrame
	switch {
	case errors.As(err, &bad):
		return decodeInto(malformed(nil, bad.Error()), v)
	case errors.Is(err, errTooLarge):
		if c.logf != nil {
			c.logf("%v", err)
		}
		return err
	case err != nil:
		return err
	}
	if fixed, ok := numberID(body); ok {
		body = fixed
	}
	err = decodeInto(body, v)
	if err == nil {
		return nil
	}
	reason := err.Error()
	if !json.Valid(body) {
		// A body that is not even JSON was probably framed wrongly: its
		// declared length was too short (the rest is still in the stream)
		// or too long (it holds the start of the next message). Read it
		// again as header lines; the next Content-Length found, in it or
		// after it, starts the next frame.
		c.pending = append(body, c.pending...)
		reason += "; its bytes are read again to find the next header"
	}
	return decodeInto(malformed(body, reason), v)
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

var errTooLarge = errors.New("message too large")

const contentLength = "content-length"

// indexFold is the first index of the lower-case ASCII needle in b,
// ignoring case, or -1.
func indexFold(b []byte, needle string) int {
	for i := 0; i+len(needle) <= len(b); i++ {
		j := 0
		for j < len(needle) && b[i+j]|0x20 == needle[j] {
			j++
		}
		if j == len(needle) {
			return i
		}
	}
	return -1
}

// lastIndexFold is like indexFold but finds the last occurrence.
func lastIndexFold(b []byte, needle string) int {
	last := -1
	for i := indexFold(b, needle); i >= 0; {
		last = i
		j := indexFold(b[i+1:], needle)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return last
}

// readFrame reads one "Content-Length: N\r\n\r\n<body>" message.
func (c *codec) readFrame(r *bufio.Reader) ([]byte, error) {
	length := -1
	var problem string
	lines := 0
	for {
		line, dropped, err := c.readLine(r)
		if err != nil {
			if errors.Is(err, io.EOF) && lines > 0 {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		// A header glued to the end of other bytes (the rest of a body
		// whose length was wrong, a body sent without a header, garbage):
		// drop what comes before it and start the frame there.
		if i := lastIndexFold([]byte(line), contentLength); i > 0 || dropped > 0 && i == 0 {
			c.pending = append([]byte(line[i:]+"\r\n"), c.pending...)
			return nil, &badFrame{fmt.Sprintf("dropped %d bytes before the next Content-Length header and resynchronised", dropped+i)}
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
			length = -1
			problem = fmt.Sprintf("invalid Content-Length %q", strings.TrimSpace(value))
		case n > maxMessage:
			return nil, fmt.Errorf("%w: a Content-Length of %d bytes is over the %d-byte limit; the stream cannot be trusted past it, so the server stops (the editor restarts it)", errTooLarge, n, maxMessage)
		default:
			length, problem = n, "" // the last valid header wins
		}
	}
	if problem != "" {
		return nil, &badFrame{problem}
	}
	if length < 0 {
		return nil, &badFrame{"message header has no Content-Length"}
	}
	body := make([]byte, length)
	n := copy(body, c.pending)
	c.pending = c.pending[n:]
	if _, err := io.ReadFull(r, body[n:]); err != nil {
		return nil, io.ErrUnexpectedEOF
	}
	return body, nil
}

// maxHeaderLine bounds a header line; of a longer line only the last
// maxHeaderLine bytes are kept, where a glued header would be.
const maxHeaderLine = 4096

// readLine returns one line without its "\n" or "\r\n", reading pending
// bytes first; dropped counts the bytes cut from the front of a long line.
func (c *codec) readLine(r *bufio.Reader) (line string, dropped int, err error) {
	var buf []byte
	if len(c.pending) > 0 {
		if i := bytes.IndexByte(c.pending, '\n'); i >= 0 {
			buf, c.pending = c.pending[:i+1], c.pending[i+1:]
			return trimEOL(buf), 0, nil
		}
		buf, c.pending = c.pending, nil
	}
	for {
		chunk, err := r.ReadSlice('\n')
		buf = append(buf, chunk...)
		if len(buf) > 2*maxHeaderLine {
			cut := len(buf) - maxHeaderLine
			dropped += cut
			buf = append(buf[:0], buf[cut:]...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil {
			if len(buf) > 0 && errors.Is(err, io.EOF) {
				return "", dropped, io.ErrUnexpectedEOF
			}
			return "", dropped, err
		}
		break
	}
	return trimEOL(buf), dropped, nil
}

func trimEOL(b []byte) string { return strings.TrimRight(string(b), "\r\n") }

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
	if json.Unmarshal(body, &probe) == nil && len(probe.Method) > 0 {
		if validID(probe.ID) {
			msg["id"] = probe.ID
		} else if isNumber(probe.ID) {
			msg["id"] = numberIDPrefix + string(bytes.TrimSpace(probe.ID))
		}
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

// numberIDPrefix marks a numeric request id that jsonrpc2 cannot hold (it
// keeps numbers as uint64): such an id travels through the server as a
// string with this prefix and is written back as the number it was, so a
// client that sends -3 gets -3.
const numberIDPrefix = "\x00ngxlint-number-id:"

// isNumber reports whether raw is a JSON number.
func isNumber(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || (raw[0] != '-' && (raw[0] < '0' || raw[0] > '9')) {
		return false
	}
	var n json.Number
	return json.Unmarshal(raw, &n) == nil
}

// numberID rewrites a message whose id is a number jsonrpc2 refuses
// (negative, fractional, too large) so that the id is a marked string.
// jsonrpc2 would otherwise wrap -3 around to 2^64-3.
func numberID(body []byte) ([]byte, bool) {
	var probe struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(body, &probe) != nil || !isNumber(probe.ID) || validID(probe.ID) {
		return nil, false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return nil, false
	}
	id, _ := json.Marshal(numberIDPrefix + string(bytes.TrimSpace(m["id"])))
	m["id"] = id
	out, err := json.Marshal(m)
	return out, err == nil
}

// markedIDJSON is how numberIDPrefix looks once encoded.
const markedIDJSON = `"\u0000ngxlint-number-id:`

// restoreNumberID turns a marked string id back into its number.
func restoreNumberID(data []byte) []byte {
	var m map[string]json.RawMessage
	var id string
	if json.Unmarshal(data, &m) != nil || json.Unmarshal(m["id"], &id) != nil || !strings.HasPrefix(id, numberIDPrefix) {
		return data
	}
	raw := json.RawMessage(strings.TrimPrefix(id, numberIDPrefix))
	if !isNumber(raw) {
		return data
	}
	m["id"] = raw
	out, err := json.Marshal(m)
	if err != nil {
		return data
	}
	return out
}

// oversized replaces a message over maxResponse: a response by an error
// for the same id, anything else by nothing.
func (c *codec) oversized(data []byte) []byte {
	var m struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
	}
	_ = json.Unmarshal(data, &m)
	if c.logf != nil {
		c.logf("a message of %d bytes is over the %d-byte limit; not sent (method %q, id %s)", len(data), maxResponse, m.Method, m.ID)
	}
	if len(m.ID) == 0 || m.Method != "" {
		return []byte(`{"jsonrpc":"2.0","method":"window/logMessage","params":{"type":2,"message":"ngxlint: a message over the size limit was dropped"}}`)
	}
	out, _ := json.Marshal(map[string]any{
		"jsonrpc": "2.0", "id": m.ID,
		"error": map[string]any{"code": -32603, "message": fmt.Sprintf("the result is %d bytes, over the %d-byte limit of one response; ask for a smaller range", len(data), maxResponse)},
	})
	return out
}
