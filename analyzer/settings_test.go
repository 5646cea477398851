package analyzer_test

import (
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

func TestSettingsNginxVersion(t *testing.T) {
	var none *analyzer.Settings
	if none.Nginx() != spec.Latest || (&analyzer.Settings{}).Nginx() != spec.Latest {
		t.Error("no version is not the newest stable release")
	}
	if v := (&analyzer.Settings{NginxVersion: "1.24.0"}).Nginx(); v != (spec.Version{Major: 1, Minor: 24}) {
		t.Errorf("1.24.0 read as %v", v)
	}
}

// Third-party directives declared in .ngxlint.yml (nginx.directives)
// reach rules through the pass's settings.
func TestSettingsKnowDeclaredDirectives(t *testing.T) {
	st := &analyzer.Settings{NginxVersion: "1.24.0", Directives: []string{"vhost_traffic_status_zone"}}
	for name, want := range map[string]bool{"proxy_pass": true, "vhost_traffic_status_zone": true, "vhost_traffic_status": false} {
		if got := st.KnownDirective(name); got != want {
			t.Errorf("KnownDirective(%s) = %t, want %t", name, got, want)
		}
	}
	if (&analyzer.Settings{}).KnownDirective("vhost_traffic_status_zone") {
		t.Error("undeclared third-party directive known")
	}
	// HasDirective also asks the configured release.
	has := func(st *analyzer.Settings, name string) bool {
		c := nginx.Parse(source.NewFile("t.conf", "", source.KindNginx, []byte(name+" on;\n")))
		return st.HasDirective(c.Directives[0])
	}
	for name, want := range map[string]bool{"http2": false, "ssl": true, "vhost_traffic_status_zone": true, "vhost_traffic_status": false, "proxy_pass": true} {
		if got := has(st, name); got != want {
			t.Errorf("HasDirective(%s) at 1.24.0 = %t, want %t", name, got, want)
		}
	}
	if !has(&analyzer.Settings{NginxVersion: "1.25.1"}, "http2") {
		t.Error("http2 is in 1.25.1")
	}
	// A directive built by hand (no number stored) answers the same.
	if !st.HasDirective(&nginx.Directive{Name: "ssl"}) || st.HasDirective(&nginx.Directive{Name: "http2"}) {
		t.Error("a hand-made directive is looked up by its name")
	}
}
