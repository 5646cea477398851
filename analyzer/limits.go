package analyzer

import (
	"errors"
	"fmt"
)

// Default read limits. Real configurations are kilobytes; these leave a
// wide margin and keep a hostile or mistaken input (a 6 GB file named or
// included) from exhausting the machine. A run's memory is bounded by a
// multiple of what it reads (docs/architecture.md, "Limits").
const (
	DefaultMaxFileSize  = 16 << 20 // bytes per file
	DefaultMaxTotalSize = 64 << 20 // bytes per run, all files together
	// MaxSettingsSize bounds an elasticsearch.yml / opensearch.yml, whose
	// YAML tree costs far more per byte than an nginx file.
	MaxSettingsSize = 1 << 20
	// MaxFileSizeAtAll holds even with no limit set: source.Pos keeps
	// lines and columns in 32 bits, and this keeps them far from overflow.
	MaxFileSizeAtAll = 1 << 30
)

// Limits bounds what one Load reads. Sizes are checked from stat before a
// file is opened, so a refused file costs nothing. Zero means the default;
// a negative value means no limit (but a file over MaxFileSizeAtAll is
// still refused).
type Limits struct {
	MaxFileSize  int64
	MaxTotalSize int64
	// MaxNodes bounds the directives and arguments the run builds trees
	// for (nginx.MaxNodes by default; --max-nodes, where 0 is no bound).
	MaxNodes int
}

// ErrTooLarge is wrapped by every refusal, so callers can tell it apart
// (and name their own setting for raising the limit).
var ErrTooLarge = errors.New("over the size limit")

// budget is the running total of one Load.
type budget struct {
	maxFile, maxTotal, used int64
	// admitted, when set, is told the new total after each admission
	// (LoadOptions.Admitted).
	admitted func(total int64)
}

func newBudget(l Limits, admitted func(int64)) *budget {
	return &budget{maxFile: l.FileSize(), maxTotal: pick(l.MaxTotalSize, DefaultMaxTotalSize), admitted: admitted}
}

// FileSize is the largest file l admits, in bytes: the default for 0,
// and never past MaxFileSizeAtAll.
func (l Limits) FileSize() int64 {
	return min(pick(l.MaxFileSize, DefaultMaxFileSize), MaxFileSizeAtAll)
}

// pick reads a limit: def for 0, none for a negative value.
func pick(v, def int64) int64 {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 1<<63 - 1
	}
	return v
}

// admit accounts for a file of size bytes, or refuses it.
func (b *budget) admit(size int64) error {
	if size > b.maxFile {
		return fmt.Errorf("%w: the file is %s, over the limit of %s per file", ErrTooLarge, ByteSize(size), ByteSize(b.maxFile))
	}
	if size > b.maxTotal-b.used {
		return fmt.Errorf("%w: the file is %s, and with the %s already read this run would pass its limit of %s in all", ErrTooLarge, ByteSize(size), ByteSize(b.used), ByteSize(b.maxTotal))
	}
	b.used += size
	if b.admitted != nil {
		b.admitted(b.used)
	}
	return nil
}

// ByteSize prints a size for people: "16 MiB", "1.5 GiB", "812 bytes".
func ByteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	v, suffix := float64(n), ""
	for _, s := range []string{"KiB", "MiB", "GiB", "TiB"} {
		v /= unit
		suffix = s
		if v < unit {
			break
		}
	}
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d %s", int64(v), suffix)
	}
	return fmt.Sprintf("%.1f %s", v, suffix)
}
