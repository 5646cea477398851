//go:build unix

package fix

import (
	"os"
	"syscall"
)

type owner struct {
	uid, gid int
	links    uint64
}

// ownerOf reads a file's owner, group and link count.
func ownerOf(fi os.FileInfo) (owner, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return owner{links: 1}, false
	}
	// Nlink is 32 bits wide on some platforms.
	return owner{uid: int(st.Uid), gid: int(st.Gid), links: uint64(st.Nlink)}, true //nolint:unconvert
}
