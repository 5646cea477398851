package practice

import (
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// The findings of this family's newer rules point at the word that is
// wrong (the value) or at the directive that is misplaced. Columns are
// 1-based; the end is exclusive.
func TestExactSpans(t *testing.T) {
	cases := []struct {
		name          string
		rule          *analyzer.Rule
		conf          string
		line, col, to int32
	}{
		{"proxy_buffering value", ProxyBufferingOff,
			"events {}\nhttp {\n    server {\n        location /a/ { proxy_buffering  off; proxy_pass http://b; }\n    }\n}\n", 4, 41, 44},
		{"merge_slashes value", MergeSlashesOn, "events {}\nhttp {\n    merge_slashes on;\n}\n", 3, 19, 21},
		{"try_files name", TryFilesWithoutCache,
			"events {}\nhttp {\n    server {\n        location / { try_files $uri =404; }\n    }\n}\n", 4, 22, 31},
		{"quic_bpf value", QUICBPFWithoutReuseport, "quic_bpf on;\nevents {}\nhttp { server { listen 443 quic; } }\n", 1, 10, 12},
		{"root inside location /", RootOnlyInLocation,
			"events {}\nhttp {\n    server {\n        location / { root /srv; }\n        location /s/ { expires 1d; }\n    }\n}\n", 4, 22, 26},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := sharedtest.Tree(t, map[string]string{"nginx.conf": c.conf})
			ws, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{WorkDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			fs, errs := analyzer.RunWith(ws, []*analyzer.Rule{c.rule}, All(), nil)
			for _, e := range errs {
				t.Error(e)
			}
			if len(fs) != 1 {
				t.Fatalf("want one finding, got %d: %v", len(fs), fs)
			}
			sp := fs[0].Span
			if sp.Start.Line != c.line || sp.Start.Col != c.col || sp.End.Col != c.to {
				t.Errorf("span %d:%d-%d, want %d:%d-%d (%s)", sp.Start.Line, sp.Start.Col, sp.End.Col,
					c.line, c.col, c.to, fs[0].Message)
			}
		})
	}
}
