package nginx

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// emergRE is nginx -t's error: "nginx: [emerg] MESSAGE in FILE:LINE".
var emergRE = regexp.MustCompile(`\[emerg\] (.*) in (\S+):(\d+)`)

// TestPlaceholderMessagesAgreeWithNginx checks, against the real nginx,
// that the error for an unrendered template placeholder starts with what
// nginx says, on the line nginx names.
func TestPlaceholderMessagesAgreeWithNginx(t *testing.T) {
	bin := sharedtest.Tool(t, "nginx")
	dir := t.TempDir()
	for _, body := range []string{
		"listen {LISTEN_PORT};",
		"listen {LISTEN_PORT} default_server;",
		"server_name {{ domain }};",
		"server_name {$NAME}.example.com;",
		"root /var/www/{VAR}/html;",
		"{{ extra_config }}",
		"{VAR};",
		"{% if ssl %}",
		"location /{{ path }}/ { return 200; }",
		"location /{P}/ { return 200; }",
		"location /{% p %}/ { return 200; }",
	} {
		src := "pid " + filepath.Join(dir, "nginx.pid") + ";\nerror_log " + filepath.Join(dir, "error.log") + ";\n" +
			"events {}\nhttp {\n    server {\n        " + body + "\n    }\n}\n"
		conf := filepath.Join(dir, "nginx.conf")
		if err := os.WriteFile(conf, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "-t", "-c", conf, "-e", filepath.Join(dir, "error.log")).CombinedOutput()
		m := emergRE.FindStringSubmatch(string(out))
		if err == nil || m == nil {
			t.Errorf("%s: nginx accepted it or said something else: %v\n%s", body, err, out)
			continue
		}
		line, _ := strconv.Atoi(m[3])
		c := parseString(src)
		if len(c.Diagnostics) == 0 {
			t.Errorf("%s: no diagnostic; nginx says %q at line %d", body, m[1], line)
			continue
		}
		d := c.Diagnostics[0]
		if int(d.Span.Start.Line) != line || !strings.HasPrefix(d.Message, m[1]+" (") || !strings.Contains(d.Message, "template placeholder") {
			t.Errorf("%s:\n  ours  %d: %s\n  nginx %d: %s", body, d.Span.Start.Line, d.Message, line, m[1])
		}
	}
}
