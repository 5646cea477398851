package eslog

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseLine: any line, of any format or none, is either recognised
// with one of the kinds and the fields that kind promises, or not, and
// never makes the reader panic. Seeds: the real lines of TestParseLine's
// table and the JSON shapes of each format.
func FuzzParseLine(f *testing.F) {
	for _, l := range fuzzSeeds {
		f.Add(l)
	}
	f.Fuzz(func(t *testing.T, line string) {
		// The reader that keeps state across lines (numbered bootstrap
		// checks, JSON messages of several lines) takes the same input
		// twice, as a log that repeats itself.
		var l Lines
		for range 2 {
			for _, e := range l.Parse(line) {
				if e.Kind < BoundHTTP || e.Kind > PlaintextOnHTTPS {
					t.Fatalf("Lines.Parse gave kind %d: %+v", e.Kind, e)
				}
			}
		}
		e, ok := ParseLine(line)
		if !ok {
			return
		}
		if e.Kind < BoundHTTP || e.Kind > PlaintextOnHTTPS {
			t.Fatalf("recognised with kind %d: %+v", e.Kind, e)
		}
		if (e.Kind == BoundHTTP || e.Kind == BoundTransport) && len(e.Bound) == 0 {
			t.Fatalf("a bound line without addresses: %+v", e)
		}
		if utf8.ValidString(line) && !utf8.ValidString(e.Detail) {
			t.Fatalf("valid input, invalid detail %q", e.Detail)
		}
	})
}

var fuzzSeeds = []string{
	`[2021-11-10T10:29:41,395][INFO ][o.e.h.AbstractHttpServerTransport] [9f911f701eba] publish_address {127.0.0.1:9200}, bound_addresses {127.0.0.1:9200}`,
	`[2022-05-07T12:34:38,198][INFO ][o.e.t.TransportService   ] [mac.local] publish_address {127.0.0.1:9300}, bound_addresses {[::1]:9300}, {127.0.0.1:9300}`,
	`es01     | {"type": "server", "timestamp": "2020-11-30T23:14:35,609Z", "level": "INFO", "component": "o.e.h.AbstractHttpServerTransport", "message": "publish_address {172.29.0.3:9200}, bound_addresses {0.0.0.0:9200}" }`,
	`{"@timestamp":"2024-11-17T07:47:31.093Z", "log.level": "INFO", "message":"publish_address {172.18.0.3:9200}, bound_addresses {[::]:9200}", "log.logger":"org.elasticsearch.http.AbstractHttpServerTransport"}`,
	`bootstrap check failure [1] of [1]: max virtual memory areas vm.max_map_count [65530] is too low, increase to at least [262144]`,
	`java.lang.IllegalArgumentException: unknown setting [discovery.zen.minimum_master_nodes] please check that any required plugins are installed`,
	`[2023-01-05T10:00:00,000][WARN ][o.e.x.s.t.n.SecurityNetty4HttpServerTransport] [node-1] received plaintext http traffic on an https channel, closing connection`,
	`io.netty.handler.ssl.NotSslRecordException: not an SSL/TLS record: 474554202f20485454502f312e310d0a`,
	`org.elasticsearch.transport.BindTransportException: Failed to bind to 10.0.0.9:[9300-9400]`,
	`{"message": 12, "log.level": ["x"]}`,
	`{"`,
	`[2018-03-01T10:00:00,000][ERROR][o.e.b.Bootstrap] [node-1] node validation exception\n[2] bootstrap checks failed`,
	`[1]: max file descriptors [4096] for elasticsearch process is too low, increase to at least [65535]`,
	strings.Repeat("[", 64) + "]",
}
