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
	"time"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/errorlog"
	"github.com/ngxlint/ngxlint/analyzer/eslog"
	"github.com/ngxlint/ngxlint/analyzer/live"
	"github.com/ngxlint/ngxlint/rules/connectivity"
	esrules "github.com/ngxlint/ngxlint/rules/elastic"
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
		&cli.StringSliceFlag{Name: "es-log", Usage: "map what the Elasticsearch / OpenSearch node's log `FILE` says (bound addresses, failed bootstrap checks, unknown settings, plain HTTP on HTTPS) to the settings that decide it (repeatable; - for standard input)"},
	)
	lintStages = append(lintStages, liveStage)
}

// liveStage runs live mode and reads error logs, after the static rules
// and before fixes (a fix becomes safe with live evidence). The flags are
// checked before anything is loaded.
func liveStage(s *session) (analyzer.Stage, error) {
	c := s.c
	logs := c.StringSlice("error-log")
	esLogs := c.StringSlice("es-log")
	if !c.Bool("live") && len(logs) == 0 && len(esLogs) == 0 {
		return nil, nil
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
	for _, l := range append(append([]string(nil), logs...), esLogs...) {
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
	return func(ctx context.Context, ws *analyzer.Workspace, fs []analyzer.Finding) ([]analyzer.Finding, error) {
		ctx, cancel := context.WithTimeout(ctx, deadline)
		defer cancel()
		return liveAndLogs(ctx, s, ws, fs, on, timeout, limit, deadline)
	}, nil
}

func liveAndLogs(ctx context.Context, s *session, ws *analyzer.Workspace, fs []analyzer.Finding, on func(*analyzer.Rule) bool,
	timeout time.Duration, limit int, deadline time.Duration) ([]analyzer.Finding, error) {
	c, e := s.c, s.e
	logs := c.StringSlice("error-log")
	if c.Bool("live") {
		opt := live.Options{Timeout: timeout, Concurrency: limit, Deadline: deadline,
			NotChecked: func(addrs, hosts int) {
				warnf(e.stderr, "note: --live-deadline (%v) passed before %d addresses were dialled and %d host names resolved; they were not checked (raise --live-deadline)", deadline, addrs, hosts)
			}}
		liveRules(&opt, on)
		fs = live.Check(ctx, ws, fs, opt)
	}
	if len(logs) > 0 && on(connectivity.UpstreamErrorLog) {
		m := errorlog.NewMapper(ctx, ws, errorlog.Options{Rule: connectivity.UpstreamErrorLog, Timeout: timeout})
		for _, name := range logs {
			if err := readLog(m, name, e.inputWhenRead(), ctx, e.stderr); err != nil {
				return nil, usage(err)
			}
		}
		fs = append(fs, m.Findings()...)
		noteUnmatched(e.stderr, m.Unmatched)
	}
	if esLogs := c.StringSlice("es-log"); len(esLogs) > 0 && on(esrules.ESNodeLog) {
		m := eslog.NewMapper(ws, s.nodes(ws), esrules.ESNodeLog)
		m.Settings = s.pipeline.Settings // links, as the XC rules see them
		for _, name := range esLogs {
			if err := readESLog(m, name, e.inputWhenRead()); err != nil {
				return nil, usage(err)
			}
		}
		fs = append(fs, m.Findings()...)
		if m.Unmatched > 0 {
			_, _ = fmt.Fprintf(e.stderr, "ngxlint: note: %d lines of the node's log were not mapped: the run must hold exactly one "+
				"node's settings file\n", m.Unmatched)
		}
	}
	return fs, nil
}

// liveRules names the rules live mode reports under, each only when on
// selects it: one list for lint --live and the editor's live mode.
func liveRules(opt *live.Options, on func(*analyzer.Rule) bool) {
	if on(connectivity.UpstreamUnreachable) {
		opt.Unreachable = connectivity.UpstreamUnreachable
	}
	if on(connectivity.ListenAddressNotLocal) {
		opt.ListenNotLocal = connectivity.ListenAddressNotLocal
	}
	if on(esrules.ESHostLimits) {
		opt.HostLimits = esrules.ESHostLimits
	}
	if on(esrules.ESNodeUnreachable) {
		opt.NodeUnreachable = esrules.ESNodeUnreachable
	}
}

func readESLog(m *eslog.Mapper, name string, stdin io.Reader) error {
	if name == "-" {
		if err := m.Read("standard input", stdin); err != nil {
			return fmt.Errorf("--es-log -: %w", err)
		}
		return nil
	}
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("--es-log: %w", err)
	}
	defer func() { _ = f.Close() }()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return fmt.Errorf("--es-log %s: is a directory", name)
	}
	if err := m.Read(name, f); err != nil {
		return fmt.Errorf("--es-log %s: %w", name, err)
	}
	return nil
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

// nodes lists the run's node settings files (a client's
// config/elasticsearch.yml is not one; .ngxlint.yml may say otherwise).
func (s *session) nodes(ws *analyzer.Workspace) []*elastic.Settings {
	var st *analyzer.Settings
	if s.cfg != nil {
		st = s.cfg.Settings()
	}
	var out []*elastic.Settings
	for _, f := range ws.Elastic {
		if _, skip := st.NotNode(f); !skip {
			out = append(out, f)
		}
	}
	return out
}
