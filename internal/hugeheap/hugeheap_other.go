//go:build !linux

package hugeheap

func advise([]byte) error { return nil }

// readSystem leaves THP empty: only Linux has a madvise mode.
func readSystem(*Inputs) {}
