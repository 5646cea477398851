package main

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// lint --live probes the node of each settings file on this host: here a
// port nothing listens on (loopback only).
func TestLiveNodeProbe(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	yml := filepath.Join(t.TempDir(), "elasticsearch.yml")
	src := "network.host: 127.0.0.1\nhttp.port: " + strconv.Itoa(port) + "\ntransport.port: " + strconv.Itoa(port+1) + "\n"
	if err := os.WriteFile(yml, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, errs := ngx(t, "", "lint", "--live", "--format", "json", yml)
	fs := named(findings(t, out), "es-node-unreachable")
	if len(fs) != 1 || fs[0].Line != 2 || fs[0].Severity != "error" {
		t.Fatalf("es-node-unreachable %+v; stderr %s\n%s", fs, errs, out)
	}
	_, out, _ = ngx(t, "", "lint", "--live", "--disable", "es-node-unreachable", "--format", "json", yml)
	if n := len(named(findings(t, out), "es-node-unreachable")); n != 0 {
		t.Errorf("disabled: %d findings", n)
	}
}
