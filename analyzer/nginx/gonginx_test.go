package nginx

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

// The blocks of one file are joined on several goroutines at once, each
// parsed outside the file's lock, and every directive gets the view a
// join one block at a time gives it; a whole-file join racing with them
// (GonginxErr) leaves the whole file's views, as it always did.
func TestConcurrentJoinsOfOneFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("http {\n")
	for i := range 200 {
		fmt.Fprintf(&b, "    upstream u%d {\n        server 10.0.%d.1:80 weight=%d max_fails=2;\n        server b%d backup;\n    }\n", i, i%250, i%9+1, i)
		fmt.Fprintf(&b, "    server {\n        listen %d;\n        location /%d { proxy_pass http://u%d; }\n    }\n", 8000+i, i, i)
	}
	b.WriteString("}\n")
	src := []byte(b.String())
	parse := func() *Config { return Parse(source.NewFile("f.conf", "", source.KindNginx, src)) }
	views := func(c *Config) []string {
		var out []string
		Walk(c, func(d *Directive) bool { out = append(out, describe(d.Node())); return true })
		return out
	}
	want := views(parse()) // one block at a time, in walk order

	for _, whole := range []bool{false, true} {
		c := parse()
		var dirs []*Directive
		Walk(c, func(d *Directive) bool { dirs = append(dirs, d); return true })
		// What each call returned, while the others were joining.
		seen := make([][]string, 8)
		var wg sync.WaitGroup
		for g := range 8 {
			seen[g] = make([]string, len(dirs))
			wg.Go(func() {
				for i := range dirs { // each goroutine in its own order
					k := (i*7 + g*131) % len(dirs)
					seen[g][k] = describe(dirs[k].Node())
				}
			})
		}
		if whole {
			wg.Go(func() { _ = c.GonginxErr() })
		}
		wg.Wait()
		got := views(c)
		if whole {
			want = views(wholeJoined(t, src))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("whole-file join racing: %v; %s: %s, want %s", whole, dirs[i].Span(), got[i], want[i])
			}
			for g := range seen {
				if seen[g][i] != want[i] {
					t.Fatalf("whole-file join racing: %v; %s: goroutine %d was handed %s, want %s", whole, dirs[i].Span(), g, seen[g][i], want[i])
				}
			}
		}
		if len(c.joining) != 0 {
			t.Errorf("blocks still marked as being joined: %d", len(c.joining))
		}
	}
}

// wholeJoined parses src and joins it as a whole file first.
func wholeJoined(t *testing.T, src []byte) *Config {
	c := Parse(source.NewFile("f.conf", "", source.KindNginx, src))
	if err := c.GonginxErr(); err != nil {
		t.Fatal(err)
	}
	return c
}
