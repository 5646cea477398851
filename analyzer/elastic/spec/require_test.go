package spec

import (
	"strings"
	"testing"
)

// TestCheckRequirements pins the 8.0 start-up rules of the 8.0 migration
// guide (cluster-node-setting-changes.asciidoc) and the security plugin's
// reload-switch check.
func TestCheckRequirements(t *testing.T) {
	es8 := Release{Elasticsearch, Version{8, 11}}
	for _, c := range []struct {
		name     string
		settings map[string]string
		r        Release
		want     []string // "rule@key"
	}{
		{"guide's invalid transport example", map[string]string{
			"xpack.security.transport.ssl.keystore.path":   "elastic-certificates.p12",
			"xpack.security.transport.ssl.truststore.path": "elastic-certificates.p12",
		}, es8, []string{"transport TLS switch@xpack.security.transport.ssl.keystore.path"}},
		{"guide's valid transport example", map[string]string{
			"xpack.security.transport.ssl.enabled":         "true",
			"xpack.security.transport.ssl.keystore.path":   "elastic-certificates.p12",
			"xpack.security.transport.ssl.truststore.path": "elastic-certificates.p12",
		}, es8, nil},
		{"explicit false is enough", map[string]string{
			"xpack.security.http.ssl.enabled":     "false",
			"xpack.security.http.ssl.certificate": "es.crt",
		}, es8, nil},
		{"7.17 does not enforce", map[string]string{
			"xpack.security.transport.ssl.keystore.path": "x.p12",
		}, Release{Elasticsearch, Version{7, 17}}, nil},
		{"unknown version is the newest", map[string]string{
			"xpack.security.http.ssl.key": "es.key",
		}, Release{Elasticsearch, Version{}}, []string{"HTTP TLS switch@xpack.security.http.ssl.key"}},
		{"HTTPS on without a key", map[string]string{
			"xpack.security.http.ssl.enabled": "true",
		}, es8, []string{"HTTP TLS key@xpack.security.http.ssl.enabled"}},
		{"certificate without key", map[string]string{
			"xpack.security.http.ssl.enabled":     "true",
			"xpack.security.http.ssl.certificate": "es.crt",
		}, es8, []string{"HTTP TLS key@xpack.security.http.ssl.enabled"}},
		{"certificate and key", map[string]string{
			"xpack.security.transport.ssl.enabled":     "TRUE",
			"xpack.security.transport.ssl.certificate": "es.crt",
			"xpack.security.transport.ssl.key":         "es.key",
		}, es8, nil},
		{"guide's realm without order, once per realm", map[string]string{
			"xpack.security.authc.realms.kerberos.kerb1.keytab.path":       "es.keytab",
			"xpack.security.authc.realms.kerberos.kerb1.remove_realm_name": "false",
			"xpack.security.authc.realms.native.realm1.enabled":            "false",
			"xpack.security.authc.realms.file.f1.order":                    "0",
		}, es8, []string{"realm order@xpack.security.authc.realms.kerberos.kerb1.keytab.path"}},
		{"OpenSearch reload switches", map[string]string{
			"plugins.security.ssl_cert_reload_enabled":             "true",
			"plugins.security.ssl.certificates_hot_reload.enabled": "true",
		}, Release{OpenSearch, Version{2, 19}}, []string{"one certificate reload switch@plugins.security.ssl_cert_reload_enabled"}},
		{"OpenSearch one switch", map[string]string{
			"plugins.security.ssl_cert_reload_enabled":             "true",
			"plugins.security.ssl.certificates_hot_reload.enabled": "false",
		}, Release{OpenSearch, Version{3, 0}}, nil},
		// DiscoveryNode.java validateLegacySettings: any legacy role key, even false
		{"roles with a legacy key", map[string]string{
			"node.roles": "master,data", "node.ingest": "false",
		}, Release{Elasticsearch, Version{7, 17}}, []string{"node.roles with legacy role settings@node.roles"}},
		{"roles with a legacy key on OpenSearch", map[string]string{
			"node.roles": "cluster_manager", "node.master": "true",
		}, Release{OpenSearch, Version{2, 11}}, []string{"node.roles with legacy role settings@node.roles"}},
		{"legacy keys alone", map[string]string{
			"node.master": "true", "node.data": "false",
		}, Release{Elasticsearch, Version{7, 17}}, nil},
		{"before node.roles", map[string]string{
			"node.roles": "master", "node.master": "true",
		}, Release{Elasticsearch, Version{7, 8}}, nil},
		{"Elasticsearch rules do not apply to OpenSearch", map[string]string{
			"xpack.security.http.ssl.enabled": "true",
		}, Release{OpenSearch, Version{2, 11}}, nil},
	} {
		var got []string
		for _, v := range CheckRequirements(c.settings, c.r) {
			got = append(got, v.Requirement.Name+"@"+v.Key)
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// TestRequirementsKnown: every key a requirement names is in the table for
// its product.
func TestRequirementsKnown(t *testing.T) {
	for _, q := range Requirements {
		keys := append(append([]string{q.If}, q.Forbid...), q.Except...)
		for _, alt := range q.Need {
			keys = append(keys, alt...)
		}
		for _, k := range keys {
			if k == "" {
				continue
			}
			if Lookup(strings.ReplaceAll(k, "*", "x"), q.Product) == nil && !strings.HasSuffix(k, ".*") {
				t.Errorf("%s: %s not in the table", q.Name, k)
			}
		}
		if q.Source == "" || q.Message == "" || q.Since.IsZero() {
			t.Errorf("%s: source, message or version missing", q.Name)
		}
	}
}
