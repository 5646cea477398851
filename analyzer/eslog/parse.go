// Package eslog reads an Elasticsearch or OpenSearch node's log (the plain
// format and the JSON formats of 7.x and the ECS JSON of 8.x and later)
// for the lines that say where the node listens and why it did not start,
// and maps each to the setting that decides it (--es-log).
package eslog

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/ngxlint/ngxlint/internal/lazyre"
)

// Kind is what a recognised line says.
type Kind int

const (
	// BoundHTTP and BoundTransport: "publish_address {...}, bound_addresses {...}".
	BoundHTTP Kind = iota + 1
	BoundTransport
	// BootstrapFailure: "bootstrap check failure [i] of [n]: <check>".
	BootstrapFailure
	// UnknownSetting: "unknown setting [key] ...".
	UnknownSetting
	// BindFailure: a BindException (port taken, address not local).
	BindFailure
	// PlaintextOnHTTPS: a client spoke plain HTTP to the HTTPS port
	// (Elasticsearch's own message, or OpenSearch's NotSslRecordException).
	PlaintextOnHTTPS
)

// Entry is one recognised line.
type Entry struct {
	Kind Kind
	// Time is the line's timestamp as written ("" when it has none).
	Time string
	// Detail is the check of a bootstrap failure, the key of an unknown
	// setting, the exception text of a bind failure.
	Detail string
	// Bound lists the bound addresses of a Bound line ("127.0.0.1:9200").
	Bound []string
	// Port is the port of the first bound address of a Bound line (0 when
	// none can be read): the port the layer listens on.
	Port int
	// Message is the line's message.
	Message string
}

// plainRE matches the plain format: [time][LEVEL][logger] [node] message,
// anywhere in the line (docker compose and journald put a prefix first).
var plainRE = lazyre.New(`\[(\d{4}-\d\d-\d\d[T ][^\]]*)\]\[\s*([A-Z]+)\s*\]\[([^\]]+)\]\s*(?:\[[^\]]*\]\s*)?(.*)$`)

// ParseLine recognises one log line; ok is false for a line that says none
// of the things Kind names.
func ParseLine(line string) (Entry, bool) {
	line = strings.TrimRight(line, "\r\n")
	var e Entry
	logger := ""
	start := strings.Index(line, `{"`)
	switch {
	case start >= 0 && strings.HasSuffix(strings.TrimSpace(line), "}"):
		var m map[string]any
		if json.Unmarshal([]byte(line[start:]), &m) != nil {
			e.Message = line
			break
		}
		e.Message, _ = m["message"].(string)
		e.Time = firstString(m, "@timestamp", "timestamp")
		logger = firstString(m, "log.logger", "component")
		if st, ok := m["error.stack_trace"].(string); ok {
			e.Message += "\n" + st
		}
		if et, ok := m["error.type"].(string); ok {
			e.Message += " " + et
		}
	default:
		if g := plainRE.Re().FindStringSubmatch(line); g != nil {
			e.Time, logger, e.Message = g[1], g[3], g[4]
		} else {
			e.Message = line // a console line without the layout (ERROR: ..., a stack trace)
		}
	}
	return classify(e, logger)
}

func firstString(m map[string]any, keys ...string) string {
	for _, k := range keys {
		if s, ok := m[k].(string); ok {
			return s
		}
	}
	return ""
}

var (
	boundRE   = lazyre.New(`\{([^{}]+)\}`)
	bracketRE = lazyre.New(`unknown setting \[([^\]]+)\]`)
)

func classify(e Entry, logger string) (Entry, bool) {
	msg := e.Message
	switch {
	case strings.Contains(msg, "bound_addresses {"):
		e.Kind = BoundTransport
		// 5.x and later name the class; 2.x logged under "http" and "transport".
		switch logger = strings.TrimSpace(logger); {
		case strings.Contains(logger, "Http") || strings.Contains(logger, ".h.") || strings.Contains(logger, ".http.") || logger == "http":
			e.Kind = BoundHTTP
		case strings.Contains(logger, "Transport") || strings.Contains(logger, ".t.") || logger == "transport":
		default:
			return e, false // a layer we do not map (remote cluster server, a plugin)
		}
		_, rest, _ := strings.Cut(msg, "bound_addresses")
		for _, g := range boundRE.Re().FindAllStringSubmatch(rest, -1) {
			e.Bound = append(e.Bound, strings.TrimSpace(g[1]))
		}
		if len(e.Bound) == 0 {
			return e, false // a cut line: no address to judge by (found by fuzzing)
		}
		e.Port = portOf(e.Bound[0])
	case strings.Contains(msg, "bootstrap check failure ["):
		e.Kind = BootstrapFailure
		if _, after, ok := strings.Cut(msg, "]: "); ok {
			e.Detail = strings.TrimSpace(after)
		}
	case bracketRE.Re().MatchString(msg):
		e.Kind = UnknownSetting
		e.Detail = bracketRE.Re().FindStringSubmatch(msg)[1]
	case strings.Contains(msg, "BindException"):
		e.Kind = BindFailure
		i := strings.Index(msg, "BindException")
		e.Detail = strings.TrimSpace(strings.SplitN(msg[i:], "\n", 2)[0])
	case strings.Contains(msg, "received plaintext http traffic on an https channel") ||
		strings.Contains(msg, "received plaintext http traffic on a https channel") ||
		strings.Contains(msg, "NotSslRecordException"):
		e.Kind = PlaintextOnHTTPS
	default:
		return e, false
	}
	return e, true
}

// portOf reads the port at the end of an address ("[::]:9201",
// "localhost/127.0.0.1:9300"); 0 when there is none.
func portOf(addr string) int {
	i := strings.LastIndexByte(addr, ':')
	if i < 0 {
		return 0
	}
	p, err := strconv.Atoi(addr[i+1:])
	if err != nil || p <= 0 || p > 65535 {
		return 0
	}
	return p
}

var (
	// checksHeaderRE: "[2] bootstrap checks failed" (6.x and 7.x; 8.x adds
	// a sentence) announces that many numbered failures.
	checksHeaderRE = lazyre.New(`\[(\d+)\] bootstrap checks failed`)
	// numberedRE: "[1]: <check>", alone on its line or after a docker
	// compose prefix ("es_1  | [1]: ...").
	numberedRE = lazyre.New(`^\s*(?:[^|\[]*\|\s*)?\[\d+\]: (.+)$`)
)

// Lines recognises the lines of one log in order. Most lines stand alone
// (ParseLine), but before 8.x a failed bootstrap check is a numbered line
// ("[1]: max virtual memory areas ...") that means something only after
// the "[n] bootstrap checks failed" header, and the 7.x JSON layout holds
// the header and the failures in one multi-line message.
type Lines struct {
	pending int // numbered failures announced and not yet seen
}

// Parse returns the entries one line holds (none, one, or one per failed
// check of a multi-line message).
func (l *Lines) Parse(line string) []Entry {
	e, ok := ParseLine(line)
	var out []Entry
	for _, part := range strings.Split(e.Message, "\n") {
		if d, isCheck := l.check(part); isCheck {
			out = append(out, Entry{Kind: BootstrapFailure, Time: e.Time, Detail: d, Message: part})
		}
	}
	switch {
	case len(out) > 0:
		return out
	case ok:
		return []Entry{e}
	}
	return nil
}

// check reads one line of a message as a failed bootstrap check.
func (l *Lines) check(s string) (string, bool) {
	if i := strings.Index(s, "bootstrap check failure ["); i >= 0 {
		if _, after, ok := strings.Cut(s[i:], "]: "); ok {
			l.pending = max(l.pending-1, 0) // 8.x numbers its failures this way
			return strings.TrimSpace(after), true
		}
	}
	if g := checksHeaderRE.Re().FindStringSubmatch(s); g != nil {
		l.pending, _ = strconv.Atoi(g[1])
		return "", false
	}
	if l.pending > 0 {
		if g := numberedRE.Re().FindStringSubmatch(s); g != nil {
			l.pending--
			return strings.TrimSpace(g[1]), true
		}
	}
	return "", false
}
