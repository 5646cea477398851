package elastic

import "github.com/ngxlint/ngxlint/analyzer"

// ESNodeUnreachable is reported by live mode (analyzer/live) with --live;
// statically it says nothing, so its Run is empty.
var ESNodeUnreachable = registry.Add(&analyzer.Rule{
	ID:        "ES203",
	Name:      "es-node-unreachable",
	Severity:  analyzer.Error,
	Summary:   "with --live on the node's host: its HTTP port refuses, drops, is a transport port, another service, or serves another scheme",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagLive, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Run:       func(*analyzer.Pass) {},
	Doc: `## What it does
Only with ` + "`--live`" + `, run on the node's own host. For each node settings file (client configurations
are skipped), dials the HTTP port (the first of ` + "`http.port`" + `, else 9200) and the transport port at the
addresses the bind setting gives on this host (loopback for unset, ` + "`_local_`" + ` and the wildcards; the
literal address; this host's addresses for ` + "`_site_`" + ` and names), sends ` + "`GET /`" + ` in clear text and,
when the answer looks like a TLS server's, inside a TLS handshake, and names what it finds:

- refused: nothing listens (the node is not running, stopped at start-up, or listens elsewhere);
  when the transport port still answers "This is not an HTTP port", the node runs and its HTTP layer
  is elsewhere;
- timeout: the connection is dropped on the way (a firewall, or an address that is not this host's);
- "This is not an HTTP port" on the HTTP port: it is a transport port;
- an answer that is not Elasticsearch or OpenSearch: another service holds the port;
- the node answers over TLS while the file does not turn TLS on (info: 8.x's auto-configuration did),
  or in clear text while the file turns it on (a restart pending).

It reports at ` + "`http.port`" + ` (the bind setting for drops and unreachable addresses; the TLS setting for
a scheme mismatch; the file's first line when the setting is missing), with every address dialled
as evidence. A node that answers as the file says is not reported.

## Why is this bad?
"Connection refused" from a node has six usual causes; the settings file decides some of them, the
host decides the others. Dialled from the node's host, refused and timed out, HTTP and TLS, the HTTP
and the transport protocol tell them apart.

## Example
` + "```yaml" + `
http.port: 9250   # no node runs on this host: refused on 127.0.0.1:9250 and [::1]:9250
` + "```" + `

## Use instead
Start the node (and read its log with ` + "`--es-log`" + ` when it stops at start-up), or fix the port and
address the clients use:
` + "```yaml" + `
http.port: 9200
` + "```" + `
`,
})
