package vars_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/vars"
)

// parse loads one configuration text as a main file.
func parse(t *testing.T, name, text string) (*nginx.Config, *vars.Index) {
	t.Helper()
	l := &nginx.Loader{}
	c := l.AddSource(name, "", []byte(text))
	l.Resolve()
	return c, vars.Build(l.Configs())
}

// describe renders a Value as the testdata files spell it:
// "origin props [nogroup] [from=a,b]".
func describe(v vars.Value) string {
	s := v.Origin.String() + " " + v.Props.String()
	if v.NoGroup {
		s += " nogroup"
	}
	if len(v.From) > 0 {
		s += " from=" + strings.Join(v.From, ",")
	}
	return s
}

var wantRe = regexp.MustCompile(`#\s*want\s+(.*)$`)

// TestCases reads testdata/*.conf: a line ending in
// `# want $name origin props ...; $other ...` says what the last
// directive starting on that line sees for each variable.
func TestCases(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.conf")
	if len(files) < 4 {
		t.Fatalf("found %d case files", len(files))
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			c, ix := parse(t, file, string(src))
			if len(c.Diagnostics) > 0 {
				t.Fatalf("syntax: %v", c.Diagnostics[0].Message)
			}
			byLine := map[int]*nginx.Directive{}
			nginx.Walk(c, func(d *nginx.Directive) bool {
				byLine[int(d.NameSpan().Start.Line)] = d
				return true
			})
			checked := 0
			for i, line := range strings.Split(string(src), "\n") {
				m := wantRe.FindStringSubmatch(line)
				if m == nil {
					continue
				}
				d := byLine[i+1]
				if d == nil {
					t.Errorf("%s:%d: no directive on the line", file, i+1)
					continue
				}
				for _, w := range strings.Split(m[1], ";") {
					w = strings.TrimSpace(w)
					name, want, _ := strings.Cut(w, " ")
					got := describe(ix.At(d, c.Sites()[0], strings.TrimPrefix(name, "$")))
					if got != want {
						t.Errorf("%s:%d: %s is %q, want %q", file, i+1, name, got, want)
					}
					checked++
				}
			}
			if checked == 0 {
				t.Error("no want comments")
			}
		})
	}
}
