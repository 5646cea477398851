package vars_test

import "testing"

func TestDefinedFold(t *testing.T) {
	_, ix := parse(t, "nginx.conf", "events {} http { map $uri $Mapped { default 1; } server { set $MyVar 1; } }")
	for _, name := range []string{"myvar", "MYVAR", "mapped", "HOST", "Request_Uri"} {
		if !ix.DefinedFold(name, "http") {
			t.Errorf("DefinedFold(%q) = false, want true", name)
		}
	}
	for _, name := range []string{"myvar2", "PUBLIC_DOMAIN"} {
		if ix.DefinedFold(name, "http") {
			t.Errorf("DefinedFold(%q) = true, want false", name)
		}
	}
	if ix.DefinedFold("myvar", "stream") {
		t.Error("a variable set in http is not defined in stream")
	}
}
