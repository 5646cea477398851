package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/config"
	"github.com/ngxlint/ngxlint/analyzer/report"
	"github.com/ngxlint/ngxlint/rules"
	"github.com/urfave/cli/v2"
)

// formats maps --format values to renderers; other files add theirs.
var formats = map[string]func(w io.Writer, ws *analyzer.Workspace, fs []analyzer.Finding, opt report.Options) error{
	"text": report.Text,
	"json": func(w io.Writer, _ *analyzer.Workspace, fs []analyzer.Finding, opt report.Options) error {
		return report.JSON(w, fs, opt)
	},
}

func formatNames() string {
	names := []string{"text", "json"}
	for n := range formats {
		if n != "text" && n != "json" {
			names = append(names, n)
		}
	}
	return strings.Join(names, "|")
}

func lintCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "lint",
		Usage:     "lint nginx configuration and elasticsearch.yml / opensearch.yml files",
		ArgsUsage: "[PATH...]  (files, folders, or - for standard input)",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output format: text, json, sarif, github, checkstyle"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the report to `FILE` instead of standard output"},
			&cli.StringFlag{Name: "fail-on", Value: "warning", Usage: "exit 1 when a finding is at least this severe: error, warning, info or none"},
			&cli.StringSliceFlag{Name: "enable", Usage: "run this `RULE` too (ID, name or alias; repeatable, comma-separated, or all)"},
			&cli.StringSliceFlag{Name: "disable", Usage: "do not run this `RULE` (ID, name or alias; repeatable, comma-separated)"},
			&cli.StringFlag{Name: "prefix", Aliases: []string{"p"}, Usage: "where the configuration lives on the server (e.g. /etc/nginx): fragments resolve their includes against `DIR`, main files look there too"},
			&cli.StringFlag{Name: "stdin-filename", Usage: "the `NAME` standard input (-) is reported as; its extension tells nginx from YAML"},
			&cli.StringFlag{Name: "color", Value: "auto", Usage: "colour text output: auto, always or never (NO_COLOR disables auto)"},
		}, extraLintFlags...),
		Action: func(c *cli.Context) error { return lint(c, e) },
	}
}

// extraLintFlags, lintStages and finalLintHooks let other files of this
// package (live mode, fixes, configuration) extend lint without editing
// this file.
var (
	extraLintFlags []cli.Flag
	// lintStages make the pipeline's stages after the rules (live
	// evidence, error logs) from the run's flags; nil for a stage that
	// is off.
	lintStages []func(s *session) (analyzer.Stage, error)
	// finalLintHooks run after the pipeline, on the CLI only (fixes, then
	// the baseline: they must see live evidence, which can make a fix
	// safe).
	finalLintHooks []lintHook
)

type lintHook = func(s *session, ws *analyzer.Workspace, fs []analyzer.Finding) ([]analyzer.Finding, error)

// session is one lint run's settings, decided once and shared by the
// hooks: the flags, the .ngxlint.yml in force, the rules it selects and
// the pipeline they make.
type session struct {
	c        *cli.Context
	e        *env
	paths    []string
	cfg      *config.Config
	selected []*analyzer.Rule
	pipeline *analyzer.Pipeline
	limits   analyzer.Limits
}

// newSession reads .ngxlint.yml (config.go) and selects the rules: the
// file first, the flags on top.
func newSession(c *cli.Context, e *env, paths []string) (*session, error) {
	cfg, err := loadConfig(c, paths)
	if err != nil {
		return nil, usage(err)
	}
	selected, err := cfg.Select(rules.All(), c.StringSlice("enable"), c.StringSlice("disable"))
	if err != nil {
		return nil, usage(err)
	}
	limits, err := readLimits(c)
	if err != nil {
		return nil, err
	}
	s := &session{c: c, e: e, paths: paths, cfg: cfg, selected: selected, limits: limits}
	settings, err := runSettings(c, cfg)
	if err != nil {
		return nil, usage(err)
	}
	s.pipeline = &analyzer.Pipeline{Rules: selected, Known: rules.All(), Settings: settings, Policy: cfg.Apply, Loaded: heapForLoaded}
	for _, mk := range lintStages {
		stage, err := mk(s)
		if err != nil {
			return nil, err
		}
		if stage != nil {
			s.pipeline.Stages = append(s.pipeline.Stages, stage)
		}
	}
	return s, nil
}

// analyze runs the pipeline over the inputs; --fix runs it again after
// writing. errs are rules that failed; err stops the run.
func (s *session) analyze() (ws *analyzer.Workspace, fs []analyzer.Finding, errs []error, err error) {
	s.e.stdinLimit = s.limits.MaxFileSize
	opt, err := loadOptions(s.c, s.e, s.cfg)
	if err != nil {
		return nil, nil, nil, usage(err)
	}
	opt.Limits = s.limits
	opt.Admitted = heapForReading
	ws, fs, errs, err = s.pipeline.Lint(context.Background(), s.paths, opt)
	if errors.Is(err, analyzer.ErrTooLarge) {
		return nil, nil, nil, usage(fmt.Errorf("%w (raise the limits with --max-file-size and --max-total-size)", err))
	}
	var ue *analyzer.UsageError
	if errors.As(err, &ue) {
		return nil, nil, nil, usage(err)
	}
	return ws, fs, errs, err
}

func lint(c *cli.Context, e *env) error {
	failOn, err := parseFailOn(c.String("fail-on"))
	if err != nil {
		return usage(err)
	}
	render, ok := formats[c.String("format")]
	if !ok {
		return usage(fmt.Errorf("unknown format %q (want %s)", c.String("format"), formatNames()))
	}
	paths := c.Args().Slice()
	if len(paths) == 0 {
		return usage(errors.New("no input: name files or folders to lint, or - for standard input"))
	}
	s, err := newSession(c, e, paths)
	if err != nil {
		return err
	}
	if heapForInput != nil {
		heapForInput(paths)
	}
	ws, findings, errs, err := s.analyze()
	if err != nil {
		return err
	}
	for _, h := range finalLintHooks {
		if findings, err = h(s, ws, findings); err != nil {
			return err
		}
	}

	out := e.stdout
	var file *os.File
	if name := c.String("output"); name != "" {
		if file, err = os.Create(name); err != nil {
			return usage(fmt.Errorf("--output: %w", err))
		}
		out = file
	}
	opt := report.Options{Version: version, Color: useColor(c.String("color"), out)}
	if err := render(out, ws, findings, opt); err != nil {
		return &exitError{code: exitUsage, msg: "writing report: " + err.Error()}
	}
	if file != nil {
		if err := file.Close(); err != nil {
			return &exitError{code: exitUsage, msg: "writing report: " + err.Error()}
		}
	}
	if len(errs) > 0 {
		return &exitError{code: exitUsage, msg: errors.Join(errs...).Error()}
	}
	for _, f := range findings {
		if failOn != 0 && f.Severity >= failOn {
			return &exitError{code: exitFindings}
		}
	}
	return nil
}

func usage(err error) error { return &exitError{code: exitUsage, msg: err.Error()} }

// parseFailOn reads --fail-on; "none" is 0, which nothing reaches.
func parseFailOn(s string) (analyzer.Severity, error) {
	if strings.EqualFold(s, "none") {
		return 0, nil
	}
	sev, err := analyzer.ParseSeverity(s)
	if err != nil {
		return 0, fmt.Errorf("--fail-on: %w", err)
	}
	return sev, nil
}

// useColor decides on ANSI colours: always, never, or auto (a terminal and
// no NO_COLOR, https://no-color.org).
func useColor(mode string, w io.Writer) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if _, set := os.LookupEnv("NO_COLOR"); set {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
