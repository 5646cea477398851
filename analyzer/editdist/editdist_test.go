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

// Names longer than the arrays Distance keeps on its stack take the
// allocating path, with the same answers.
func TestDistanceLongNames(t *testing.T) {
	long := "ssl_session_ticket_key_with_a_name_much_longer_than_sixty_three_bytes"
	if len(long) <= short {
		t.Fatalf("test name of %d bytes is not longer than %d", len(long), short)
	}
	for _, c := range []struct {
		a, b string
		want int
	}{
		{long, long, 0},
		{long + "x", long, 1},
		{long[:10] + long[11:12] + long[10:11] + long[12:], long, 1}, // neighbours exchanged
		{long[:20], long, 3},
	} {
		if got := Distance(c.a, c.b, 2); got != c.want {
			t.Errorf("Distance(%q, %q, 2) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func BenchmarkDistance(b *testing.B) {
	for b.Loop() {
		Distance("proxy_set_headr", "proxy_set_header", 2)
	}
}
