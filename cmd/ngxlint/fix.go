package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/fix"
	"github.com/urfave/cli/v2"
)

func init() {
	extraLintFlags = append(extraLintFlags,
		&cli.BoolFlag{Name: "fix", Usage: "apply safe fixes to the files, then report what is left"},
		&cli.BoolFlag{Name: "diff", Usage: "print the fixes as a unified diff instead of the report; write nothing (exit 1 when there is a diff)"},
		&cli.BoolFlag{Name: "unsafe-fixes", Usage: "with --fix or --diff, also apply fixes that may change behaviour"},
	)
	// Fixes first, then the baseline (baseline.go): a fixed finding must
	// not be recorded, and both must see live evidence (lintHooks).
	finalLintHooks = append(finalLintHooks, fixHook, baselineHook)
}

// fileFixes is what --fix and --diff do to one file.
type fileFixes struct {
	path    string // display path
	abs     string
	src     []byte
	out     []byte
	applied int
}

func fixHook(s *session, ws *analyzer.Workspace, fs []analyzer.Finding) ([]analyzer.Finding, error) {
	c, e := s.c, s.e
	doFix, doDiff := c.Bool("fix"), c.Bool("diff")
	if !doFix && !doDiff {
		if c.Bool("unsafe-fixes") {
			return nil, usage(errors.New("--unsafe-fixes needs --fix or --diff"))
		}
		return fs, nil
	}
	if doFix && doDiff {
		return nil, usage(errors.New("--fix and --diff exclude each other: --diff shows what --fix would write"))
	}
	if doFix && ws.Dump != "" {
		return nil, usage(fmt.Errorf("%s: --fix cannot fix an nginx -T dump: the files it holds are on the machine that made it, "+
			"not here; run --fix on those files, or use --diff to see the changes", ws.Dump))
	}
	unsafe := c.Bool("unsafe-fixes")

	// Collect each file's fixes, in finding order.
	byFile := map[string][]*analyzer.Fix{}
	var order []string
	held := 0
	for _, f := range fs {
		fx := f.Fix
		if fx == nil || len(fx.Edits) == 0 {
			continue
		}
		if !fx.Safe && !unsafe {
			held++
			continue
		}
		file := fx.Edits[0].Span.File
		multi := false
		for _, ed := range fx.Edits {
			multi = multi || ed.Span.File != file
		}
		if multi {
			// All or nothing across files is more than byte edits can
			// promise; no rule makes such a fix today.
			note(e, "ngxlint: %s: fix %q edits several files; not applied\n", f.Span, fx.Title)
			continue
		}
		if _, ok := byFile[file]; !ok {
			order = append(order, file)
		}
		byFile[file] = append(byFile[file], fx)
	}

	var changed []*fileFixes
	total := 0
	for _, name := range order {
		src := ws.File(name)
		if src == nil {
			continue
		}
		out, applied, skipped := fix.Apply(src.Src, byFile[name])
		for _, s := range skipped {
			note(e, "ngxlint: %s: fix %q not applied: %s\n", name, byFile[name][s.Index].Title, s.Reason)
		}
		if string(out) == string(src.Src) {
			continue
		}
		if doFix && src.Abs == "" || doFix && isStdin(c, src.Path) {
			return nil, usage(fmt.Errorf("%s: --fix cannot write standard input; use --diff", name))
		}
		changed = append(changed, &fileFixes{path: name, abs: src.Abs, src: src.Src, out: out, applied: len(applied)})
		total += len(applied)
	}

	if doDiff {
		var b strings.Builder
		for _, ff := range changed {
			b.WriteString(fix.Diff(diffPath(ff), ff.src, ff.out))
		}
		if err := writeOutput(c, e, b.String()); err != nil {
			return nil, &exitError{code: exitUsage, msg: "writing diff: " + err.Error()}
		}
		noteHeld(e, held)
		if b.Len() > 0 {
			return nil, &exitError{code: exitFindings}
		}
		return nil, &exitError{code: exitOK}
	}

	var failed []string
	for _, ff := range changed {
		if err := fix.WriteFile(ff.abs, ff.src, ff.out); err != nil {
			note(e, "ngxlint: %v\n", err)
			failed = append(failed, ff.path)
			total -= ff.applied
			continue
		}
		note(e, "ngxlint: fixed %d %s in %s\n", ff.applied, plural(ff.applied, "problem"), ff.path)
	}
	noteHeld(e, held)
	if len(changed) == len(failed) {
		return fs, nil // nothing on disk changed: the findings stand
	}
	// Lint again from disk rather than guess which findings the edits
	// removed and where the others moved.
	return relint(s, ws)
}

func noteHeld(e *env, held int) {
	if held > 0 {
		note(e, "ngxlint: %d unsafe %s not applied (review them, then use --unsafe-fixes)\n", held, plural(held, "fix"))
	}
}

func isStdin(c *cli.Context, display string) bool {
	for _, p := range c.Args().Slice() {
		if p == "-" {
			name := c.String("stdin-filename")
			return name == "" && display == "<stdin>" || name != "" && display == name
		}
	}
	return false
}

// relint loads and checks the same paths again, with the same settings
// and hooks, and swaps the new workspace into ws so that the report's
// excerpts show the fixed text.
func relint(s *session, ws *analyzer.Workspace) ([]analyzer.Finding, error) {
	fresh, findings, errs, err := s.analyze()
	if err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, &exitError{code: exitUsage, msg: errors.Join(errs...).Error()}
	}
	*ws = *fresh
	analyzer.SortFindings(ws, findings)
	return findings, nil
}

// diffPath names a file in diff headers so that `patch -p1` applies the
// diff from the working folder; a path that climbs out of it (../a.conf)
// has no such form, so it is given absolute (apply with -p0).
func diffPath(ff *fileFixes) string {
	if ff.abs != "" && (ff.path == ".." || strings.HasPrefix(ff.path, ".."+string(filepath.Separator))) {
		return ff.abs
	}
	return ff.path
}

// writeOutput writes text to --output when given, else to standard output.
func writeOutput(c *cli.Context, e *env, text string) error {
	name := c.String("output")
	if name == "" {
		_, err := io.WriteString(e.stdout, text)
		return err
	}
	return os.WriteFile(name, []byte(text), 0o644)
}
