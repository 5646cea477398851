package live_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/live"
	"github.com/ngxlint/ngxlint/rules/connectivity"
)

func dualStackConf(port int) string {
	p := strconv.Itoa(port)
	return "events {}\nhttp {\n    server {\n        listen [::]:" + p + " ipv6only=off;\n        server_name a.example;\n    }\n" +
		"    server {\n        listen " + p + ";\n        server_name b.example;\n    }\n}\n"
}

func dualStackLive(t *testing.T, port int, bind func(int) live.DualStack) analyzer.Finding {
	t.Helper()
	ws := load(t, "nginx.conf", dualStackConf(port))
	fs, errs := analyzer.Run(ws, []*analyzer.Rule{connectivity.ListenDualStackConflict}, nil)
	if len(errs) > 0 || len(fs) != 1 {
		t.Fatalf("static run: %+v %v", fs, errs)
	}
	fs = live.Check(context.Background(), ws, fs, live.Options{BindDualStack: bind})
	if fs[0].Live == nil {
		t.Fatalf("no live result: %+v", fs[0])
	}
	return fs[0]
}

// hasIPv6 says whether this host can open an IPv6 socket at all.
func hasIPv6() bool {
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		return false
	}
	_ = ln.Close()
	return true
}

// On this host's kernel: Linux maps IPv4 into a dual-stack socket, so the
// second bind fails and the finding is confirmed (inconclusive without
// IPv6).
func TestDualStackProbeOnThisKernel(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the expected answer is Linux's")
	}
	var tested int
	f := dualStackLive(t, 80, func(port int) live.DualStack {
		tested = port
		return live.DualStackBind(port)
	})
	if tested != 80 {
		t.Fatalf("the probe asked to test port %d, want the configured 80", tested)
	}
	if !hasIPv6() {
		if f.Live.Status != "inconclusive" {
			t.Fatalf("without IPv6: %+v", f.Live)
		}
		return
	}
	if f.Live.Status != "confirmed" || !strings.Contains(f.Live.Summary, "this kernel maps IPv4 into the dual-stack socket") {
		t.Fatalf("live: %+v", f.Live)
	}
	if len(f.Live.Evidence) != 2 || f.Live.Evidence[0].Result != "bound" || f.Live.Evidence[1].Result != "in-use" {
		t.Fatalf("evidence: %+v", f.Live.Evidence)
	}
	// Port 80 is privileged: the test ran on another port.
	if strings.HasSuffix(f.Live.Evidence[0].Address, ":80") {
		t.Errorf("the probe bound the privileged port: %+v", f.Live.Evidence)
	}
}

// DualStackBind tests a free unprivileged port itself, and another one
// when it is taken; it never binds a privileged one.
func TestDualStackBindPorts(t *testing.T) {
	if runtime.GOOS != "linux" || !hasIPv6() {
		t.Skip("needs Linux with IPv6")
	}
	r := live.DualStackBind(443)
	if r.Port == 443 || r.Port < 1024 {
		t.Errorf("privileged 443: tested port %d", r.Port)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	busy := ln.Addr().(*net.TCPAddr).Port
	free := freePort(t)
	_ = ln.Close()
	ln, err = net.Listen("tcp4", "0.0.0.0:"+strconv.Itoa(busy))
	if err != nil {
		t.Skip("port taken meanwhile")
	}
	defer func() { _ = ln.Close() }()
	if r := live.DualStackBind(busy); r.Port == busy || r.V6 != nil || !errors.Is(r.V4, syscall.EADDRINUSE) {
		t.Errorf("busy port %d: %+v", busy, r)
	}
	if r := live.DualStackBind(free); r.Port != free || r.V6 != nil || !errors.Is(r.V4, syscall.EADDRINUSE) {
		t.Errorf("free port %d: %+v", free, r)
	}
}

// Each answer of the bind test gives its status.
func TestDualStackProbeStatuses(t *testing.T) {
	for _, tc := range []struct {
		name   string
		r      live.DualStack
		status string
		says   string
	}{
		{"mapped", live.DualStack{Port: 40000, V4: &net.OpError{Op: "listen", Err: syscall.EADDRINUSE}}, "confirmed",
			"with [::]:40000 bound and ipv6only off, binding 0.0.0.0:40000 failed"},
		{"apart", live.DualStack{Port: 40000}, "refuted", "0.0.0.0:40000 bound beside a dual-stack [::]:40000"},
		{"no ipv6", live.DualStack{Port: 0, V6: &net.OpError{Op: "listen", Err: syscall.EAFNOSUPPORT}}, "inconclusive",
			"this host cannot open a dual-stack IPv6 socket"},
		{"other", live.DualStack{Port: 40000, V4: fmt.Errorf("listen: %w", syscall.EPERM)}, "inconclusive", "failed otherwise"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := dualStackLive(t, 8080, func(int) live.DualStack { return tc.r })
			if f.Live.Status != tc.status || !strings.Contains(f.Live.Summary, tc.says) {
				t.Fatalf("live: %+v", f.Live)
			}
			if (tc.status == "refuted") != (f.Severity == analyzer.Info) {
				t.Errorf("status %s, severity %s", tc.status, f.Severity)
			}
		})
	}
}
