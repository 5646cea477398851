package vars

import (
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
)

// Every variable spec lists has a row saying what it holds, and every row
// names a variable spec or extraVars knows.
func TestTableCoversSpec(t *testing.T) {
	known := map[string]bool{}
	for _, v := range spec.Variables() {
		known[v.Name] = true
		if _, ok := builtinProps[v.Name]; !ok {
			t.Errorf("$%s (%s) has no row in builtinProps", v.Name, v.Module)
		}
	}
	for _, v := range extraVars {
		if known[v.Name] {
			t.Errorf("$%s is in extraVars but spec lists it now: drop it from extraVars", v.Name)
		}
		known[v.Name] = true
	}
	for name := range builtinProps {
		if !known[name] {
			t.Errorf("builtinProps row %q names no known variable", name)
		}
	}
}

func TestLookupBuiltin(t *testing.T) {
	cases := []struct {
		name, family string
		module       string
		props        Props
	}{
		{"http_x_token", "http", "ngx_http_core_module", Client | Slash},
		{"host", "", "ngx_http_core_module", Client},
		{"uri", "http", "ngx_http_core_module", Client | Slash | CRLF},
		{"arg_id", "http", "ngx_http_core_module", Client | Slash},
		{"status", "http", "ngx_http_core_module", Number},
		{"gzip_ratio", "http", "ngx_http_gzip_filter_module", Number},
		{"bytes_received", "stream", "ngx_stream_core_module", Number},
		{"jwt_claim_sub", "http", "ngx_http_auth_jwt_module", Unknown},
		{"sent_http_content_type", "http", "ngx_http_core_module", Upstream | Slash},
	}
	for _, c := range cases {
		v, p := LookupBuiltin(c.name, c.family)
		if v == nil {
			t.Errorf("$%s: not found", c.name)
			continue
		}
		if v.Module != c.module || p != c.props {
			t.Errorf("$%s: %s %v, want %s %v", c.name, v.Module, p, c.module, c.props)
		}
	}
	for _, name := range []string{"nosuch", "arg", "http", "gzip_ratio"} {
		fam := "http"
		if name == "gzip_ratio" {
			fam = "stream" // an http module's variable
		}
		if v, _ := LookupBuiltin(name, fam); v != nil {
			t.Errorf("$%s in %s: found %s", name, fam, v.Module)
		}
	}
}

func TestJoin(t *testing.T) {
	cases := []struct{ a, b, want Props }{
		{Number, Number, Number},
		{Number, Client, Client},
		{Client | Number, Number, Client | Number},
		{Client | Number, Slash, Client | Slash},
		{Number, Unknown, Unknown},
		{CRLF, Number | Unknown, CRLF | Unknown},
	}
	for _, c := range cases {
		if got := Join(c.a, c.b); got != c.want {
			t.Errorf("Join(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
		}
		if got := Join(c.b, c.a); got != c.want {
			t.Errorf("Join(%v, %v) = %v, want %v (not symmetric)", c.b, c.a, got, c.want)
		}
	}
	if !Unknown.May(CRLF) || Client.May(CRLF) || !(Client | Slash).Has(Slash) {
		t.Error("May/Has")
	}
}

func TestAvailableIn(t *testing.T) {
	v := func(s string) spec.Version {
		x, err := spec.ParseVersion(s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	b, p := LookupBuiltin("request_id", "http") // since 1.11.0
	val := Value{Origin: Builtin, Builtin: b, Props: p}
	if val.AvailableIn(v("1.10.3")) || !val.AvailableIn(v("1.11.0")) || !val.AvailableIn(spec.Latest) {
		t.Errorf("$request_id since %v", b.Since)
	}
	b, _ = LookupBuiltin("spdy", "http") // removed in 1.9.5
	val = Value{Origin: Builtin, Builtin: b}
	if !val.AvailableIn(v("1.9.4")) || val.AvailableIn(v("1.9.5")) {
		t.Errorf("$spdy until %v", b.Until)
	}
	if !(Value{Origin: Set}).AvailableIn(v("0.1.0")) {
		t.Error("a set variable is always there")
	}
}
