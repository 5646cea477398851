package elastic

import "github.com/ngxlint/ngxlint/analyzer"

var ESHostLimits = registry.Add(&analyzer.Rule{
	ID:        "ES202",
	Name:      "es-host-limits",
	Severity:  analyzer.Error,
	Summary:   "with --live on the node's host: vm.max_map_count, or a running node's open-file, thread or memory-lock limit, would stop a node in production mode",
	Tags:      []analyzer.Tag{analyzer.TagLive, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Run:       func(*analyzer.Pass) {},
	Doc: `## What it does
Only with ` + "`--live`" + `, run on the node's own host. For each node in production mode (transport bound
or published beyond loopback, ` + "`discovery.type`" + ` not ` + "`single-node`" + `) that keeps ` + "`node.store.allow_mmap`" + `
on, reads ` + "`/proc/sys/vm/max_map_count`" + ` and reports a value below 262144, at the setting that puts
the node in production mode. When the run holds one such file and one Elasticsearch or OpenSearch
process runs on this host, also reads that process's soft limits from ` + "`/proc/PID/limits`" + ` and reports
open files below 65535, threads below 4096, and, with ` + "`bootstrap.memory_lock: true`" + `, a finite
locked-memory limit below 64 MiB: the node passed its checks under other limits, or is about to
fail them at its next start.

## Why is this bad?
The max-map-count bootstrap check fails (` + "`max virtual memory areas vm.max_map_count [65530] is too\nlow, increase to at least [262144]`" + `) and the node exits: every client gets connection refused. It is
the most common reason a node stops starting after ` + "`network.host`" + ` is set. The file-descriptor,
thread and memory-lock checks stop it the same way.

## Example
` + "```yaml" + `
network.host: 0.0.0.0
discovery.seed_hosts: [10.0.0.5]
` + "```" + `
on a host with ` + "`vm.max_map_count = 65530`" + `.

## Use instead
` + "`sysctl -w vm.max_map_count=262144`" + `, and the same line in ` + "`/etc/sysctl.d/`" + ` to keep it after a
reboot (for Docker: on the Docker host or VM). Raise the node's process limits where its service
starts it: ` + "`LimitNOFILE=65535`" + `, ` + "`LimitNPROC=4096`" + ` and ` + "`LimitMEMLOCK=infinity`" + ` in the systemd unit,
or ` + "`--ulimit nofile=65535:65535 --ulimit memlock=-1:-1`" + ` for Docker.
`,
})
