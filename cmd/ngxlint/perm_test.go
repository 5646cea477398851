//go:build linux

package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// asUnprivileged runs the calling test in a copy of the test binary as
// user nobody when the tests run as root (root ignores permissions, which
// these tests are about). It returns true in the process that should run
// the test body.
func asUnprivileged(t *testing.T) bool {
	t.Helper()
	if os.Getuid() != 0 {
		return true
	}
	if os.Getenv("NGXLINT_TEST_NOBODY") == "1" {
		t.Fatal("still root after dropping privileges")
	}
	self, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	dir, err := os.MkdirTemp("", "ngxlint-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	copyBin := filepath.Join(dir, "test.bin")
	in, err := os.Open(self)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(copyBin, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(copyBin, "-test.run=^"+t.Name()+"$", "-test.v")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NGXLINT_TEST_NOBODY=1", "HOME="+dir, "TMPDIR=/tmp")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	b, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(b), "--- PASS: "+t.Name()) {
		t.Fatalf("as nobody: %v\n%s", err, b)
	}
	return false
}

// TestPermissionErrorsNameTheCause: an unreadable subfolder used to abort
// a folder lint naming the top folder; an include behind a folder without
// search permission was "not found", and a glob there matched nothing.
func TestPermissionErrorsNameTheCause(t *testing.T) {
	if !asUnprivileged(t) {
		return
	}
	dir := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("tree/a.conf", "events {}\n")
	write("tree/private/b.conf", "events {}\n")
	write("locked/x.conf", "events {}\n")
	write("sealed/y.conf", "events {}\n")
	write("main/nginx.conf", "include ../locked/x.conf;\ninclude ../locked/*.conf;\ninclude ../sealed/*.conf;\n")
	// locked can be listed but not searched; private and sealed neither.
	for d, mode := range map[string]os.FileMode{"tree/private": 0, "locked": 0o600, "sealed": 0} {
		if err := os.Chmod(filepath.Join(dir, d), mode); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(filepath.Join(dir, d), 0o755) })
	}

	code, _, errOut := ngx(t, "", "lint", filepath.Join(dir, "tree"))
	if code != 2 || !strings.Contains(errOut, filepath.Join(dir, "tree", "private")+": permission denied") {
		t.Errorf("unreadable subfolder: exit %d, %q", code, errOut)
	}
	code, out, _ := ngx(t, "", "lint", "--format", "json", filepath.Join(dir, "main", "nginx.conf"))
	if code != 1 || strings.Count(out, "permission denied") != 3 || strings.Contains(out, "not found") {
		t.Errorf("includes behind a locked folder: exit %d\n%s", code, out)
	}
}

// TestErrorLogIsBounded: --error-log /dev/zero used to run forever and a
// FIFO with no writer blocked the run. Reading is now bounded by size and
// by --live-deadline, and what was left unread is noted.
func TestErrorLogIsBounded(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte("events {}\nhttp { upstream u { server 127.0.0.1:9; } }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "error.log")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	lint := func(args ...string) (int, string) {
		done := make(chan struct{})
		var code int
		var errOut string
		go func() {
			defer close(done)
			code, _, errOut = ngx(t, "", append([]string{"lint", "--live-deadline", "1s"}, args...)...)
		}()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("%v: still reading after 20 s", args)
		}
		return code, errOut
	}
	if code, errOut := lint("--error-log", "/dev/zero", conf); code != 0 || !strings.Contains(errOut, "read only its first 256 MiB") {
		t.Errorf("/dev/zero: exit %d, %q", code, errOut)
	}
	if code, errOut := lint("--error-log", fifo, conf); code != 0 || errOut != "" {
		t.Errorf("FIFO with no writer: exit %d, %q", code, errOut)
	}
	// A writer that holds the FIFO open and never writes: the deadline.
	// (A reader of our own first, so that the writer can open at once.)
	hold, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Close()
	writer, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	code, errOut := lint("--error-log", fifo, conf)
	if code != 0 || !strings.Contains(errOut, "stopped reading at --live-deadline") {
		t.Errorf("silent FIFO: exit %d, %q", code, errOut)
	}
}
