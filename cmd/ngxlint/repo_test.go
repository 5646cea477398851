package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// No compiled program is tracked: `go build` run on a generator or tool
// package leaves one behind, and twice one was committed by accident.
func TestNoBinariesTracked(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("git", "-C", root, "ls-files", "-z").Output()
	if err != nil {
		t.Skipf("not a git checkout here (%v): nothing to check", err)
	}
	n := 0
	for _, name := range bytes.Split(bytes.TrimSuffix(out, []byte{0}), []byte{0}) {
		f, err := os.Open(filepath.Join(root, string(name)))
		if err != nil {
			continue // deleted in the work tree
		}
		head := make([]byte, 4)
		k, _ := f.Read(head)
		_ = f.Close()
		n++
		if bytes.Equal(head[:k], []byte("\x7fELF")) {
			t.Errorf("%s is a compiled program: remove it (git rm) and add it to .gitignore", name)
		}
	}
	if n < 100 {
		t.Fatalf("only %d tracked files read", n)
	}
}
