package report

// SetBatchFrom sets the size from which reports are written on all cores,
// for a test; the returned function puts it back.
func SetBatchFrom(n int) func() {
	old := batchFrom
	batchFrom = n
	return func() { batchFrom = old }
}
