package elastic

import "github.com/ngxlint/ngxlint/analyzer"

var ESNodeLog = registry.Add(&analyzer.Rule{
	ID:        "ES201",
	Name:      "es-node-log",
	Severity:  analyzer.Warning,
	Summary:   "with --es-log: the node's log shows why clients are refused, mapped to the setting that decides it",
	Tags:      []analyzer.Tag{analyzer.TagLive, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Run:       func(*analyzer.Pass) {},
	Doc: `## What it does
Only with ` + "`--es-log FILE`" + ` (repeatable, ` + "`-`" + ` for standard input). Reads the node's log, in the plain
format or the JSON formats of 7.x and 8.x (ECS), OpenSearch's included, with or without a docker
compose or journald prefix, and recognises:
- ` + "`publish_address {...}, bound_addresses {...}`" + ` of the HTTP and transport layers: bound to
  loopback only, reported at the bind setting; bound to another port than the first the port
  setting allows (with ` + "`http.port`" + ` unset the node takes the next free port of 9200-9300 when 9200
  is taken), or to a port outside it (the node runs with other settings), reported at ` + "`http.port`" + `
  (or ` + "`transport.port`" + `, at info level), or at the file's first line when unset; and, when nginx in
  the same run proxies to the node (` + "`links`" + ` in ` + "`.ngxlint.yml`" + `, or the run's only node), an nginx
  target at the node's transport port, or at another port than the HTTP port of the node's last
  start when that is not the file's port either (the node moved), reported at nginx's port;
- ` + "`bootstrap check failure [i] of [n]: ...`" + ` (8.x), and the numbered ` + "`[i]: ...`" + ` lines after
  ` + "`[n] bootstrap checks failed`" + ` (6.x, 7.x): the node did not start, reported at the setting that
  puts it in production mode (or at ` + "`bootstrap.memory_lock`" + ` for the memory-lock check);
- ` + "`unknown setting [key]`" + `: at that key;
- ` + "`BindException`" + `: at ` + "`http.port`" + `;
- ` + "`received plaintext http traffic on an https channel`" + ` and OpenSearch's ` + "`NotSslRecordException`" + `: at
  the HTTPS setting.
Each finding says how many times the line appeared, and the first and last time. The log is mapped
onto the run's only node settings file; with several, nothing is mapped.

## Why is this bad?
These lines are the causes behind a client's ` + "`ECONNREFUSED`" + ` (or an empty reply): the node bound to
loopback only, did not start, or speaks HTTPS. Tying each to the setting that decides it turns "the
node refuses connections" into the line to change.

## Example
` + "```text" + `
bootstrap check failure [1] of [1]: max virtual memory areas vm.max_map_count [65530] is too low, increase to at least [262144]
[2018-05-17T08:19:48,895][INFO ][o.e.h.n.Netty4HttpServerTransport] [vWNJsZ3] publish_address {127.0.0.1:9201}, bound_addresses {[::1]:9201}, {127.0.0.1:9201}
` + "```" + `
The second line, with no ` + "`http.port`" + ` in the settings file and nginx proxying to ` + "`127.0.0.1:9200`" + `:
9200 was taken when the node started, so it bound 9201 and nginx reaches the other program.

## Use instead
Fix what the finding names: raise ` + "`vm.max_map_count`" + ` on the host (` + "`sysctl -w vm.max_map_count=262144`" + `),
or keep transport on loopback / use ` + "`discovery.type: single-node`" + ` for a single development node; set
` + "`http.port`" + ` to the one port clients use (a taken port then stops the node with a ` + "`BindException`" + `
instead of moving it) and point nginx at it.
`,
})
