package validity

import "testing"

func TestClosestVariable(t *testing.T) {
	for _, tc := range []struct{ name, family, want string }{
		{"remote_add", "http", "remote_addr"},
		{"reqeust_uri", "http", "request_uri"}, // two letters exchanged
		{"host_name", "http", "hostname"},
		{"connection_upgrade", "http", ""}, // a map's name, nothing close
		{"PUBLIC_DOMAIN", "http", ""},
		{"hots", "http", "host"},
		{"xyz", "http", ""},
	} {
		if got := closestVariable(tc.name, tc.family); got != tc.want {
			t.Errorf("closestVariable(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
