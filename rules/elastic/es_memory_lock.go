package elastic

import (
	"github.com/ngxlint/ngxlint/analyzer"
)

var ESMemoryLock = registry.Add(&analyzer.Rule{
	ID:        "ES112",
	Name:      "es-memory-lock",
	Severity:  analyzer.Warning,
	Summary:   "bootstrap.memory_lock: true on a node in production mode: it refuses to start unless the host allows locking",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionMedium,
	Run:       runESMemoryLock,
	Doc: `## What it does
Reports ` + "`bootstrap.memory_lock: true`" + `: a warning when the node runs in production mode (transport
beyond loopback, ` + "`discovery.type`" + ` not ` + "`single-node`" + `), where the memory-lock bootstrap check is
enforced, info otherwise. Whether locking succeeds depends on the host (` + "`ulimit -l`" + `, systemd
` + "`LimitMEMLOCK`" + `, Docker ` + "`ulimits: memlock`" + `), which the file does not show.

## Why is this bad?
When the process may not lock its memory, a node in production mode exits at start-up (` + "`memory\nlocking requested for elasticsearch process but memory is not locked`" + `), and clients get connection
refused. In development mode it only logs a warning.

## Example
` + "```yaml" + `
network.host: _site_
discovery.seed_hosts: [10.0.0.5]
bootstrap.memory_lock: true
` + "```" + `

## Use instead
Keep the setting and allow locking on the host (` + "`LimitMEMLOCK=infinity`" + ` in the service's systemd
unit, ` + "`ulimits: {memlock: {soft: -1, hard: -1}}`" + ` in docker-compose), or drop it and disable swap.
`,
})

func runESMemoryLock(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		if !isTrue(s, "bootstrap.memory_lock") {
			continue
		}
		v := s.Get("bootstrap.memory_lock").Values[0]
		if trigger, key := productionMode(s); trigger != nil {
			p.Reportf(v.Span, "bootstrap.memory_lock: true while %s %s puts the node in production mode: unless the host lets "+
				"the process lock memory (ulimit -l unlimited, systemd LimitMEMLOCK=infinity, compose ulimits memlock -1), the "+
				"memory-lock bootstrap check stops the node", key, trigger.Text)
			continue
		}
		p.Report(analyzer.Finding{Severity: analyzer.Info, Span: v.Span, Message: "bootstrap.memory_lock: true needs the host " +
			"to allow locking (ulimit -l unlimited, systemd LimitMEMLOCK=infinity, compose ulimits memlock -1); in development " +
			"mode a failure is only logged, in production mode it stops the node"})
	}
}
