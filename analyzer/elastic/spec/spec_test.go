package spec

import (
	"reflect"
	"strings"
	"testing"
)

func mustLookup(t *testing.T, key string, p Product) *Setting {
	t.Helper()
	s := Lookup(key, p)
	if s == nil {
		t.Fatalf("Lookup(%q, %v) = nil", key, p)
	}
	return s
}

func v(major, minor int) Version { return Version{major, minor} }

// TestFacts pins hand-picked facts; the comment on each case names where
// it was checked.
func TestFacts(t *testing.T) {
	t.Run("http.port", func(t *testing.T) {
		// HttpTransportSettings.java: new Setting<>("http.port", "9200-9300", PortsRange::new, NodeScope)
		s := mustLookup(t, "http.port", Elasticsearch)
		if s.Default != "9200-9300" || DefaultHTTPPort != "9200-9300" || s.Type != Port || s.Dynamic {
			t.Errorf("%+v", s)
		}
	})
	t.Run("transport.port", func(t *testing.T) {
		// docs networking-settings.md; 7.x TransportSettings.java; introduced in 6.7 (8.0 migration guide)
		s := mustLookup(t, "transport.port", OpenSearch)
		if s.Default != DefaultTransportPort || s.Since != v(6, 7) || s.Fallback[0] != "transport.tcp.port" {
			t.Errorf("%+v", s)
		}
	})
	t.Run("network.host", func(t *testing.T) {
		// NetworkService.java: DEFAULT_NETWORK_HOST = "_local_"
		s := mustLookup(t, "network.host", Elasticsearch)
		if s.Default != "_local_" || DefaultHost != "_local_" || s.Type != List {
			t.Errorf("%+v", s)
		}
	})
	t.Run("http.bind_host fallback", func(t *testing.T) {
		// HttpTransportSettings.java (falls back to http.host) and networking-settings.md
		s := mustLookup(t, "http.bind_host", Both)
		want := []string{"http.host", "network.bind_host", "network.host"}
		if !reflect.DeepEqual(s.Fallback, want) {
			t.Errorf("fallback %v, want %v", s.Fallback, want)
		}
	})
	t.Run("discovery.zen.ping.unicast.hosts", func(t *testing.T) {
		// The brief said "removed in 7.0"; the sources say otherwise: 7.x still
		// reads it as a deprecated fallback (discovery-settings.asciidoc, 7.0
		// migration guide) and 8.0 removed it (8.0 migration guide).
		s := mustLookup(t, "discovery.zen.ping.unicast.hosts", Elasticsearch)
		if s.Deprecated != v(7, 0) || s.Until != v(8, 0) || s.Replacement != "discovery.seed_hosts" {
			t.Errorf("%+v", s)
		}
		if !s.In(v(7, 17)) || s.In(v(8, 0)) || !s.RemovedIn(Elasticsearch, v(8, 1)) || s.RemovedIn(Elasticsearch, v(7, 5)) {
			t.Error("version range wrong")
		}
		// OpenSearch forked from 7.10 and still reads it (ClusterBootstrapService.java).
		if !s.InProduct(OpenSearch, v(2, 11)) || !s.DeprecatedIn(OpenSearch, v(2, 11)) {
			t.Error("OpenSearch should have it, deprecated")
		}
	})
	t.Run("node.master", func(t *testing.T) {
		// migrate_7_9.asciidoc (deprecated) and migrate_8_0 cluster-node-setting-changes (removed)
		s := mustLookup(t, "node.master", Elasticsearch)
		if s.Until != v(8, 0) || s.Deprecated != v(7, 9) || s.Replacement != "node.roles" || s.Type != Bool {
			t.Errorf("%+v", s)
		}
		if r := mustLookup(t, "node.roles", Elasticsearch); r.Since != v(7, 9) || r.Type != List {
			t.Errorf("node.roles %+v", r)
		}
	})
	t.Run("xpack.security.enabled", func(t *testing.T) {
		// XPackSettings.java (8.x): boolSetting("xpack.security.enabled", true); 7.0 migration guide: false on basic/trial
		if s := LookupIn("xpack.security.enabled", Elasticsearch, v(8, 0)); s == nil || s.Default != "true" || s.Since != SecurityOnByDefault {
			t.Errorf("8.0: %+v", s)
		}
		if s := LookupIn("xpack.security.enabled", Elasticsearch, v(7, 17)); s == nil || s.Default != "false" {
			t.Errorf("7.17: %+v", s)
		}
		if s := mustLookup(t, "xpack.security.enabled", Elasticsearch); s.Default != "true" {
			t.Errorf("unknown version should give the newest row, got %+v", s)
		}
		if s := Lookup("xpack.security.enabled", OpenSearch); s != nil {
			t.Errorf("OpenSearch has no x-pack, got %+v", s)
		}
	})
	t.Run("plugins.security.ssl.http.enabled", func(t *testing.T) {
		// SSLConfigConstants.java: SECURITY_SSL_HTTP_ENABLED_DEFAULT = false
		s := mustLookup(t, "plugins.security.ssl.http.enabled", OpenSearch)
		if s.Product != OpenSearch || s.Default != "false" || s.Type != Bool {
			t.Errorf("%+v", s)
		}
		if Lookup("plugins.security.ssl.http.enabled", Elasticsearch) != nil {
			t.Error("Elasticsearch should not know it")
		}
		if Lookup("plugins.security.ssl.http.enabled", Both) == nil {
			t.Error("Both should accept an OpenSearch row")
		}
	})
	t.Run("transport.tcp.port", func(t *testing.T) {
		// 8.0 migration guide: deprecated in 7.x, removed in 8.0, replaced by transport.port; 7.1 per shared notes
		s := mustLookup(t, "transport.tcp.port", Elasticsearch)
		if s.Replacement != "transport.port" || s.Until != v(8, 0) || s.Deprecated != v(7, 1) {
			t.Errorf("%+v", s)
		}
		if !s.DeprecatedIn(Elasticsearch, v(7, 1)) || s.DeprecatedIn(Elasticsearch, v(7, 0)) {
			t.Error("deprecation boundary wrong")
		}
	})
	t.Run("http.enabled", func(t *testing.T) {
		// migrate_7_0/settings.asciidoc: "Http enabled setting removed" (verified: removed in 7.0)
		s := mustLookup(t, "http.enabled", Elasticsearch)
		if s.Until != v(7, 0) || !s.In(v(6, 8)) || s.In(v(7, 0)) {
			t.Errorf("%+v", s)
		}
		if s.InProduct(OpenSearch, v(1, 0)) || !s.RemovedIn(OpenSearch, v(1, 0)) {
			t.Error("OpenSearch (forked from 7.10) never had it")
		}
	})
	t.Run("cluster manager rename", func(t *testing.T) {
		// OpenSearch ClusterBootstrapService.java: initial_master_nodes Deprecated, initial_cluster_manager_nodes falls back to it
		s := mustLookup(t, "cluster.initial_cluster_manager_nodes", OpenSearch)
		if s.Since != v(2, 0) || len(s.Fallback) != 1 || s.Fallback[0] != "cluster.initial_master_nodes" {
			t.Errorf("%+v", s)
		}
		if Lookup("cluster.initial_cluster_manager_nodes", Elasticsearch) != nil {
			t.Error("Elasticsearch has no cluster_manager names")
		}
		old := mustLookup(t, "cluster.initial_master_nodes", OpenSearch)
		if old.Product != OpenSearch || old.Deprecated != v(2, 0) || old.Replacement != "cluster.initial_cluster_manager_nodes" {
			t.Errorf("OpenSearch row %+v", old)
		}
		if es := mustLookup(t, "cluster.initial_master_nodes", Elasticsearch); es.Product != Elasticsearch || es.Since != v(7, 0) || !es.Deprecated.IsZero() {
			t.Errorf("Elasticsearch row %+v", es)
		}
	})
	t.Run("bootstrap.system_call_filter", func(t *testing.T) {
		// BootstrapSettings.java (DeprecatedWarning); 8.0 migration guide: deprecated 7.13, removed 8.0
		s := mustLookup(t, "bootstrap.system_call_filter", Both)
		if s.Until != v(8, 0) || s.Deprecated != v(7, 13) {
			t.Errorf("%+v", s)
		}
		// deprecated after the fork: OpenSearch has it without the warning
		if !s.InProduct(OpenSearch, v(2, 0)) || s.DeprecatedIn(OpenSearch, v(2, 0)) {
			t.Error("OpenSearch view wrong")
		}
	})
	t.Run("action.destructive_requires_name", func(t *testing.T) {
		// 8.0 migration guide: default changed from false to true
		if s := LookupIn("action.destructive_requires_name", Elasticsearch, v(8, 1)); s == nil || s.Default != "true" || !s.Dynamic {
			t.Errorf("8.1: %+v", s)
		}
		if s := LookupIn("action.destructive_requires_name", Elasticsearch, v(7, 10)); s == nil || s.Default != "false" {
			t.Errorf("7.10: %+v", s)
		}
		if s := Lookup("action.destructive_requires_name", OpenSearch); s == nil || s.Default != "false" {
			t.Errorf("OpenSearch: %+v", s)
		}
	})
	t.Run("disk watermark", func(t *testing.T) {
		// DiskThresholdSettings.java: "85%", Dynamic
		s := mustLookup(t, "cluster.routing.allocation.disk.watermark.low", Both)
		if s.Default != "85%" || !s.Dynamic {
			t.Errorf("%+v", s)
		}
	})
	t.Run("sources", func(t *testing.T) {
		s := mustLookup(t, "http.port", Both)
		if !strings.Contains(s.Source, "elastic/elasticsearch server/src/main/java/org/elasticsearch/http/HttpTransportSettings.java@") {
			t.Errorf("source %q", s.Source)
		}
	})
}

func TestLookupPlaceholders(t *testing.T) {
	for _, c := range []struct {
		key  string
		p    Product
		want string // row key, "" for nil
	}{
		{"transport.profiles.client.port", Elasticsearch, "transport.profiles.*.port"},
		{"transport.profiles.default.bind_host", OpenSearch, "transport.profiles.*.bind_host"},
		{"transport.profiles.client.tcp.no_delay", Both, "transport.profiles.*.tcp.no_delay"},
		{"node.attr.rack", Elasticsearch, "node.attr.*"},
		{"node.attr.rack_id", OpenSearch, "node.attr.*"},
		{"logger.org.opensearch.security.auth", OpenSearch, "logger.*"},
		{"logger.level", OpenSearch, "logger.level"},
		{"xpack.security.authc.realms.ldap.ldap1.order", Elasticsearch, "xpack.security.authc.realms.*.*.order"},
		{"xpack.security.authc.realms.ldap.ldap1.url", Elasticsearch, "xpack.security.authc.realms.*.*"},
		{"thread_pool.write.queue_size", Elasticsearch, "thread_pool.*.queue_size"},
		{"thread_pool.bulk.size", Elasticsearch, "thread_pool.bulk.size"}, // exact row beats the pattern
		{"cluster.remote.connect", Elasticsearch, "cluster.remote.connect"},
		{"cluster.remote.leader.seeds", Elasticsearch, "cluster.remote.*.seeds"},
		{"index.codec", Elasticsearch, "index.codec"},
		{"index.number_of_shards", Elasticsearch, "index.*"},
		{"path.data.0", Elasticsearch, "path.data"}, // legacy numbered list item
		{"node.name.0", Elasticsearch, ""},          // not a list
		{"transport.profiles.client", Elasticsearch, ""},
		{"xpack.monitoring.exporters.id1.host", OpenSearch, ""},
		{"netwrok.host", Elasticsearch, ""},
		{"network..host", Elasticsearch, ""},
		{"", Elasticsearch, ""},
		{"node.attr.", Elasticsearch, ""},
	} {
		s := Lookup(c.key, c.p)
		got := ""
		if s != nil {
			got = s.Key
		}
		if got != c.want {
			t.Errorf("Lookup(%q, %v) = %q, want %q", c.key, c.p, got, c.want)
		}
	}
}

func TestCheckValue(t *testing.T) {
	row := func(key string) *Setting { return mustLookup(t, key, Both) }
	for _, c := range []struct {
		key, value string
		ok         bool
	}{
		{"bootstrap.memory_lock", "true", true},
		{"bootstrap.memory_lock", "false", true},
		{"bootstrap.memory_lock", "yes", false},
		{"bootstrap.memory_lock", "True", false},
		{"bootstrap.memory_lock", "1", false},
		{"bootstrap.memory_lock", "${MEMLOCK}", true}, // unknown until start-up
		{"http.port", "9200", true},
		{"http.port", "9200-9300", true},
		{"http.port", "9200, 9205-9210", true},
		{"http.port", "0", true},
		{"http.port", "65535", true},
		{"http.port", "65536", false},
		{"http.port", "9300-9200", false},
		{"http.port", "92OO", false},
		{"http.port", "", false},
		{"http.port", "-", false},
		{"http.max_content_length", "100mb", true},
		{"http.max_content_length", "1.5GB", true},
		{"http.max_content_length", "-1", true},
		{"http.max_content_length", "100", false},
		{"http.max_content_length", "100 parsecs", false},
		{"indices.memory.index_buffer_size", "10%", true},
		{"indices.memory.index_buffer_size", "512mb", true},
		{"indices.memory.index_buffer_size", "110%", false},
		{"transport.connect_timeout", "30s", true},
		{"transport.connect_timeout", "500ms", true},
		{"transport.connect_timeout", "2m", true},
		{"transport.connect_timeout", "0", true},
		{"transport.connect_timeout", "30", false},
		{"transport.connect_timeout", "0.5s", false},
		{"transport.connect_timeout", "1w", false},
		{"discovery.zen.minimum_master_nodes", "2", true},
		{"discovery.zen.minimum_master_nodes", "two", false},
		{"cluster.routing.allocation.enable", "primaries", true},
		{"cluster.routing.allocation.enable", "ALL", true},
		{"cluster.routing.allocation.enable", "some", false},
		{"node.processors", "1.5", true},
		{"node.processors", "many", false},
		{"cluster.name", "anything at all", true},
		{"discovery.seed_hosts", "a,b", true},
	} {
		err := CheckValue(row(c.key), c.value)
		if (err == nil) != c.ok {
			t.Errorf("CheckValue(%s, %q) = %v, want ok=%v", c.key, c.value, err, c.ok)
		}
	}
	// SecureSetting.java: a secure setting found in elasticsearch.yml stops the node.
	sec := mustLookup(t, "xpack.security.transport.ssl.keystore.secure_password", Elasticsearch)
	if sec.Type != Secure {
		t.Errorf("secure_password type %v", sec.Type)
	}
	for _, val := range []string{"changeme", "${KS_PASS}"} {
		if err := CheckValue(sec, val); err == nil || !strings.Contains(err.Error(), "keystore") {
			t.Errorf("CheckValue(secure, %q) = %v, want the keystore error", val, err)
		}
	}
	if err := CheckValue(mustLookup(t, "xpack.security.transport.ssl.keystore.password", Elasticsearch), "changeme"); err != nil {
		t.Errorf("the legacy password setting is still read from the file: %v", err)
	}
	if CheckValue(nil, "x") != nil {
		t.Error("nil setting must not fail")
	}
	if err := CheckValue(row("bootstrap.memory_lock"), "yes"); err == nil || !strings.Contains(err.Error(), "[true] or [false]") {
		t.Errorf("bool message: %v", err)
	}
}

func TestParsePorts(t *testing.T) {
	got, err := ParsePorts(" 9200 , 9205-9210,")
	want := [][2]int{{9200, 9200}, {9205, 9210}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ParsePorts = %v, %v; want %v", got, err, want)
	}
}

func TestSuggest(t *testing.T) {
	for _, c := range []struct {
		key  string
		p    Product
		want string
	}{
		{"netwrok.host", Elasticsearch, "network.host"},
		{"network.hots", OpenSearch, "network.host"},
		{"http.prot", Elasticsearch, "http.port"},
		{"xpack.security.enabeld", Elasticsearch, "xpack.security.enabled"},
		{"plugins.security.ssl.http.enabeld", OpenSearch, "plugins.security.ssl.http.enabled"},
		{"discovery.seed_host", Elasticsearch, "discovery.seed_hosts"},
		{"transport.profiles.client.prot", Elasticsearch, "transport.profiles.client.port"},
		{"network.host", Elasticsearch, ""}, // known: nothing to suggest
		{"htp.prt", Elasticsearch, ""},      // two edits are too many for a key this short
		{"node.attr.rack", Elasticsearch, ""},
		{"completely.unrelated.setting", Elasticsearch, ""},
		{"", Elasticsearch, ""},
		{"xpack.security.enabeld", OpenSearch, ""},                                                   // OpenSearch has no x-pack
		{"xpack.monitoring.colection.enabled", Elasticsearch, "xpack.monitoring.collection.enabled"}, // known only via xpack.monitoring.*
		{"cluster.remote.conect", Elasticsearch, "cluster.remote.connect"},
		{"logger.org.elasticsearch.transport", Elasticsearch, ""},
	} {
		if got := Suggest(c.key, c.p); got != c.want {
			t.Errorf("Suggest(%q, %v) = %q, want %q", c.key, c.p, got, c.want)
		}
	}
}

func TestParseVersion(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Version
		ok   bool
	}{
		{"8", v(8, 0), true},
		{"8.11", v(8, 11), true},
		{"8.11.3", v(8, 11), true},
		{"v7.17.9", v(7, 17), true},
		{"8.12.0-SNAPSHOT", v(8, 12), true},
		{" 2.11 ", v(2, 11), true},
		{"", Version{}, false},
		{"eight", Version{}, false},
		{"8.x", Version{}, false},
		{"8..1", Version{}, false},
		{"1.2.3.4", Version{}, false},
		{"0.0", Version{}, false},
		{"-1", Version{}, false},
		{"opensearch-2.11", Version{}, false},
	} {
		got, err := ParseVersion(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseVersion(%q) = %v, %v; want %v ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
	if v(7, 17).Less(v(7, 9)) || !v(7, 9).Less(v(7, 17)) || !v(7, 17).Less(v(8, 0)) {
		t.Error("Less orders by number, not text")
	}
	if v(8, 11).String() != "8.11" || (Version{}).String() != "" {
		t.Error("String")
	}
}

func TestIn(t *testing.T) {
	s := &Setting{Since: v(7, 0), Until: v(8, 0)}
	for _, c := range []struct {
		v  Version
		in bool
	}{{v(6, 8), false}, {v(7, 0), true}, {v(7, 17), true}, {v(8, 0), false}, {Version{}, true}} {
		if s.In(c.v) != c.in {
			t.Errorf("In(%v) = %v", c.v, !c.in)
		}
	}
}

func TestSpecialHosts(t *testing.T) {
	for _, c := range []struct {
		in, inner, name, family string
		ok                      bool
	}{
		{"_local_", "local", "local", "", true},
		{"_eth0:ipv6_", "eth0:ipv6", "eth0", "ipv6", true},
		{"#site:ipv4#", "site:ipv4", "site", "ipv4", true},
		{"0.0.0.0", "", "", "", false},
		{"_", "", "", "", false},
		{"_local", "", "", "", false},
	} {
		inner, ok := IsSpecialHost(c.in)
		if ok != c.ok || inner != c.inner {
			t.Errorf("IsSpecialHost(%q) = %q, %v", c.in, inner, ok)
			continue
		}
		if ok {
			if n, f := HostFamily(inner); n != c.name || f != c.family {
				t.Errorf("HostFamily(%q) = %q, %q", inner, n, f)
			}
		}
	}
	for h, v := range RemovedSpecialHosts {
		if _, ok := IsSpecialHost(h); !ok || v.IsZero() {
			t.Errorf("removed special host %q: not special or no version", h)
		}
	}
	for _, h := range SpecialHosts {
		if _, ok := IsSpecialHost(h.Value); !ok {
			t.Errorf("listed special host %q is not recognised", h.Value)
		}
	}
}

// TestBootstrapChecks: every setting a check names is in the table, for the
// check's product.
func TestBootstrapChecks(t *testing.T) {
	decidable := 0
	for _, c := range BootstrapChecks {
		for _, k := range c.Settings {
			p := c.Product
			if k == "cluster.initial_cluster_manager_nodes" {
				p = OpenSearch
			}
			if Lookup(strings.ReplaceAll(k, "*", "x"), p) == nil {
				t.Errorf("check %q names unknown setting %s", c.Name, k)
			}
		}
		if len(c.Settings) > 0 {
			decidable++
		}
		if c.Source == "" || c.Condition == "" {
			t.Errorf("check %q lacks a source or condition", c.Name)
		}
	}
	if decidable < 5 {
		t.Errorf("only %d checks name settings", decidable)
	}
	for _, k := range ProductionTriggers {
		if Lookup(k, Both) == nil {
			t.Errorf("production trigger %s unknown", k)
		}
	}
}
