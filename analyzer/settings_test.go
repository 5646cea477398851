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
	if st.HasDirective("http2") || !st.HasDirective("ssl") || !st.HasDirective("vhost_traffic_status_zone") {
		t.Error("HasDirective ignores the version or the declarations")
	}
	if !(&analyzer.Settings{NginxVersion: "1.25.1"}).HasDirective("http2") {
		t.Error("http2 is in 1.25.1")
	}
	// HasDirectiveOf answers the same for a parsed directive.
	for _, name := range []string{"http2", "ssl", "vhost_traffic_status_zone", "vhost_traffic_status", "proxy_pass"} {
		c := nginx.Parse(source.NewFile("t.conf", "", source.KindNginx, []byte(name+" on;\n")))
		if got, want := st.HasDirectiveOf(c.Directives[0]), st.HasDirective(name); got != want {
			t.Errorf("%s: HasDirectiveOf %t, HasDirective %t", name, got, want)
		}
	}
}
