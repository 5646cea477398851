package spec

import (
	"fmt"
	"slices"
)

// Role is one name node.roles accepts. Versions follow the table's rule:
// Both and Elasticsearch rows in Elasticsearch's numbering, OpenSearch
// rows in OpenSearch's, and a name with an OpenSearch row is decided for
// OpenSearch by that row alone.
type Role struct {
	Name    string
	Product Product
	// Since, Until and Deprecated as in Setting (zero: no bound).
	Since, Until, Deprecated Version
	Replacement              string
	// Data roles hold shards.
	Data   bool
	Note   string
	Source string
}

const (
	srcESRole = "elastic/elasticsearch server/src/main/java/org/elasticsearch/cluster/node/DiscoveryNodeRole.java"
	srcOSRole = "opensearch-project/OpenSearch server/src/main/java/org/opensearch/cluster/node/DiscoveryNodeRole.java"
	srcTiers  = "Elasticsearch reference data-tiers.html: 7.10 lists content, hot, warm and cold; 7.12 adds frozen (7.11 not checked)"
	srcM79    = "elastic/elasticsearch docs/reference/migration/migrate_7_9.asciidoc (node.roles replaces the node.* booleans)"
	// OpenSearch PR #3436 (merged, backported to 2.x) lets a node start
	// with a role it does not know; documented for 2.1 (documentation-website PR #787).
	srcOSDynamic = "opensearch-project/OpenSearch PR #3436; opensearch-project/documentation-website PR #787 (2.1)"
)

// Roles lists the built-in role names. node.roles itself exists since 7.9
// (see its row); before that the node.* booleans chose the roles.
var Roles = []Role{
	{Name: "master", Product: Both, Source: srcESRole},
	{Name: "data", Product: Both, Data: true, Source: srcESRole},
	{Name: "ingest", Product: Both, Source: srcESRole},
	{Name: "remote_cluster_client", Product: Both, Since: Version{7, 8}, Source: srcOSRole + " (REMOTE_CLUSTER_CLIENT_ROLE_VERSION)"},
	{Name: "ml", Product: Elasticsearch, Note: "machine learning (x-pack)", Source: srcESRole + "; " + srcM79},
	{Name: "transform", Product: Elasticsearch, Since: Version{7, 5}, Source: srcESRole + "; " + srcM79},
	{Name: "voting_only", Product: Elasticsearch, Since: Version{7, 3}, Note: "needs master as well", Source: srcESRole + "; " + srcM79},
	{Name: "data_content", Product: Elasticsearch, Since: Version{7, 10}, Data: true, Source: srcESRole + "; " + srcTiers},
	{Name: "data_hot", Product: Elasticsearch, Since: Version{7, 10}, Data: true, Source: srcESRole + "; " + srcTiers},
	{Name: "data_warm", Product: Elasticsearch, Since: Version{7, 10}, Data: true, Source: srcESRole + "; " + srcTiers},
	{Name: "data_cold", Product: Elasticsearch, Since: Version{7, 10}, Data: true, Source: srcESRole + "; " + srcTiers},
	{Name: "data_frozen", Product: Elasticsearch, Since: Version{7, 12}, Data: true, Source: srcESRole + "; " + srcTiers},
	{Name: "index", Product: Elasticsearch, Data: true, Note: "stateless (serverless) deployments; first release not pinned", Source: srcESRole},
	{Name: "search", Product: Elasticsearch, Data: true, Note: "stateless (serverless) deployments; first release not pinned", Source: srcESRole},
	// OpenSearch: the cluster-manager rename of 2.0 and its own search role.
	{Name: "master", Product: OpenSearch, Deprecated: Version{2, 0}, Replacement: "cluster_manager", Note: "may not be combined with cluster_manager", Source: srcOSRole},
	{Name: "cluster_manager", Product: OpenSearch, Since: Version{2, 0}, Source: srcOSRole},
	{Name: "ml", Product: OpenSearch, Since: OpenSearchDynamicRoles, Note: "custom role the ml-commons plugin runs its tasks on", Source: srcOSDynamic},
	{Name: "search", Product: OpenSearch, Since: Version{2, 4}, Data: true, Note: "nodes dedicated to search", Source: srcOSRole},
}

// OpenSearchDynamicRoles is the first OpenSearch release that starts with
// a role name it does not know (a plugin's, such as ml) instead of
// refusing it.
var OpenSearchDynamicRoles = Version{2, 1}

func roleRows(name string, p Product) []*Setting {
	var out []*Setting
	for i := range Roles {
		r := &Roles[i]
		if r.Name == name && p.matches(r.Product) {
			out = append(out, &Setting{Key: r.Name, Product: r.Product, Since: r.Since, Until: r.Until,
				Deprecated: r.Deprecated, Replacement: r.Replacement, Note: r.Note, Source: r.Source})
		}
	}
	return out
}

// HasRole answers whether release r accepts role name in node.roles, as
// Has does for a setting. Answer.Setting is a view of the Role row (Key is
// the role name). An OpenSearch release from OpenSearchDynamicRoles on
// starts with any name as a custom role, so a name no row lists is Present
// there (with no row); a name that is Elasticsearch's, or OpenSearch's
// from a later release, keeps its OtherProduct or NotYet answer, since
// the node would take it as a custom role without its built-in meaning.
func HasRole(name string, r Release) Answer {
	a := answer(func(p Product) []*Setting { return roleRows(name, p) }, r)
	if r.Product == OpenSearch && a.Status == Unknown &&
		(r.Version.IsZero() || !r.Version.Less(OpenSearchDynamicRoles)) {
		return Answer{Status: Present}
	}
	return a
}

// RoleProblem is one thing wrong with a node.roles list.
type RoleProblem struct {
	// Role is the offending name ("" for a problem of the whole list).
	Role    string
	Status  Status
	Message string
}

// CheckRoles checks a node.roles list against release r: names the
// release refuses or warns about, and the pairings the node refuses at
// start-up (voting_only without master on Elasticsearch; master together
// with cluster_manager on OpenSearch). An empty list is valid (a
// coordinating-only node).
func CheckRoles(roles []string, r Release) []RoleProblem {
	var out []RoleProblem
	for _, name := range roles {
		a := HasRole(name, r)
		var msg string
		switch a.Status {
		case Present:
			continue
		case Deprecated:
			msg = fmt.Sprintf("role %s is deprecated in %s", name, r)
			if a.Setting.Replacement != "" {
				msg += "; use " + a.Setting.Replacement
			}
		case NotYet:
			msg = fmt.Sprintf("role %s needs %s %s or later", name, productName(a.Setting.Product), a.Since)
		case Removed:
			msg = fmt.Sprintf("role %s is not accepted by %s", name, r)
		case OtherProduct:
			msg = fmt.Sprintf("role %s is an %s role, not one of %s", name, a.Setting.Product, r)
			if r.Product == OpenSearch && (r.Version.IsZero() || !r.Version.Less(OpenSearchDynamicRoles)) {
				msg += " (it starts, but as a custom role with no built-in meaning)"
			}
		default:
			msg = fmt.Sprintf("unknown role %s", name)
			if r.Product == OpenSearch {
				msg += fmt.Sprintf(" (OpenSearch accepts unknown roles only from %s)", OpenSearchDynamicRoles)
			}
		}
		out = append(out, RoleProblem{Role: name, Status: a.Status, Message: msg})
	}
	has := func(n string) bool { return slices.Contains(roles, n) }
	if r.Product != OpenSearch && has("voting_only") && !has("master") {
		// Source: DiscoveryNodeRole.java (Elasticsearch), voting-only validation.
		out = append(out, RoleProblem{Role: "voting_only", Status: Present,
			Message: "a voting_only node must also have the master role"})
	}
	if r.Product == OpenSearch && has("master") && has("cluster_manager") {
		// Source: DiscoveryNodeRole.java (OpenSearch), cluster_manager validation.
		out = append(out, RoleProblem{Status: Present,
			Message: "master and cluster_manager may not be given together; keep cluster_manager"})
	}
	return out
}

// productName names the distribution a row's versions count in.
func productName(row Product) string {
	if row == OpenSearch {
		return "OpenSearch"
	}
	return "Elasticsearch"
}
