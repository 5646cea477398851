package main

import (
	"context"
	"slices"
	"time"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/live"
	"github.com/ngxlint/ngxlint/lsp"
	"github.com/urfave/cli/v2"
)

func init() {
	extraCommands = append(extraCommands, lspCommand)
}

// lspLiveDeadline bounds one live run in the editor: it runs after every
// (debounced) edit, so it must stay short.
const lspLiveDeadline = 5 * time.Second

func lspCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "lsp",
		Usage: "run the language server (LSP over standard input and output) for editors",
		Description: "Editors start this command and talk to it over stdin/stdout. The project's .ngxlint.yml applies as\n" +
			"for lint; the client's initializationOptions go on top: {\"enable\": [...], \"disable\": [...], \"live\": false, \"debounceMs\": 150}.",
		Flags: []cli.Flag{
			// Some clients always pass --stdio; stdio is the only transport.
			&cli.BoolFlag{Name: "stdio", Usage: "use standard input and output (the default and only transport)"},
		},
		Action: func(c *cli.Context) error {
			code := lsp.ServeStdio(context.Background(), e.stdin, e.stdout, lsp.Options{
				Version: version, Log: e.stderr, Live: lspLive,
			})
			if code != 0 {
				return &exitError{code: code}
			}
			return nil
		},
	}
}

// lspLive is live mode for the editor (off unless initializationOptions
// say "live": true): the same checks and rules as `lint --live`
// (liveRules), with a shorter deadline. It runs as a stage of the language server's pipeline, which
// filters what it adds as it does for lint.
func lspLive(ctx context.Context, ws *analyzer.Workspace, fs []analyzer.Finding, selected []*analyzer.Rule) ([]analyzer.Finding, error) {
	return live.Check(ctx, ws, fs, lspLiveOptions(selected)), nil
}

// lspLiveOptions are the editor's live-mode options for the selected rules.
func lspLiveOptions(selected []*analyzer.Rule) live.Options {
	opt := live.Options{Deadline: lspLiveDeadline}
	liveRules(&opt, func(r *analyzer.Rule) bool { return slices.Contains(selected, r) })
	return opt
}
