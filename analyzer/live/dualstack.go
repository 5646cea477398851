package live

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"syscall"

	"github.com/ngxlint/ngxlint/analyzer"
)

func init() { probes["listen-dual-stack-conflict"] = probeDualStack }

// Evidence results of the bind test.
const (
	Bound Result = "bound"  // the socket bound and listened
	InUse Result = "in-use" // bind failed: address already in use
)

// DualStack is what the bind test of listen-dual-stack-conflict saw on
// one port: a listening IPv6 wildcard socket with IPV6_V6ONLY off, then
// an IPv4 wildcard socket on the same port, both with SO_REUSEADDR, as
// nginx opens them.
type DualStack struct {
	Port int
	// V6 is the error of the IPv6 socket (no IPv6 on this host, or the
	// option refused); nil when it listened.
	V6 error
	// V4 is the error of the IPv4 socket, tried only when V6 is nil.
	V4 error
}

// DualStackBind makes the bind test on this host: on port when it is
// unprivileged and free, else on a port the kernel picks. It never binds
// a privileged port, and closes both sockets before it returns.
func DualStackBind(port int) DualStack {
	if port >= 1024 && port <= 65535 {
		r := bindPair(port)
		if !errors.Is(r.V6, syscall.EADDRINUSE) && !errors.Is(r.V6, syscall.EACCES) {
			return r
		}
		// The port is taken (by a running nginx, maybe): the kernel's
		// behaviour is the same on any port.
	}
	return bindPair(0)
}

func bindPair(port int) DualStack {
	lc := net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		if err := c.Control(func(fd uintptr) { serr = setV6Only(fd, false) }); err != nil {
			return err
		}
		return serr
	}}
	ln6, err := lc.Listen(context.Background(), "tcp6", net.JoinHostPort("::", strconv.Itoa(port)))
	if err != nil {
		return DualStack{Port: port, V6: err}
	}
	defer func() { _ = ln6.Close() }()
	port = ln6.Addr().(*net.TCPAddr).Port
	ln4, err := net.Listen("tcp4", net.JoinHostPort("0.0.0.0", strconv.Itoa(port)))
	if err == nil {
		_ = ln4.Close()
	}
	return DualStack{Port: port, V4: err}
}

// probeDualStack binds as nginx would for the finding's two listens, on
// this host's kernel: whether IPv4 connections are mapped into the
// dual-stack socket decides whether nginx's second bind fails.
func probeDualStack(s *session, _ *analyzer.Workspace, _ []Peer, f *analyzer.Finding) plan {
	t := f.Target
	if t == nil || t.Port <= 0 || t.Port > 65535 {
		return plan{}
	}
	var r DualStack
	done := false
	run := func(ctx context.Context) {
		if ctx.Err() != nil {
			return
		}
		r, done = s.opt.BindDualStack(t.Port), true
	}
	return plan{runs: []func(context.Context){run}, judge: func(_ *session, f *analyzer.Finding) {
		live := &analyzer.Live{Evidence: []analyzer.Evidence{}}
		f.Live = live
		v6 := net.JoinHostPort("::", strconv.Itoa(r.Port))
		v4 := net.JoinHostPort("0.0.0.0", strconv.Itoa(r.Port))
		switch {
		case !done:
			live.Status, live.Summary = "inconclusive", "the live-mode deadline passed before the bind test"
		case r.V6 != nil:
			live.Status = "inconclusive"
			live.Summary = fmt.Sprintf("this host cannot open a dual-stack IPv6 socket (%s): %s", v6, errText(r.V6))
			live.Evidence = append(live.Evidence, analyzer.Evidence{Address: v6, Result: string(Failed)})
		case errors.Is(r.V4, syscall.EADDRINUSE):
			live.Status = "confirmed"
			live.Summary = fmt.Sprintf("with %s bound and ipv6only off, binding %s failed with \"address already in use\": this "+
				"kernel maps IPv4 into the dual-stack socket, so nginx's bind of the IPv4 listen on port %d fails the same way",
				v6, v4, t.Port)
			live.Evidence = append(live.Evidence, analyzer.Evidence{Address: v6, Result: string(Bound)},
				analyzer.Evidence{Address: v4, Result: string(InUse)})
		case r.V4 == nil:
			live.Status = "refuted"
			live.Summary = fmt.Sprintf("%s bound beside a dual-stack %s on this host: the kernel keeps IPv4 apart, so nginx "+
				"binds both listens of port %d", v4, v6, t.Port)
			live.Evidence = append(live.Evidence, analyzer.Evidence{Address: v6, Result: string(Bound)},
				analyzer.Evidence{Address: v4, Result: string(Bound)})
		default:
			live.Status = "inconclusive"
			live.Summary = fmt.Sprintf("%s bound, but %s failed otherwise: %s", v6, v4, errText(r.V4))
			live.Evidence = append(live.Evidence, analyzer.Evidence{Address: v6, Result: string(Bound)},
				analyzer.Evidence{Address: v4, Result: string(Failed)})
		}
	}}
}
