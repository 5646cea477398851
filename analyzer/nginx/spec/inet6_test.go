package spec

import (
	"strings"
	"testing"
)

// TestCIDRAgainstNginx: cidrOK (ngx_ptocidr, with ngx_inet_addr and
// ngx_inet6_addr) gives nginx's verdict on each text, including nginx's
// quirks: one leading colon skipped, a trailing colon after "::" kept, an
// empty IPv4 octet read as 0, 255.255.255.255 refused. Each verdict was
// read from `nginx -t` (1.22.1, Debian) on `allow TEXT;`.
func TestCIDRAgainstNginx(t *testing.T) {
	for _, tc := range []struct {
		text string
		ok   bool
	}{
		{"::1", true},
		{"::", true},
		{":::", false},
		{"1::", true},
		{":1::2", true},
		{"1:2:3:4:5:6:7:8", true},
		{"1:2:3:4:5:6:7:8:9", false},
		{"1:2:3:4:5:6:7::", false},
		{"::1:2:3:4:5:6:7", true},
		{"1::2::3", false},
		{"12345::1", false},
		{"fe80::1%eth0", false},
		{"::ffff:1.2.3.4", true},
		{"::1.2.3.4", true},
		{"1:2:3:4:5:6:1.2.3.4", true},
		{"1:2:3:4:5:6:7:1.2.3.4", false},
		{"::ffff:1.2.3", false},
		{"::ffff:256.1.1.1", false},
		{"::ffff:255.255.255.255", false},
		{"1.2.3.4", true},
		{"1.2.3.4::", false},
		{"2001:db8::/32", true},
		{"2001:db8::/129", false},
		{"::/0", true},
		{"::1/128", true},
		{"g::1", false},
		{"::1:", true},
		{":1", false},
		{"1", false},
		{"1:2:3:4:5:6:7", false},
		{"ABCD::ef", true},
		{"0:0:0:0:0:0:0:0/64", true},
		{"::1.2.3.4.5", false},
		{"1::1.2.3.4", true},
		{"::.1.2.3.4", false},
		{"::1..2.3", true},
		{"1.2.3.4/33", false},
		{"10.0.0.0/8", true},
		{"::ffff:1.2.3.4/96", true},
		{":::1", false},
		{"1:2:3:4:5:6:7:8/64", true},
		{"1:2:3:4:5:6:7::/64", false},
	} {
		if got := cidrOK(tc.text); got != tc.ok {
			t.Errorf("allow %s: cidrOK %v, nginx -t says %v", tc.text, got, tc.ok)
		}
		if addr, _, hasMask := strings.Cut(tc.text, "/"); !hasMask {
			if got := ipAddr(addr); got != tc.ok {
				t.Errorf("%s: ipAddr %v, nginx says %v", tc.text, got, tc.ok)
			}
		}
	}
}
