package live

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"
	"time"
)

func TestEncodeQuery(t *testing.T) {
	got, err := encodeQuery(0xbeef, "app.internal.")
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{
		0xbe, 0xef, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, // id, RD, one question
		3, 'a', 'p', 'p', 8, 'i', 'n', 't', 'e', 'r', 'n', 'a', 'l', 0,
		0, 1, 0, 1, // A, IN
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("query\n got % x\nwant % x", got, want)
	}
	long := string(bytes.Repeat([]byte{'a'}, 64))
	for _, bad := range []string{"", ".", "a..b", long + ".internal"} {
		if _, err := encodeQuery(1, bad); err == nil {
			t.Errorf("%q: encoded, want an error", bad)
		}
	}
}

// response is a reply to "app.internal" A with id 7: rcode, flags, then
// the answer records given as raw bytes.
func response(flags uint16, an int, answers ...byte) []byte {
	msg := []byte{0, 7, byte(flags >> 8), byte(flags), 0, 1, 0, byte(an), 0, 0, 0, 0,
		3, 'a', 'p', 'p', 8, 'i', 'n', 't', 'e', 'r', 'n', 'a', 'l', 0, 0, 1, 0, 1}
	return append(msg, answers...)
}

var (
	// a CNAME (its name compressed to the question's), then an A and an
	// AAAA record of the target, whose name is written out.
	cname  = []byte{0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 45, 0, 4, 1, 'x', 0xc0, 12}
	recA   = []byte{1, 'x', 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 1, 2, 3}
	recAAA = []byte{1, 'x', 0xc0, 12, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9}
)

func TestParseResponse(t *testing.T) {
	withAnswers := response(0x8180, 3, append(append(append([]byte{}, cname...), recA...), recAAA...)...)
	ans, err := parseResponse(withAnswers, 7)
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Addr{netip.MustParseAddr("10.1.2.3"), netip.MustParseAddr("fd00::9")}
	if ans.RCode != rcodeNoError || len(ans.Addrs) != 2 || ans.Addrs[0] != want[0] || ans.Addrs[1] != want[1] {
		t.Fatalf("answer %+v, want NOERROR %v", ans, want)
	}
	if ans.TTL != 45*time.Second {
		t.Errorf("TTL %v, want the CNAME's 45s (the shortest)", ans.TTL)
	}

	if ans.Authoritative {
		t.Error("AA read from a response without it")
	}
	if ans, err := parseResponse(response(0x8580, 1, recA...), 7); err != nil || !ans.Authoritative {
		t.Errorf("AA: %+v %v", ans, err)
	}
	ans, err = parseResponse(response(0x8183, 0), 7)
	if err != nil || ans.RCode != rcodeNXDomain || len(ans.Addrs) != 0 {
		t.Fatalf("NXDOMAIN: %+v %v", ans, err)
	}
	if _, err := parseResponse(withAnswers, 8); !errors.Is(err, errWrongID) {
		t.Errorf("another id: %v", err)
	}
	if _, err := parseResponse(response(0x0100, 0), 7); !errors.Is(err, errMalformed) {
		t.Errorf("a query taken for a response: %v", err)
	}
	// Every cut of a valid response is malformed, never a panic or a
	// partial answer, except where the server said it truncated.
	for n := range len(withAnswers) {
		if ans, err := parseResponse(withAnswers[:n], 7); err == nil && n < len(withAnswers) && len(ans.Addrs) == 2 {
			t.Errorf("cut at %d: read as complete: %+v", n, ans)
		}
	}
	cut := response(0x8380, 2, recA...) // TC set, the second record missing
	if ans, err := parseResponse(cut, 7); err != nil || !ans.Truncated || len(ans.Addrs) != 1 {
		t.Errorf("truncated: %+v %v", ans, err)
	}
}

func FuzzParseResponse(f *testing.F) {
	f.Add(response(0x8180, 3, append(append(append([]byte{}, cname...), recA...), recAAA...)...))
	f.Add(response(0x8183, 0))
	f.Add(response(0x8180, 255, 0xc0))
	f.Fuzz(func(t *testing.T, msg []byte) {
		ans, err := parseResponse(msg, 7)
		if err == nil && len(ans.Addrs) > len(msg)/4 {
			t.Fatalf("%d addresses from %d bytes", len(ans.Addrs), len(msg))
		}
	})
}

func TestParseResolvConf(t *testing.T) {
	got := parseResolvConf("# generated\nsearch corp.example\nnameserver 10.0.0.2\nnameserver  fe80::1%eth0\n" +
		"nameserver bogus\noptions ndots:5\nnameserver ::ffff:192.0.2.1\n")
	want := []string{"10.0.0.2:53", "[fe80::1%eth0]:53", "192.0.2.1:53"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("%d: %s, want %s", i, got[i], want[i])
		}
	}
}
