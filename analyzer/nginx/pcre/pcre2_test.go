package pcre

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// GrepP is grepP for the external test package.
var GrepP = grepP

// grepCache holds PCRE2's verdicts for the whole test binary: the tables
// go through grep from several tests, and each run is a process.
var (
	grepMu    sync.Mutex
	grepCache = map[string]string{}
)

// grepP returns a function that compiles a pattern with PCRE2 (through
// GNU grep -P, in the C locale so that, like nginx, it is not in UTF mode)
// and returns PCRE2's error, or "" when it compiles. It returns nil when
// no grep with -P is installed (a failure under NGXLINT_REQUIRE_TOOLS=1).
func grepP(t *testing.T) func(pattern string) string {
	t.Helper()
	grep, err := exec.LookPath("grep")
	if err == nil {
		err = exec.Command(grep, "-P", "-q", "a", os.DevNull).Run()
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 1 { // no match: -P works
			err = nil
		}
	}
	if err != nil {
		if os.Getenv(sharedtest.ToolsEnv) == "1" {
			t.Fatalf("grep -P is not available: %v", err)
		}
		t.Logf("grep -P is not available (%v); not comparing with PCRE2", err)
		return nil
	}
	return func(pattern string) string {
		if strings.ContainsAny(pattern, "\n\x00") { // grep splits patterns at newlines
			return ""
		}
		grepMu.Lock()
		v, ok := grepCache[pattern]
		grepMu.Unlock()
		if ok {
			return v
		}
		cmd := exec.Command(grep, "-P", "-e", pattern, os.DevNull)
		cmd.Env = append(os.Environ(), "LC_ALL=C")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		msg := ""
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 2 {
			msg = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(stderr.String()), "grep: "))
			if msg == "" {
				msg = "error"
			}
			// grep tries the compiled pattern on an empty line; a limit hit
			// there, e.g. by (?R), is a matching error, not a compile one
			if strings.Contains(msg, "exceeded PCRE's") {
				msg = ""
			}
		} else if err != nil && !errors.As(err, &ee) {
			t.Fatalf("running grep: %v", err)
		}
		grepMu.Lock()
		grepCache[pattern] = msg
		grepMu.Unlock()
		return msg
	}
}

// TestAgreesWithPCRE2 compiles the table patterns with PCRE2 itself: the
// forms must compile and the errors must not.
func TestAgreesWithPCRE2(t *testing.T) {
	pcre2 := grepP(t)
	if pcre2 == nil {
		t.Skip("grep -P is not available")
	}
	// with nginx on the path, TestAgreesWithNginx compiles all the forms
	// in one process; here each costs one
	_, nginxErr := exec.LookPath("nginx")
	for _, tt := range formCases {
		if nginxErr == nil {
			break
		}
		p := tt.pattern
		if tt.ci {
			p = "(?i)" + p
		}
		if msg := pcre2(p); msg != "" {
			t.Errorf("%q: PCRE2 says %s; the table says it compiles", p, msg)
		}
	}
	for _, tt := range errorCases {
		if pcre2(tt.pattern) == "" {
			t.Errorf("%q: PCRE2 compiles it; the table says %q", tt.pattern, tt.msg)
		}
	}
}

// TestGrepP: the oracle itself tells compile errors from matching errors.
func TestGrepP(t *testing.T) {
	pcre2 := grepP(t)
	if pcre2 == nil {
		t.Skip("grep -P is not available")
	}
	if msg := pcre2(`a(`); msg == "" {
		t.Error(`grep -P: "a(" compiles`)
	}
	// recursion that hits the (lowered, to be quick) limit on the empty line
	if msg := pcre2(`(*LIMIT_MATCH=1)(?0)`); msg != "" {
		t.Errorf(`grep -P: "(*LIMIT_MATCH=1)(?0)" does not compile: %s`, msg)
	}
}
