package spec

import (
	"sort"
	"strings"
)

// Requirement is a start-up rule that ties settings together: the node
// refuses to start when the file sets a key matching If (with IfValue,
// when given) but none of the Need alternatives is fully set, or when it
// also sets one of Forbid (to ForbidValue, when given; to anything
// otherwise). A `*` segment in If captures the name
// the user chose (a realm, a layer); the same names fill the `*` segments
// of Need and Forbid.
type Requirement struct {
	Name    string
	Product Product
	// Since is the first release, in Product's numbering, that enforces it
	// (Elasticsearch's for Both, which then holds for every OpenSearch
	// release when Since is not after the fork).
	Since Version
	If    string
	// IfValue, when set, is the value (compared case-insensitively) If's
	// key must have to trigger the rule.
	IfValue string
	// Except lists keys matching If that do not trigger it.
	Except []string
	// Need holds alternatives, each a set of key patterns that must all be
	// set.
	Need [][]string
	// Forbid names keys that must not be set as well.
	Forbid      []string
	ForbidValue string
	Message     string
	Source      string
}

const srcM80TLS = "elastic/elasticsearch docs/reference/migration/migrate_8_0/cluster-node-setting-changes.asciidoc@0c56f81cb72e19047af559cd708837e0513f8221"

// Requirements lists the rules the table knows.
var Requirements = []Requirement{
	{Name: "transport TLS switch", Product: Elasticsearch, Since: Version{8, 0},
		If: "xpack.security.transport.ssl.*", Except: []string{"xpack.security.transport.ssl.enabled"},
		Need:    [][]string{{"xpack.security.transport.ssl.enabled"}},
		Message: "xpack.security.transport.ssl settings need xpack.security.transport.ssl.enabled set explicitly (true or false)",
		Source:  srcM80TLS},
	{Name: "HTTP TLS switch", Product: Elasticsearch, Since: Version{8, 0},
		If: "xpack.security.http.ssl.*", Except: []string{"xpack.security.http.ssl.enabled"},
		Need:    [][]string{{"xpack.security.http.ssl.enabled"}},
		Message: "xpack.security.http.ssl settings need xpack.security.http.ssl.enabled set explicitly (true or false)",
		Source:  srcM80TLS},
	{Name: "transport TLS key", Product: Elasticsearch, Since: Version{8, 0},
		If: "xpack.security.transport.ssl.enabled", IfValue: "true",
		Need: [][]string{{"xpack.security.transport.ssl.keystore.path"},
			{"xpack.security.transport.ssl.certificate", "xpack.security.transport.ssl.key"}},
		Message: "transport TLS is enabled without a key: set xpack.security.transport.ssl.keystore.path, or certificate and key",
		Source:  srcM80TLS},
	{Name: "HTTP TLS key", Product: Elasticsearch, Since: Version{8, 0},
		If: "xpack.security.http.ssl.enabled", IfValue: "true",
		Need: [][]string{{"xpack.security.http.ssl.keystore.path"},
			{"xpack.security.http.ssl.certificate", "xpack.security.http.ssl.key"}},
		Message: "HTTPS is enabled without a key: set xpack.security.http.ssl.keystore.path, or certificate and key",
		Source:  srcM80TLS},
	{Name: "realm order", Product: Elasticsearch, Since: Version{8, 0},
		If: "xpack.security.authc.realms.*.*.*", Except: []string{"xpack.security.authc.realms.*.*.enabled"},
		Need:    [][]string{{"xpack.security.authc.realms.*.*.order"}},
		Message: "every configured realm needs an order",
		Source:  srcM80TLS},
	{Name: "one certificate reload switch", Product: OpenSearch, Since: Version{2, 19},
		If: "plugins.security.ssl_cert_reload_enabled", IfValue: "true",
		Forbid: []string{"plugins.security.ssl.certificates_hot_reload.enabled"}, ForbidValue: "true",
		Message: "plugins.security.ssl_cert_reload_enabled and plugins.security.ssl.certificates_hot_reload.enabled may not both be true",
		Source:  "opensearch-project/security src/main/java/org/opensearch/security/OpenSearchSecurityPlugin.java@3.8.0.0 (start-up check)"},
	{Name: "node.roles with legacy role settings", Product: Both, Since: Version{7, 9},
		If:      "node.roles",
		Forbid:  []string{"node.master", "node.data", "node.ingest", "node.ml", "node.transform", "node.voting_only", "node.remote_cluster_client"},
		Message: "node.roles cannot be combined with the legacy node.master / node.data / ... settings, whatever their value; drop them",
		Source:  "elastic/elasticsearch and opensearch-project/OpenSearch server/src/main/java/.../cluster/node/DiscoveryNode.java (validateLegacySettings, code excerpt through the search index)"},
}

// Violation is one broken Requirement: Key is the setting that triggered
// it (report there).
type Violation struct {
	Requirement *Requirement
	Key         string
}

// CheckRequirements checks the flat settings of one file (key to scalar
// value; a list may be given joined) against the Requirements release r
// enforces. An unknown (zero) version counts as the newest; Product Both
// checks nothing, as no rule applies to both distributions. Violations
// come sorted by key, one per rule and captured name (a realm missing its
// order is reported once, at its first key).
func CheckRequirements(settings map[string]string, r Release) []Violation {
	keys := make([]string, 0, len(settings))
	for k := range settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []Violation
	for i := range Requirements {
		q := &Requirements[i]
		if !q.enforcedIn(r) {
			continue
		}
		seen := map[string]bool{}
		for _, k := range keys {
			caps, ok := capture(q.If, k)
			if !ok || excepted(q.Except, k) {
				continue
			}
			if q.IfValue != "" && !strings.EqualFold(strings.TrimSpace(settings[k]), q.IfValue) {
				continue
			}
			id := strings.Join(caps, ".")
			if seen[id] {
				continue
			}
			if q.broken(settings, caps) {
				seen[id] = true
				out = append(out, Violation{Requirement: q, Key: k})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// enforcedIn reports whether release r checks the requirement.
func (q *Requirement) enforcedIn(r Release) bool {
	switch {
	case r.Product == Both:
		return false
	case q.Product == Both && r.Product == OpenSearch:
		return !ForkPoint.Less(q.Since)
	case q.Product != Both && q.Product != r.Product:
		return false
	}
	return r.Version.IsZero() || !r.Version.Less(q.Since)
}

func (q *Requirement) broken(settings map[string]string, caps []string) bool {
	for _, f := range q.Forbid {
		v, ok := settings[fill(f, caps)]
		if ok && (q.ForbidValue == "" || strings.EqualFold(strings.TrimSpace(v), q.ForbidValue)) {
			return true
		}
	}
	for _, alt := range q.Need {
		all := true
		for _, p := range alt {
			if _, ok := settings[fill(p, caps)]; !ok {
				all = false
				break
			}
		}
		if all {
			return false
		}
	}
	return len(q.Need) > 0
}

// capture matches key against a pattern whose `*` segments each take one
// segment, except a trailing `*`, which takes the rest; it returns the
// segments the inner stars took.
func capture(pattern, key string) ([]string, bool) {
	var caps []string
	if _, ok := walkPattern(pattern, key, &caps); !ok {
		return nil, false
	}
	return caps, true
}

func excepted(except []string, key string) bool {
	for _, e := range except {
		if _, ok := capture(e, key); ok && strings.Count(e, ".") == strings.Count(key, ".") {
			return true
		}
	}
	return false
}

// fill puts captured names into a pattern's `*` segments, in order.
func fill(pattern string, caps []string) string {
	ps := strings.Split(pattern, ".")
	n := 0
	for i, p := range ps {
		if p == "*" && n < len(caps) {
			ps[i] = caps[n]
			n++
		}
	}
	return strings.Join(ps, ".")
}
