package rules_test

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/rules"
)

// corpusFindings lints every file of ../shared/corpus as one workspace
// (includes between them resolved) with every rule, and returns the
// findings by rule name, keyed by corpus-relative file.
func corpusFindings(t *testing.T) (map[string]map[string]int, []string) {
	t.Helper()
	root := sharedtest.Path(t, "corpus")
	var paths []string
	for _, sub := range []string{"nginx", "elasticsearch"} {
		err := filepath.WalkDir(filepath.Join(root, sub), func(p string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				paths = append(paths, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	ws, err := analyzer.Load(paths, analyzer.LoadOptions{WorkDir: root})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	all, err := analyzer.Select(rules.All(), []string{"all"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	findings, errs := analyzer.Run(ws, all, rules.All())
	for _, e := range errs {
		t.Errorf("rule failed on the corpus: %v", e)
	}
	byRule := map[string]map[string]int{}
	for _, f := range findings {
		if f.Span.Start.Line < 1 || f.Span.Start.Col < 1 {
			t.Errorf("%s: finding without a position: %s", f.Span.File, f.Message)
		}
		if byRule[f.Rule.Name] == nil {
			byRule[f.Rule.Name] = map[string]int{}
		}
		key := f.Span.File
		if f.Severity == analyzer.Info {
			key += " (info)"
		}
		byRule[f.Rule.Name][key]++
	}
	return byRule, paths
}

// TestCorpus holds the real-world corpus to precision: every file loads,
// and each rule fires exactly where it should.
func TestCorpus(t *testing.T) {
	byRule, paths := corpusFindings(t)
	if len(paths) < 400 {
		t.Fatalf("only %d corpus files found", len(paths))
	}

	// upstream-localhost against an independent oracle: the corpus's own
	// regex flags (FEATURES.tsv), which were made without ngxlint.
	flagged := featureFiles(t, "upstream_server_localhost", "pass_to_localhost")
	got := map[string]bool{}
	for file := range byRule["upstream-localhost"] {
		got[file] = true
	}
	for file := range flagged {
		if !got[file] {
			t.Errorf("upstream-localhost missed %s (FEATURES.tsv flags it)", file)
		}
	}
	for file := range got {
		if !flagged[file] {
			t.Errorf("upstream-localhost fired on %s, which FEATURES.tsv does not flag", file)
		}
	}

	// Syntax errors only in files that are broken on purpose or by accident
	// of copying, each with its reason.
	expectOnly(t, byRule, "nginx-syntax", map[string]string{
		"nginx/certbot__certbot/tree/certbot/src/certbot/_internal/tests/plugins/nginx/testdata/etc_nginx/broken.conf": "certbot's deliberately broken fixture",
		"nginx/nginxinc__crossplane/tree/tests/configs/missing-semicolon/broken-above.conf":                            "crossplane's missing-semicolon fixture",
		"nginx/nginxinc__crossplane/tree/tests/configs/quote-behavior/nginx.conf":                                      "crossplane's quoting fixture: nginx requires a space after a closing quote",
		"nginx/tristcoil__hanabira.org/nginx__hanabira.org_production":                                                 "a pasted shell prompt line at the end",
	})
	expectOnly(t, byRule, "yaml-syntax", map[string]string{
		"elasticsearch/AllenKings__elasticsearch-cluster/config__elasticsearch.yml": "passwords masked as unquoted *...*",
	})
	expectOnly(t, byRule, "es-duplicate-key", map[string]string{
		"elasticsearch/kingkongapps__opensearch-install/config__opensearch.yml": "the security demo block appended twice",
	})
	expectOnly(t, byRule, "include-error", nil)
	expectOnly(t, byRule, "es-key-collision", nil)
	expectOnly(t, byRule, "es-list-shape", nil)
	expectOnly(t, byRule, "bad-suppression", nil)
	expectOnly(t, byRule, "es-loopback-only", map[string]string{
		"elasticsearch/elastic__examples/Miscellaneous__docker__full_stack_example__config__elasticsearch__elasticsearch.yml": "no bind setting at all",
		"elasticsearch/kingkongapps__opensearch-install/config__opensearch.yml":                                               "no bind setting at all",
		"elasticsearch/7thsense__docker-elasticsearch-ecs/config__elasticsearch.yml (info)":                                   "pre-5.0 settings: version unknown",
		"elasticsearch/18F__docker-elasticsearch/config__elasticsearch.yml (info)":                                            "pre-5.0 settings: version unknown",
	})
	expectOnly(t, byRule, "es-custom-http-port", map[string]string{
		"elasticsearch/Changoh__elasticsearch-korean/config__elasticsearch.yml (info)": "http.port: 9222",
	})
	expectOnly(t, byRule, "upstream-unused", map[string]string{
		"nginx/nginxinc__NGINX-Demos/random-files__nginx.conf (info)":                                  "upstream example, kept for compatibility, named by no pass",
		"nginx/nginxinc__nginx-go-crossplane/tree/testdata/configs/large-config/nginx.conf.kld (info)": "a parser fixture: 300 upstreams and no proxy_pass at all",
	})
	expectOnly(t, byRule, "duplicate-default-server", nil)
	expectOnly(t, byRule, "scheme-port-mismatch", nil)
	expectOnly(t, byRule, "upstream-no-primary", map[string]string{
		"nginx/nginxinc__NGINX-Demos/nginx-gcp-meetup-demo__nginxplus__udp.conf (info)": "NGINX Plus: a zoned upstream filled through the API",
		"nginx/nginxinc__NGINX-Demos/random-files__nginx.conf (info)":                   "NGINX Plus: a zoned upstream filled through the API",
		"nginx/nginxinc__crossplane/tree/tests/configs/lua-block-tricky/nginx.conf":     "a parser fixture: an empty upstream that nginx would reject",
	})

	// Every finding read by hand: each is a level whose add_header stops
	// outer lines that the level does not set again.
	expectOnly(t, byRule, "add-header-dropped", map[string]string{
		"nginx/RendaZhang__nginx-conf/tree/sites-available/rendazhang.conf":                         "three locations set Cache-Control and lose the server's HSTS and CSP",
		"nginx/h5bp__server-configs-nginx/tree/h5bp/location/web_performance_svgz-compression.conf": "the svgz location re-includes most security snippets but not X-Frame-Options",
		"nginx/lasseh__nginx-conf/tree/sites-available/api-gateway.example.com.conf":                "preflight and caching if blocks lose the security-headers snippet",
		"nginx/lasseh__nginx-conf/tree/sites-available/docker-compose.conf":                         "a preflight if block loses the security headers",
		"nginx/lasseh__nginx-conf/tree/sites-available/example-site.com.conf":                       "an if block and a location lose security and CORS headers",
		"nginx/lasseh__nginx-conf/tree/sites-available/load-balancer.conf":                          "a preflight if block loses the security headers",
		"nginx/lasseh__nginx-conf/tree/snippets/security-headers.conf":                              "included in locations, it drops their servers' CORS headers and the admin CSP",
		"nginx/mastodon__mastodon/dist__nginx.conf (info)":                                          "static locations drop X-Cached of the proxying location",
		"nginx/lynt-smitka__WP-nginx-config/tree/common":                                            "a location's Cache-Control drops the wordpress snippet's security headers",
		"nginx/lynt-smitka__WP-nginx-config/tree/production":                                        "likewise",
		"nginx/jitsi__jitsi-meet/doc__debian__jitsi-meet__jitsi-meet.example":                       "two locations lose the server's HSTS",
		"nginx/parkr__nginx-conf/tree/sites-available/byparker.com":                                 "the static-files location re-sets X-Konklone-Force-HTTPS but loses HSTS",
		"nginx/parkr__nginx-conf/tree/sites-available/gossip.parkermoo.re":                          "likewise",
		"nginx/parkr__nginx-conf/tree/sites-available/load.parkermoo.re":                            "likewise",
		"nginx/parkr__nginx-conf/tree/sites-available/parkermoo.re":                                 "likewise",
		"nginx/parkr__nginx-conf/tree/sites-available/stash.byparker.com":                           "likewise",
		"nginx/zulip__zulip/puppet__zulip__files__nginx__zulip-include-frontend__app (info)":        "a nested location's Cache-Control drops the static location's CORS header",
	})

	// A missing include is a warning only where the corpus copied a file
	// without the files it includes; nowhere else.
	for file := range byRule["include-not-found"] {
		if strings.HasSuffix(file, " (info)") {
			continue
		}
		if !strings.Contains(file, "/tree/") || strings.Contains(file, "Fleshgrinder__nginx-configuration") || strings.Contains(file, "certbot__certbot") {
			continue // single files or partial trees: their includes were not copied
		}
		t.Errorf("include-not-found warning in a complete tree: %s", file)
	}
}

// expectOnly fails when rule fired on a file outside want (file -> reason)
// or did not fire on a file in want.
func expectOnly(t *testing.T, byRule map[string]map[string]int, rule string, want map[string]string) {
	t.Helper()
	var extra, missing []string
	for file := range byRule[rule] {
		if _, ok := want[file]; !ok {
			extra = append(extra, file)
		}
	}
	for file := range want {
		if byRule[rule][file] == 0 {
			missing = append(missing, file)
		}
	}
	sort.Strings(extra)
	sort.Strings(missing)
	for _, f := range extra {
		t.Errorf("%s fired unexpectedly on %s", rule, f)
	}
	for _, f := range missing {
		t.Errorf("%s did not fire on %s (%s)", rule, f, want[f])
	}
}

// featureFiles returns the corpus files whose FEATURES.tsv flags include
// any of the given flags.
func featureFiles(t *testing.T, flags ...string) map[string]bool {
	t.Helper()
	f, err := os.Open(sharedtest.Path(t, "corpus", "FEATURES.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 3 {
			continue
		}
		for _, fl := range strings.Split(cols[2], ",") {
			for _, want := range flags {
				if fl == want {
					out[cols[0]] = true
				}
			}
		}
	}
	return out
}

// BenchmarkCorpus lints the whole corpus (about 1 MB, 440 files).
func BenchmarkCorpus(b *testing.B) {
	root := sharedtest.Path(b, "corpus")
	var paths []string
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && (strings.Contains(p, "/nginx/") || strings.Contains(p, "/elasticsearch/")) {
			paths = append(paths, p)
		}
		return err
	})
	for b.Loop() {
		ws, err := analyzer.Load(paths, analyzer.LoadOptions{WorkDir: root})
		if err != nil {
			b.Fatal(err)
		}
		analyzer.Run(ws, rules.All(), rules.All())
	}
}
