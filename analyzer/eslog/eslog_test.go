package eslog

import (
	"os"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
)

// Lines in each format the node writes: plain (7.x to 9.x, OpenSearch,
// with a docker compose or journald prefix), 7.x JSON, 8.x ECS JSON, and
// the console lines of a failed start. Where this table's lines came from
// was not recorded; TestRealLogs reads real lines whose sources are in
// testdata/logs/SOURCES.md, and the OpenSearch line below is one of them.
func TestParseLine(t *testing.T) {
	for _, c := range []struct {
		line   string
		kind   Kind
		detail string
		bound  string
		time   string
	}{
		{`[2021-11-10T10:29:41,395][INFO ][o.e.h.AbstractHttpServerTransport] [9f911f701eba] publish_address {127.0.0.1:9200}, bound_addresses {127.0.0.1:9200}`,
			BoundHTTP, "", "127.0.0.1:9200", "2021-11-10T10:29:41,395"},
		{`Dec 26 05:57:35 server2 elasticsearch[6816]: [2024-12-26T05:57:35,995][INFO ][o.e.h.AbstractHttpServerTransport] [server2] publish_address {10.0.0.4:9200}, bound_addresses {[::]:9200}`,
			BoundHTTP, "", "[::]:9200", "2024-12-26T05:57:35,995"},
		{`[2022-05-07T12:34:38,198][INFO ][o.e.t.TransportService   ] [mac.local] publish_address {127.0.0.1:9300}, bound_addresses {[::1]:9300}, {127.0.0.1:9300}`,
			BoundTransport, "", "[::1]:9300,127.0.0.1:9300", "2022-05-07T12:34:38,198"},
		{`es01     | {"type": "server", "timestamp": "2020-11-30T23:14:35,609Z", "level": "INFO", "component": "o.e.h.AbstractHttpServerTransport", "cluster.name": "es-docker-cluster", "node.name": "es01", "message": "publish_address {172.29.0.3:9200}, bound_addresses {0.0.0.0:9200}" }`,
			BoundHTTP, "", "0.0.0.0:9200", "2020-11-30T23:14:35,609Z"},
		{`{"@timestamp":"2024-11-17T07:47:31.093Z", "log.level": "INFO", "message":"publish_address {172.18.0.3:9200}, bound_addresses {[::]:9200}", "ecs.version": "1.2.0","service.name":"ES_ECS","event.dataset":"elasticsearch.server","process.thread.name":"main","log.logger":"org.elasticsearch.http.AbstractHttpServerTransport","elasticsearch.node.name":"70bc4bc6d3ea","elasticsearch.cluster.name":"docker-cluster"}`,
			BoundHTTP, "", "[::]:9200", "2024-11-17T07:47:31.093Z"},
		{`bootstrap check failure [1] of [1]: max virtual memory areas vm.max_map_count [65530] is too low, increase to at least [262144]`,
			BootstrapFailure, "max virtual memory areas vm.max_map_count [65530] is too low, increase to at least [262144]", "", ""},
		{`sonarqube  | bootstrap check failure [1] of [1]: the default discovery settings are unsuitable for production use; at least one of [discovery.seed_hosts, discovery.seed_providers, cluster.initial_master_nodes] must be configured`,
			BootstrapFailure, "the default discovery settings are unsuitable for production use; at least one of [discovery.seed_hosts, discovery.seed_providers, cluster.initial_master_nodes] must be configured", "", ""},
		{`java.lang.IllegalArgumentException: unknown setting [discovery.zen.minimum_master_nodes] please check that any required plugins are installed, or check the breaking changes documentation for removed settings`,
			UnknownSetting, "discovery.zen.minimum_master_nodes", "", ""},
		{`[2023-01-05T10:00:00,000][WARN ][o.e.x.s.t.n.SecurityNetty4HttpServerTransport] [node-1] received plaintext http traffic on an https channel, closing connection Netty4HttpChannel{localAddress=/127.0.0.1:9200, remoteAddress=/127.0.0.1:53124}`,
			PlaintextOnHTTPS, "", "", "2023-01-05T10:00:00,000"},
		{`opensearch-node1         | Caused by: io.netty.handler.ssl.NotSslRecordException: not an SSL/TLS record: 474554202f20485454502f312e310d0a486f73743a206c6f63616c686f73743a393230300d0a`,
			PlaintextOnHTTPS, "", "", ""},
		{`Caused by: java.net.BindException: Address already in use`, BindFailure, "BindException: Address already in use", "", ""},
	} {
		e, ok := ParseLine(c.line)
		if !ok || e.Kind != c.kind || e.Detail != c.detail || strings.Join(e.Bound, ",") != c.bound || e.Time != c.time {
			t.Errorf("%s\n  got ok=%v %+v", c.line, ok, e)
		}
	}
	for _, line := range []string{
		`[2021-11-10T10:29:41,397][INFO ][o.e.n.Node               ] [9f911f701eba] started`,
		`{"@timestamp":"2024-11-17T07:47:31.121Z", "log.level": "INFO", "message":"started"}`,
		``, `{not json`,
	} {
		if e, ok := ParseLine(line); ok {
			t.Errorf("%q recognised as %+v", line, e)
		}
	}
}

// Mapped onto the run's node: each finding at the setting that decides,
// with the count and the first and last time.
func TestMapper(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := dir + "/" + name
		if err := writeFile(p, src); err != nil {
			t.Fatal(err)
		}
		return p
	}
	yml := write("elasticsearch.yml", "network.host: 0.0.0.0\nhttp.port: 9200\nxpack.security.http.ssl.enabled: true\n")
	ws, err := analyzer.Load([]string{yml}, analyzer.LoadOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	rule := &analyzer.Rule{Name: "es-node-log", Severity: analyzer.Warning}
	m := NewMapper(ws, ws.Elastic, rule)
	// Real lines (testdata/logs): a failed check of 8.7, and two ECS
	// lines of clients speaking plain HTTP to the HTTPS port.
	log := logFile(t, "es-plain-8.7-bootstrap.log") + logFile(t, "ecs-8.1-plaintext.log")
	if err := m.Read("es.log", strings.NewReader(log)); err != nil {
		t.Fatal(err)
	}
	fs := m.Findings()
	if len(fs) != 2 {
		t.Fatalf("%d findings: %+v", len(fs), fs)
	}
	boot, plain := fs[0], fs[1]
	if boot.Span.Start.Line != 1 || boot.Severity != analyzer.Error || !strings.Contains(boot.Message, "the default discovery settings are unsuitable") {
		t.Errorf("bootstrap finding: %+v", boot)
	}
	if plain.Span.Start.Line != 3 || !strings.Contains(plain.Message, "seen 2 times, first 2022-03-09T11:10:32.725Z, last 2022-10-27T01:54:36.049Z") {
		t.Errorf("plaintext finding: %+v", plain)
	}
	// With two nodes the log cannot be told apart.
	m2 := NewMapper(ws, []*elastic.Settings{ws.Elastic[0], ws.Elastic[0]}, rule)
	_ = m2.Read("es.log", strings.NewReader(log))
	if len(m2.Findings()) != 0 || m2.Unmatched != 4 {
		t.Errorf("two nodes: %d findings, %d unmatched", len(m2.Findings()), m2.Unmatched)
	}
}

func writeFile(p, src string) error { return os.WriteFile(p, []byte(src), 0o644) }
