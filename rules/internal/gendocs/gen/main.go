// Command gen writes docs/rules from the rules' fields; `go generate
// ./rules` runs it. It removes pages of rules that no longer exist.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ngxlint/ngxlint/rules"
	"github.com/ngxlint/ngxlint/rules/internal/gendocs"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gen DIR")
		os.Exit(2)
	}
	if err := write(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := gendocs.Files(rules.All())
	old, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		return err
	}
	for _, p := range old {
		if _, keep := files[filepath.Base(p)]; !keep {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	for name, b := range files {
		if strings.ContainsAny(name, `/\`) {
			return fmt.Errorf("bad page name %q", name)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
