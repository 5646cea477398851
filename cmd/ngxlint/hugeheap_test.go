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
	write("etc/conf.d/a.conf", 1000)
	write("etc/conf.d/b.conf", 2000)
	other := write("other/x.yml", 50)
	write("etc/.git/objects/pack", 1<<20) // hidden: not counted

	cases := []struct {
		name   string
		paths  []string
		enough int64
		want   int64
	}{
		// A file counts with its folder: what it includes lives there.
		{"main file and its includes", []string{main}, 1 << 20, 3100},
		{"two folders", []string{main, other}, 1 << 20, 3150},
		{"a folder named twice counts once", []string{main, filepath.Join(dir, "etc")}, 1 << 20, 3100},
		{"standard input and a missing path count for nothing", []string{"-", filepath.Join(dir, "missing.conf")}, 1 << 20, 0},
		// The walk stops once the guess is large enough.
		{"stops early", []string{main}, 1, 1},
	}
	for _, c := range cases {
		got := inputEstimate(c.paths, c.enough)
		if c.name == "stops early" {
			if got < c.enough || got >= 3100 {
				t.Errorf("%s: %d, want at least %d and less than the whole folder", c.name, got, c.enough)
			}
			continue
		}
		if got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}
