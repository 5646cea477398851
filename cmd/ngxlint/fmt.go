package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/fix"
	"github.com/ngxlint/ngxlint/analyzer/format"
	"github.com/ngxlint/ngxlint/analyzer/source"
	"github.com/urfave/cli/v2"
)

func init() {
	extraCommands = append(extraCommands, fmtCommand)
}

func fmtCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "fmt",
		Usage:     "lay out nginx files canonically (indentation, one directive per line)",
		ArgsUsage: "[PATH...] (folders are walked for nginx files; - reads standard input and writes standard output)",
		Description: "Rewrites each file in place (atomically, refusing a file that changed meanwhile, keeping its mode).\n" +
			"A file with syntax errors is left alone: its errors are printed and the exit status is 1.\n" +
			"fmt.indent in .ngxlint.yml sets the indentation (a number of spaces, or tab).",
		Flags: append([]cli.Flag{
			&cli.BoolFlag{Name: "check", Usage: "write nothing; print the files that would change and exit 1 if any"},
			&cli.BoolFlag{Name: "diff", Usage: "write nothing; print a unified diff and exit 1 if any file would change"},
			&cli.StringFlag{Name: "config", Usage: "read settings from `FILE` (default: the nearest .ngxlint.yml at or above the first path)"},
		}, fmtLimitFlags()...),
		Action: func(c *cli.Context) error { return runFmt(c, e) },
	}
}

func runFmt(c *cli.Context, e *env) error {
	paths := c.Args().Slice()
	if len(paths) == 0 {
		return usage(errors.New("fmt: name the files or folders to format, or - for standard input"))
	}
	cfg, err := loadConfig(c, paths)
	if err != nil {
		return usage(err)
	}
	limits, err := readFileLimits(c)
	if err != nil {
		return err
	}
	e.stdinLimit = limits.MaxFileSize
	opt := format.Options{Indent: cfg.FmtIndent, MaxNodes: limits.MaxNodes}
	check, diff := c.Bool("check"), c.Bool("diff")

	files, err := fmtFiles(paths)
	if err != nil {
		return usage(err)
	}
	var syntaxErrs, changed, failed int
	for _, name := range files {
		var src []byte
		if name == "-" {
			src, err = io.ReadAll(e.input())
			if limit := limits.FileSize(); err == nil && int64(len(src)) > limit {
				// Formatting the first part would write a cut file out.
				err = fmt.Errorf("%w: standard input is longer than %s", analyzer.ErrTooLarge, analyzer.ByteSize(limit))
			}
		} else {
			// As a lint reads it: never a FIFO or a device, never more
			// than the limit.
			src, err = analyzer.ReadOne(name, limits)
		}
		if err != nil {
			return usage(fmt.Errorf("%s: %w", name, err))
		}
		display := name
		if name == "-" {
			display = "<stdin>"
		}
		out, err := format.Source(display, src, opt)
		var se *format.SyntaxError
		if errors.As(err, &se) {
			if se.Cut() {
				note(e, "ngxlint: %s: not formatted: it holds more than %d directives and arguments, the bound that keeps "+
					"memory finite (--max-nodes raises it, 0 lifts it)\n", display, limits.MaxNodes)
				failed++
			} else {
				for _, d := range se.Diagnostics {
					note(e, "%s: %s\n", d.Span, d.Message)
				}
				note(e, "ngxlint: %s: not formatted (syntax errors)\n", display)
				syntaxErrs++
			}
			if name == "-" && !check && !diff {
				// A filter must not swallow its input.
				_, _ = e.stdout.Write(src)
			}
			continue
		} else if err != nil {
			return usage(err)
		}
		same := string(out) == string(src)
		if !same {
			changed++
		}
		switch {
		case check:
			if !same {
				fmt.Fprintln(e.stdout, display)
			}
		case diff:
			if !same {
				fmt.Fprint(e.stdout, fix.Diff(filepath.ToSlash(display), src, out))
			}
		case name == "-":
			_, _ = e.stdout.Write(out)
		case !same:
			if err := fix.WriteFile(name, src, out); err != nil {
				note(e, "ngxlint: %v\n", err)
				failed++
			}
		}
	}
	switch {
	case failed > 0:
		return &exitError{code: exitUsage}
	case syntaxErrs > 0, (check || diff) && changed > 0:
		return &exitError{code: exitFindings}
	}
	return nil
}

// fmtFiles expands folders into the nginx files under them (hidden
// folders skipped, as lint does); named files are taken as they are.
func fmtFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		if p == "-" {
			out = append(out, p)
			continue
		}
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			if kind, ok := analyzer.Classify(p); ok && kind != source.KindNginx {
				return nil, fmt.Errorf("%s: not an nginx file; fmt formats nginx configuration only", p)
			}
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if path != p && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if kind, ok := analyzer.Classify(path); ok && kind == source.KindNginx && d.Type().IsRegular() {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
