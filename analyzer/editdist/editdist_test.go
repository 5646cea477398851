package editdist

import "testing"

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"proxy_pass", "proxy_pass", 2, 0},
		{"proxy_passs", "proxy_pass", 2, 1},
		{"porxy_pass", "proxy_pass", 2, 1}, // neighbours exchanged: one edit
		{"http.prot", "http.port", 2, 1},
		{"kitten", "sitting", 3, 3},
		{"kitten", "sitting", 2, 3}, // past the limit: limit+1
		{"a", "abcdef", 2, 3},       // the lengths alone exceed it
		{"", "ab", 2, 2},
	} {
		if got := Distance(c.a, c.b, c.limit); got != c.want {
			t.Errorf("Distance(%q, %q, %d) = %d, want %d", c.a, c.b, c.limit, got, c.want)
		}
	}
}
