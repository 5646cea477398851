package nginx

import (
	"slices"
	"testing"
)

// The cases were checked with nginx -t (1.22) as valid_referers values:
// names with a common key are refused as "conflicting parameter", the
// invalid ones as "invalid hostname or wildcard".
func TestHostKeys(t *testing.T) {
	collide := [][2]string{
		{"a.com", "A.COM"}, {".a.com", "*.a.com"}, {".a.com", "a.com"}, {"www.*", "WWW.*"}, {"*.a.com", "*.A.com"},
	}
	apart := [][2]string{
		{"*.a.com", "a.com"}, {"*.a.com", "b.*"}, {"a.*", "a"}, {".*", "x.*"}, {"a.com", "b.com"},
	}
	share := func(x, y string) bool {
		kx, okx := HostKeys(x)
		ky, oky := HostKeys(y)
		if !okx || !oky {
			t.Fatalf("%q or %q refused", x, y)
		}
		for _, k := range kx {
			if slices.Contains(ky, k) {
				return true
			}
		}
		return false
	}
	for _, c := range collide {
		if !share(c[0], c[1]) {
			t.Errorf("%q and %q should collide", c[0], c[1])
		}
	}
	for _, c := range apart {
		if share(c[0], c[1]) {
			t.Errorf("%q and %q should not collide", c[0], c[1])
		}
	}
	for _, bad := range []string{"*", "a*b", "*.", "a..b", "*.a.*", "*a.com", "a.*.com", "x\x00"} {
		if _, ok := HostKeys(bad); ok {
			t.Errorf("%q accepted; nginx refuses it", bad)
		}
	}
	for _, good := range []string{".", "_", "", "localhost", ".*"} {
		if _, ok := HostKeys(good); !ok {
			t.Errorf("%q refused; nginx takes it", good)
		}
	}
}
