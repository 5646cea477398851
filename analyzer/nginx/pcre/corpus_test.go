package pcre_test

import (
	"errors"
	"io/fs"
	"os"
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

// regexesOf lists the regexes of one directive as nginx reads them.
func regexesOf(d *nginx.Directive) []regexArg {
	var out []regexArg
	add := func(from, p string, ci bool) {
		out = append(out, regexArg{d.Span.String(), from, p, ci})
	}
	// tilde reads "~re" or "~*re" (ok false without the tilde).
	tilde := func(s string) (string, bool, bool) {
		if !strings.HasPrefix(s, "~") {
			return "", false, false
		}
		s = s[1:]
		if strings.HasPrefix(s, "*") {
			return s[1:], true, true
		}
		return s, false, true
	}
	args := make([]string, len(d.Args))
	for i, a := range d.Args {
		args[i] = a.Value
	}
	if d.Parent != nil && d.Parent.Name == "map" {
		if p, ci, ok := tilde(d.Name); ok {
			add("map", p, ci)
		}
		return out
	}
	switch d.Name {
	case "location":
		switch {
		case len(args) == 2 && (args[0] == "~" || args[0] == "~*"):
			add(d.Name, args[1], args[0] == "~*")
		case len(args) == 1:
			if p, ci, ok := tilde(args[0]); ok {
				add(d.Name, p, ci)
			}
		}
	case "if":
		// nginx strips the '(' of the first word and the ')' of the last,
		// quoted or not
		if len(args) == 0 || !strings.HasPrefix(args[0], "(") || !strings.HasSuffix(args[len(args)-1], ")") {
			return nil
		}
		args[0] = args[0][1:]
		if args[0] == "" {
			args = args[1:]
		}
		if len(args) == 0 {
			return nil
		}
		last := len(args) - 1
		args[last] = args[last][:len(args[last])-1]
		if args[last] == "" && len(args) != 3 {
			args = args[:last]
		}
		if len(args) == 3 {
			switch args[1] {
			case "~", "!~":
				add(d.Name, args[2], false)
			case "~*", "!~*":
				add(d.Name, args[2], true)
			}
		}
	case "rewrite", "fastcgi_split_path_info":
		if len(args) > 0 {
			add(d.Name, args[0], false)
		}
	case "server_name", "valid_referers":
		for _, a := range args {
			if p, _, ok := tilde(a); ok {
				add(d.Name, p, true)
			}
		}
	case "gzip_disable":
		for _, a := range args {
			if a != "msie6" && a != "degradation" {
				add(d.Name, a, true)
			}
		}
	case "proxy_redirect", "proxy_cookie_path", "proxy_cookie_domain":
		if len(args) > 0 {
			if p, ci, ok := tilde(args[0]); ok {
				add(d.Name, p, ci)
			}
		}
	}
	return out
}

// corpusRegexes returns every regex of every nginx file in the corpus.
func corpusRegexes(t *testing.T) []regexArg {
	t.Helper()
	root := sharedtest.Path(t, "corpus", "nginx")
	var out []regexArg
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		c := nginx.Parse(source.NewFile(rel, path, source.KindNginx, src))
		nginx.Walk(c, func(d *nginx.Directive) bool {
			// a directive cut short by a syntax error holds fragments
			if d.Terminated {
				out = append(out, regexesOf(d)...)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCorpus parses every regex of the corpus. A regex we reject must be
// one PCRE2 rejects too (checked with grep -P when it is there); a regex
// we accept must be one PCRE2 accepts.
func TestCorpus(t *testing.T) {
	all := corpusRegexes(t)
	if len(all) < 100 {
		t.Fatalf("only %d regexes found in the corpus; the extraction is broken", len(all))
	}
	pcre2 := pcre.GrepP(t)
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
		if pcre2 != nil {
			if perr := pcre2(ra.pattern); perr != "" {
				t.Errorf("%s: %s %q: we accept it; PCRE2 says %s", ra.where, ra.from, ra.pattern, perr)
			}
		}
		if qs := r.NestedQuantifiers(); len(qs) > 0 {
			nested++
			t.Logf("%s: %s %q: exponential backtracking in %q", ra.where, ra.from, ra.pattern, ra.pattern[qs[0].Offset:qs[0].End])
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
