package errorlog_test

import (
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/errorlog"
)

// BenchmarkScan reads a 10,000-line log where every line is a failure.
func BenchmarkScan(b *testing.B) {
	text := strings.Repeat(strings.SplitAfter(logText, "\n")[1], 10000)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		n := 0
		if err := errorlog.Scan(strings.NewReader(text), func(errorlog.Entry) { n++ }); err != nil || n != 10000 {
			b.Fatal(n, err)
		}
	}
}

// FuzzParseLine: any line is either recognised with a kind or not, never a
// panic; and Scan survives it.
func FuzzParseLine(f *testing.F) {
	for _, l := range strings.Split(logText, "\n") {
		f.Add(l)
	}
	f.Add(`2024/05/01 12:00:14 [emerg] 1#1: host not found in upstream "x" in :`)
	f.Fuzz(func(t *testing.T, line string) {
		if e, ok := errorlog.ParseLine(line); ok && e.Kind == "" {
			t.Fatalf("recognised without a kind: %+v", e)
		}
		_ = errorlog.Scan(strings.NewReader(line), func(errorlog.Entry) {})
	})
}
