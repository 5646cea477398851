package editdist

import (
	"math/rand"
	"strings"
	"testing"
)

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

// osa is the distance by the whole table, without a limit or shortcuts:
// the reference the tests hold Distance and Runes to.
func osa[E byte | rune](a, b []E) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// Distance counts bytes and Runes characters; both agree with the whole
// table up to their limit, and say limit+1 past it, on random names of a
// small alphabet that mixes ASCII with letters of two and three bytes.
func TestDistancesAsWholeTable(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	letters := []string{"a", "b", "c", "é", "ß", "€"}
	word := func() string {
		var sb strings.Builder
		for range r.Intn(9) {
			sb.WriteString(letters[r.Intn(len(letters))])
		}
		return sb.String()
	}
	wide := 0
	for range 20000 {
		a, b, limit := word(), word(), r.Intn(5)
		if got, want := Distance(a, b, limit), min(osa([]byte(a), []byte(b)), limit+1); got != want {
			t.Fatalf("Distance(%q, %q, %d) = %d, want %d", a, b, limit, got, want)
		}
		want := min(osa([]rune(a), []rune(b)), limit+1)
		if got := Runes(a, b, limit); got != want {
			t.Fatalf("Runes(%q, %q, %d) = %d, want %d", a, b, limit, got, want)
		}
		if want != min(osa([]byte(a), []byte(b)), limit+1) {
			wide++ // a pair where counting bytes would differ
		}
	}
	if wide < 1000 {
		t.Fatalf("only %d pairs where bytes and characters differ", wide)
	}
}
