package live

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"
)

// A minimal DNS client (RFC 1035): one question for the A record of a
// name, over UDP, to the nameserver a resolver directive names, as
// nginx's own resolver asks it. It reads the response code and the
// addresses of the answer; nothing else of the protocol is needed.

// DNS response codes the probe tells apart.
const (
	rcodeNoError  = 0
	rcodeServFail = 2
	rcodeNXDomain = 3
	rcodeRefused  = 5
)

const (
	typeA    = 1
	typeAAAA = 28
	classIN  = 1
	// maxDNSMessage is the largest UDP response read (EDNS0 is not asked
	// for, so servers answer within 512 bytes; more is tolerated).
	maxDNSMessage = 4096
)

// dnsAnswer is what a nameserver said about one name.
type dnsAnswer struct {
	RCode int
	Addrs []netip.Addr
	// Truncated: the server set TC (the answer did not fit).
	Truncated bool
	// Authoritative: the server set AA (it serves the zone, so TTL is the
	// record's own, not what is left of it in a cache).
	Authoritative bool
	// TTL is the shortest time to live of the answer's records (how long
	// a cache may keep the answer); meaningful when Addrs is not empty.
	TTL time.Duration
}

// rcodeText names a response code as dig does.
func rcodeText(c int) string {
	switch c {
	case rcodeNoError:
		return "NOERROR"
	case rcodeServFail:
		return "SERVFAIL"
	case rcodeNXDomain:
		return "NXDOMAIN"
	case rcodeRefused:
		return "REFUSED"
	}
	return fmt.Sprintf("RCODE%d", c)
}

// encodeQuery builds a query with recursion desired for name's A record.
func encodeQuery(id uint16, name string) ([]byte, error) {
	name = strings.TrimSuffix(name, ".")
	if name == "" || len(name) > 253 {
		return nil, fmt.Errorf("%q is not a DNS name", name)
	}
	msg := make([]byte, 12, 12+len(name)+6)
	binary.BigEndian.PutUint16(msg[0:], id)
	binary.BigEndian.PutUint16(msg[2:], 0x0100) // RD
	binary.BigEndian.PutUint16(msg[4:], 1)      // one question
	for _, label := range strings.Split(name, ".") {
		if label == "" || len(label) > 63 {
			return nil, fmt.Errorf("%q is not a DNS name", name)
		}
		msg = append(msg, byte(len(label)))
		msg = append(msg, label...)
	}
	msg = append(msg, 0, 0, typeA, 0, classIN)
	return msg, nil
}

var errMalformed = errors.New("malformed DNS response")

// parseResponse reads the response to query id: its code and the A and
// AAAA addresses of the answer section. Every offset is checked against
// the message, so a hostile server cannot make it read out of bounds.
func parseResponse(msg []byte, id uint16) (dnsAnswer, error) {
	if len(msg) < 12 {
		return dnsAnswer{}, errMalformed
	}
	if binary.BigEndian.Uint16(msg[0:]) != id {
		return dnsAnswer{}, errWrongID
	}
	flags := binary.BigEndian.Uint16(msg[2:])
	if flags&0x8000 == 0 {
		return dnsAnswer{}, errMalformed // a query, not a response
	}
	ans := dnsAnswer{RCode: int(flags & 0x000f), Truncated: flags&0x0200 != 0, Authoritative: flags&0x0400 != 0}
	qd, an := int(binary.BigEndian.Uint16(msg[4:])), int(binary.BigEndian.Uint16(msg[6:]))
	off := 12
	seenTTL := false
	for range qd {
		var ok bool
		if off, ok = skipName(msg, off); !ok || off+4 > len(msg) {
			return dnsAnswer{}, errMalformed
		}
		off += 4 // type, class
	}
	for range an {
		var ok bool
		if off, ok = skipName(msg, off); !ok || off+10 > len(msg) {
			if ans.Truncated {
				break // the rest was cut; keep what arrived
			}
			return dnsAnswer{}, errMalformed
		}
		typ := binary.BigEndian.Uint16(msg[off:])
		class := binary.BigEndian.Uint16(msg[off+2:])
		ttl := time.Duration(binary.BigEndian.Uint32(msg[off+4:])&0x7fffffff) * time.Second
		rdlen := int(binary.BigEndian.Uint16(msg[off+8:]))
		off += 10
		if off+rdlen > len(msg) {
			if ans.Truncated {
				break
			}
			return dnsAnswer{}, errMalformed
		}
		rdata := msg[off : off+rdlen]
		off += rdlen
		if class != classIN {
			continue
		}
		// A CNAME's TTL counts too: the chain is cached no longer.
		if !seenTTL || ttl < ans.TTL {
			ans.TTL, seenTTL = ttl, true
		}
		switch {
		case typ == typeA && rdlen == 4:
			ans.Addrs = append(ans.Addrs, netip.AddrFrom4([4]byte(rdata)))
		case typ == typeAAAA && rdlen == 16:
			ans.Addrs = append(ans.Addrs, netip.AddrFrom16([16]byte(rdata)).Unmap())
		}
	}
	return ans, nil
}

// skipName returns the offset just past the (possibly compressed) name at
// off. A pointer ends the name, so no loop can form.
func skipName(msg []byte, off int) (int, bool) {
	for off < len(msg) {
		n := int(msg[off])
		switch {
		case n == 0:
			return off + 1, true
		case n&0xc0 == 0xc0:
			if off+2 > len(msg) {
				return 0, false
			}
			return off + 2, true
		case n&0xc0 != 0:
			return 0, false // reserved label types
		default:
			off += 1 + n
		}
	}
	return 0, false
}

var errWrongID = errors.New("response to another query")

// queryA asks server for name's A record over UDP within timeout (and
// ctx's deadline), through dial. Datagrams that do not answer this query
// (another id, garbage) are skipped until the time is up.
func queryA(ctx context.Context, dial func(ctx context.Context, network, address string) (net.Conn, error),
	server netip.AddrPort, name string, timeout time.Duration) (dnsAnswer, error) {
	var idb [2]byte
	if _, err := rand.Read(idb[:]); err != nil {
		return dnsAnswer{}, err
	}
	id := binary.BigEndian.Uint16(idb[:])
	q, err := encodeQuery(id, name)
	if err != nil {
		return dnsAnswer{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := dial(ctx, "udp", server.String())
	if err != nil {
		return dnsAnswer{}, err
	}
	defer func() { _ = conn.Close() }()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	// Closing the socket when ctx ends unblocks the read at once.
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	if _, err := conn.Write(q); err != nil {
		return dnsAnswer{}, err
	}
	buf := make([]byte, maxDNSMessage)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			if ctx.Err() != nil {
				return dnsAnswer{}, ctx.Err()
			}
			return dnsAnswer{}, err
		}
		ans, err := parseResponse(buf[:n], id)
		if err == nil {
			return ans, nil
		}
	}
}
