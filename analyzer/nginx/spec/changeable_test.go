package spec

import (
	"strings"
	"testing"
)

func TestChangeable(t *testing.T) {
	for _, tt := range []struct {
		name, family string
		want         bool
	}{
		{"args", "http", true}, {"limit_rate", "http", true}, {"ssl_server_name", "stream", true},
		{"remote_addr", "http", false}, {"scheme", "http", false}, {"server_port", "stream", false},
		{"http_x_custom", "http", true},    // of the $http_ prefix family
		{"http_user_agent", "http", false}, // a variable of its own, not of the family
	} {
		v := LookupVariableIn(tt.name, tt.family)
		if v == nil {
			t.Fatalf("no %s variable %s", tt.family, tt.name)
		}
		if got := v.Changeable(); got != tt.want {
			t.Errorf("%s $%s: Changeable() = %v, want %v", tt.family, tt.name, got, tt.want)
		}
	}
	// every entry names a variable the table knows, in its family
	for key := range changeable {
		fam, name, _ := strings.Cut(key, " ")
		if v := LookupVariableIn(name, fam); v == nil || v.Name != name {
			t.Errorf("changeable lists %q, which the table does not have", key)
		}
	}
}
