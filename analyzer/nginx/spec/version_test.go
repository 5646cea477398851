package spec

import "testing"

func TestResolveVersion(t *testing.T) {
	if v, err := ResolveVersion(""); err != nil || v != Latest {
		t.Errorf(`ResolveVersion("") = %v, %v; want Latest %v`, v, err, Latest)
	}
	if Latest.Minor%2 != 0 || Newest.Less(Latest) {
		t.Errorf("Latest %v is not a stable release at or before Newest %v", Latest, Newest)
	}
	if v, err := ResolveVersion("1.25.1"); err != nil || v != (Version{1, 25, 1}) {
		t.Errorf("1.25.1: %v, %v", v, err)
	}
	// A branch is its newest release: 1.24.0 was the only 1.24.
	if v, err := ResolveVersion("1.24"); err != nil || v != (Version{1, 24, 0}) {
		t.Errorf("1.24: %v, %v", v, err)
	}
	// 1.25.6 was never released (1.25.5 was the last of the branch), nor
	// any 0.10 (0.9 led to 1.0).
	for _, bad := range []string{"1.25.6", "0.10", "8", "x"} {
		if v, err := ResolveVersion(bad); err == nil {
			t.Errorf("%s accepted as %v", bad, v)
		}
	}
	future := Version{Newest.Major, Newest.Minor + 2, 0}
	if v, err := ResolveVersion(future.String()); err != nil || v != future {
		t.Errorf("a release newer than the table: %v, %v", v, err)
	}
}

func TestReleases(t *testing.T) {
	rs := Releases()
	if len(rs) < 500 || rs[0] != (Version{0, 1, 0}) || rs[len(rs)-1] != Newest {
		t.Fatalf("%d releases from %v to %v", len(rs), rs[0], rs[len(rs)-1])
	}
	for i := 1; i < len(rs); i++ {
		if !rs[i-1].Less(rs[i]) {
			t.Errorf("releases out of order at %v, %v", rs[i-1], rs[i])
		}
	}
	if !IsRelease(Version{1, 9, 5}) || IsRelease(Version{1, 9, 99}) {
		t.Error("IsRelease")
	}
}

func TestKnown(t *testing.T) {
	extra := []string{"vhost_traffic_status_zone"}
	for name, want := range map[string]bool{
		"proxy_pass": true, "ssl": true, "content_by_lua_block": true,
		"vhost_traffic_status_zone": true, "no_such_directive": false,
	} {
		if got := Known(name, extra); got != want {
			t.Errorf("Known(%s) = %t, want %t", name, got, want)
		}
	}
	if Known("vhost_traffic_status_zone", nil) {
		t.Error("an undeclared third-party directive is known")
	}
}

func TestInContextAt(t *testing.T) {
	server := []string{"http", "server"}
	has := func(v Version, name string) bool {
		for _, d := range InContextAt(server, v) {
			if d.Name == name {
				return true
			}
		}
		return false
	}
	old, cur := Version{1, 24, 0}, Version{1, 25, 1}
	if has(old, "http2") || !has(cur, "http2") || !has(old, "ssl") || has(cur, "ssl") {
		t.Error("server completion ignores the version")
	}
	if !has(old, "server_name") || has(old, "proxy_pass") {
		t.Error("server completion: wrong context")
	}
}
