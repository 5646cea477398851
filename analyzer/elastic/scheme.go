package elastic

import "strings"

// Scheme is what the HTTP layer of a node speaks, decided from its
// settings (shared notes §3.2 for Elasticsearch, §8 for OpenSearch).
type Scheme struct {
	HTTPS bool
	// AutoConfig is set when HTTPS comes only from Elasticsearch 8's
	// security auto-configuration, which writes TLS into the file on the
	// first start of a package, archive or Docker install.
	AutoConfig bool
	// Setting is the occurrence that decided (nil for a default or for
	// auto-configuration).
	Setting *Setting
	// Why says it in words, for messages.
	Why string
}

// HTTPScheme decides the HTTP layer's protocol. from8 says whether the
// node is Elasticsearch 8.0 or later (pass true when the release is not
// known: the newest release decides, and AutoConfig says so).
func (s *Settings) HTTPScheme(from8 bool) Scheme {
	if s.Flavor == OpenSearch {
		if st, ok := s.boolSetting("plugins.security.disabled"); ok && st.Values[0].Text == "true" {
			return Scheme{Setting: st, Why: "plugins.security.disabled: true turns the security plugin, and its TLS, off"}
		}
		for _, key := range []string{"plugins.security.ssl.http.enabled", "opendistro_security.ssl.http.enabled"} {
			if st, ok := s.boolSetting(key); ok {
				return Scheme{HTTPS: st.Values[0].Text == "true", Setting: st, Why: key + ": " + st.Values[0].Text}
			}
		}
		if s.DemoInstaller {
			return Scheme{HTTPS: true, AutoConfig: true, Why: "the OpenSearch image's demo security installer turns HTTPS on at the " +
				"first start (no plugins.security setting, DISABLE_INSTALL_DEMO_CONFIG not set)"}
		}
		return Scheme{Why: "plugins.security.ssl.http.enabled is not set (default false)"}
	}
	if st, ok := s.boolSetting("xpack.security.enabled"); ok && st.Values[0].Text == "false" {
		return Scheme{Setting: st, Why: "xpack.security.enabled: false turns security, and its TLS, off"}
	}
	if st, ok := s.boolSetting("xpack.security.http.ssl.enabled"); ok {
		return Scheme{HTTPS: st.Values[0].Text == "true", Setting: st, Why: "xpack.security.http.ssl.enabled: " + st.Values[0].Text}
	}
	if from8 && !s.SkipsAutoConfig() {
		return Scheme{HTTPS: true, AutoConfig: true, Why: "Elasticsearch 8's security auto-configuration turns HTTPS on at the first start " +
			"(the file sets no xpack.security.* or discovery setting that would skip it)"}
	}
	return Scheme{Why: "xpack.security.http.ssl.enabled is not set (default false)"}
}

// boolSetting returns the applied occurrence of a boolean setting with a
// literal value.
func (s *Settings) boolSetting(key string) (*Setting, bool) {
	st := s.Get(key)
	if st == nil || len(st.Values) != 1 || st.Values[0].Null || st.Values[0].Placeholder {
		return nil, false
	}
	return st, true
}

// SkipsAutoConfig reports whether Elasticsearch 8's security
// auto-configuration leaves the file alone (AutoConfigureNode's checks
// that can be read from the file): security settings already present, the
// feature turned off, or a node configured to form or join a multi-node
// cluster, or one that is not master-eligible.
func (s *Settings) SkipsAutoConfig() bool {
	for _, st := range s.All {
		if st.Key == "xpack.security.enabled" || strings.HasPrefix(st.Key, "xpack.security.http.ssl.") ||
			strings.HasPrefix(st.Key, "xpack.security.transport.ssl.") {
			return true
		}
	}
	if st, ok := s.boolSetting("xpack.security.autoconfiguration.enabled"); ok && st.Values[0].Text == "false" {
		return true
	}
	single := false
	if st, ok := s.boolSetting("discovery.type"); ok && st.Values[0].Text == "single-node" {
		single = true
	}
	if !single {
		for _, key := range []string{"discovery.seed_hosts", "discovery.seed_providers"} {
			if st := s.Get(key); st != nil && len(s.bindValues(st)) > 0 {
				return true
			}
		}
		if st := s.Get("cluster.initial_master_nodes"); st != nil {
			name := ""
			if n := s.Get("node.name"); n != nil && len(n.Values) == 1 {
				name = n.Values[0].Text
			}
			for _, v := range s.bindValues(st) {
				if v.Text != name && v.Text != "${HOSTNAME}" {
					return true
				}
			}
		}
	}
	if st := s.Get("node.roles"); st != nil && st.List {
		master := false
		for _, v := range st.Values {
			if v.Text == "master" {
				master = true
			}
		}
		if !master {
			return true
		}
	}
	return false
}
