package errorlog_test

import (
	"net/netip"
	"regexp"
	"sort"
	"strconv"

	"github.com/ngxlint/ngxlint/analyzer"
)

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }

func itoa(n int) string { return strconv.Itoa(n) }

func matches(re, s string) bool { return regexp.MustCompile(re).MatchString(s) }

func keys(m map[string]analyzer.Finding) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
