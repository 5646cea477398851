package security

import (
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// The trusted-domain and https-only options add findings only when set.
func TestOriginRegexOptions(t *testing.T) {
	conf := `events {}
http {
    server {
        listen 80;
        if ($http_origin ~* ^https?://(www\.)?example\.org(:[0-9]+)?$) { set $a 1; }
        if ($http_origin ~* ^https://api\.example\.com$) { set $b 1; }
    }
}
`
	dir := sharedtest.Tree(t, map[string]string{"nginx.conf": conf})
	ws, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		opts map[string]any
		want []string
	}{
		{nil, nil},
		{map[string]any{"domains": []string{"example.com"}}, []string{"accepts example.org, which is not among"}},
		{map[string]any{"https-only": true}, []string{"accepts http:// as well"}},
	} {
		s := &analyzer.Settings{}
		if tc.opts != nil {
			s.Options = map[string]map[string]any{OriginRegex.Name: tc.opts}
		}
		fs, errs := analyzer.RunWith(ws, []*analyzer.Rule{OriginRegex}, All(), s)
		for _, e := range errs {
			t.Error(e)
		}
		if len(fs) != len(tc.want) {
			t.Fatalf("options %v: %d findings %v, want %d", tc.opts, len(fs), fs, len(tc.want))
		}
		for i, w := range tc.want {
			if !strings.Contains(fs[i].Message, w) || fs[i].Span.Start.Line != 5 {
				t.Errorf("options %v: finding %q at line %d, want %q at line 5", tc.opts, fs[i].Message, fs[i].Span.Start.Line, w)
			}
		}
	}
}

func TestPatternHost(t *testing.T) {
	for pat, want := range map[string]string{
		`^https://(www\.)?example\.com(:[0-9]+)?$`: "example.com",
		`^https://api\.Example\.com/`:              "api.example.com",
		`^https://[a-z]+$`:                         "",
		`(casino|poker)`:                           "",
	} {
		if got := patternHost(pat); got != want {
			t.Errorf("patternHost(%s) = %q, want %q", pat, got, want)
		}
	}
}
