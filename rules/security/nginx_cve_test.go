package security

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
)

func TestNginxCVEByVersion(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "nginx.conf")
	conf := "events {}\nhttp {\n    resolver 10.0.0.2;\n    server {\n        listen 443 quic reuseport;\n        listen 443 ssl;\n" +
		"        location /v/ { mp4; }\n    }\n}\n"
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	ws, err := analyzer.Load([]string{path}, analyzer.LoadOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	rule := []*analyzer.Rule{NginxCVE}
	for _, tc := range []struct {
		version string
		given   bool
		want    []string // the first CVE of each finding
	}{
		{"1.20.0", true, []string{"CVE-2021-23017", "CVE-2022-41741", "CVE-2024-7347", "CVE-2026-27784"}},
		{"1.20.1", true, []string{"CVE-2022-41741", "CVE-2024-7347", "CVE-2026-27784"}},
		{"1.22.1", true, []string{"CVE-2024-7347", "CVE-2026-27784"}},
		{"1.25.3", true, []string{"CVE-2024-24989", "CVE-2024-31079", "CVE-2024-7347", "CVE-2026-27784", "CVE-2026-40460", "CVE-2026-42530"}},
		{"1.26.0", true, []string{"CVE-2024-31079", "CVE-2024-7347", "CVE-2026-27784", "CVE-2026-40460", "CVE-2026-42530"}},
		{"1.31.3", true, nil},
		{"1.20.0", false, nil}, // not given: silent
	} {
		fs, errs := analyzer.RunWith(ws, rule, rule, &analyzer.Settings{NginxVersion: tc.version, NginxVersionGiven: tc.given})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		var got []string
		for _, f := range fs {
			got = append(got, regexp.MustCompile(`CVE-\d+-\d+`).FindString(f.Message))
		}
		sort.Strings(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s given=%v: %q, want %q", tc.version, tc.given, got, tc.want)
		}
	}
}

// TestCVETableMatchesChangeLog re-reads docs/xml/nginx/changes.xml at the
// nginx release tags of the mirror (when there is one, as for the
// directive table's generator) and checks each entry's fixed releases.
func TestCVETableMatchesChangeLog(t *testing.T) {
	root := os.Getenv("NGXLINT_SPEC_SOURCES")
	if root == "" {
		t.Skip("set NGXLINT_SPEC_SOURCES to the folder of the mirrors to check the CVE table against nginx's change log")
	}
	repo := filepath.Join(root, "nginx+nginx", "repo")
	if _, err := os.Stat(repo); err != nil || testing.Short() {
		t.Skipf("no nginx mirror at %s: the CVE table is checked where the directive table is generated", repo)
	}
	fixedIn := map[string][]string{}
	block := regexp.MustCompile(`(?s)<changes ver="([0-9.]+)"[^>]*>(.*?)</changes>`)
	for _, v := range spec.Releases() {
		if v.Less(spec.Version{Major: 1, Minor: 9}) {
			continue
		}
		out, err := exec.Command("git", "-C", repo, "show", "release-"+v.String()+":docs/xml/nginx/changes.xml").Output()
		if err != nil {
			continue
		}
		for _, m := range block.FindAllStringSubmatch(string(out), -1) {
			for _, id := range regexp.MustCompile(`CVE-\d{4}-\d{4,5}`).FindAllString(m[2], -1) {
				if !slices.Contains(fixedIn[id], m[1]) {
					fixedIn[id] = append(fixedIn[id], m[1])
				}
			}
		}
	}
	for _, e := range cveTable {
		for _, id := range e.ids {
			got := fixedIn[id]
			sort.Strings(got)
			want := append([]string(nil), e.fixed...)
			sort.Strings(want)
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s: the change log says fixed in %q, the table %q", id, got, want)
			}
		}
	}
}
