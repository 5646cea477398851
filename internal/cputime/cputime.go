// Package cputime reads the CPU time the process has used, for benchmarks
// that report it beside wall time: the lint runs on all cores, so wall
// time alone hides what it costs.
package cputime

import "testing"

// PerOp adds the CPU time (user and system, all threads) per operation to
// a benchmark's results as "cpu-ms/op"; call the returned function at the
// end. Where the system does not tell, nothing is added.
func PerOp(b *testing.B) func() {
	start, ok := Process()
	return func() {
		end, ok2 := Process()
		if ok && ok2 {
			b.ReportMetric(float64((end-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		}
	}
}
