package spec

import (
	"fmt"
	"testing"
)

// The cases follow ngx_parse_size, ngx_parse_offset and ngx_parse_time
// (src/core/ngx_parse.c), and were checked with nginx -t where noted.
func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		s         string
		size, off bool
	}{
		{"10m", true, true}, {"4K", true, true}, {"0", true, true}, {"1g", false, true}, {"1G", false, true},
		{"10mb", false, false}, // nginx -t: invalid value
		{"${UPLOAD_LIMIT}m", false, false}, {"", false, false}, {"m", false, false}, {"-1", false, false},
		{"1.5m", false, false}, {"1 m", false, false},
	} {
		if got := ParseSize(tc.s, false); got != tc.size {
			t.Errorf("ParseSize(%q) = %v", tc.s, got)
		}
		if got := ParseSize(tc.s, true); got != tc.off {
			t.Errorf("ParseSize(%q, offset) = %v", tc.s, got)
		}
	}
}

func TestParseTime(t *testing.T) {
	for _, tc := range []struct {
		s         string
		msec, sec bool
	}{
		{"60", true, true}, {"60s", true, true}, {"500ms", true, false}, {"1m 30s", true, true}, {"1h30m", true, true},
		{"1d", true, true}, {"2w", true, true}, {"1M", false, true}, {"1y", false, true}, {"1y 2M", false, true},
		{"60sec", false, false}, // nginx -t: invalid value
		{"10ms", true, false},   // nginx -t: ssl_session_timeout 10ms is invalid
		{"1m 1h", false, false}, {"1s 1s", false, false}, {"s", false, false}, {"", false, false},
		{"1m30", true, true}, {"5 min", false, false}, {"${TIMEOUT}", false, false},
	} {
		if got := ParseTime(tc.s, false); got != tc.msec {
			t.Errorf("ParseTime(%q) = %v", tc.s, got)
		}
		if got := ParseTime(tc.s, true); got != tc.sec {
			t.Errorf("ParseTime(%q, sec) = %v", tc.s, got)
		}
	}
}

func TestArgTypeOf(t *testing.T) {
	for _, tc := range []struct {
		name, family string
		want         ArgKind
	}{
		{"client_max_body_size", "http", KindOffset},
		{"client_max_body_size", "", KindOffset},
		{"proxy_read_timeout", "http", KindMsec},
		{"proxy_next_upstream", "http", KindBitmask},
		{"proxy_next_upstream", "stream", 0}, // a flag in stream
		{"proxy_next_upstream", "", 0},       // unknown family: ambiguous
		{"ssl_session_timeout", "stream", KindSec},
		{"worker_rlimit_nofile", "", KindNumber},
		{"proxy_pass", "http", 0},
	} {
		var got ArgKind
		if at := ArgTypeOf(tc.name, tc.family); at != nil {
			got = at.Kind
		}
		if got != tc.want {
			t.Errorf("ArgTypeOf(%q, %q) = %v, want %v", tc.name, tc.family, got, tc.want)
		}
	}
	if ValueSince("proxy_http_version", "2") != (Version{1, 29, 4}) || !ValueSince("proxy_http_version", "1.1").IsZero() {
		t.Error("ValueSince")
	}
}

// ArgTypeOf reads an index by name; it must answer as the table read by
// name and family does, for every name in every family.
func TestArgTypeOfAgreesWithTheTable(t *testing.T) {
	at := func(name, family string) *ArgType {
		if v, ok := argTypes[argKey{name, family}]; ok {
			return &v
		}
		return nil
	}
	ref := func(name, family string) *ArgType {
		if t := at(name, ""); t != nil {
			return t
		}
		switch family {
		case "http", "stream":
			return at(name, family)
		case "":
			if t := at(name, "main"); t != nil {
				return t
			}
			if h, s := at(name, "http"), at(name, "stream"); h != nil && s == nil && !streamFlags[name] {
				return h
			}
		}
		return nil
	}
	n := 0
	for k := range argTypes {
		for _, fam := range []string{"", "http", "stream", "main", "mail"} {
			want, got := ref(k.name, fam), ArgTypeOf(k.name, fam)
			if (want == nil) != (got == nil) || want != nil && fmt.Sprint(*want) != fmt.Sprint(*got) {
				t.Fatalf("ArgTypeOf(%q, %q) = %v, want %v", k.name, fam, got, want)
			}
			n++
		}
	}
	if ArgTypeOf("no_such_directive", "http") != nil || n < 500 {
		t.Fatalf("an unknown name has a type, or only %d cases", n)
	}
}
