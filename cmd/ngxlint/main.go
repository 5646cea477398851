// Command ngxlint lints nginx configuration and Elasticsearch / OpenSearch
// settings. This package is the CLI only: flags, exit codes and wiring; the
// analysis lives in package analyzer and the checks in package rules.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ngxlint/ngxlint/analyzer"
)

// version and commit are set at build time by scripts/release.sh with
// -ldflags "-X main.version=... -X main.commit=..."; a plain go build
// takes the commit from the build's version-control stamp.
var (
	version = "0.1.0-dev"
	commit  = ""
)

// commitID is the commit the binary was built from, or "unknown".
func commitID() string {
	if commit != "" {
		return commit
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if rev != "" {
			if dirty {
				rev += "-dirty"
			}
			return rev
		}
	}
	return "unknown"
}

// Exit statuses (a contract scripts depend on).
const (
	exitOK       = 0 // no finding at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitUsage    = 2 // usage error, unreadable input or internal error
)

func main() {
	adjustStartingHeap()
	heapForInput, heapForReading, heapForLoaded = prepareHeap, paceForReading, growHeap
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// env lets tests run the CLI in-process with their own streams.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	// stdinData caches standard input for `-` and `--error-log -`: a
	// re-lint after --fix must see the same bytes again.
	stdinData []byte
	stdinRead bool
	stdinErr  error
	// stdinLimit is --max-file-size (0: the default, negative: none).
	stdinLimit int64

	// unknownCommand is set by urfave/cli's CommandNotFound, which cannot
	// return an error itself.
	unknownCommand bool
}

// input returns a reader over all of standard input, read once and
// replayed on every call.
func (e *env) input() io.Reader {
	if !e.stdinRead {
		e.stdinRead = true
		// Bounded: past the largest limit a size flag can set, standard
		// input is refused by the loader anyway (it reads one byte more
		// than its limit to tell).
		r := e.stdin
		switch {
		case e.stdinLimit == 0:
			r = io.LimitReader(r, analyzer.DefaultMaxFileSize+1)
		case e.stdinLimit > 0:
			r = io.LimitReader(r, e.stdinLimit+1)
		}
		e.stdinData, e.stdinErr = io.ReadAll(r)
	}
	if e.stdinErr != nil {
		return &errReader{e.stdinErr}
	}
	return bytes.NewReader(e.stdinData)
}

type errReader struct{ err error }

func (r *errReader) Read([]byte) (int, error) { return 0, r.err }

// exitError carries an exit status through urfave/cli without it calling
// os.Exit itself.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// run is main without os.Exit: it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if v := recover(); v != nil {
			warnf(stderr, "internal error: %v (please report this with the input that caused it)", v)
			code = exitUsage
		}
	}()
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	app := newApp(e)
	args, err := reorderArgs(app, args)
	if err == nil {
		err = app.Run(args)
	}
	if err == nil && e.unknownCommand {
		return exitUsage
	}
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			warnf(stderr, "%s", ee.msg)
		}
		return ee.code
	}
	warnf(stderr, "%v", err)
	return exitUsage
}

// warnf prints one "ngxlint: ..." line to stderr. A failure to write it
// has nowhere better to go, so it is ignored on purpose.
func warnf(w io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(w, "ngxlint: "+format+"\n", args...)
}

func newApp(e *env) *cli.App {
	app := &cli.App{
		Name:      "ngxlint",
		Usage:     "find the nginx and Elasticsearch settings that end in connection refused",
		Version:   version,
		Reader:    e.stdin,
		Writer:    e.stdout,
		ErrWriter: e.stderr,
		// We map errors to exit statuses ourselves (run), never os.Exit
		// from inside the library.
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return &exitError{code: exitUsage, msg: err.Error() + " (see --help)"}
		},
		HideVersion: false,
		Commands: []*cli.Command{
			lintCommand(e),
			rulesCommand(e),
			explainCommand(e),
			versionCommand(e),
		},
		CommandNotFound: func(c *cli.Context, name string) {
			warnf(e.stderr, "unknown command %q (see ngxlint --help)", name)
			e.unknownCommand = true
		},
	}
	for _, c := range extraCommands {
		app.Commands = append(app.Commands, c(e))
	}
	// A usage error gets one line on stderr, not the help on stdout, where
	// it would corrupt --format json for a pipeline.
	for _, c := range app.Commands {
		name := c.Name
		c.OnUsageError = func(_ *cli.Context, err error, _ bool) error {
			return &exitError{code: exitUsage, msg: fmt.Sprintf("%v (see ngxlint %s --help)", err, name)}
		}
	}
	return app
}

// extraCommands lets other files of this package add commands (lsp).
var extraCommands []func(*env) *cli.Command

func versionCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the version",
		Action: func(*cli.Context) error {
			fmt.Fprintf(e.stdout, "ngxlint %s (commit %s)\n", version, commitID())
			return nil
		},
	}
}

// reorderArgs moves a subcommand's flags before its positional arguments:
// urfave/cli v2 stops parsing flags at the first path, and users write
// `ngxlint lint nginx.conf --format json`.
func reorderArgs(app *cli.App, args []string) ([]string, error) {
	if len(args) < 2 {
		return args, nil
	}
	var cmd *cli.Command
	at := -1
	for i := 1; i < len(args); i++ {
		if strings.HasPrefix(args[i], "-") {
			continue // a global flag such as --help
		}
		for _, c := range app.Commands {
			if c.HasName(args[i]) {
				cmd, at = c, i
			}
		}
		break
	}
	if cmd == nil {
		return args, nil
	}
	var flags, paths []string
	rest := args[at+1:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case a == "--":
			paths = append(paths, rest[i+1:]...)
			i = len(rest)
		case a == "-" || !strings.HasPrefix(a, "-"):
			paths = append(paths, a)
		default:
			flags = append(flags, a)
			if !strings.Contains(a, "=") && takesValue(cmd, strings.TrimLeft(a, "-")) {
				if i+1 == len(rest) {
					return nil, fmt.Errorf("flag needs an argument: %s (see --help)", a)
				}
				i++
				flags = append(flags, rest[i])
			}
		}
	}
	out := append([]string{}, args[:at+1]...)
	out = append(out, flags...)
	if len(paths) > 0 {
		out = append(out, "--")
		out = append(out, paths...)
	}
	return out, nil
}

// takesValue reports whether the named flag of cmd expects a value.
func takesValue(cmd *cli.Command, name string) bool {
	for _, f := range cmd.Flags {
		for _, n := range f.Names() {
			if n != name {
				continue
			}
			if df, ok := f.(cli.DocGenerationFlag); ok {
				return df.TakesValue()
			}
		}
	}
	return false
}
