package live_test

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/live"
	"github.com/ngxlint/ngxlint/rules/connectivity"
)

// The host is given its addresses; nothing is dialled or bound.
func TestListenNotLocal(t *testing.T) {
	conf := `events {}
http {
    server {
        listen 192.0.2.10:8080;
        listen 203.0.113.7:443;
        listen [2001:db8::7]:80;
        listen 127.0.0.2:81;
        listen 198.51.100.9:9000;
        listen 198.51.100.9:9001 bind;
    }
    server {
        listen 9000;
        listen 9001;
    }
}
`
	ws := load(t, "nginx.conf", conf)
	host := func() ([]netip.Addr, error) { return []netip.Addr{netip.MustParseAddr("192.0.2.10")}, nil }
	run := func(v4, v6 bool) []analyzer.Finding {
		opt := live.Options{HostAddrs: host, NonLocalBind: func() (bool, bool) { return v4, v6 },
			ListenNotLocal: connectivity.ListenAddressNotLocal}
		return live.Check(context.Background(), ws, nil, opt)
	}
	fs := run(false, false)
	var got []string
	for _, f := range fs {
		if f.Rule != connectivity.ListenAddressNotLocal || f.Live == nil || f.Live.Status != "confirmed" {
			t.Errorf("unexpected finding %+v", f)
			continue
		}
		got = append(got, ws.Files[0].Text(f.Span))
		if !strings.Contains(f.Message, "Cannot assign requested address") {
			t.Errorf("message: %s", f.Message)
		}
	}
	want := []string{"203.0.113.7", "[2001:db8::7]", "198.51.100.9"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("reported %v, want %v (held, loopback and wildcard-served listens are silent)", got, want)
	}
	if fs := run(true, false); len(fs) != 1 || !strings.Contains(fs[0].Message, "2001:db8::7") {
		t.Errorf("with ip_nonlocal_bind for IPv4 only: %v", fs)
	}
	if fs := live.Check(context.Background(), ws, nil, live.Options{HostAddrs: host}); len(fs) != 0 {
		t.Errorf("without the rule selected: %v", fs)
	}
}
