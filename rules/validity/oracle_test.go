package validity_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/rules/validity"
)

// nginxBinary is the nginx the oracle runs (Debian's nginx-light 1.22,
// installed by .ci/run); the test skips without it.
const nginxBinary = "/usr/sbin/nginx"

const oracleVersion = "1.22.1"

// oracleCase is one small full configuration and the line it is about.
type oracleCase struct {
	name string
	conf string
}

// oracleConf wraps body (at the level where directive name is allowed)
// in a full configuration that nginx -t can check unprivileged.
func oracleConf(dir, name, body string) (string, bool) {
	v, _ := spec.ResolveVersion(oracleVersion)
	temps := ""
	for _, t := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		temps += fmt.Sprintf("    %s_temp_path %s;\n", t, filepath.Join(dir, t))
	}
	at := func(path ...string) bool {
		d := spec.For(name, path)
		if d == nil || !d.Has(v) {
			return false
		}
		ok, _ := d.AllowedIn(path)
		return ok
	}
	head := "events {}\nhttp {\n    access_log off;\n" + temps
	switch {
	case name == "" || at("http", "server", "location"):
		return head + "    server {\n        listen 127.0.0.1:18399;\n        location / {\n            " + body +
			"\n        }\n    }\n}\n", true
	case at("http", "server"):
		return head + "    server {\n        listen 127.0.0.1:18399;\n        " + body + "\n    }\n}\n", true
	case at("http"):
		return head + "    " + body + "\n}\n", true
	case at():
		return body + "\n" + head + "}\n", true
	}
	return "", false
}

var nginxErrLine = regexp.MustCompile(`\[emerg\].* in (\S+):(\d+)`)

// runNginx runs nginx -t on conf and returns whether it accepted it, the
// message and the line nginx names.
func runNginx(t *testing.T, dir, conf string) (bool, string, int) {
	t.Helper()
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(nginxBinary, "-t", "-q", "-p", dir+"/", "-c", path,
		"-g", "pid "+filepath.Join(dir, "x.pid")+"; error_log stderr;")
	out, err := cmd.CombinedOutput()
	msg := strings.TrimSpace(string(out))
	line := 0
	if m := nginxErrLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[2])
	}
	return err == nil, msg, line
}

// crossChecked are directives whose value nginx also checks against
// other directives or the platform (buffer sizes against *_buffers, pool
// sizes against the pool alignment, hash sizes against the cache line):
// invalid-argument-value does not claim those checks.
func crossChecked(name string) bool {
	for _, s := range []string{"buffer_size", "busy_buffers_size", "max_temp_file_size", "temp_file_write_size",
		"pool_size", "_bucket_size", "hash_max_size", "preread_size"} {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// The rules agree with nginx -t on accept or reject, and on the line, for
// generated values of typed directives and for variable names.
func TestOracleNginx(t *testing.T) {
	if testing.Short() {
		t.Skip("runs nginx -t a few hundred times")
	}
	if _, err := os.Stat(nginxBinary); err != nil {
		t.Skipf("no %s (installed by .ci/run): %v", nginxBinary, err)
	}
	dir := t.TempDir()
	var cases []oracleCase
	add := func(name, body string) {
		if conf, ok := oracleConf(dir, name, body); ok {
			cases = append(cases, oracleCase{body, conf})
		}
	}
	values := map[spec.ArgKind][]string{
		spec.KindSize:   {"10", "4K", "10m", "1g", "10mb", "1.5m", "${X}m", "k", "-1"},
		spec.KindOffset: {"0", "10k", "10M", "1G", "10gb", "1.5g", "${X}m", "2t"},
		spec.KindMsec:   {"60", "60s", "500ms", `"1m 30s"`, "1h30m", "60sec", "1M", "5min", "1y", "$t", `"1d 1d"`},
		spec.KindSec:    {"60", "1h", "1d", "10ms", "1M", "1y", "30secs", `"2w 3d"`},
		spec.KindNumber: {"10", "0", "1k", "abc", "-1", "1.5", "$n"},
	}
	perKind := map[spec.ArgKind]int{}
	for _, name := range spec.ArgTypeNames() {
		at := spec.ArgTypeOf(name, "http")
		if at == nil {
			at = spec.ArgTypeOf(name, "")
		}
		if at == nil || perKind[at.Kind] >= 8 && at.Check == nil || crossChecked(name) {
			continue
		}
		perKind[at.Kind]++
		switch at.Kind {
		case spec.KindEnum, spec.KindBitmask:
			add(name, fmt.Sprintf("%s %s;", name, at.Values[0]))
			add(name, fmt.Sprintf("%s %s;", name, strings.ToUpper(at.Values[len(at.Values)-1])))
			add(name, fmt.Sprintf("%s bogus;", name))
			if at.Kind == spec.KindBitmask && len(at.Values) > 2 {
				add(name, fmt.Sprintf("%s %s %s;", name, at.Values[1], at.Values[2]))
			}
		default:
			for _, val := range values[at.Kind] {
				add(name, fmt.Sprintf("%s %s;", name, val))
			}
		}
	}
	for _, body := range []string{
		"proxy_buffers 8 16k;", "proxy_buffers 8 16kb;", "proxy_buffers 0 16k;", "proxy_buffers 8 0;", "gzip_buffers 16 8k;",
		"gzip_buffers x 8k;", "output_buffers 2 32k;", "output_buffers 2 1.5m;", "large_client_header_buffers 4 8k;",
		"large_client_header_buffers 4 8KB;", "fastcgi_buffers 16 16k;", "fastcgi_buffers 16 $size;",
		"gzip_comp_level 0;", "gzip_comp_level 9;", "gzip_window 4k;", "gzip_window 3k;", "gzip_hash 128k;",
		"limit_req_status 429;", "limit_req_status 200;", "http2_streams_index_size 64;", "http2_streams_index_size 48;",
		"proxy_http_version 2;", "proxy_http_version 1.1;", "ssl_protocols TLSv1.2 TLSv1.3;", "ssl_protocols TLSv1.4;",
		"fastcgi_next_upstream http_502;", "proxy_next_upstream http_502 non_idempotent;",
		"keepalive_timeout 65 60;", "keepalive_timeout 65 60ms;", "keepalive_timeout 75s;",
	} {
		add(strings.Fields(body)[0], body)
	}
	// variables: built-in, prefixed, set, mapped, captured, undefined,
	// placeholders, letter case
	for _, body := range []string{
		`return 200 "$host $request_uri";`, `return 200 "$HOST $Request_Uri";`, `return 200 "$http_x_custom $arg_id $cookie_sid";`,
		`return 200 "$nosuchvar";`, `return 200 "${PUBLIC_DOMAIN}";`, `return 200 "$PUBLIC_DOMAIN";`,
		`set $Foo 1; return 200 "$foo";`, `set $foo 1; return 200 "$FOO";`, `return 200 "$1 $9";`,
		`return 200 "$request_id";`, `return 200 "$ssl_alpn_protocol";`, `return 200 "$arg";`,
		`add_header X-Up $upstream_time;`, `add_header X-Up $upstream_response_time;`, `proxy_pass http://$backend;`,
		`proxy_set_header Host ${WEBSERVER_HOST};`, `root /srv/${SITE};`,
		`error_log /tmp/$host.log;`, `return 200 "${host}x";`, `return 200 "$realpath_root$fastcgi_script_name";`,
	} {
		add("", body)
	}
	// placeholders where nginx expands no variable
	for _, body := range []string{
		"listen 127.0.0.1:${HTTPS_PORT};", "listen ${PORT};", "set_real_ip_from ${LB_CIDR};", "resolver ${DNS};",
		"allow ${NET};", "deny $NET;", "error_log /tmp/${LOG}.log;", "resolver 127.0.0.1;",
	} {
		add(strings.Fields(body)[0], body)
	}
	t.Logf("%d cases", len(cases))
	rules := []*analyzer.Rule{validity.InvalidArgumentValue, validity.UnknownVariable}
	settings := &analyzer.Settings{NginxVersion: oracleVersion}
	agree, skipped := 0, 0
	for _, c := range cases {
		ok, msg, line := runNginx(t, dir, c.conf)
		if strings.Contains(msg, "unknown directive") || strings.Contains(msg, "is not allowed here") {
			skipped++ // a module nginx-light lacks, or a context the table names differently
			continue
		}
		ws, err := analyzer.Load([]string{filepath.Join(dir, "nginx.conf")}, analyzer.LoadOptions{WorkDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		fs, errs := analyzer.RunWith(ws, rules, rules, settings)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		var rejectAt []int
		for _, f := range fs {
			if f.Severity == analyzer.Error {
				rejectAt = append(rejectAt, int(f.Span.Start.Line))
			}
		}
		switch {
		case ok && len(rejectAt) > 0:
			t.Errorf("%s: nginx -t accepts it, ngxlint rejects it at line %d: %s", c.name, rejectAt[0], fs[0].Message)
		case !ok && len(rejectAt) == 0:
			t.Errorf("%s: nginx -t rejects it (%s), ngxlint accepts it", c.name, msg)
		case !ok && line != 0 && rejectAt[0] != line:
			// (nginx names no line for an unknown variable: it finds it
			// after reading the whole file)
			t.Errorf("%s: nginx names line %d, ngxlint line %d", c.name, line, rejectAt[0])
		default:
			agree++
		}
	}
	t.Logf("%d cases agree with nginx -t, %d skipped (module or context nginx-light lacks)", agree, skipped)
	if agree < 100 {
		t.Errorf("only %d cases checked", agree)
	}
}

// duplicate-upstream agrees with nginx -t, across included files too.
func TestOracleDuplicateUpstream(t *testing.T) {
	if testing.Short() {
		t.Skip("runs nginx -t")
	}
	if _, err := os.Stat(nginxBinary); err != nil {
		t.Skipf("no %s (installed by .ci/run): %v", nginxBinary, err)
	}
	vhost := func(up, host string) string {
		return "upstream " + up + " { server 127.0.0.1:9001; }\nserver {\n    listen 127.0.0.1:18399;\n    server_name " +
			host + ";\n    location / { proxy_pass http://" + up + "; }\n}\n"
	}
	for _, tc := range []struct {
		name  string
		files map[string]string // sites/*.conf
		extra string            // more lines in http
	}{
		{"two vhosts", map[string]string{"a.conf": vhost("app", "a"), "b.conf": vhost("app", "b")}, ""},
		{"letter case", map[string]string{"a.conf": vhost("App", "a"), "b.conf": vhost("app", "b")}, ""},
		{"distinct", map[string]string{"a.conf": vhost("app_a", "a"), "b.conf": vhost("app_b", "b")}, ""},
		{"one file", map[string]string{"a.conf": vhost("app", "a")}, "upstream app { server 127.0.0.1:9002; }"},
		{"included twice", map[string]string{"a.conf": vhost("app", "a")}, "include sites/a.conf;"},
	} {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, "sites"), 0o755); err != nil {
			t.Fatal(err)
		}
		for name, text := range tc.files {
			if err := os.WriteFile(filepath.Join(dir, "sites", name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		conf, _ := oracleConf(dir, "upstream", "include sites/*.conf;\n    "+tc.extra)
		ok, msg, line := runNginx(t, dir, conf)
		ws, err := analyzer.Load([]string{filepath.Join(dir, "nginx.conf")}, analyzer.LoadOptions{WorkDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		rule := []*analyzer.Rule{validity.DuplicateUpstream}
		fs, errs := analyzer.RunWith(ws, rule, rule, &analyzer.Settings{NginxVersion: oracleVersion})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		switch {
		case ok && len(fs) > 0:
			t.Errorf("%s: nginx -t accepts it, ngxlint reports %s", tc.name, fs[0].Message)
		case !ok && len(fs) == 0:
			t.Errorf("%s: nginx -t rejects it (%s), ngxlint does not", tc.name, msg)
		case !ok && (int(fs[0].Span.Start.Line) != line || !strings.Contains(msg, "duplicate upstream") ||
			!strings.Contains(msg, fs[0].Span.File+":"+strconv.Itoa(line))):
			t.Errorf("%s: nginx says %s, ngxlint %s at line %d", tc.name, msg, fs[0].Span, fs[0].Span.Start.Line)
		}
	}
}

// The variable table's releases agree with nginx -t: every http variable
// of nginx's own modules that the table gives 1.22.1 is accepted by
// nginx 1.22.1, and every one it does not give is refused (variables of
// modules the binary lacks, or builds as a dynamic module it does not
// load here, are counted and skipped).
func TestOracleBuiltinVariables(t *testing.T) {
	if testing.Short() {
		t.Skip("runs nginx -t for every built-in variable")
	}
	if _, err := os.Stat(nginxBinary); err != nil {
		t.Skipf("no %s (installed by .ci/run): %v", nginxBinary, err)
	}
	out, _ := exec.Command(nginxBinary, "-V").CombinedOutput()
	configure := " " + strings.ReplaceAll(string(out), "\n", " ") + " "
	built := func(module string) bool {
		short := strings.TrimPrefix(module, "ngx_")
		switch {
		case strings.Contains(configure, " --with-"+short+"=dynamic "), strings.Contains(configure, " --without-"+short+" "):
			return false
		case strings.Contains(configure, " --with-"+short+" "):
			return true
		}
		return !optionalModules[short]
	}
	v, _ := spec.ResolveVersion(oracleVersion)
	dir := t.TempDir()
	rule := []*analyzer.Rule{validity.UnknownVariable}
	checked, skipped := 0, 0
	for _, x := range spec.Variables() {
		if x.Prefix || x.Source != "nginx" || x.Stream() {
			continue
		}
		conf, _ := oracleConf(dir, "", fmt.Sprintf(`return 200 "$%s";`, x.Name))
		ok, msg, _ := runNginx(t, dir, conf)
		if !ok && !built(x.Module) {
			skipped++
			continue
		}
		ws, err := analyzer.Load([]string{filepath.Join(dir, "nginx.conf")}, analyzer.LoadOptions{WorkDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		fs, errs := analyzer.RunWith(ws, rule, rule, &analyzer.Settings{NginxVersion: oracleVersion})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		checked++
		switch {
		case ok && len(fs) > 0:
			t.Errorf("$%s (%s, since %s): nginx %s accepts it, ngxlint says %s", x.Name, x.Module, x.Since, v, fs[0].Message)
		case !ok && len(fs) == 0:
			t.Errorf("$%s (%s, since %s): nginx %s refuses it (%s), ngxlint accepts it", x.Name, x.Module, x.Since, v, msg)
		}
	}
	t.Logf("%d variables agree with nginx -t, %d skipped (modules the binary lacks)", checked, skipped)
	if checked < 100 {
		t.Errorf("only %d variables checked", checked)
	}
}

// optionalModules are http modules nginx builds only when asked
// (--with-...); the others are built unless --without-... says so.
var optionalModules = map[string]bool{
	"http_ssl_module": true, "http_v2_module": true, "http_v3_module": true, "http_realip_module": true,
	"http_addition_module": true, "http_xslt_module": true, "http_image_filter_module": true,
	"http_geoip_module": true, "http_sub_module": true, "http_dav_module": true, "http_flv_module": true,
	"http_mp4_module": true, "http_gunzip_module": true, "http_gzip_static_module": true,
	"http_auth_request_module": true, "http_random_index_module": true, "http_secure_link_module": true,
	"http_degradation_module": true, "http_slice_module": true, "http_stub_status_module": true,
	"http_perl_module": true,
}
