package main

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// Real nginx as the oracle of what the live probes say nginx will do.

// tempPaths keeps nginx's temporary folders under prefix.
func tempPaths(prefix string) string {
	var b strings.Builder
	for _, k := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		b.WriteString("    " + k + "_temp_path " + prefix + "/" + k + ";\n")
	}
	return b.String()
}

// runNginx runs nginx in the foreground on conf and returns what it wrote
// (output and error log); a process still running after limit is killed
// and reported as started.
func runNginx(t *testing.T, nginx, prefix, conf string, limit time.Duration, args ...string) (started bool, out string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	errorLog := filepath.Join(prefix, "error.log")
	cmd := exec.CommandContext(ctx, nginx, append([]string{"-p", prefix + "/", "-c", conf, "-e", errorLog,
		"-g", "pid " + prefix + "/nginx.pid; error_log " + errorLog + " notice; daemon off; master_process off;"}, args...)...)
	b, _ := cmd.CombinedOutput()
	logged, _ := os.ReadFile(errorLog)
	return ctx.Err() != nil, string(b) + string(logged)
}

// listen-dual-stack-conflict: when the bind test confirms it on this host,
// nginx itself fails to bind the second socket and does not start.
func TestDualStackProbeAgreesWithNginx(t *testing.T) {
	nginx := sharedtest.Tool(t, "nginx")
	ln, err := net.Listen("tcp6", "[::]:0")
	if err != nil {
		t.Skip("no IPv6 on this host: " + err.Error())
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	p := strconv.Itoa(port)
	prefix := t.TempDir()
	conf := filepath.Join(prefix, "nginx.conf")
	text := "worker_processes 1;\nevents { worker_connections 64; }\nhttp {\n    access_log off;\n" + tempPaths(prefix) +
		"    server {\n        listen [::]:" + p + " ipv6only=off;\n        server_name a.example;\n    }\n" +
		"    server {\n        listen " + p + ";\n        server_name b.example;\n    }\n}\n"
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, errs := ngx(t, "", "lint", "--live", "--format", "json", "--enable", "listen-dual-stack-conflict", conf)
	ds := named(findings(t, out), "listen-dual-stack-conflict")
	if len(ds) != 1 || ds[0].Live == nil {
		t.Fatalf("lint --live: no live listen-dual-stack-conflict finding; stderr %s\n%s", errs, out)
	}
	if ds[0].Live.Status != "confirmed" {
		t.Fatalf("the bind test on this Linux host: %+v", ds[0].Live)
	}
	// The port was free and unprivileged: the test used it.
	if len(ds[0].Live.Evidence) != 2 || ds[0].Live.Evidence[1].Address != "0.0.0.0:"+p {
		t.Errorf("evidence %+v, want the configured port %s", ds[0].Live.Evidence, p)
	}
	started, log := runNginx(t, nginx, prefix, conf, 20*time.Second)
	t.Logf("nginx:\n%s", log)
	if started || !strings.Contains(log, "Address already in use") {
		t.Fatalf("nginx started (%v) or failed otherwise, while the probe confirmed the conflict", started)
	}
}

// upstream-name-typo: what the probe says about the name is what nginx -t
// says (it resolves the name at start-up, through the same system files).
func TestNameTypoProbeAgreesWithNginx(t *testing.T) {
	nginx := sharedtest.Tool(t, "nginx")
	prefix := t.TempDir()
	conf := filepath.Join(prefix, "nginx.conf")
	text := "worker_processes 1;\nevents { worker_connections 64; }\nhttp {\n    access_log off;\n" + tempPaths(prefix) +
		"    upstream backend-pool {\n        server 127.0.0.1:1;\n    }\n" +
		"    server {\n        listen 127.0.0.1:" + strconv.Itoa(freeLoopbackPort(t)) + ";\n" +
		"        location / { proxy_pass http://backend_pool; }\n    }\n}\n"
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, errs := ngx(t, "", "lint", "--live", "--format", "json", conf)
	typo := named(findings(t, out), "upstream-name-typo")
	if len(typo) != 1 || typo[0].Live == nil {
		t.Fatalf("lint --live: no live upstream-name-typo finding; stderr %s\n%s", errs, out)
	}
	_, log := runNginx(t, nginx, prefix, conf, 20*time.Second, "-t")
	t.Logf("probe: %+v\nnginx -t:\n%s", typo[0].Live, log)
	notFound := strings.Contains(log, `host not found in upstream "backend_pool"`)
	switch typo[0].Live.Status {
	case "confirmed":
		if !notFound {
			t.Fatal("the probe says backend_pool does not resolve, but nginx -t found it")
		}
	case "refuted":
		if notFound {
			t.Fatal("the probe resolved backend_pool, but nginx -t did not")
		}
	default:
		t.Skip("this host's resolver gave no answer either way: " + typo[0].Live.Summary)
	}
}

// host-resolved-once: the address the probe quotes for a name that does
// not resolve is the one nginx -t quotes (an upstream server's port as
// written; a pass's host alone).
func TestResolvedOnceProbeAgreesWithNginx(t *testing.T) {
	nginx := sharedtest.Tool(t, "nginx")
	for _, tc := range []struct{ name, block, quoted string }{
		{"server", "    upstream u {\n        server nosuch.invalid:8080;\n    }\n", "nosuch.invalid:8080"},
		{"pass", "", "nosuch.invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target := "http://u"
			if tc.block == "" {
				target = "http://nosuch.invalid:9000/x/"
			}
			prefix := t.TempDir()
			conf := filepath.Join(prefix, "nginx.conf")
			text := "worker_processes 1;\nevents { worker_connections 64; }\nhttp {\n    access_log off;\n" + tempPaths(prefix) + tc.block +
				"    server {\n        listen 127.0.0.1:" + strconv.Itoa(freeLoopbackPort(t)) + ";\n" +
				"        location / { proxy_pass " + target + "; }\n    }\n}\n"
			if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, out, errs := ngx(t, "", "lint", "--live", "--format", "json", conf)
			hr := named(findings(t, out), "host-resolved-once")
			if len(hr) != 1 || hr[0].Live == nil {
				t.Fatalf("lint --live: no live host-resolved-once finding; stderr %s\n%s", errs, out)
			}
			if hr[0].Live.Status != "confirmed" {
				t.Skip("this host's resolver did not say nosuch.invalid does not exist: " + hr[0].Live.Summary)
			}
			_, log := runNginx(t, nginx, prefix, conf, 20*time.Second, "-t")
			t.Logf("probe: %+v\nnginx -t:\n%s", hr[0].Live, log)
			if !strings.Contains(hr[0].Live.Summary, `host not found in upstream \"`+tc.quoted+`\"`) ||
				!strings.Contains(log, `host not found in upstream "`+tc.quoted+`"`) {
				t.Fatalf("want both to quote %q", tc.quoted)
			}
		})
	}
}
