package elastic

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

// FuzzParse: Parse must never panic (not even a panic it recovers from)
// and every span must lie inside the file. Seeds live in
// testdata/fuzz/FuzzParse; a few more are added here.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"", "a: 1\n", "http:\n  port: 9200\n", "a: [x, {b: c}]\n", "a: |\n  # x\n", "a: \"é\\\"😀\" # c\n",
		"a:\n\tb: 1\n", "- a\n", "a: &x 1\nb: *x\n", "a: 1\n---\nb: 2\n", "network.host: \"_site_, _lo_\"\n",
	} {
		f.Add([]byte(seed))
	}
	// Long lines and deep nesting: position lookups once walked the line
	// for every value, and yaml.v3 reports its depth error unpositioned.
	hosts := make([]string, 4000)
	for i := range hosts {
		hosts[i] = fmt.Sprintf("h%dé", i)
	}
	f.Add([]byte("discovery.seed_hosts: [" + strings.Join(hosts, ", ") + "]\n"))
	f.Add([]byte("x: [" + strings.Repeat("{a: b}, ", 2000) + "]\n"))
	f.Add([]byte("a: " + strings.Repeat("[", 10050) + strings.Repeat("]", 10050) + "\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		s := Parse(source.NewFile("elasticsearch.yml", "", source.KindElastic, src))
		checkBounds(t, s)
		if s.HTTPPort.Err == "" && !s.HTTPPort.Placeholder && len(s.HTTPPort.Ranges) == 0 {
			t.Fatalf("HTTPPort has neither ranges nor an explanation: %+v", s.HTTPPort)
		}
		for _, d := range s.Diagnostics {
			if strings.Contains(d.Message, product) {
				t.Fatalf("unnamed product in %q", d.Message)
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	var sb strings.Builder
	// A large but realistic file: unique keys, flat and nested, comments.
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&sb, "# section %d\ncluster%d.name: \"prod-cluster\"\nnetwork%d:\n  host: [_local_, _site_]\n", i, i, i)
		fmt.Fprintf(&sb, "http%d.port: 9200-9300 # ports\nxpack%d.security.http.ssl:\n  enabled: true\n  key: |\n    line\n", i, i)
	}
	src := []byte(sb.String())
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		Parse(source.NewFile("elasticsearch.yml", "", source.KindElastic, src))
	}
}
