package rules_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/rules"
	"github.com/ngxlint/ngxlint/rules/connectivity"
	"github.com/ngxlint/ngxlint/rules/validity"
)

// streamModule is where Debian's libnginx-mod-stream puts the stream
// module nginx-light builds as a dynamic module.
const streamModule = "/usr/lib/nginx/modules/ngx_stream_module.so"

// TestStreamAgreesWithNginx holds the oracle's rules on stream servers
// (ssl-certificate-missing, duplicate-listen before 1.25.5,
// pass-without-port, pass-port-on-upstream, and the validity rules: zones
// shared with http, a server without a handler) to nginx -t with the stream module loaded: both accept
// or both refuse, and ngxlint's error (or its related location) is on the
// line nginx names.
func TestStreamAgreesWithNginx(t *testing.T) {
	bin := oracleNginx(t)
	if _, err := os.Stat(streamModule); err != nil {
		msg := "nginx's stream module is not installed (.ci/run installs libnginx-mod-stream): " + err.Error()
		if os.Getenv(sharedtest.ToolsEnv) == "1" || os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	rs := oracleRules(t)
	cert := []string{"ssl_certificate DIR/cert.pem;", "ssl_certificate_key DIR/key.pem;"}
	server := func(listen string, lines ...string) []string {
		return append([]string{"server {", "listen " + listen + ";", "proxy_pass 127.0.0.1:9;"}, append(lines, "}")...)
	}
	for _, c := range []struct {
		name   string
		stream [][]string // lines of the stream block, then servers
		refuse bool
		http   []string // lines of an http block before it
	}{
		{"no-certificate", [][]string{server("127.0.0.1:PORT ssl")}, true, nil},
		{"own-certificate", [][]string{server("127.0.0.1:PORT ssl", cert...)}, false, nil},
		{"stream-level", [][]string{cert, server("127.0.0.1:PORT ssl")}, false, nil},
		{"other-server-has-one", [][]string{server("127.0.0.1:PORT ssl", cert...), server("127.0.0.1:OTHERPORT ssl")}, true, nil},
		{"plain-and-udp", [][]string{server("127.0.0.1:PORT"), server("127.0.0.1:OTHERPORT udp")}, false, nil},
		{"second-listen-ssl", [][]string{server("127.0.0.1:PORT", "listen 127.0.0.1:OTHERPORT ssl;")}, true, nil},
		{"two-servers-one-address", [][]string{server("127.0.0.1:PORT"), server("127.0.0.1:PORT")}, true, nil},
		{"one-server-twice", [][]string{server("PORT", "listen *:PORT;")}, true, nil},
		{"udp-beside-tcp", [][]string{server("PORT", "listen PORT udp;")}, false, nil},
		{"wildcard-beside-ip", [][]string{server("PORT"), server("127.0.0.1:PORT")}, false, nil},
		{"pass-without-port", [][]string{{"upstream backend {", "server 127.0.0.1:9;", "}"}, {"server {", "listen PORT;", "proxy_pass bckend;", "}"}}, true, nil},
		{"pass-to-upstream", [][]string{{"server {", "listen PORT;", "proxy_pass BACKEND;", "}"}, {"upstream backend {", "server 127.0.0.1:9;", "}"}}, false, nil},
		{"session-cache-http-name", [][]string{{"ssl_session_cache shared:SSL:1m;"}, server("127.0.0.1:PORT")}, true, []string{"ssl_session_cache shared:SSL:1m;"}},
		{"upstream-zone-http-name", [][]string{{"upstream a { zone z 64k; server 127.0.0.1:1; }"}, server("127.0.0.1:PORT")}, true, []string{"upstream h { zone z 64k; server 127.0.0.1:1; }"}},
		{"pass-port-on-upstream", [][]string{{"server {", "listen PORT;", "proxy_pass Backend:53;", "}"}, {"upstream backend {", "server 127.0.0.1:9;", "}"}}, true, nil},
		{"no-handler", [][]string{{"server {", "listen PORT;", "}"}}, true, nil},
		{"return-handler", [][]string{{"server {", "listen PORT;", "return ok;", "}"}}, false, nil},
		{"verify-client-no-ca", [][]string{server("127.0.0.1:PORT ssl", append([]string{"ssl_verify_client on;"}, cert...)...)}, true, nil},
		{"verify-client-ca", [][]string{server("127.0.0.1:PORT ssl", append([]string{"ssl_verify_client on;", "ssl_client_certificate DIR/cert.pem;"}, cert...)...)}, false, nil},
		{"verify-client-plain-listen", [][]string{cert, server("127.0.0.1:PORT", "ssl_verify_client on;")}, false, nil},
		{"session-cache-own-name", [][]string{{"ssl_session_cache shared:STREAM:1m;"}, server("127.0.0.1:PORT")}, false, nil},
		{"upstream-zones-shared", [][]string{{"upstream a { zone z 64k; server 127.0.0.1:1; }", "upstream b { zone z; server 127.0.0.1:2; }"}, server("127.0.0.1:PORT")}, false, nil},
		{"two-servers-reuseport", [][]string{server("127.0.0.1:PORT reuseport"), server("127.0.0.1:OTHERPORT reuseport")}, false, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			var b strings.Builder
			b.WriteString("load_module " + streamModule + ";\nevents {}\n")
			if c.http != nil {
				b.WriteString("http {\n")
				for _, l := range c.http {
					b.WriteString("    " + l + "\n")
				}
				b.WriteString("}\n")
			}
			b.WriteString("stream {\n")
			for _, part := range c.stream {
				for _, l := range part {
					b.WriteString("    " + l + "\n")
				}
			}
			b.WriteString("}\n")
			port := 21000 // nginx -t binds nothing
			text := strings.NewReplacer("OTHERPORT", strconv.Itoa(port+1), "PORT", strconv.Itoa(port), "DIR", dir).Replace(b.String())
			conf := filepath.Join(dir, "nginx.conf")
			files := map[string]string{"nginx.conf": text, "cert.pem": oracleCert().cert, "key.pem": oracleCert().key}
			for name, body := range files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res, findings := nginxAndLint(t, bin, conf, c.refuse, rs)
			var lines []int32
			var msgs []string
			for _, f := range findings {
				if f.Severity != analyzer.Error {
					continue
				}
				msgs = append(msgs, f.Rule.Name+": "+f.Message)
				lines = append(lines, f.Span.Start.Line)
				for _, r := range f.Related {
					lines = append(lines, r.Span.Start.Line)
				}
			}
			switch {
			case c.refuse && len(msgs) == 0:
				t.Errorf("nginx refuses it (%s at line %d), ngxlint reports no error:\n%s", res.msg, res.line, text)
			case !c.refuse && len(msgs) > 0:
				t.Errorf("nginx accepts it, ngxlint reports %q:\n%s", msgs, text)
			case c.refuse && res.line > 0 && !slices.Contains(lines, int32(res.line)): // merge-time errors name no line
				t.Errorf("nginx names line %d (%s), ngxlint's errors are at lines %v: %q", res.line, res.msg, lines, msgs)
			}
		})
	}
}

// TestEventsMissingAgreesWithNginx: nginx refuses a main configuration
// without an events block (naming no line), and only that one.
func TestEventsMissingAgreesWithNginx(t *testing.T) {
	bin := oracleNginx(t)
	for _, c := range []struct {
		name, conf string
		refuse     bool
	}{
		{"no-events", "worker_processes 1;\nhttp {\n}\n", true},
		{"empty-events", "worker_processes 1;\nevents {}\nhttp {\n}\n", false},
		{"events-after-http", "worker_processes 1;\nhttp {\n}\nevents {}\n", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			conf := filepath.Join(dir, "nginx.conf")
			if err := os.WriteFile(conf, []byte(c.conf), 0o644); err != nil {
				t.Fatal(err)
			}
			res, findings := nginxAndLint(t, bin, conf, c.refuse, []*analyzer.Rule{validity.EventsMissing})
			if got := len(findings) > 0; got != c.refuse {
				t.Errorf("nginx refuses=%v (%s), events-missing reports %d findings", c.refuse, res.msg, len(findings))
			}
		})
	}
}

// nginxAndLint runs nginx -t on conf, fails the test unless nginx refuses
// it exactly when refuse says, and returns its verdict and what rs find.
func nginxAndLint(t *testing.T, bin, conf string, refuse bool, rs []*analyzer.Rule) (oracleResult, []analyzer.Finding) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := runNginxT(ctx, bin, filepath.Dir(conf), conf)
	if err != nil {
		t.Fatal(err)
	}
	if res.accept == refuse {
		src, _ := os.ReadFile(conf)
		t.Fatalf("nginx -t accept=%v (%s), the case says refuse=%v:\n%s", res.accept, res.msg, refuse, src)
	}
	ws, err := analyzer.Load([]string{conf}, analyzer.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	findings, errs := analyzer.RunWith(ws, rs, rules.All(), &analyzer.Settings{NginxVersion: oracleVersion})
	for _, e := range errs {
		t.Errorf("rule error: %v", e)
	}
	return res, findings
}

// TestBalancerRedefinedAgreesWithNginx: nginx 1.22 warns "load balancing
// method redefined" exactly on the lines balancer-redefined reports.
func TestBalancerRedefinedAgreesWithNginx(t *testing.T) {
	bin := oracleNginx(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "nginx.conf")
	src := "events {}\nhttp {\n" +
		"    upstream a {\n        keepalive 8;\n        least_conn;\n        server 127.0.0.1:1;\n    }\n" +
		"    upstream b {\n        ip_hash;\n        server 127.0.0.1:1;\n        hash $uri;\n    }\n" +
		"    upstream c {\n        least_conn;\n        keepalive 8;\n        server 127.0.0.1:1;\n    }\n" +
		"}\n"
	if err := os.WriteFile(conf, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-t", "-p", dir+"/", "-e", "stderr", "-c", conf, "-g", "pid "+dir+"/nginx.pid; error_log stderr;")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	}
	var warned []int32
	for _, m := range regexp.MustCompile(`\[warn\] .*load balancing method redefined in \S+:(\d+)`).FindAllStringSubmatch(string(out), -1) {
		n, _ := strconv.Atoi(m[1])
		warned = append(warned, int32(n))
	}
	_, findings := nginxAndLint(t, bin, conf, false, []*analyzer.Rule{connectivity.BalancerRedefined})
	var got []int32
	for _, f := range findings {
		got = append(got, f.Span.Start.Line)
	}
	if len(warned) != 2 || !slices.Equal(got, warned) {
		t.Errorf("nginx warns on lines %v, balancer-redefined reports lines %v", warned, got)
	}
}

// TestBuiltinVariableAssignedAgreesWithNginx sets each built-in http
// variable nginx 1.22.1 has, of the modules the rule reads, and requires
// nginx -t to refuse exactly those builtin-variable-assigned reports; then
// the other ways of defining a variable.
func TestBuiltinVariableAssignedAgreesWithNginx(t *testing.T) {
	bin := oracleNginx(t)
	at := spec.Version{Major: 1, Minor: 22, Patch: 1}
	type tcase struct{ name, line string }
	var cases []tcase
	for _, v := range spec.Variables() {
		if v.Prefix || v.Stream() || !v.Has(at) || v.Source != "nginx" {
			continue
		}
		switch v.Module {
		case "ngx_http_core_module", "ngx_http_upstream_module", "ngx_http_proxy_module", "ngx_http_fastcgi_module",
			"ngx_http_grpc_module", "ngx_http_limit_conn_module", "ngx_http_limit_req_module", "ngx_http_ssi_filter_module",
			"ngx_http_browser_module", "ngx_http_ssl_module":
			cases = append(cases, tcase{"set/" + v.Name, "set $" + v.Name + " 1;"})
		}
	}
	if len(cases) < 80 {
		t.Fatalf("only %d variables to set", len(cases))
	}
	cases = append(cases,
		tcase{"set/upper-case", "set $Request_URI 1;"},
		tcase{"set/prefix", "set $http_x_custom 1;"},
		tcase{"named-capture/uri", "if ($request_uri ~ ^/(?<uri>.*)$) { return 200; }"},
		tcase{"named-capture/own", "if ($request_uri ~ ^/(?<rest>.*)$) { return 200; }"},
		tcase{"named-capture/negated", "if ($request_uri !~ ^/(?P<host>x)) { return 200; }"},
	)
	rs := []*analyzer.Rule{validity.BuiltinVariableAssigned}
	root := t.TempDir()
	var mu sync.Mutex
	var wg sync.WaitGroup
	slots := make(chan struct{}, 4)
	refused := 0
	for i, c := range cases {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			dir := filepath.Join(root, strconv.Itoa(i))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Error(err)
				return
			}
			conf := filepath.Join(dir, "nginx.conf")
			src := "events {}\nhttp {\n    server {\n        listen 127.0.0.1:21000;\n        location / {\n            " +
				c.line + "\n        }\n    }\n}\n"
			if err := os.WriteFile(conf, []byte(src), 0o644); err != nil {
				t.Error(err)
				return
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			res, err := runNginxT(ctx, bin, dir, conf)
			if err != nil {
				t.Error(err)
				return
			}
			ws, err := analyzer.Load([]string{conf}, analyzer.LoadOptions{})
			if err != nil {
				t.Error(err)
				return
			}
			findings, _ := analyzer.RunWith(ws, rs, rules.All(), &analyzer.Settings{NginxVersion: oracleVersion})
			mu.Lock()
			defer mu.Unlock()
			if !res.accept {
				refused++
			}
			duplicate := !res.accept && strings.Contains(res.msg, "the duplicate")
			if duplicate != (len(findings) > 0) {
				t.Errorf("%s: nginx -t accept=%v (%s); builtin-variable-assigned reports %d", c.line, res.accept, res.msg, len(findings))
			}
		}()
	}
	wg.Wait()
	t.Logf("%d cases, nginx refuses %d", len(cases), refused)
}
