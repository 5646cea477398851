// Package elastic loads elasticsearch.yml and opensearch.yml into flat,
// positioned settings and derives, once, where the node listens.
package elastic

import (
	"sync"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

// Flavor tells Elasticsearch from OpenSearch (by file name, then content).
type Flavor string

const (
	Elasticsearch Flavor = "elasticsearch"
	OpenSearch    Flavor = "opensearch"
)

// Value is one scalar value of a setting.
type Value struct {
	// Text is the scalar as YAML delivers it (quotes removed).
	Text string
	Span source.Span
	// Placeholder is true when the value holds a ${VAR} reference: its
	// effective value is unknown statically.
	Placeholder bool
	// Null is true for an empty value, `~` or `null`.
	Null bool
}

// Setting is one occurrence of a setting in the file, flattened to its
// dotted key (`http: {port: 9200}` and `http.port: 9200` are both
// "http.port").
type Setting struct {
	Key     string
	KeySpan source.Span
	Values  []Value
	// List is true when the value was written as a YAML sequence.
	List bool
	// Flow is true when the values were written in flow style: a flow
	// sequence (`[a, b]`) or a value in a flow mapping (`{host: a}`), where
	// YAML readers differ on ':' inside an unquoted scalar (see
	// es-unquoted-colon).
	Flow bool
	// Nested is true when at least one part of the key came from an
	// enclosing mapping rather than the dotted key itself.
	Nested bool
	// Env is true for a setting the container's environment gives the node
	// (a docker-compose `environment:` entry): its spans are in the compose
	// file, and it overrides the settings file.
	Env bool
}

// Span covers the key and its values.
func (s *Setting) Span() source.Span {
	sp := s.KeySpan
	if n := len(s.Values); n > 0 && s.Values[n-1].Span.End.Offset > sp.End.Offset {
		sp.End = s.Values[n-1].Span.End
	}
	return sp
}

// Settings is one parsed settings file.
type Settings struct {
	File   *source.File
	Flavor Flavor
	// All holds every occurrence in source order, duplicates included.
	All []*Setting
	// Diagnostics: YAML syntax errors, duplicate keys, flat/nested
	// collisions, each with both positions where there are two.
	Diagnostics []source.Diagnostic
	// HTTPBind is the effective HTTP bind list, derived once.
	HTTPBind Bind
	// HTTPPort is the effective HTTP port spec, derived once.
	HTTPPort PortSpec
	// TransportBind is the effective transport bind list: transport.bind_host,
	// transport.host, network.bind_host, network.host, else `_local_`.
	TransportBind Bind
	// TransportPort is the effective transport port spec: transport.port,
	// else the pre-8.0 transport.tcp.port, else 9300-9400.
	TransportPort PortSpec
	// Image is the container image of the compose service whose
	// environment was laid over the file ("" when none): its tag names the
	// release.
	Image string
	// DemoInstaller is set when that service is OpenSearch's image and
	// its entrypoint will run the demo security installer on the first
	// start (HTTPS on the HTTP port, demo certificates).
	DemoInstaller bool
	// Service is the compose service whose environment was laid over the
	// file (nil when none).
	Service *Service

	// client keeps ClientConfig's answer: every ES and XC rule asks it,
	// through Pass.Nodes, of every file.
	client struct {
		once sync.Once
		why  string
		ok   bool
	}
}

// Bind is an effective bind list and where it came from.
type Bind struct {
	// Setting is the occurrence that decided it; nil when every setting in
	// the chain is unset (the default `_local_` applies).
	Setting *Setting
	// Key is the setting's name, or "" for the default.
	Key string
	// Values are the hosts, null items dropped and a comma-separated string
	// split into trimmed pieces (each with its own span where the source
	// shows it verbatim), as Settings.getAsList reads them.
	Values []Value
}

// PortSpec is a port setting parsed as Elasticsearch's PortsRange.
type PortSpec struct {
	// Setting is nil when unset (the default applies).
	Setting *Setting
	// Ranges are inclusive [first, last] pairs in written order.
	Ranges [][2]int
	// Placeholder is true when the value is a ${VAR}: unknown statically.
	Placeholder bool
	// Err describes a value Elasticsearch would refuse at start-up.
	Err string
}

// First is the first port the node tries, or 0 when unknown.
func (p PortSpec) First() int {
	if p.Placeholder || p.Err != "" || len(p.Ranges) == 0 {
		return 0
	}
	return p.Ranges[0][0]
}

// Has reports whether port is in the spec (false when unknown).
func (p PortSpec) Has(port int) bool {
	if p.Placeholder || p.Err != "" {
		return false
	}
	for _, r := range p.Ranges {
		if port >= r[0] && port <= r[1] {
			return true
		}
	}
	return false
}
