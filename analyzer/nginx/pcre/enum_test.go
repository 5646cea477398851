package pcre

import (
	"bufio"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// pcre2Compiler builds testdata/pcre2c/compile.c against the machine's
// libpcre2-8 (the library grep -P and nginx use) and returns its path.
func pcre2Compiler(t *testing.T) string {
	t.Helper()
	gcc := sharedtest.Tool(t, "gcc")
	bin := filepath.Join(t.TempDir(), "compile")
	out, err := exec.Command(gcc, "-O2", "-o", bin, filepath.Join("testdata", "pcre2c", "compile.c"), "-l:libpcre2-8.so.0").CombinedOutput()
	if err != nil {
		msg := "cannot build the PCRE2 harness (libpcre2-8.so.0 missing?): " + string(out)
		if os.Getenv(sharedtest.ToolsEnv) == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return bin
}

// TestEnumeratedAgainstPCRE2 compiles every pattern of up to a few
// tokens, for several token sets, with PCRE2 itself and with Parse, and
// wants the same verdict (compiles, or not) for each: about 1.1 million
// patterns, deterministic where FuzzPCRE2 samples. Where PCRE2 releases
// differ, the parser's lenience is excused as in FuzzPCRE2.
func TestEnumeratedAgainstPCRE2(t *testing.T) {
	bin := pcre2Compiler(t)
	sets := []struct {
		depth  int
		tokens string
	}{
		{3, `a ( ) ? * + { } [ ] ^ $ \ . | : = ! < > ' & # - , 0 1 9 E Q K k g P p x R C N (? (* \p{ [: :] VERSION \Q \E`},
		{5, `[ ] - a z \Q \E ^ \d [: :] alpha \\`},
		{4, `( ) ? a | (? : < = ! > * + {1} {1,2} (?| (?< (?P< (?& (?R) (?1) (?-1)`},
		{4, `\x \x{ \o{ \N{U+ } 1 7 f 0 \c ? @ [ \g{ \k< \8 \0`},
		{4, `(?x) (?xx) (?i) (?-x) (?^) (?^-i) # [ ] a - ( ) { 1 } ?`},
		{4, `(*ACCEPT) (*FAIL) (*MARK: (*: (*UTF) (*CR) (*LIMIT_MATCH= (*SKIP) 1 a ) ( |`},
		{4, `(?( (?(R (?(R1 (?(< (?(' (?(DEFINE (?(?= (?(1 a ) | > ' 0 VERSION>=1`},
		{4, "(?C (?C1) (?C256) (?C\"x\") (?C{x}) (?C`x` ) a \" ` { } 9 (?C%"},
		// lookbehinds around conditional groups and alternatives
		{4, "(?<! (?<= (?(?!) (?(?=a) (?(1) (?(R) ( ) a ab | (?:"},
		// UTF mode: a broken sequence, code points, surrogates
		{4, "(*UTF) \xc3 \xa9 a [ ] - " + `\x{100} \x{d800} \o{154000} \N{U+41} \N{U+d800} \N{U+110000} \N{2}`},
	}
	for _, set := range sets {
		tokens := strings.Fields(set.tokens)
		var patterns []string
		var gen func(prefix string, n int)
		gen = func(prefix string, n int) {
			if prefix != "" {
				patterns = append(patterns, prefix)
			}
			if n > 0 {
				for _, tk := range tokens {
					gen(prefix+tk, n-1)
				}
			}
		}
		gen("", set.depth)
		verdicts := compileAll(t, bin, patterns)
		bad := 0
		for i, pat := range patterns {
			pcre2OK := verdicts[i] == "OK"
			re, err := Parse(pat, false)
			if pcre2OK == (err == nil) || err == nil && versionDependent(re, verdicts[i]) {
				continue
			}
			if bad++; bad <= 20 {
				t.Errorf("%q: Parse says %v; PCRE2 says %s", pat, err, verdicts[i])
			}
		}
		t.Logf("%d patterns of up to %d of %d tokens: %d disagree", len(patterns), set.depth, len(tokens), bad)
	}
}

// compileAll returns PCRE2's verdict on each pattern, in order.
func compileAll(t *testing.T, bin string, patterns []string) []string {
	t.Helper()
	cmd := exec.Command(bin)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		w := bufio.NewWriterSize(stdin, 1<<20)
		for _, p := range patterns {
			_, _ = w.WriteString(hex.EncodeToString([]byte(p)))
			_ = w.WriteByte('\n')
		}
		_ = w.Flush()
		_ = stdin.Close()
	}()
	r := bufio.NewScanner(stdout)
	out := make([]string, 0, len(patterns))
	for r.Scan() {
		out = append(out, r.Text())
	}
	if err := cmd.Wait(); err != nil || len(out) != len(patterns) {
		t.Fatalf("the PCRE2 harness answered %d of %d patterns: %v", len(out), len(patterns), err)
	}
	return out
}
