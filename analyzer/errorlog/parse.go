// Package errorlog reads nginx's error log, recognises the upstream
// failures in it, and maps each address a line names back to the
// directive of the configuration whose expansion produced it.
package errorlog

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/ngxlint/ngxlint/internal/lazyre"
)

// Kind is a class of upstream failure.
type Kind string

const (
	Refused        Kind = "refused"         // connect() failed (111: Connection refused)
	TimedOut       Kind = "timed-out"       // (110: Connection timed out) while connecting
	NoRoute        Kind = "no-route"        // (113: No route to host)
	NetUnreachable Kind = "net-unreachable" // (101: Network is unreachable)
	Disabled       Kind = "disabled"        // upstream server temporarily disabled
	NoLive         Kind = "no-live"         // no live upstreams
	Closed         Kind = "closed"          // upstream prematurely closed connection
	HostNotFound   Kind = "host-not-found"  // host not found in upstream "x" in file:line
	SSLHandshake   Kind = "ssl-handshake"   // SSL handshake to upstream failed
	ReadTimedOut   Kind = "read-timed-out"  // upstream timed out while reading from it
	Reset          Kind = "reset"           // (104: Connection reset by peer) from upstream
	unknownKind    Kind = ""
)

// Entry is one recognised line.
type Entry struct {
	Line  int    // 1-based, in the log
	Time  string // "2024/05/01 12:00:00" as logged
	Level string // "error", "warn", "emerg", ...
	Kind  Kind
	// Message is the failure as nginx wrote it, without the request's
	// details (client, server, request, host).
	Message string
	// Upstream is the upstream field: "http://[::1]:3000/" (empty for
	// host not found).
	Upstream string
	// For HostNotFound: the name as quoted, and the file and line nginx
	// names.
	Name string
	File string
	At   int
}

var (
	headRE     = lazyre.New(`^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) \[([a-z]+)\] \d+#\d+: (?:\*\d+ )?(.*)$`)
	upstreamRE = lazyre.New(`, upstream: "([^"]*)"`)
	notFoundRE = lazyre.New(`host not found in upstream "([^"]*)"(?: in (.+):(\d+))?`)
)

// ParseLine recognises one line of nginx's error log; false for anything
// that is not an upstream failure.
func ParseLine(s string) (Entry, bool) {
	m := headRE.Re().FindStringSubmatch(strings.TrimRight(s, "\r\n"))
	if m == nil {
		return Entry{}, false
	}
	e := Entry{Time: m[1], Level: m[2]}
	body := m[3]
	if nf := notFoundRE.Re().FindStringSubmatch(body); nf != nil {
		e.Kind, e.Name, e.File = HostNotFound, nf[1], nf[2]
		e.At, _ = strconv.Atoi(nf[3])
		e.Message = nf[0]
		if e.File != "" {
			e.Message = `host not found in upstream "` + nf[1] + `"`
		}
		return e, true
	}
	msg := body
	if i := strings.Index(msg, ", client: "); i >= 0 {
		msg = msg[:i]
	}
	e.Kind = classify(msg)
	if e.Kind == unknownKind {
		return Entry{}, false
	}
	e.Message = msg
	if u := upstreamRE.Re().FindStringSubmatch(body); u != nil {
		e.Upstream = u[1]
	}
	return e, true
}

// classify maps a message to its kind; only failures that concern an
// upstream count.
func classify(msg string) Kind {
	switch {
	case strings.Contains(msg, "no live upstreams"):
		return NoLive
	case strings.Contains(msg, "upstream server temporarily disabled"):
		return Disabled
	case strings.Contains(msg, "upstream prematurely closed connection"):
		return Closed
	case strings.Contains(msg, "while SSL handshaking to upstream"):
		return SSLHandshake
	}
	if !strings.Contains(msg, "upstream") {
		return unknownKind
	}
	switch {
	case strings.Contains(msg, "(111: Connection refused)"):
		return Refused
	case strings.Contains(msg, "(113: No route to host)"):
		return NoRoute
	case strings.Contains(msg, "(101: Network is unreachable)"):
		return NetUnreachable
	case strings.Contains(msg, "(110: Connection timed out)") && strings.Contains(msg, "while connecting to upstream"):
		return TimedOut
	case strings.Contains(msg, "(110: Connection timed out)"):
		return ReadTimedOut
	case strings.Contains(msg, "(104: Connection reset by peer)"):
		return Reset
	}
	return unknownKind
}

// maxLine bounds a log line; nginx itself writes at most about 2 KiB per
// message, so anything longer is not its error log, and is skipped.
const maxLine = 64 << 10

// Scan calls fn for every upstream failure in r, in order. It reads line
// by line, so a log of any size takes constant memory.
func Scan(r io.Reader, fn func(Entry)) error {
	br := bufio.NewReaderSize(r, maxLine)
	for n := 1; ; n++ {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// Skip the rest of an over-long line.
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n')
			}
			line = nil
		}
		if len(line) > 0 && bytes.Contains(line, []byte("upstream")) {
			if e, ok := ParseLine(string(line)); ok {
				e.Line = n
				fn(e)
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
