package live

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// MinMaxMapCount is what the max-map-count bootstrap check asks of
// vm.max_map_count (1 << 18).
// Source: elastic/elasticsearch server/src/main/java/org/elasticsearch/bootstrap/BootstrapChecks.java (shared notes §4)
const MinMaxMapCount = 262144

// ReadMaxMapCount reads this host's vm.max_map_count.
func ReadMaxMapCount() (int, error) {
	b, err := os.ReadFile("/proc/sys/vm/max_map_count")
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}

// Minimums of the other bootstrap checks a running node's limits decide
// (the same in OpenSearch).
// Source: elastic/elasticsearch server/src/main/java/org/elasticsearch/bootstrap/BootstrapChecks.java (shared notes §4)
const (
	MinOpenFiles = 65535
	MinThreads   = 4096 // 1 << 12
	// minMemLock: a finite limit below this cannot hold any heap; larger
	// finite limits may, so they are not reported.
	minMemLock = 64 << 20
)

// hostLimits reports, under rule, each node in production mode that this
// host's vm.max_map_count would stop at start-up (the check is skipped
// with node.store.allow_mmap: false), and, when the run holds one such
// file and one node runs on this host, the running node's open-file,
// thread and (with bootstrap.memory_lock: true) memory-lock limits that
// would stop it at its next start.
func hostLimits(ws *analyzer.Workspace, opt Options) []analyzer.Finding {
	type prod struct {
		s       *elastic.Settings
		trigger *elastic.Value
		key     string
	}
	var nodes []prod
	for _, s := range ws.Elastic {
		if _, client := elastic.ClientConfig(s); client {
			continue
		}
		if trigger, key := s.ProductionTrigger(); trigger != nil {
			nodes = append(nodes, prod{s, trigger, key})
		}
	}
	if len(nodes) == 0 {
		return nil
	}
	var out []analyzer.Finding
	report := func(span source.Span, summary, msg string) {
		out = append(out, analyzer.Finding{Rule: opt.HostLimits, Severity: opt.HostLimits.Severity, Span: span, Message: msg,
			Live: &analyzer.Live{Status: "confirmed", Summary: summary, Evidence: []analyzer.Evidence{}}})
	}
	n, mapErr := opt.MaxMapCount()
	for _, p := range nodes {
		if st := p.s.Get("node.store.allow_mmap"); st != nil && len(st.Values) == 1 && st.Values[0].Text == "false" {
			continue
		}
		if mapErr != nil || n >= MinMaxMapCount {
			break // not Linux, or enough
		}
		report(p.trigger.Span, fmt.Sprintf("/proc/sys/vm/max_map_count is %d", n), fmt.Sprintf(
			"%s %s puts the node in production mode, and this host's vm.max_map_count is %d, below %d: "+
				"the bootstrap check stops the node at start-up (clients get connection refused); raise it "+
				"(sysctl -w vm.max_map_count=%d, and in /etc/sysctl.d to keep it) or set node.store.allow_mmap: false",
			p.key, p.trigger.Text, n, MinMaxMapCount, MinMaxMapCount))
	}
	if len(nodes) != 1 {
		return out // which running node belongs to which file cannot be told
	}
	limits, pid := nodeLimits(opt.Proc)
	if limits == nil {
		return out
	}
	p := nodes[0]
	why := fmt.Sprintf("%s %s puts it in production mode", p.key, p.trigger.Text)
	if v, ok := limits["Max open files"]; ok && v >= 0 && v < MinOpenFiles {
		report(p.trigger.Span, fmt.Sprintf("/proc/%s/limits: Max open files %d", pid, v), fmt.Sprintf(
			"the running node (pid %s) may open %d files, below %d, and %s: the bootstrap check stops it at its "+
				"next start; raise the limit for its user (LimitNOFILE in the systemd unit, limits.conf nofile, "+
				"docker --ulimit nofile)", pid, v, MinOpenFiles, why))
	}
	if v, ok := limits["Max processes"]; ok && v >= 0 && v < MinThreads {
		report(p.trigger.Span, fmt.Sprintf("/proc/%s/limits: Max processes %d", pid, v), fmt.Sprintf(
			"the running node (pid %s) may start %d threads, below %d, and %s: the bootstrap check stops it at its "+
				"next start; raise the limit (LimitNPROC, limits.conf nproc)", pid, v, MinThreads, why))
	}
	if lock := p.s.Get("bootstrap.memory_lock"); lock != nil && len(lock.Values) == 1 && strings.EqualFold(lock.Values[0].Text, "true") {
		if v, ok := limits["Max locked memory"]; ok && v >= 0 && v < minMemLock {
			report(lock.Values[0].Span, fmt.Sprintf("/proc/%s/limits: Max locked memory %d", pid, v), fmt.Sprintf(
				"bootstrap.memory_lock: true, but the running node (pid %s) may lock only %d bytes, and %s: the "+
					"memory-lock check stops it at its next start; allow it (LimitMEMLOCK=infinity, ulimit -l "+
					"unlimited, docker --ulimit memlock=-1:-1) or set bootstrap.memory_lock: false", pid, v, why))
		}
	}
	return out
}

// nodeLimits finds the one Elasticsearch or OpenSearch process running on
// this host (by the main class on its command line) and reads its soft
// limits, -1 standing for unlimited. Nil when there is none, or several.
func nodeLimits(proc fs.FS) (map[string]int64, string) {
	entries, err := fs.ReadDir(proc, ".")
	if err != nil {
		return nil, ""
	}
	pid := ""
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil || !e.IsDir() {
			continue
		}
		cmd, err := fs.ReadFile(proc, e.Name()+"/cmdline")
		if err != nil {
			continue
		}
		if bytes.Contains(cmd, []byte("org.elasticsearch.bootstrap.Elasticsearch")) || bytes.Contains(cmd, []byte("org.opensearch.bootstrap.OpenSearch")) {
			if pid != "" {
				return nil, "" // several nodes on this host
			}
			pid = e.Name()
		}
	}
	if pid == "" {
		return nil, ""
	}
	b, err := fs.ReadFile(proc, pid+"/limits")
	if err != nil {
		return nil, ""
	}
	return parseLimits(string(b)), pid
}

// parseLimits reads the soft limits of /proc/PID/limits, whose lines are
// a name, the soft and hard limits and a unit.
func parseLimits(text string) map[string]int64 {
	out := map[string]int64{}
	for _, line := range strings.Split(text, "\n") {
		for _, name := range []string{"Max open files", "Max processes", "Max locked memory"} {
			if !strings.HasPrefix(line, name) {
				continue
			}
			f := strings.Fields(strings.TrimPrefix(line, name))
			switch {
			case len(f) == 0:
			case f[0] == "unlimited":
				out[name] = -1
			default:
				if v, err := strconv.ParseInt(f[0], 10, 64); err == nil {
					out[name] = v
				}
			}
		}
	}
	return out
}
