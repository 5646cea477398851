package live_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/live"
	"github.com/ngxlint/ngxlint/rules/elastic"
)

// procWith is a stand-in /proc: nginx, and one node process per limits
// text given.
func procWith(limits ...string) fstest.MapFS {
	p := fstest.MapFS{"77/cmdline": {Data: []byte("/usr/sbin/nginx\x00")}, "77/limits": {Data: []byte(lowLimits)}}
	for i, l := range limits {
		pid := []string{"4242", "4243"}[i]
		p[pid+"/cmdline"] = &fstest.MapFile{Data: []byte("/usr/share/elasticsearch/jdk/bin/java\x00-Xms1g\x00org.elasticsearch.bootstrap.Elasticsearch\x00")}
		p[pid+"/limits"] = &fstest.MapFile{Data: []byte(l)}
	}
	return p
}

const lowLimits = `Limit                     Soft Limit           Hard Limit           Units
Max processes             2048                 2048                 processes
Max open files            4096                 4096                 files
Max locked memory         65536                65536                bytes
`

const goodLimits = `Limit                     Soft Limit           Hard Limit           Units
Max processes             unlimited            unlimited            processes
Max open files            65535                65535                files
Max locked memory         unlimited            unlimited            bytes
`

func hostLint(t *testing.T, ws *analyzer.Workspace, mapCount int, proc fstest.MapFS) []analyzer.Finding {
	t.Helper()
	opt := live.Options{HostLimits: elastic.ESHostLimits, Proc: proc, MaxMapCount: func() (int, error) { return mapCount, nil }}
	return byRule(live.Check(context.Background(), ws, nil, opt), "es-host-limits")
}

// lines maps each expected message fragment to the line it is reported at.
func lines(fs []analyzer.Finding, frags ...string) map[string]int {
	got := map[string]int{}
	for _, f := range fs {
		for _, w := range frags {
			if strings.Contains(f.Message, w) {
				got[w] = int(f.Span.Start.Line)
			}
		}
	}
	return got
}

func TestHostLimitsOfTheRunningNode(t *testing.T) {
	ws := load(t, "elasticsearch.yml", "cluster.name: logs\nnetwork.host: 0.0.0.0\nbootstrap.memory_lock: true\n")
	fs := hostLint(t, ws, 65530, procWith(lowLimits))
	want := map[string]int{"vm.max_map_count is 65530": 2, "may open 4096 files": 2, "may start 2048 threads": 2, "may lock only 65536 bytes": 3}
	frags := []string{"vm.max_map_count is 65530", "may open 4096 files", "may start 2048 threads", "may lock only 65536 bytes"}
	got := lines(fs, frags...)
	if len(fs) != 4 || len(got) != 4 {
		t.Fatalf("findings %+v", fs)
	}
	for w, line := range want {
		if got[w] != line {
			t.Errorf("%q at line %d, want %d", w, got[w], line)
		}
	}
	if !strings.Contains(fs[1].Live.Summary, "/proc/4242/limits") {
		t.Errorf("summary %q", fs[1].Live.Summary)
	}
	// Enough everywhere: silent.
	if fs := hostLint(t, ws, 262144, procWith(goodLimits)); len(fs) != 0 {
		t.Errorf("good limits: %+v", fs)
	}
	// No node running (nginx's low limits are not the node's): the map count only.
	if fs := hostLint(t, ws, 65530, procWith()); len(fs) != 1 || !strings.Contains(fs[0].Message, "vm.max_map_count") {
		t.Errorf("no node: %+v", fs)
	}
}

func TestHostLimitsUndecided(t *testing.T) {
	// Two nodes run on this host: which is this file's cannot be told.
	ws := load(t, "elasticsearch.yml", "network.host: 0.0.0.0\nbootstrap.memory_lock: true\n")
	if fs := hostLint(t, ws, 262144, procWith(lowLimits, lowLimits)); len(fs) != 0 {
		t.Errorf("two nodes: %+v", fs)
	}
	// Not in production mode: the checks are not enforced.
	for _, yml := range []string{"cluster.name: logs\n", "network.host: 0.0.0.0\ndiscovery.type: single-node\n", "network.host: ${HOST}\n"} {
		if fs := hostLint(t, load(t, "elasticsearch.yml", yml), 65530, procWith(lowLimits)); len(fs) != 0 {
			t.Errorf("%q: %+v", yml, fs)
		}
	}
	// memory_lock not asked for: the lock limit does not matter.
	ws = load(t, "elasticsearch.yml", "network.host: 0.0.0.0\n")
	if got := lines(hostLint(t, ws, 262144, procWith(lowLimits)), "may lock"); len(got) != 0 {
		t.Errorf("memory lock reported without bootstrap.memory_lock")
	}
}
