package spec

import (
	"strings"
	"testing"
)

func TestParseRelease(t *testing.T) {
	for _, c := range []struct {
		in     string
		flavor Product
		want   Release
		err    string // part of the error, "" for none
	}{
		{"8.11.1", Elasticsearch, Release{Elasticsearch, v(8, 11)}, ""},
		{"8.11.1", Both, Release{Elasticsearch, v(8, 11)}, ""}, // 5+ is Elasticsearch
		{"0.90", Both, Release{Elasticsearch, v(0, 90)}, ""},
		{"2.11.0", OpenSearch, Release{OpenSearch, v(2, 11)}, ""},
		{"2.4.6", Elasticsearch, Release{Elasticsearch, v(2, 4)}, ""},
		{"2.11", Both, Release{Both, v(2, 11)}, ""}, // both distributions had 2.x
		{"1.3.9", Both, Release{Both, v(1, 3)}, ""},
		{"3.1", Both, Release{OpenSearch, v(3, 1)}, ""}, // Elasticsearch had no 3.x
		{"v7.17.3", Both, Release{Elasticsearch, v(7, 17)}, ""},
		{"opensearch-2.11.0", Elasticsearch, Release{OpenSearch, v(2, 11)}, ""}, // the name wins
		{"OpenSearch 2.11", Both, Release{OpenSearch, v(2, 11)}, ""},
		{"elasticsearch:8.11.1", Both, Release{Elasticsearch, v(8, 11)}, ""},
		{"docker.elastic.co/elasticsearch/elasticsearch:8.11.1", OpenSearch, Release{Elasticsearch, v(8, 11)}, ""},
		{"opensearchproject/opensearch:2.11.0", Both, Release{OpenSearch, v(2, 11)}, ""},
		{"", OpenSearch, Release{OpenSearch, Version{}}, ""},
		{"8.11.1", OpenSearch, Release{}, "OpenSearch has no 8.x"},
		{"opensearch-7.10", Both, Release{}, "OpenSearch has no 7.x"},
		{"3.0", Elasticsearch, Release{}, "Elasticsearch has no 3.x"},
		{"4.1", Elasticsearch, Release{}, "opensearch-4.1"},
		{"elasticsearch-3.1", Both, Release{}, "Elasticsearch has no 3.x"},
		{"eight", Elasticsearch, Release{}, "not a number"},
		{"opensearch-", Both, Release{}, "want MAJOR"},
	} {
		got, err := ParseRelease(c.in, c.flavor)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("ParseRelease(%q, %v): %v", c.in, c.flavor, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("ParseRelease(%q, %v) error = %v, want one containing %q", c.in, c.flavor, err, c.err)
		case got != c.want:
			t.Errorf("ParseRelease(%q, %v) = %+v, want %+v", c.in, c.flavor, got, c.want)
		}
	}
	if s := (Release{OpenSearch, v(2, 11)}).String(); s != "OpenSearch 2.11" {
		t.Errorf("String = %q", s)
	}
}

// TestHas pins version answers; each case names the source of the fact
// (the row's own source column says the same).
func TestHas(t *testing.T) {
	es := func(s string) Release { return Release{Elasticsearch, mustVersion(t, s)} }
	os := func(s string) Release { return Release{OpenSearch, mustVersion(t, s)} }
	for _, c := range []struct {
		key  string
		r    Release
		want Status
		row  string // the deciding row's default, "-" to skip
	}{
		// migrate_7_0/discovery.asciidoc (ignored, deprecated), migrate_8_0 (removed)
		{"discovery.zen.minimum_master_nodes", es("6.8.23"), Present, "-"},
		{"discovery.zen.minimum_master_nodes", es("7.17.9"), Deprecated, "-"},
		{"discovery.zen.minimum_master_nodes", es("8.11.1"), Removed, "-"},
		{"discovery.zen.minimum_master_nodes", Release{Elasticsearch, Version{}}, Removed, "-"},
		// migrate_7_9: node.roles introduced, node.master deprecated; migrate_8_0: node.master removed
		{"node.roles", es("7.8"), NotYet, "-"},
		{"node.roles", es("7.9.0"), Present, "-"},
		{"node.master", es("7.8"), Present, "-"},
		{"node.master", es("7.9"), Deprecated, "-"},
		{"node.master", es("8.0"), Removed, "-"},
		// XPackSettings.java: default true in 8.x; false on basic/trial before
		{"xpack.security.enabled", es("7.17"), Present, "false"},
		{"xpack.security.enabled", es("8.11.1"), Present, "true"},
		{"xpack.security.enabled", os("2.11.0"), OtherProduct, "-"},
		// 8.0 migration guide: transport.compress default became indexing_data
		{"transport.compress", es("7.17"), Present, "false"},
		{"transport.compress", es("8.11"), Present, "indexing_data"},
		// OpenSearch ClusterBootstrapService.java: cluster_manager names since 2.0, master names deprecated
		{"cluster.initial_cluster_manager_nodes", os("2.11.0"), Present, "-"},
		{"cluster.initial_cluster_manager_nodes", os("1.3.9"), NotYet, "-"},
		{"cluster.initial_cluster_manager_nodes", es("8.11.1"), OtherProduct, "-"},
		{"cluster.initial_master_nodes", os("1.3"), Present, "-"},
		{"cluster.initial_master_nodes", os("2.11"), Deprecated, "-"},
		{"cluster.initial_master_nodes", es("8.11"), Present, "-"},
		// Shared rows seen from OpenSearch (forked from 7.10):
		// discovery.zen.ping.unicast.hosts deprecated in 7.0, still read
		{"discovery.zen.ping.unicast.hosts", os("2.11"), Deprecated, "-"},
		// http.enabled was removed in 7.0, before the fork
		{"http.enabled", os("1.0"), Removed, "-"},
		// bootstrap.system_call_filter deprecated only after the fork (7.13)
		{"bootstrap.system_call_filter", os("2.11"), Present, "-"},
		{"bootstrap.system_call_filter", es("7.13"), Deprecated, "-"},
		{"bootstrap.system_call_filter", es("8.0"), Removed, "-"},
		// DiscoveryNodeRole.java (OpenSearch): node.master is a deprecated legacy setting
		{"node.master", os("2.11"), Deprecated, "-"},
		// opensearch-project/security: passwords move to the keystore in 2.10, OpenSSL goes in 3.0
		{"plugins.security.ssl.transport.keystore_password", os("2.9"), Present, "changeit"},
		{"plugins.security.ssl.transport.keystore_password", os("2.11"), Deprecated, "changeit"},
		{"plugins.security.ssl.transport.keystore_password_secure", os("2.9"), NotYet, "-"},
		{"plugins.security.ssl.http.enable_openssl_if_available", os("2.19"), Present, "true"},
		{"plugins.security.ssl.http.enable_openssl_if_available", os("3.0"), Removed, "-"},
		// dfm_empty_overrides_all: static from 2.0, dynamic from 3.7 (two rows, one range)
		{"plugins.security.dfm_empty_overrides_all", os("1.3"), NotYet, "-"},
		{"plugins.security.dfm_empty_overrides_all", os("3.8"), Present, "false"},
		// placeholders and products
		{"transport.profiles.client.port", os("2.11"), Present, "-"},
		{"transport.profiles.client.port", es("8.11"), Present, "-"},
		{"plugins.security.ssl.http.enabled", os("2.11"), Present, "false"},
		{"plugins.security.ssl.http.enabled", es("8.11"), OtherProduct, "-"},
		{"no.such.setting", es("8.11"), Unknown, "-"},
		{"no.such.setting", os("2.11"), Unknown, "-"},
		// RemoteClusterPortSettings.java: the remote cluster port (8.10 per the row)
		{"remote_cluster_server.enabled", es("8.9"), NotYet, "-"},
		{"remote_cluster_server.enabled", es("8.10"), Present, "false"},
		// 2.11 without a distribution: the key counts for the one that knows it
		{"plugins.security.disabled", Release{Both, v(2, 11)}, Present, "-"},
		{"network.host", Release{Both, v(2, 11)}, Present, "-"},
		{"xpack.security.enabled", Release{Both, Version{}}, Present, "true"},
	} {
		a := Has(c.key, c.r)
		if a.Status != c.want {
			t.Errorf("Has(%q, %v) = %v, want %v", c.key, c.r, a.Status, c.want)
			continue
		}
		if (a.Setting == nil) != (c.want == Unknown) {
			t.Errorf("Has(%q, %v): row %v for status %v", c.key, c.r, a.Setting, a.Status)
			continue
		}
		if c.row != "-" && a.Setting.Default != c.row {
			t.Errorf("Has(%q, %v) row default %q, want %q", c.key, c.r, a.Setting.Default, c.row)
		}
	}
}

func TestHasRange(t *testing.T) {
	if a := Has("plugins.security.dfm_empty_overrides_all", Release{OpenSearch, v(3, 8)}); !a.Setting.Dynamic || a.Since != v(2, 0) || !a.Until.IsZero() {
		t.Errorf("dfm_empty_overrides_all 3.8: %+v", a)
	}
	if a := Has("plugins.security.dfm_empty_overrides_all", Release{OpenSearch, v(3, 6)}); a.Setting.Dynamic {
		t.Errorf("dfm_empty_overrides_all is static before 3.7")
	}
	// Two rows (both until 8.0, es since 8.0) make one open range.
	a := Has("transport.compress", Release{Elasticsearch, v(8, 11)})
	if !a.Since.IsZero() || !a.Until.IsZero() {
		t.Errorf("transport.compress range %v-%v, want open", a.Since, a.Until)
	}
	a = Has("node.master", Release{Elasticsearch, v(8, 11)})
	if a.Until != v(8, 0) || a.Setting.Replacement != "node.roles" {
		t.Errorf("node.master: until %v, row %+v", a.Until, a.Setting)
	}
	a = Has("node.roles", Release{Elasticsearch, v(7, 0)})
	if a.Since != v(7, 9) || a.Status != NotYet {
		t.Errorf("node.roles: %+v", a)
	}
	// Shared rows give OpenSearch no range of its own.
	a = Has("network.host", Release{OpenSearch, v(2, 11)})
	if !a.Since.IsZero() || !a.Until.IsZero() || a.Status != Present {
		t.Errorf("network.host on OpenSearch: %+v", a)
	}
	if !Present.Known() || !Deprecated.Known() || Removed.Known() || Unknown.Known() {
		t.Error("Known")
	}
	if Removed.String() != "removed" || Status(99).String() != "status(99)" {
		t.Error("Status.String")
	}
}

// TestSharedRowsBeforeFork: a shared-lineage row must start before the
// fork, or OpenSearch would be said to have a key Elasticsearch added
// later; such a row belongs to es.
func TestSharedRowsBeforeFork(t *testing.T) {
	for _, s := range All() {
		if s.Product == Both && !s.Since.IsZero() && ForkPoint.Less(s.Since) {
			t.Errorf("%s: shared row since %s, after the fork at %s", s.Key, s.Since, ForkPoint)
		}
	}
}

// TestNoOverlapAcrossLineage: an es row and a both row of one key are on
// the same (Elasticsearch) numbering, so their ranges must not overlap
// either.
func TestNoOverlapAcrossLineage(t *testing.T) {
	rows := map[string][]*Setting{}
	for _, s := range All() {
		if s.Product != OpenSearch {
			rows[s.Key] = append(rows[s.Key], s)
		}
	}
	for k, rs := range rows {
		for i := range rs {
			for j := i + 1; j < len(rs); j++ {
				if rs[i].Product != rs[j].Product && overlaps(rs[i], rs[j]) {
					t.Errorf("%s: es and both rows overlap", k)
				}
			}
		}
	}
}

func mustVersion(t *testing.T, s string) Version {
	t.Helper()
	v, err := ParseVersion(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
