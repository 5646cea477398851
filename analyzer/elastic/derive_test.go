package elastic

import (
	"fmt"
	"strings"
	"testing"
)

func TestBindChain(t *testing.T) {
	tests := []struct {
		name, src             string
		httpKey, transportKey string
		httpValues            string // "text@span,..."
	}{
		{"nothing set: default _local_", "cluster.name: a\n", "", "", ""},
		{"network.host", "network.host: 10.0.0.1\n", "network.host", "network.host", "10.0.0.1@1:15-1:23"},
		{"network.bind_host beats network.host", "network.host: a\nnetwork.bind_host: b\n", "network.bind_host", "network.bind_host", "b@2:20-2:21"},
		{"http.host beats network.*", "network.host: a\nnetwork.bind_host: b\nhttp.host: c\n", "http.host", "network.bind_host", "c@3:12-3:13"},
		{"http.bind_host beats http.host", "http.bind_host: d\nnetwork.host: a\nhttp.host: c\n", "http.bind_host", "network.host", "d@1:17-1:18"},
		{"transport.host", "transport.host: t\nhttp.host: h\n", "http.host", "transport.host", "h@2:12-2:13"},
		{"transport.bind_host beats transport.host", "transport.host: t\ntransport.bind_host: tb\n", "", "transport.bind_host", ""},
		{"null is skipped", "http.host:\nnetwork.host: a\n", "network.host", "network.host", "a@2:15-2:16"},
		{"empty list is skipped", "http.host: []\nnetwork.host: a\n", "network.host", "network.host", "a@2:15-2:16"},
		{"nested form counts", "network:\n  host: _site_\n", "network.host", "network.host", "_site_@2:9-2:15"},
		{"list", "network.host: [_local_, \"_site_\"]\n", "network.host", "network.host", "_local_@1:16-1:23,_site_@1:25-1:33"},
		{"comma-separated string is split", "network.host: \"_site_, _lo_\"\n", "network.host", "network.host", "_site_@1:16-1:22,_lo_@1:24-1:28"},
		{"comma split of a plain value", "http.host: a,b\n", "http.host", "", "a@1:12-1:13,b@1:14-1:15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := parse(t, tt.src)
			if s.HTTPBind.Key != tt.httpKey || s.TransportBind.Key != tt.transportKey {
				t.Errorf("keys http=%q transport=%q, want %q %q", s.HTTPBind.Key, s.TransportBind.Key, tt.httpKey, tt.transportKey)
			}
			if (s.HTTPBind.Setting == nil) != (tt.httpKey == "") || (s.HTTPBind.Setting != nil && s.HTTPBind.Setting.Key != tt.httpKey) {
				t.Errorf("HTTPBind.Setting = %+v, want key %q", s.HTTPBind.Setting, tt.httpKey)
			}
			var vals []string
			for _, v := range s.HTTPBind.Values {
				vals = append(vals, v.Text+"@"+sp(v.Span))
			}
			if got := strings.Join(vals, ","); got != tt.httpValues {
				t.Errorf("HTTP values %q, want %q", got, tt.httpValues)
			}
		})
	}
}

func TestPorts(t *testing.T) {
	tests := []struct {
		name, src   string
		ranges      string
		placeholder bool
		err         string // substring of Err; "" means no error
		first       int
	}{
		{"unset: default", "a: 1\n", "[[9200 9300]]", false, "", 9200},
		{"integer", "http.port: 9200\n", "[[9200 9200]]", false, "", 9200},
		{"custom single port", "http.port: 9250\n", "[[9250 9250]]", false, "", 9250},
		{"quoted string", "http.port: \"9250\"\n", "[[9250 9250]]", false, "", 9250},
		{"range", "http.port: 9200-9300\n", "[[9200 9300]]", false, "", 9200},
		{"list of tokens", "http.port: 9200,9205-9210\n", "[[9200 9200] [9205 9210]]", false, "", 9200},
		{"blanks trimmed, empty token skipped", "http.port: \" 9201 - 9203 ,, 9300\"\n", "[[9201 9203] [9300 9300]]", false, "", 9201},
		{"placeholder", "http.port: ${PORT}\n", "[]", true, "", 0},
		{"not a number", "http.port: abc\n", "[]", false, `http.port: "abc" is not a port number`, 0},
		{"reversed range", "http.port: 9300-9200\n", "[]", false, `range "9300-9200" ends before it starts (9200 < 9300)`, 0},
		{"out of range", "http.port: 70000\n", "[]", false, `port 70000 in "70000" is outside 0-65535`, 0},
		{"negative", "http.port: -1\n", "[]", false, `"-1" is not a port number`, 0},
		{"a YAML list", "http.port: [9200, 9201]\n", "[]", false, "http.port is written as a list", 0},
		{"null", "http.port:\n", "[]", false, "http.port has no value", 0},
		{"nested", "http:\n  port: 9400\n", "[[9400 9400]]", false, "", 9400},
		{"last occurrence wins", "http.port: 1\nhttp:\n  port: 2\n", "[[2 2]]", false, "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parse(t, tt.src).HTTPPort
			if got := fmt.Sprint(p.Ranges); got != tt.ranges {
				t.Errorf("Ranges = %s, want %s", got, tt.ranges)
			}
			if p.Placeholder != tt.placeholder {
				t.Errorf("Placeholder = %v, want %v", p.Placeholder, tt.placeholder)
			}
			if (tt.err == "") != (p.Err == "") || !strings.Contains(p.Err, tt.err) {
				t.Errorf("Err = %q, want containing %q", p.Err, tt.err)
			}
			if p.First() != tt.first {
				t.Errorf("First = %d, want %d", p.First(), tt.first)
			}
			if (p.Setting == nil) != (tt.name == "unset: default") {
				t.Errorf("Setting = %+v", p.Setting)
			}
		})
	}
}

func TestTransportPort(t *testing.T) {
	tests := []struct{ src, ranges string }{
		{"a: 1\n", "[[9300 9400]]"},
		{"transport.port: 9301\n", "[[9301 9301]]"},
		{"transport.tcp.port: 9350-9360\n", "[[9350 9360]]"},
		{"transport.tcp.port: 9350\ntransport.port: 9302\n", "[[9302 9302]]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(parse(t, tt.src).TransportPort.Ranges); got != tt.ranges {
			t.Errorf("%q: TransportPort = %s, want %s", tt.src, got, tt.ranges)
		}
	}
}
