//go:build unix

package main

import (
	"os"
	"syscall"
)

// openLog opens an error log without blocking: opening a FIFO waits for a
// writer unless O_NONBLOCK is given, and a non-blocking file is one Go's
// poller can put a read deadline on.
func openLog(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
