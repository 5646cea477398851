package pcre

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// NginxT is nginxT for the external test package.
var NginxT = nginxT

// nginxT returns a function that runs `nginx -t` on a configuration of
// one location per pattern and reports nginx's error, or "" when nginx
// accepts it; calls with different slots can run at the same time. nginx is the last word: it links the PCRE2 that
// production uses, with the options it compiles with.
func nginxT(t *testing.T) func(slot int, patterns []string, ci bool) string {
	t.Helper()
	nginx := sharedtest.Tool(t, "nginx")
	dir := t.TempDir()
	return func(slot int, patterns []string, ci bool) string {
		conf := filepath.Join(dir, fmt.Sprintf("nginx%d.conf", slot))
		op := "~"
		if ci {
			op = "~*"
		}
		var b strings.Builder
		b.WriteString("events {}\nhttp {\n  server {\n    listen 127.0.0.1:8;\n")
		for _, p := range patterns {
			// inside double quotes nginx turns \\ into \ and \" into "
			q := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(p)
			fmt.Fprintf(&b, "    location %s \"%s\" {}\n", op, q)
		}
		b.WriteString("  }\n}\n")
		if err := os.WriteFile(conf, []byte(b.String()), 0o644); err != nil {
			t.Error(err) // not Fatal: callers run this in goroutines
			return err.Error()
		}
		cmd := exec.Command(nginx, "-t", "-q", "-p", dir+"/", "-c", conf, "-e", "/dev/stderr",
			"-g", "pid "+conf+".pid;")
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		switch {
		case err == nil:
			return ""
		case errors.As(err, &ee):
			return strings.TrimSpace(string(out))
		}
		t.Errorf("running nginx: %v", err)
		return err.Error()
	}
}

// TestAgreesWithNginx: nginx compiles every form of the table and refuses
// every error case.
func TestAgreesWithNginx(t *testing.T) {
	check := nginxT(t)
	var plain, caseless []string
	for _, tt := range formCases {
		if strings.ContainsAny(tt.pattern, "\n\x00") {
			continue
		}
		if tt.ci {
			caseless = append(caseless, tt.pattern)
		} else {
			plain = append(plain, tt.pattern)
		}
	}
	for _, set := range []struct {
		patterns []string
		ci       bool
	}{{plain, false}, {caseless, true}} {
		if msg := check(-1, set.patterns, set.ci); msg != "" {
			t.Errorf("nginx refuses a form of the table: %s", msg)
		}
	}
	// one nginx per error case, a few at a time: each stops at its first
	// error, and starting processes is what this test spends its time on
	var wg sync.WaitGroup
	slots := make(chan struct{}, 4)
	for i, tt := range errorCases {
		if strings.ContainsAny(tt.pattern, "\n\x00") {
			continue
		}
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			// the refusal must be PCRE's, not a config error of the harness
			if msg := check(i, []string{tt.pattern}, false); !strings.Contains(msg, "_compile() failed") {
				t.Errorf("%q: nginx says %q; the table says %q", tt.pattern, msg, tt.msg)
			}
		}()
	}
	wg.Wait()
}
