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
