package eslog

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
)

// readEntries reads a log of testdata/logs (see SOURCES.md there) in
// order, as Mapper.Read does.
func readEntries(t *testing.T, name string) []Entry {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "logs", name))
	if err != nil {
		t.Fatal(err)
	}
	var l Lines
	var out []Entry
	for _, line := range strings.Split(string(src), "\n") {
		out = append(out, l.Parse(line)...)
	}
	return out
}

// brief names an entry for comparison: its kind, and its port or detail.
func brief(e Entry) string {
	switch e.Kind {
	case BoundHTTP:
		return "http:" + strconv.Itoa(e.Port)
	case BoundTransport:
		return "transport:" + strconv.Itoa(e.Port)
	case BootstrapFailure:
		return "check:" + e.Detail
	case UnknownSetting:
		return "unknown:" + e.Detail
	case BindFailure:
		return "bind:" + e.Detail
	case PlaintextOnHTTPS:
		return "plaintext"
	}
	return "?"
}

// What each real log says, line by line: plain 2.x, 6.x, 7.x and 8.x,
// 7.x JSON, 8.x ECS JSON, OpenSearch; with and without a docker compose
// prefix. Lines that are not facts (bootstrap checks logged as warnings
// in development mode, "enforcing bootstrap checks", the header of the
// failures) give nothing.
func TestRealLogs(t *testing.T) {
	maxMap := "check:max virtual memory areas vm.max_map_count [65530] is too low, increase to at least [262144]"
	for name, want := range map[string][]string{
		"beats-plain-6.2.4.log":                      {"transport:9300", "http:9200"},
		"beats-json-7.0.log":                         {"transport:9300", "http:9200"},
		"dcos-plain-6.1-http-1027.log":               {"http:1027"},
		"es2-plain-transport-9402.log":               {"transport:9400"},
		"es2.1-plain-loopback.log":                   {"transport:9300", "http:9200"},
		"ambar-compose-6.x-bootstrap.log":            {"transport:9300", maxMap},
		"es-plain-8.7-bootstrap.log":                 {"transport:9300", "check:the default discovery settings are unsuitable for production use; at least one of [discovery.seed_hosts, discovery.seed_providers, cluster.initial_master_nodes] must be configured"},
		"opensearch-plain-1.2.0.log":                 {"transport:9300"},
		"reportportal-plain-7.5.2.log":               {"transport:9300"},
		"opendistro-plain-7.7.0-unknown-setting.log": {"unknown:node.voting_only"},
		"ecs-8.1-plaintext.log":                      {"plaintext", "plaintext"},
		"json-8.2-plaintext.log":                     {"plaintext"},
		"opensearch-compose-notssl.log":              {"plaintext"},
		"opensearch-bindexception.log":               {"bind:BindException: Address already in use"},
	} {
		var got []string
		for _, e := range readEntries(t, name) {
			got = append(got, brief(e))
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", name, got, want)
		}
	}
	// Times come from each layout as written.
	es := readEntries(t, "beats-json-7.0.log")
	if es[1].Time != "2019-01-18T08:55:13,922+0100" || len(es[1].Bound) != 2 {
		t.Errorf("7.0 JSON HTTP line: %+v", es[1])
	}
	if es := readEntries(t, "ecs-8.1-plaintext.log"); es[1].Time != "2022-10-27T01:54:36.049Z" {
		t.Errorf("ECS line behind a compose prefix: %+v", es[1])
	}
	// The JSON layout of 7.x puts the header and the numbered failures in
	// one message: each failure is an entry.
	var l Lines
	got := l.Parse(`{"type": "server", "timestamp": "2020-01-01T00:00:00,000Z", "level": "ERROR", "component": "o.e.b.Bootstrap", "message": "node validation exception\n[2] bootstrap checks failed\n[1]: a\n[2]: b" }`)
	if len(got) != 2 || got[0].Detail != "a" || got[1].Detail != "b" || got[1].Time != "2020-01-01T00:00:00,000Z" {
		t.Errorf("multi-line message: %+v", got)
	}
	// A numbered line without the header is not a check.
	if got := new(Lines).Parse("[1]: max virtual memory areas vm.max_map_count [65530] is too low"); len(got) != 0 {
		t.Errorf("numbered line alone: %+v", got)
	}
}

// mapTree lints a folder of files and maps the log onto it.
func mapTree(t *testing.T, files map[string]string, log string) []analyzer.Finding {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := writeFile(filepath.Join(dir, name), src); err != nil {
			t.Fatal(err)
		}
	}
	ws, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	m := NewMapper(ws, ws.Elastic, &analyzer.Rule{Name: "es-node-log", Severity: analyzer.Warning})
	if err := m.Read("es.log", strings.NewReader(log)); err != nil {
		t.Fatal(err)
	}
	return m.Findings()
}

func logFile(t *testing.T, name string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "logs", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

// find returns the findings whose message holds frag.
func find(fs []analyzer.Finding, frag string) []analyzer.Finding {
	var out []analyzer.Finding
	for _, f := range fs {
		if strings.Contains(f.Message, frag) {
			out = append(out, f)
		}
	}
	return out
}

const nginxTo = "events {}\nhttp {\n    server {\n        listen 80;\n        location / { proxy_pass http://127.0.0.1:%s; }\n    }\n}\n"

func nginxConf(port string) string { return strings.Replace(nginxTo, "%s", port, 1) }

// The node's HTTP port in its log against its settings file and the
// nginx of the same run (real lines; the moved port is derived, see
// SOURCES.md).
func TestRealLogsMapped(t *testing.T) {
	beats := logFile(t, "beats-plain-6.2.4.log")
	// Derived: the HTTP line of the 6.2.4 log with 9200 taken, so the node
	// bound the next port of the default range.
	moved := strings.ReplaceAll(beats, ":9200}", ":9201}")

	t.Run("moved to the next port of the default range", func(t *testing.T) {
		fs := mapTree(t, map[string]string{"elasticsearch.yml": "cluster.name: logs\n", "nginx.conf": nginxConf("9200")}, moved)
		node := find(fs, "HTTP bound to port 9201, not 9200")
		if len(node) != 1 || node[0].Span.File != "elasticsearch.yml" || node[0].Span.Start.Line != 1 ||
			!strings.Contains(node[0].Message, "http.port is not set, so the node takes the first free port of 9200-9300") {
			t.Fatalf("node finding: %+v", fs)
		}
		proxy := find(fs, "nginx proxies to port 9200, but the node's log shows HTTP bound to port 9201")
		if len(proxy) != 1 || proxy[0].Span.File != "nginx.conf" || proxy[0].Span.Start.Line != 5 || proxy[0].Span.Start.Col != 50 ||
			!strings.Contains(proxy[0].Message, "last start at 2018-05-17T08:19:48,895") {
			t.Fatalf("nginx finding: %+v", fs)
		}
	})
	t.Run("a port outside the file's", func(t *testing.T) {
		fs := mapTree(t, map[string]string{"elasticsearch.yml": "network.host: 0.0.0.0\n"}, logFile(t, "dcos-plain-6.1-http-1027.log"))
		if got := find(fs, "HTTP bound to port 1027, but http.port is not set (9200)"); len(got) != 1 || got[0].Severity != analyzer.Warning {
			t.Fatalf("findings %+v", fs)
		}
		fs = mapTree(t, map[string]string{"elasticsearch.yml": "network.host: 0.0.0.0\nhttp.port: 9200\n"}, logFile(t, "dcos-plain-6.1-http-1027.log"))
		if got := find(fs, "but http.port says 9200"); len(got) != 1 || got[0].Span.Start.Line != 2 || got[0].Span.Start.Col != 12 {
			t.Fatalf("findings %+v", fs)
		}
	})
	t.Run("nginx proxies to the transport port", func(t *testing.T) {
		fs := mapTree(t, map[string]string{"elasticsearch.yml": "cluster.name: logs\n", "nginx.conf": nginxConf("9300")}, beats)
		got := find(fs, "nginx proxies HTTP to port 9300, which the node's log shows is its transport port")
		if len(got) != 1 || got[0].Severity != analyzer.Error || !strings.Contains(got[0].Message, "proxy to port 9200") {
			t.Fatalf("findings %+v", fs)
		}
	})
	t.Run("transport on another port of its range", func(t *testing.T) {
		fs := mapTree(t, map[string]string{"elasticsearch.yml": "cluster.name: logs\n"}, logFile(t, "es2-plain-transport-9402.log"))
		if got := find(fs, "transport bound to port 9400, not 9300"); len(got) != 1 || got[0].Severity != analyzer.Info {
			t.Fatalf("findings %+v", fs)
		}
	})
	t.Run("a 2.1 node bound to loopback only", func(t *testing.T) {
		fs := mapTree(t, map[string]string{"elasticsearch.yml": "network.bind_host: localhost\nnetwork.publish_host: 10.165.33.223\n"}, logFile(t, "es2.1-plain-loopback.log"))
		got := find(fs, "HTTP bound to 127.0.0.1:9200 only, loopback")
		if len(got) != 1 || got[0].Span.Start.Line != 1 || got[0].Severity != analyzer.Warning {
			t.Fatalf("findings %+v", fs)
		}
	})
	t.Run("a failed check of a 6.x node behind compose", func(t *testing.T) {
		fs := mapTree(t, map[string]string{"elasticsearch.yml": "network.host: 0.0.0.0\n"}, logFile(t, "ambar-compose-6.x-bootstrap.log"))
		if len(fs) != 1 || !strings.Contains(fs[0].Message, "vm.max_map_count [65530]") || fs[0].Span.Start.Col != 15 {
			t.Fatalf("findings %+v", fs)
		}
	})

	// Negative cases: what the files say is what the log shows.
	t.Run("ports as the file and nginx say", func(t *testing.T) {
		fs := mapTree(t, map[string]string{"elasticsearch.yml": "http.port: 9200\n", "nginx.conf": nginxConf("9200")}, beats)
		if got := append(find(fs, "bound to port"), find(fs, "proxies")...); len(got) != 0 {
			t.Fatalf("port findings %+v", got)
		}
		fs = mapTree(t, map[string]string{"elasticsearch.yml": "network.host: 0.0.0.0\nhttp.port: 1027\n"}, logFile(t, "dcos-plain-6.1-http-1027.log"))
		if len(fs) != 0 {
			t.Fatalf("findings %+v", fs)
		}
	})
	t.Run("the log agrees with the file: nginx's other port is left to xc-port-mismatch", func(t *testing.T) {
		// A container may publish the node's 9200 as 9201 on the host.
		fs := mapTree(t, map[string]string{"elasticsearch.yml": "cluster.name: logs\n", "nginx.conf": nginxConf("9201")}, beats)
		if got := append(find(fs, "bound to port"), find(fs, "proxies")...); len(got) != 0 {
			t.Fatalf("port findings %+v", got)
		}
	})
	t.Run("warnings of development mode are not failures", func(t *testing.T) {
		fs := mapTree(t, map[string]string{"opensearch.yml": "cluster.name: logs\n"}, logFile(t, "opensearch-plain-1.2.0.log"))
		if got := find(fs, "bootstrap check"); len(got) != 0 {
			t.Fatalf("findings %+v", got)
		}
		fs = mapTree(t, map[string]string{"elasticsearch.yml": "cluster.name: logs\n"}, logFile(t, "reportportal-plain-7.5.2.log"))
		if got := find(fs, "bootstrap check"); len(got) != 0 || len(fs) != 1 || fs[0].Severity != analyzer.Info {
			t.Fatalf("findings %+v", fs)
		}
	})
	t.Run("a ${VAR} port is not compared", func(t *testing.T) {
		fs := mapTree(t, map[string]string{"elasticsearch.yml": "network.host: 0.0.0.0\nhttp.port: ${HTTP_PORT}\n"}, logFile(t, "dcos-plain-6.1-http-1027.log"))
		if len(fs) != 0 {
			t.Fatalf("findings %+v", fs)
		}
	})
}
