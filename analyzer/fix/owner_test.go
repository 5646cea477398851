//go:build unix

package fix

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestWriteFileKeepsOwnerAndSetIDBits: run as root on a file owned by
// another user, --fix used to leave it owned by root, and the set-id bits
// were dropped.
func TestWriteFileKeepsOwnerAndSetIDBits(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	uid, gid := os.Getuid(), os.Getgid()
	if uid == 0 {
		uid, gid = 4242, 4343 // any other user: root may give files away
		if err := os.Chown(path, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(path, 0o640|os.ModeSetgid); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("old\n"), []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	if int(st.Uid) != uid || int(st.Gid) != gid {
		t.Errorf("owner %d:%d, want %d:%d", st.Uid, st.Gid, uid, gid)
	}
	if fi.Mode()&(os.ModePerm|os.ModeSetgid) != 0o640|os.ModeSetgid {
		t.Errorf("mode %v", fi.Mode())
	}
}

// TestWriteFileRefusesHardLinks: a rename would split the links, leaving
// the other name with the old text without a word.
func TestWriteFileRefusesHardLinks(t *testing.T) {
	dir := t.TempDir()
	path, other := filepath.Join(dir, "a.conf"), filepath.Join(dir, "b.conf")
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(path, other); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(path, []byte("old\n"), []byte("new\n"))
	if err == nil || !strings.Contains(err.Error(), "has 2 hard links") {
		t.Fatalf("err = %v", err)
	}
	for _, p := range []string{path, other} {
		if b, _ := os.ReadFile(p); string(b) != "old\n" {
			t.Errorf("%s: %q", p, b)
		}
	}
}

// TestWriteFileReadOnlyFolder: the error names the file and its folder,
// not the temporary file that could not be created.
func TestWriteFileReadOnlyFolder(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.conf")
	want := "permission denied"
	if os.Getuid() == 0 {
		// Root writes in read-only folders; a name with no room for the
		// temporary suffix makes the same failure.
		path, want = filepath.Join(dir, strings.Repeat("n", 250)), "file name too long"
	}
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })
	err := WriteFile(path, []byte("old\n"), []byte("new\n"))
	if err == nil || strings.Contains(err.Error(), ".ngxlint-") || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "in "+dir) {
		t.Fatalf("err = %v", err)
	}
}
