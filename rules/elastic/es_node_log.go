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
	Doc: md(`## What it does
Only with ‹--es-log FILE› (repeatable, ‹-› for standard input). Reads the node's log, in the plain
format or the JSON formats of 7.x and 8.x (ECS), OpenSearch's included, with or without a docker
compose or journald prefix, and recognises:
- ‹publish_address {...}, bound_addresses {...}› of the HTTP and transport layers: bound to
  loopback only, reported at the bind setting;
- ‹bootstrap check failure [i] of [n]: ...›: the node did not start, reported at the setting that
  puts it in production mode (or at ‹bootstrap.memory_lock› for the memory-lock check);
- ‹unknown setting [key]›: at that key;
- ‹BindException›: at ‹http.port›;
- ‹received plaintext http traffic on an https channel› and OpenSearch's ‹NotSslRecordException›: at
  the HTTPS setting.
Each finding says how many times the line appeared, and the first and last time. The log is mapped
onto the run's only node settings file; with several, nothing is mapped.

## Why is this bad?
These lines are the causes behind a client's ‹ECONNREFUSED› (or an empty reply): the node bound to
loopback only, did not start, or speaks HTTPS. Tying each to the setting that decides it turns "the
node refuses connections" into the line to change.

## Example
‹‹‹text
bootstrap check failure [1] of [1]: max virtual memory areas vm.max_map_count [65530] is too low, increase to at least [262144]
‹‹‹

## Use instead
Fix what the finding names: raise ‹vm.max_map_count› on the host (‹sysctl -w vm.max_map_count=262144›),
or keep transport on loopback / use ‹discovery.type: single-node› for a single development node.
`),
})
