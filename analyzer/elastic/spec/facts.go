package spec

import "strings"

// Node-level facts that are not one setting's row. Each names its source.

const (
	// DefaultHTTPPort is http.port's default; the node binds the first
	// free port of the range.
	// Source: elastic/elasticsearch server/src/main/java/org/elasticsearch/http/HttpTransportSettings.java
	DefaultHTTPPort = "9200-9300"

	// DefaultTransportPort is transport.port's default as documented and
	// as 7.x code has it (one 8.x revision of TransportSettings.java reads
	// 9300-9399; the first port, 9300, is the same either way).
	// Source: elastic/elasticsearch docs networking-settings.md; TransportSettings.java
	DefaultTransportPort = "9300-9400"

	// DefaultHost is what an unset bind or publish host list means:
	// loopback addresses only (127.0.0.1 and ::1).
	// Source: elastic/elasticsearch server/src/main/java/org/elasticsearch/common/network/NetworkService.java (DEFAULT_NETWORK_HOST)
	DefaultHost = "_local_"

	// DefaultRemoteClusterPort is remote_cluster.port's default (8.x, only
	// with remote_cluster_server.enabled).
	// Source: elastic/elasticsearch docs networking-settings.md (shared notes §1.1)
	DefaultRemoteClusterPort = "9443"
)

// SecurityOnByDefault is the first Elasticsearch release in which
// xpack.security.enabled defaults to true and the first start of a
// package or archive install writes TLS for HTTP and transport into
// elasticsearch.yml (security auto-configuration), unless the file
// already has security or discovery settings.
// Source: x-pack/plugin/core/src/main/java/org/elasticsearch/xpack/core/XPackSettings.java;
// x-pack/plugin/security/cli/.../AutoConfigureNode.java (shared notes §3.2).
var SecurityOnByDefault = Version{8, 0}

// Elasticsearch reads elasticsearch.yml with SnakeYAML (through Jackson).
// SnakeYAML before 1.21 stops at a ':' inside an unquoted scalar of a flow
// collection (`[10.0.0.5:9300]`, `{host: fd00::4}`) with "found unexpected
// ':'", so the node refuses the file; 1.21 (2018) reads the scalar as text,
// and in block style every version does. Elasticsearch bundled SnakeYAML
// 1.17 until 2020, when it moved to 1.24 with Jackson 2.10; which 7.x
// release that was is not pinned down here, so 7.x is left undecided.
// Source: snakeyaml/snakeyaml commit af034aad ("Plain scalars with colons
// in flow sequences/mappings are valid YAML", released in 1.21);
// elastic/elasticsearch libs/x-content/licenses (snakeyaml-1.17, then 1.24;
// 6.8 stayed on Jackson 2.8.11, elastic/elasticsearch#49940; 1.24 by May
// 2020, elastic/elasticsearch#56071).
var (
	// FlowColonRefusedBefore: every release before it bundles a SnakeYAML
	// older than 1.21 (1.17 in 6.x).
	FlowColonRefusedBefore = Version{7, 0}
	// FlowColonReadFrom: every release from it on bundles SnakeYAML 1.24 or later.
	FlowColonReadFrom = Version{8, 0}
)

// SpecialHost is a value of a *.host, *.bind_host or *.publish_host setting
// that the node resolves itself instead of asking DNS.
type SpecialHost struct {
	Value   string
	Meaning string
}

// SpecialHosts lists the fixed special values; `_<interface>_` and its
// `:ipv4`/`:ipv6` forms are matched by IsSpecialHost. `#...#` is an
// equivalent spelling for the command line (in YAML `#` starts a comment).
// Source: elastic/elasticsearch server/src/main/java/org/elasticsearch/common/network/NetworkService.java (resolveInternal)
var SpecialHosts = []SpecialHost{
	{"_local_", "loopback addresses of interfaces that are up (127.0.0.1, ::1)"},
	{"_local:ipv4_", "loopback IPv4 addresses"},
	{"_local:ipv6_", "loopback IPv6 addresses"},
	{"_site_", "site-local (private) addresses: 10/8, 172.16/12, 192.168/16, fec0::/10"},
	{"_site:ipv4_", "site-local IPv4 addresses"},
	{"_site:ipv6_", "site-local IPv6 addresses"},
	{"_global_", "addresses that are neither loopback, site-local nor link-local"},
	{"_global:ipv4_", "global IPv4 addresses"},
	{"_global:ipv6_", "global IPv6 addresses"},
	{"_[networkInterface]_", "all addresses of the named interface, e.g. _eth0_ (must exist and be up)"},
	{"_[networkInterface]:ipv4_", "IPv4 addresses of the named interface"},
	{"_[networkInterface]:ipv6_", "IPv6 addresses of the named interface"},
}

// RemovedSpecialHosts are special host values that no longer resolve, with
// the first Elasticsearch release without them. `_non_loopback_` picked the
// first non-loopback interface, whichever that was.
// Source: elastic/elasticsearch docs/reference/migration/migrate_5_0/settings.asciidoc (Network settings)
var RemovedSpecialHosts = map[string]Version{"_non_loopback_": {5, 0}}

// IsSpecialHost reports whether a host value is one the node resolves
// itself (wrapped in `_..._` or `#...#`), and returns what is inside.
func IsSpecialHost(v string) (inner string, ok bool) {
	if len(v) < 3 {
		return "", false
	}
	first, last := v[0], v[len(v)-1]
	if (first == '_' && last == '_') || (first == '#' && last == '#') {
		return v[1 : len(v)-1], true
	}
	return "", false
}

// HostFamily splits an inner special value ("eth0:ipv6") into its name and
// address-family filter ("" when none).
func HostFamily(inner string) (name, family string) {
	if n, ok := strings.CutSuffix(inner, ":ipv4"); ok {
		return n, "ipv4"
	}
	if n, ok := strings.CutSuffix(inner, ":ipv6"); ok {
		return n, "ipv6"
	}
	return inner, ""
}

// ProductionMode explains when bootstrap checks are enforced: the node's
// transport layer binds or publishes a non-loopback address and
// discovery.type is not single-node. HTTP settings alone do not count.
// Source: elastic/elasticsearch server/src/main/java/org/elasticsearch/bootstrap/BootstrapChecks.java (enforceLimits);
// docs bootstrap-checks.md (shared notes §1.4).
const ProductionMode = "transport bound or published on a non-loopback address and discovery.type is not single-node"

// ProductionTriggers are the settings whose value decides production mode
// (through the transport bind and publish lists) or turns it off.
var ProductionTriggers = []string{
	"transport.bind_host", "transport.publish_host", "transport.host",
	"network.bind_host", "network.publish_host", "network.host",
	"discovery.type",
}

// BootstrapCheck is one start-up check that production mode enforces.
type BootstrapCheck struct {
	Name    string
	Product Product
	// Always is true for checks enforced in development mode too.
	Always bool
	// Settings are the keys that trigger or satisfy the check; empty when
	// the check depends only on the host or the JVM.
	Settings []string
	// Condition says, in a few words, when the check fails.
	Condition string
	Source    string
}

const (
	srcBootstrapChecks = "elastic/elasticsearch server/src/main/java/org/elasticsearch/bootstrap/BootstrapChecks.java; docs bootstrap-checks.md (shared notes §4)"
	srcOSBootstrap     = "opensearch-project/OpenSearch server/src/main/java/org/opensearch/bootstrap/BootstrapChecks.java (shared notes §4)"
)

// BootstrapChecks lists the checks; those with Settings can be decided, at
// least in part, from the settings file.
var BootstrapChecks = []BootstrapCheck{
	{Name: "discovery configuration", Product: Both,
		Settings:  []string{"discovery.seed_hosts", "discovery.seed_providers", "cluster.initial_master_nodes", "cluster.initial_cluster_manager_nodes"},
		Condition: "none of the settings exists (an empty list counts as set)", Source: srcBootstrapChecks},
	{Name: "memory lock", Product: Both, Settings: []string{"bootstrap.memory_lock"},
		Condition: "bootstrap.memory_lock is true but the process could not lock its memory (ulimit -l)", Source: srcBootstrapChecks},
	{Name: "max map count", Product: Both, Settings: []string{"node.store.allow_mmap"},
		Condition: "vm.max_map_count below 262144 while node.store.allow_mmap is true (the default)", Source: srcBootstrapChecks},
	{Name: "heap size", Product: Both, Condition: "initial heap size differs from maximum heap size (jvm.options)", Source: srcBootstrapChecks},
	{Name: "file descriptors", Product: Both, Condition: "open-files limit below 65535", Source: srcBootstrapChecks},
	{Name: "max number of threads", Product: Both, Condition: "nproc limit below 4096", Source: srcBootstrapChecks},
	{Name: "max file size", Product: Both, Condition: "fsize limit not unlimited", Source: srcBootstrapChecks},
	{Name: "max size virtual memory", Product: Both, Condition: "address-space limit not unlimited", Source: srcBootstrapChecks},
	{Name: "client JVM", Product: Both, Condition: "the JVM is the client VM", Source: srcBootstrapChecks},
	{Name: "use serial collector", Product: Both, Condition: "the serial garbage collector is in use", Source: srcBootstrapChecks},
	{Name: "system call filter", Product: Both, Settings: []string{"bootstrap.system_call_filter"},
		Condition: "system call filters failed to install (the setting could disable the check before 8.0)", Source: srcBootstrapChecks},
	{Name: "OnError and OnOutOfMemoryError", Product: Both, Always: true,
		Condition: "jvm.options sets -XX:OnError or -XX:OnOutOfMemoryError while system call filters are on", Source: srcBootstrapChecks},
	{Name: "early-access JVM", Product: Both, Condition: "the JVM is an early-access build", Source: srcBootstrapChecks},
	{Name: "all permission", Product: Both, Condition: "the security policy grants java.security.AllPermission", Source: srcBootstrapChecks},
	{Name: "TLS on transport", Product: Elasticsearch,
		Settings:  []string{"xpack.security.enabled", "xpack.security.transport.ssl.enabled"},
		Condition: "security is enabled and xpack.security.transport.ssl.enabled is not true", Source: srcBootstrapChecks + "; shared notes §3.4"},
	{Name: "token SSL", Product: Elasticsearch,
		Settings:  []string{"xpack.security.authc.token.enabled", "xpack.security.http.ssl.enabled"},
		Condition: "the token service is enabled without HTTPS", Source: srcBootstrapChecks + "; shared notes §3.4"},
	{Name: "PKI realm", Product: Elasticsearch, Settings: []string{"xpack.security.authc.realms.pki.*.order"},
		Condition: "a PKI realm is configured but no layer has TLS with client authentication", Source: srcBootstrapChecks},
	{Name: "multiple data paths on search nodes", Product: OpenSearch, Always: true,
		Settings:  []string{"node.roles", "path.data"},
		Condition: "node.roles contains search and path.data lists more than one path", Source: srcOSBootstrap},
	{Name: "Java version", Product: OpenSearch, Condition: "the JVM is too old for this release", Source: srcOSBootstrap},
}
