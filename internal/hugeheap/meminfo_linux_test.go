package hugeheap

import "testing"

func TestMemTotal(t *testing.T) {
	cases := map[string]uint64{
		"MemTotal:       24596312 kB\nMemFree:        23000000 kB\n": 24596312 << 10,
		"MemFree: 1 kB\nMemTotal: 2048 kB\n":                         2048 << 10,
		"MemFree: 1 kB\n":                                            0,
		"MemTotal: lots kB\n":                                        0,
		"MemTotal: 12 MB\n":                                          0,
	}
	for in, want := range cases {
		if got := memTotal([]byte(in)); got != want {
			t.Errorf("memTotal(%q) = %d, want %d", in, got, want)
		}
	}
}
