package main

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/baseline"
	"github.com/urfave/cli/v2"
)

func init() {
	extraLintFlags = append(extraLintFlags,
		&cli.StringFlag{Name: "baseline", Usage: "report only findings not recorded in `FILE` (see --write-baseline)"},
		&cli.StringFlag{Name: "write-baseline", Usage: "record today's findings in `FILE` and report none of them"},
	)
}

// baselineHook writes and applies the baseline; it runs after fixes, so a
// fixed finding is never recorded.
func baselineHook(s *session, ws *analyzer.Workspace, fs []analyzer.Finding) ([]analyzer.Finding, error) {
	c, e := s.c, s.e
	path := c.String("baseline")
	if w := c.String("write-baseline"); w != "" {
		if err := baseline.Write(w, ws, fs); err != nil {
			return nil, usage(fmt.Errorf("--write-baseline: %w", err))
		}
		note(e, "ngxlint: recorded %d %s in %s\n", len(fs), plural(len(fs), "finding"), w)
		path = w
	}
	if path == "" {
		return fs, nil
	}
	bl, err := baseline.Read(path)
	if err != nil {
		return nil, usage(fmt.Errorf("--baseline: %w", err))
	}
	out, _ := bl.Filter(ws, fs)
	return out, nil
}

func plural(n int, s string) string {
	if n == 1 {
		return s
	}
	return s + "s"
}

// note writes a line for the user on standard error; failing to write it
// is no reason to fail the run.
func note(e *env, format string, args ...any) {
	_, _ = fmt.Fprintf(e.stderr, format, args...)
}
