package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --es-log maps the node's log onto its settings file: a failed bootstrap
// check at the setting that enforces the checks, an unknown setting at its
// key; standard input works too, and a directory is a usage error.
func TestESLog(t *testing.T) {
	dir := t.TempDir()
	yml := filepath.Join(dir, "elasticsearch.yml")
	if err := os.WriteFile(yml, []byte("network.host: 0.0.0.0\ndiscovery.seed_hosts: [10.0.0.5]\nnode.voting_only: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Real lines (analyzer/eslog/testdata/logs/SOURCES.md): a 6.x node's
	// numbered failure behind a compose prefix, and 7.7's unknown setting.
	log := "es_1          | ERROR: [1] bootstrap checks failed\n" +
		"es_1          | [1]: max virtual memory areas vm.max_map_count [65530] is too low, increase to at least [262144]\n" +
		"org.elasticsearch.bootstrap.StartupException: java.lang.IllegalArgumentException: unknown setting [node.voting_only] please check that any required plugins are installed, or check the breaking changes documentation for removed settings\n"
	logFile := filepath.Join(dir, "es.log")
	if err := os.WriteFile(logFile, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--es-log", logFile}, {"--es-log", "-"}} {
		code, out, errs := ngx(t, log, append([]string{"lint", "--format", "json"}, append(args, yml)...)...)
		if code != 1 {
			t.Fatalf("%v: exit %d; stderr %s", args, code, errs)
		}
		got := named(findings(t, out), "es-node-log")
		if len(got) != 2 {
			t.Fatalf("%v: es-node-log findings %+v", args, got)
		}
		lines := map[int]string{}
		for _, f := range got {
			lines[f.Line] = f.Message
		}
		if !strings.Contains(lines[1], "vm.max_map_count") || !strings.Contains(lines[3], "unknown setting [node.voting_only]") {
			t.Errorf("%v: findings by line %v", args, lines)
		}
	}
	if code, _, _ := ngx(t, "", "lint", "--es-log", dir, yml); code != 2 {
		t.Errorf("--es-log on a directory: exit %d, want 2", code)
	}
}

// --es-version sets the release the settings files are for: a key removed
// in 8.0 is an error for 8.13 and fine for 7.17; a bad version is a usage
// error.
func TestESVersionFlag(t *testing.T) {
	yml := filepath.Join(t.TempDir(), "elasticsearch.yml")
	if err := os.WriteFile(yml, []byte("cluster.name: x\ntransport.tcp.port: 9300\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ := ngx(t, "", "lint", "--format", "json", "--es-version", "8.13", yml)
	if got := named(findings(t, out), "es-unknown-setting"); len(got) != 1 || got[0].Severity != "error" {
		t.Errorf("8.13: %+v", got)
	}
	_, out, _ = ngx(t, "", "lint", "--format", "json", "--es-version", "7.17", yml)
	if got := named(findings(t, out), "es-unknown-setting"); len(got) != 0 {
		t.Errorf("7.17: %+v", got)
	}
	if code, _, errs := ngx(t, "", "lint", "--es-version", "nine", yml); code != 2 || !strings.Contains(errs, "--es-version") {
		t.Errorf("bad version: exit %d, %s", code, errs)
	}
}

// --es-log with an nginx in the same run: the node's log shows HTTP on
// 9201 (9200 was taken, the default range moved it), the settings file
// sets no http.port and nginx proxies to 9200. One finding at the
// settings file, one at nginx's port; with the nginx target on 9201
// neither. The line is the real 6.2.4 line of analyzer/eslog's testdata
// with the port changed (see SOURCES.md there).
func TestESLogWrongPort(t *testing.T) {
	line := "[2018-05-17T08:19:48,895][INFO ][o.e.h.n.Netty4HttpServerTransport] [vWNJsZ3] publish_address {127.0.0.1:9201}, bound_addresses {[::1]:9201}, {127.0.0.1:9201}\n"
	for _, c := range []struct {
		target string
		want   map[string]int // file -> line of each es-node-log finding about ports
	}{
		{"9200", map[string]int{"elasticsearch.yml": 1, "nginx.conf": 5}},
		{"9201", map[string]int{"elasticsearch.yml": 1}},
	} {
		dir := t.TempDir()
		files := map[string]string{
			"elasticsearch.yml": "cluster.name: logs\nnetwork.host: 0.0.0.0\ndiscovery.type: single-node\n",
			"nginx.conf":        "events {}\nhttp {\n    server {\n        listen 80;\n        location / { proxy_pass http://127.0.0.1:" + c.target + "; }\n    }\n}\n",
			"es.log":            line,
		}
		for name, src := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		_, out, errs := ngx(t, "", "lint", "--format", "json", "--es-log", filepath.Join(dir, "es.log"), filepath.Join(dir, "elasticsearch.yml"), filepath.Join(dir, "nginx.conf"))
		got := map[string]int{}
		for _, f := range named(findings(t, out), "es-node-log") {
			if strings.Contains(f.Message, "bound to port") || strings.Contains(f.Message, "proxies") {
				got[filepath.Base(f.File)] = f.Line
			}
		}
		if len(got) != len(c.want) {
			t.Fatalf("target %s: port findings %v, want %v; stderr %s\n%s", c.target, got, c.want, errs, out)
		}
		for file, line := range c.want {
			if got[file] != line {
				t.Errorf("target %s: %s at line %d, want %d", c.target, file, got[file], line)
			}
		}
	}
}
