package nginx

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzSplitDump: any input splits without a panic; a dump is what IsDump
// says it is; every file has an absolute path named once and content that
// is a piece of the input, the pieces in input order without overlap.
// Seeds live in testdata/fuzz/FuzzSplitDump.
func FuzzSplitDump(f *testing.F) {
	f.Add([]byte("# configuration file /etc/nginx/nginx.conf:\nevents {}\n\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		files := SplitDump(src)
		if (files != nil) != IsDump(src) {
			t.Fatalf("IsDump %v but SplitDump gave %d files", IsDump(src), len(files))
		}
		seen := map[string]bool{}
		from := 0
		for _, df := range files {
			if !strings.HasPrefix(df.Path, "/") || seen[df.Path] {
				t.Fatalf("path %q: not absolute or named twice", df.Path)
			}
			seen[df.Path] = true
			if len(df.Src) == 0 {
				continue
			}
			i := bytes.Index(src[from:], df.Src)
			if i < 0 {
				t.Fatalf("%s: content %q is not a piece of the input after offset %d", df.Path, df.Src, from)
			}
			from += i + len(df.Src)
		}
	})
}
