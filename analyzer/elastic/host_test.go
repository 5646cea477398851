package elastic

import "testing"

func TestClassifyHost(t *testing.T) {
	tests := []struct {
		in   string
		want HostClass
	}{
		{"_local_", Loopback},
		{"_local:ipv4_", Loopback},
		{"_local:ipv6_", Loopback},
		{"#local#", Loopback},
		{"_lo_", Loopback},
		{"_lo:ipv4_", Loopback},
		{"_lo0_", Loopback},
		{"localhost", Loopback},
		{"LocalHost.", Loopback},
		{" localhost ", Loopback},
		{"127.0.0.1", Loopback},
		{"127.1.2.3", Loopback},
		{"::1", Loopback},
		{"[::1]", Loopback},
		{"::ffff:127.0.0.1", Loopback},
		{"0.0.0.0", Wildcard},
		{"0", Wildcard},
		{"::", Wildcard},
		{"[::]", Wildcard},
		{"10.0.0.5", NonLoopback},
		{"192.168.1.1", NonLoopback},
		{"8.8.8.8", NonLoopback},
		{"fe80::1", NonLoopback},
		{"[2001:db8::1]", NonLoopback},
		{"_site_", NonLoopback},
		{"_site:ipv6_", NonLoopback},
		{"_global_", NonLoopback},
		{"_global:ipv4_", NonLoopback},
		{"#site#", NonLoopback},
		{"_eth0_", Unknown},
		{"_en0:ipv4_", Unknown},
		{"#eth0#", Unknown},
		{"_local:ipv5_", Unknown},
		{"es-node-1", Unknown},
		{"localhost.localdomain", Unknown},
		{"${NETWORK_HOST}", Unknown},
		{"%%SERVER_IP%%", Unknown},
		{"", Unknown},
		{"_", Unknown},
		{"256.1.1.1", Unknown},
	}
	for _, tt := range tests {
		if got := ClassifyHost(tt.in); got != tt.want {
			t.Errorf("ClassifyHost(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestHostClassString(t *testing.T) {
	for c, want := range map[HostClass]string{Unknown: "unknown", Loopback: "loopback", Wildcard: "wildcard", NonLoopback: "non-loopback"} {
		if c.String() != want {
			t.Errorf("%d.String() = %q, want %q", c, c.String(), want)
		}
	}
}
