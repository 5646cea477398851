package live

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
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

// hostLimits reports, under rule, each node in production mode that this
// host's vm.max_map_count would stop at start-up (the check is skipped
// with node.store.allow_mmap: false).
func hostLimits(ws *analyzer.Workspace, opt Options) []analyzer.Finding {
	var out []analyzer.Finding
	for _, s := range ws.Elastic {
		if _, client := elastic.ClientConfig(s); client {
			continue
		}
		trigger, key := s.ProductionTrigger()
		if trigger == nil {
			continue
		}
		if st := s.Get("node.store.allow_mmap"); st != nil && len(st.Values) == 1 && st.Values[0].Text == "false" {
			continue
		}
		n, err := opt.MaxMapCount()
		if err != nil || n >= MinMaxMapCount {
			continue // not Linux, or enough
		}
		out = append(out, analyzer.Finding{Rule: opt.HostLimits, Severity: opt.HostLimits.Severity, Span: trigger.Span,
			Message: fmt.Sprintf("%s %s puts the node in production mode, and this host's vm.max_map_count is %d, below %d: "+
				"the bootstrap check stops the node at start-up (clients get connection refused); raise it "+
				"(sysctl -w vm.max_map_count=%d, and in /etc/sysctl.d to keep it) or set node.store.allow_mmap: false",
				key, trigger.Text, n, MinMaxMapCount, MinMaxMapCount),
			Live: &analyzer.Live{Status: "confirmed", Summary: fmt.Sprintf("/proc/sys/vm/max_map_count is %d", n), Evidence: []analyzer.Evidence{}}})
	}
	return out
}
