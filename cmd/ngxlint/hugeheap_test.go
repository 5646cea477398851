package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInputEstimate(t *testing.T) {
	dir := t.TempDir()
	write := func(rel string, n int) string {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.Repeat("#", n)), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	main := write("etc/nginx.conf", 100)
	if err := os.WriteFile(main, []byte("include conf.d/*.conf;"+strings.Repeat("#", 78)), 0o644); err != nil {
		t.Fatal(err)
	}
	alone := write("etc/conf.d/vhost.conf", 70) // includes nothing
	write("etc/conf.d/a.conf", 1000)
	write("etc/conf.d/b.conf", 2000)
	other := write("other/x.yml", 50)
	write("etc/.git/objects/pack", 1<<20) // hidden: not counted

	cases := []struct {
		name     string
		paths    []string
		enough   int64
		min, max int64 // the guess's bounds
	}{
		// A file counts with its folder: what it includes lives there.
		{"main file and its includes", []string{main}, 1 << 20, 3170, 3170},
		{"two folders", []string{main, other}, 1 << 20, 3220, 3220},
		{"a folder named twice counts once", []string{main, filepath.Join(dir, "etc")}, 1 << 20, 3170, 3170},
		// A file that includes nothing counts alone, whatever its folder holds.
		{"a file without include", []string{alone}, 1 << 20, 70, 70},
		{"standard input and a missing path count for nothing", []string{"-", filepath.Join(dir, "missing.conf")}, 1 << 20, 0, 0},
		// The walk stops once the guess is large enough, short of the
		// whole folder.
		{"stops early", []string{main}, 1, 1, 3169},
	}
	for _, c := range cases {
		if got := inputEstimate(c.paths, c.enough); got < c.min || got > c.max {
			t.Errorf("%s: %d, want %d to %d", c.name, got, c.min, c.max)
		}
	}
}
