//go:build linux

package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// newFIFO makes a FIFO that nothing writes to: opening it to read blocks.
func newFIFO(t *testing.T) string {
	t.Helper()
	fifo := filepath.Join(t.TempDir(), "fifo.conf")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	return fifo
}

// within runs fn and fails the test if it has not returned in time.
func within[T any](t *testing.T, what string, fn func() T) T {
	t.Helper()
	done := make(chan T, 1)
	go func() { done <- fn() }()
	select {
	case v := <-done:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("%s did not return", what)
		panic("unreachable")
	}
}

// A device or a FIFO named on the command line counts for nothing and is
// never read: the estimate runs before the loader refuses them.
func TestInputEstimateSpecialFiles(t *testing.T) {
	fifo := newFIFO(t)
	got := within(t, "the estimate", func() int64 { return inputEstimate([]string{"/dev/zero", fifo}, 1<<20) })
	if got != 0 {
		t.Errorf("estimate %d, want 0", got)
	}
}

// fmt refuses a device or a FIFO at once, as lint does, instead of
// reading /dev/zero for ever or waiting on the FIFO.
func TestFmtSpecialFiles(t *testing.T) {
	fifo := newFIFO(t)
	for path, what := range map[string]string{"/dev/zero": "is a device", fifo: "is a FIFO"} {
		got := within(t, "fmt "+path, func() string {
			code, _, errs := ngx(t, "", "fmt", "--check", path)
			return fmt.Sprintf("%d %s", code, errs)
		})
		if !strings.HasPrefix(got, "2 ") || !strings.Contains(got, what+", not a regular file") {
			t.Errorf("fmt %s: %s", path, got)
		}
	}
}

// The files ngxlint reads for itself, .ngxlint.yml and a baseline, are
// refused at once when they are a device or a FIFO.
func TestConfigAndBaselineSpecialFiles(t *testing.T) {
	fifo := newFIFO(t)
	for _, args := range [][]string{
		{"lint", "--config", "/dev/zero", example},
		{"lint", "--config", fifo, example},
		{"lint", "--baseline", "/dev/zero", example},
		{"lint", "--baseline", fifo, example},
	} {
		got := within(t, strings.Join(args, " "), func() string {
			code, _, errs := ngx(t, "", args...)
			return fmt.Sprintf("%d %s", code, errs)
		})
		if !strings.HasPrefix(got, "2 ") || !strings.Contains(got, "not a regular file") {
			t.Errorf("%v: %s", args, got)
		}
	}
}
