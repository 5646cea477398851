package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/errorlog"
	"github.com/ngxlint/ngxlint/analyzer/live"
	"github.com/ngxlint/ngxlint/rules"
	"github.com/urfave/cli/v2"
)

// maxConcurrency keeps --live-concurrency from exhausting file descriptors.
const maxConcurrency = 1024

func init() {
	extraLintFlags = append(extraLintFlags,
		&cli.BoolFlag{Name: "live", Usage: "confirm findings by resolving and dialling the addresses the configuration names (off by default)"},
		&cli.DurationFlag{Name: "live-timeout", Value: live.DefaultTimeout, Usage: "with --live: bound on each dial, exchange and name lookup"},
		&cli.IntFlag{Name: "live-concurrency", Value: live.DefaultConcurrency, Usage: "with --live: dials in flight at most"},
		&cli.DurationFlag{Name: "live-deadline", Value: live.DefaultDeadline, Usage: "with --live or --error-log: bound on the whole live run"},
		&cli.StringSliceFlag{Name: "error-log", Usage: "map the upstream failures in nginx's error log `FILE` to the directives that cause them (repeatable; - for standard input)"},
	)
	lintHooks = append(lintHooks, liveHook)
}

// liveHook runs live mode and reads error logs, after the static rules and
// before fixes (a fix becomes safe with live evidence).
func liveHook(s *session, ws *analyzer.Workspace, fs []analyzer.Finding) ([]analyzer.Finding, error) {
	c, e := s.c, s.e
	logs := c.StringSlice("error-log")
	if !c.Bool("live") && len(logs) == 0 {
		return fs, nil
	}
	timeout, limit, deadline := c.Duration("live-timeout"), c.Int("live-concurrency"), c.Duration("live-deadline")
	switch {
	case timeout <= 0:
		return nil, usage(errors.New("--live-timeout must be positive"))
	case limit < 1 || limit > maxConcurrency:
		return nil, usage(fmt.Errorf("--live-concurrency must be between 1 and %d", maxConcurrency))
	case deadline <= 0:
		return nil, usage(errors.New("--live-deadline must be positive"))
	}
	stdinLog := false
	for _, l := range logs {
		if l == "-" {
			if stdinLog {
				return nil, usage(errors.New("--error-log -: standard input can be read once"))
			}
			stdinLog = true
		}
	}
	if stdinLog {
		for _, p := range c.Args().Slice() {
			if p == "-" {
				return nil, usage(errors.New("--error-log - and the path - both want standard input"))
			}
		}
	}

	// The same rule selection as the static run (.ngxlint.yml, then flags).
	on := func(r *analyzer.Rule) bool { return slices.Contains(s.selected, r) }

	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	static := len(fs)
	if c.Bool("live") {
		opt := live.Options{Timeout: timeout, Concurrency: limit, Deadline: deadline,
			NotChecked: func(addrs, hosts int) {
				warnf(e.stderr, "note: --live-deadline (%v) passed before %d addresses were dialled and %d host names resolved; they were not checked (raise --live-deadline)", deadline, addrs, hosts)
			}}
		if on(rules.UpstreamUnreachable) {
			opt.Unreachable = rules.UpstreamUnreachable
		}
		fs = live.Check(ctx, ws, fs, opt)
	}
	if len(logs) > 0 && on(rules.UpstreamErrorLog) {
		m := errorlog.NewMapper(ctx, ws, errorlog.Options{Rule: rules.UpstreamErrorLog, Timeout: timeout})
		for _, name := range logs {
			if err := readLog(m, name, e.input(), ctx, e.stderr); err != nil {
				return nil, usage(err)
			}
		}
		fs = append(fs, m.Findings()...)
		noteUnmatched(e.stderr, m.Unmatched)
	}
	added := analyzer.Suppress(ws, rules.All(), fs[static:])
	fs = append(fs[:static], s.cfg.Apply(ws, added)...)
	analyzer.SortFindings(ws, fs)
	return fs, nil
}

// maxErrorLog bounds what is read of one error log: of a longer regular
// file the last maxErrorLog bytes (the newest entries), of a stream or
// device the first. nginx's own logs rotate long before this.
const maxErrorLog = 256 << 20

// readLog reads one --error-log, bounded in size and by the live-mode
// deadline: /dev/zero must not run forever, nor a FIFO with no writer
// block. What was left unread is noted on stderr.
func readLog(m *errorlog.Mapper, name string, stdin io.Reader, ctx context.Context, stderr io.Writer) error {
	if name == "-" {
		if err := m.Read("standard input", stdin); err != nil {
			return fmt.Errorf("--error-log -: %w", err)
		}
		return nil
	}
	f, err := openLog(name)
	if err != nil {
		return fmt.Errorf("--error-log: %w", err)
	}
	defer func() { _ = f.Close() }()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("--error-log: %w", err)
	}
	if fi.IsDir() {
		return fmt.Errorf("--error-log %s: is a directory", name)
	}
	if fi.Mode().IsRegular() && fi.Size() > maxErrorLog {
		if _, err := f.Seek(fi.Size()-maxErrorLog, io.SeekStart); err != nil {
			return fmt.Errorf("--error-log %s: %w", name, err)
		}
		warnf(stderr, "note: --error-log %s: read only its last %d MiB", name, maxErrorLog>>20)
	}
	// Streams (FIFOs, pipes) honour the deadline; regular files and
	// devices do not need to, the size bound ends them.
	if dl, ok := ctx.Deadline(); ok {
		_ = f.SetReadDeadline(dl)
	}
	r := &countingReader{r: io.LimitReader(f, maxErrorLog)}
	err = m.Read(name, r)
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		warnf(stderr, "note: --error-log %s: stopped reading at --live-deadline, after %d bytes", name, r.n)
	case err != nil:
		return fmt.Errorf("--error-log %s: %w", name, err)
	case !fi.Mode().IsRegular() && r.n >= maxErrorLog:
		warnf(stderr, "note: --error-log %s: read only its first %d MiB", name, maxErrorLog>>20)
	}
	return nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// noteUnmatched tells the user about failures no directive accounts for:
// the log may come from another configuration than the one linted.
func noteUnmatched(w io.Writer, unmatched map[string]int) {
	if len(unmatched) == 0 {
		return
	}
	var parts []string
	for what, n := range unmatched {
		parts = append(parts, fmt.Sprintf("%s (%d)", what, n))
	}
	sort.Strings(parts)
	_, _ = fmt.Fprintf(w, "ngxlint: note: the error log names upstream failures that no directive of these files produces: %s\n",
		strings.Join(parts, ", "))
}
