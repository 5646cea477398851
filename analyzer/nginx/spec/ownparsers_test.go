package spec

import "testing"

// Every directive with an own parser is one of the table's, and none has
// a generic kind too (the rule would read it twice).
func TestOwnParsersAreTableDirectives(t *testing.T) {
	keys := []argKey{}
	for k := range ownParsers {
		keys = append(keys, k)
	}
	for k := range versionedParsers {
		keys = append(keys, k)
	}
	for _, k := range keys {
		if len(Lookup(k.name)) == 0 {
			t.Errorf("%s is not in the directive table", k.name)
		}
		if ArgTypeOf(k.name, k.family) != nil {
			t.Errorf("%s (%q) has a generic kind as well", k.name, k.family)
		}
	}
}

// ngx_inet_addr's reading, checked with nginx -t as allow values.
func TestInetAddr(t *testing.T) {
	for s, want := range map[string]bool{
		"10.0.0.1": true, "1..2.3": true, "0.0.0.0": true, "255.255.255.254": true,
		"255.255.255.255": false, "256.0.0.1": false, "1.2.3": false, "1.2.3.4.5": false, "a.b.c.d": false, "": false,
	} {
		if got := inetAddr(s); got != want {
			t.Errorf("inetAddr(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestTimeSeconds(t *testing.T) {
	for s, want := range map[string]int64{"15h30m": 15*3600 + 30*60, "25h": 25 * 3600, "1d 2h": 26 * 3600, "90": 90, "1w": 7 * 86400} {
		if got := timeSeconds(s); got != want {
			t.Errorf("timeSeconds(%q) = %d, want %d", s, got, want)
		}
	}
}
