package hugeheap

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

func advise(b []byte) error { return syscall.Madvise(b, syscall.MADV_HUGEPAGE) }

// readSystem fills in what the policy reads from the kernel.
func readSystem(in *Inputs) {
	if b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled"); err == nil {
		in.THP = string(b)
	}
	if b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/defrag"); err == nil {
		in.Defrag = string(b)
	}
	if b, err := os.ReadFile("/proc/sys/vm/overcommit_memory"); err == nil {
		in.Overcommit = string(b)
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &lim); err == nil && lim.Cur != ^uint64(0) {
		in.AddressLimit = lim.Cur
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		in.MemTotal = memTotal(b)
	}
}

// memTotal reads the MemTotal line of /proc/meminfo ("MemTotal: 24596 kB"),
// 0 when there is none.
func memTotal(meminfo []byte) uint64 {
	for line := range bytes.Lines(meminfo) {
		rest, ok := bytes.CutPrefix(line, []byte("MemTotal:"))
		if !ok {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) != 2 || string(f[1]) != "kB" {
			return 0
		}
		kb, err := strconv.ParseUint(string(f[0]), 10, 64)
		if err != nil {
			return 0
		}
		return kb << 10
	}
	return 0
}
