package pcre_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/pcre"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// regexArg is one regex that nginx would compile, found in a config.
type regexArg struct {
	where    string // file:line
	from     string // directive name ("map" for a map key)
	pattern  string
	caseless bool
}

// corpusRegexes returns every regex of every nginx file in the corpus.
func corpusRegexes(t *testing.T) []regexArg {
	t.Helper()
	root := sharedtest.Path(t, "corpus", "nginx")
	var out []regexArg
	for _, f := range sharedtest.Files(t, "corpus", "nginx") {
		rel, _ := filepath.Rel(root, f.Path)
		c := nginx.Parse(source.NewFile(rel, f.Path, source.KindNginx, f.Src))
		nginx.Walk(c, func(d *nginx.Directive) bool {
			// a directive cut short by a syntax error holds fragments
			if d.Terminated {
				for _, r := range nginx.Regexes(d) {
					from := d.Name
					if d.Parent != nil && d.Parent.Name == "map" {
						from = "map"
					}
					out = append(out, regexArg{r.Arg.Span().String(), from, r.Pattern, r.CaseInsensitive})
				}
			}
			return true
		})
	}
	return out
}

// TestCorpus parses every regex of the corpus. A regex we reject must be
// one PCRE2 rejects too (checked with grep -P when it is there); a regex
// we accept must be one PCRE2 accepts (nginx -t, or grep -P without it).
func TestCorpus(t *testing.T) {
	all := corpusRegexes(t)
	if len(all) < 100 {
		t.Fatalf("only %d regexes found in the corpus; the extraction is broken", len(all))
	}
	pcre2 := pcre.GrepP(t)
	// with nginx at hand, one nginx -t confirms every accepted regex at
	// once (below); grep, a process per regex, is then kept for rejections
	_, nginxErr := exec.LookPath("nginx")
	withNginx := nginxErr == nil || os.Getenv(sharedtest.ToolsEnv) == "1"
	counts := map[string]int{}
	var ok, rejected, nested int
	for _, ra := range all {
		counts[ra.from]++
		r, err := pcre.Parse(ra.pattern, ra.caseless)
		if err != nil {
			var e *pcre.Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > len(ra.pattern) {
				t.Errorf("%s: %q: bad error %#v", ra.where, ra.pattern, err)
			}
			if pcre2 == nil {
				t.Errorf("%s: %s %q: %v (grep -P is not available to confirm PCRE2 rejects it)", ra.where, ra.from, ra.pattern, err)
				continue
			}
			if perr := pcre2(ra.pattern); perr == "" {
				t.Errorf("%s: %s %q: we report %v; PCRE2 accepts it", ra.where, ra.from, ra.pattern, err)
				continue
			} else {
				t.Logf("%s: %s %q: rejected, as by PCRE2 (%s): %v", ra.where, ra.from, ra.pattern, perr, err)
			}
			rejected++
			continue
		}
		ok++
		if pcre2 != nil && !withNginx {
			if perr := pcre2(ra.pattern); perr != "" {
				t.Errorf("%s: %s %q: we accept it; PCRE2 says %s", ra.where, ra.from, ra.pattern, perr)
			}
		}
		if qs := r.NestedQuantifiers(); len(qs) > 0 {
			nested++
			t.Logf("%s: %s %q: exponential backtracking in %q", ra.where, ra.from, ra.pattern, ra.pattern[qs[0].Offset:qs[0].End])
		}
	}
	// nginx itself compiles every regex we accept
	if withNginx {
		check := pcre.NginxT(t)
		for _, ci := range []bool{false, true} {
			var set []string
			for _, ra := range all {
				if _, err := pcre.Parse(ra.pattern, ra.caseless); err == nil && ra.caseless == ci && !strings.ContainsAny(ra.pattern, "\n\x00") {
					set = append(set, ra.pattern)
				}
			}
			if msg := check(0, set, ci); msg != "" {
				t.Errorf("nginx refuses a corpus regex we accept: %s", msg)
			}
		}
	}
	var froms []string
	for k, v := range counts {
		froms = append(froms, k+"="+itoa(v))
	}
	sort.Strings(froms)
	t.Logf("%d regexes (%s): %d parsed, %d rejected as PCRE2 does, %d with nested quantifiers",
		len(all), strings.Join(froms, " "), ok, rejected, nested)
}

func itoa(n int) string {
	var b []byte
	for {
		b = append([]byte{byte('0' + n%10)}, b...)
		if n /= 10; n == 0 {
			return string(b)
		}
	}
}
