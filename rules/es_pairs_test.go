package rules_test

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/rules"
)

// The cross-file cases issue 12 asks for, each an nginx configuration and
// a node's settings in one folder, linted with every rule: the XC rules
// that fire must be exactly the expected ones, and the node rules named
// in absent must stay silent.
func TestElasticPairs(t *testing.T) {
	for _, c := range []struct {
		dir    string
		xc     []string
		absent []string
	}{
		// nginx -> 127.0.0.1:9200 while the node sets http.port: 9250.
		{"custom_http_port", []string{"xc-port-mismatch"}, nil},
		// nginx http:// while xpack.security.http.ssl.enabled: true.
		{"http_to_https", []string{"xc-scheme-mismatch"}, nil},
		// an upstream on 10.0.0.5:9200 while network.host is unset.
		{"lan_upstream_unset_bind", []string{"xc-bind-mismatch"}, nil},
		// the same, with a compose file that sets network.host=0.0.0.0: no
		// bind finding; the image (8.13) has security on, which nginx does
		// not authenticate to (info).
		{"compose_opens_node", []string{"xc-no-credentials"}, []string{"es-loopback-only", "es-discovery-not-configured"}},
		// a correct pair.
		{"correct_pair", nil, nil},
	} {
		t.Run(c.dir, func(t *testing.T) {
			ws, err := analyzer.Load([]string{filepath.Join("../testdata/es-pairs", c.dir)}, analyzer.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			all, err := analyzer.Select(rules.All(), []string{"all"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			findings, errs := analyzer.Run(ws, all, rules.All())
			for _, e := range errs {
				t.Error(e)
			}
			got := map[string]bool{}
			var xc []string
			for _, f := range findings {
				got[f.Rule.Name] = true
				if strings.HasPrefix(f.Rule.ID, "XC") {
					xc = append(xc, f.Rule.Name)
					if len(f.Related) == 0 || !strings.HasSuffix(f.Related[0].Span.File, "elasticsearch.yml") || !strings.HasSuffix(f.Span.File, "nginx.conf") {
						t.Errorf("%s: want the finding in nginx.conf with the settings line related: %+v", f.Rule.Name, f)
					}
				}
			}
			sort.Strings(xc)
			if strings.Join(xc, ",") != strings.Join(c.xc, ",") {
				t.Errorf("cross-file findings %v; want %v", xc, c.xc)
			}
			for _, name := range c.absent {
				if got[name] {
					t.Errorf("%s fired", name)
				}
			}
		})
	}
}
