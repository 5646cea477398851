package main

import (
	"io"
	"os"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/report"
	"github.com/ngxlint/ngxlint/rules"
)

// The machine formats for CI: SARIF for code scanning, GitHub Actions
// annotations, and Checkstyle XML for Jenkins and reviewdog.
func init() {
	formats["sarif"] = func(w io.Writer, ws *analyzer.Workspace, fs []analyzer.Finding, opt report.Options) error {
		// Display paths are relative to the working folder, so it is SRCROOT.
		wd, _ := os.Getwd()
		return report.SARIF(w, ws, fs, report.SARIFOptions{Version: opt.Version, Rules: rules.All(), BaseDir: wd})
	}
	formats["github"] = func(w io.Writer, _ *analyzer.Workspace, fs []analyzer.Finding, _ report.Options) error {
		return report.GitHub(w, fs)
	}
	formats["checkstyle"] = func(w io.Writer, ws *analyzer.Workspace, fs []analyzer.Finding, _ report.Options) error {
		return report.Checkstyle(w, ws, fs)
	}
}
