//go:build unix

package live

import "syscall"

// setV6Only sets IPV6_V6ONLY on a socket, as nginx's ipv6only parameter does.
func setV6Only(fd uintptr, on bool) error {
	v := 0
	if on {
		v = 1
	}
	return syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IPV6, syscall.IPV6_V6ONLY, v)
}
