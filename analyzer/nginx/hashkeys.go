package nginx

import "strings"

// HostKeys returns the keys under which nginx files a host name in a hash
// that takes wildcards (ngx_hash_add_key with NGX_HASH_WILDCARD_KEY: map
// with hostnames, valid_referers, server_names): two names collide, and
// nginx refuses to start with "conflicting parameter", when they share a
// key. Case does not matter. "*.x" is a head wildcard, "x.*" a tail one,
// and ".x" is both the exact name x and the head wildcard *.x. ok is false
// for a name nginx refuses as an "invalid hostname or wildcard": two '*',
// a '*' elsewhere than those places, "..", or a NUL byte.
func HostKeys(name string) (keys []string, ok bool) {
	stars := strings.Count(name, "*")
	if stars > 1 || strings.Contains(name, "..") || strings.IndexByte(name, 0) >= 0 {
		return nil, false
	}
	lower := strings.ToLower(name)
	switch {
	case len(name) > 1 && name[0] == '.':
		return []string{"=" + lower[1:], "head:" + lower[1:]}, true
	case len(name) > 2 && strings.HasPrefix(name, "*."):
		return []string{"head:" + lower[2:]}, true
	case len(name) > 2 && strings.HasSuffix(name, ".*"):
		return []string{"tail:" + lower[:len(lower)-2]}, true
	case stars > 0:
		return nil, false
	}
	return []string{"=" + lower}, true
}
