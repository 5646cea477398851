package crosscheck

import (
	"net/netip"
	"testing"
)

// What each bind value accepts connections on, as the node resolves it.
func TestBindSetCovers(t *testing.T) {
	for _, c := range []struct {
		values []string
		ip     string
		want   bool
	}{
		{[]string{"_local_"}, "127.0.0.1", true},
		{[]string{"_local_"}, "::1", true},
		{[]string{"_local_"}, "10.0.0.5", false},
		{[]string{"_local:ipv4_"}, "::1", false},
		{[]string{"0.0.0.0"}, "10.0.0.5", true},
		{[]string{"0.0.0.0"}, "127.0.0.1", true},
		{[]string{"0.0.0.0"}, "::1", false},
		{[]string{"::"}, "::1", true},
		{[]string{"::"}, "10.0.0.5", true},
		{[]string{"_site_"}, "192.168.1.4", true},
		{[]string{"_site_"}, "127.0.0.1", false},
		{[]string{"_site_"}, "fd00::5", false}, // Java: ULA is not site-local
		{[]string{"_site_"}, "fec0::5", true},
		{[]string{"_global_"}, "8.8.8.8", true},
		{[]string{"_global_"}, "10.0.0.5", false},
		{[]string{"10.0.0.5"}, "10.0.0.5", true},
		{[]string{"10.0.0.5"}, "10.0.0.6", false},
		{[]string{"[::1]"}, "::1", true},
		{[]string{"127.0.0.1", "10.0.0.5"}, "10.0.0.5", true},
	} {
		b := bindSet{Values: c.values, Known: true}
		if got := b.covers(netip.MustParseAddr(c.ip)); got != c.want {
			t.Errorf("%v covers %s = %v, want %v", c.values, c.ip, got, c.want)
		}
	}
}
