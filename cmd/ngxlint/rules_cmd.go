package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/rules"
	"github.com/urfave/cli/v2"
)

// ruleInfo is one entry of `ngxlint rules --format json` (a contract).
type ruleInfo struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Severity string   `json:"severity"`
	Summary  string   `json:"summary"`
	Aliases  []string `json:"aliases"`
	URL      string   `json:"url"`
}

func rulesCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "rules",
		Usage: "list every rule",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "text or json"},
		},
		Action: func(c *cli.Context) error {
			all := rules.All()
			switch c.String("format") {
			case "json":
				out := make([]ruleInfo, 0, len(all))
				for _, r := range all {
					aliases := r.Aliases
					if aliases == nil {
						aliases = []string{}
					}
					out = append(out, ruleInfo{r.ID, r.Name, r.Severity.String(), r.Summary, aliases, r.URL()})
				}
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			case "text":
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				for _, r := range all {
					note := ""
					if r.OptIn {
						note = " (opt-in)"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s%s\n", r.ID, r.Name, r.Severity, r.Summary, note)
				}
				return tw.Flush()
			}
			return usage(fmt.Errorf("unknown format %q (want text or json)", c.String("format")))
		},
	}
}

func explainCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "explain",
		Usage:     "print a rule's documentation",
		ArgsUsage: "RULE (ID, name or alias)",
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usage(fmt.Errorf("explain takes one rule name, got %d", c.NArg()))
			}
			r := analyzer.FindRule(rules.All(), c.Args().First())
			if r == nil {
				return usage(fmt.Errorf("unknown rule %q (see `ngxlint rules`)", c.Args().First()))
			}
			_, err := fmt.Fprint(e.stdout, Explain(r))
			return err
		},
	}
}

// Explain renders a rule's page as text.
func Explain(r *analyzer.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (%s)\n%s\n\n", r.ID, r.Name, r.Severity, r.Summary)
	if len(r.Aliases) > 0 {
		fmt.Fprintf(&b, "Also known as: %s\n\n", strings.Join(r.Aliases, ", "))
	}
	b.WriteString(strings.TrimSpace(r.Doc))
	fmt.Fprintf(&b, "\n\nReference: %s\n", r.URL())
	return b.String()
}
