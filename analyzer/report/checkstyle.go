package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
)

// Checkstyle writes the Checkstyle XML format that Jenkins (warnings-ng),
// reviewdog and most CI dashboards read: every linted file, each with its
// findings as <error> elements.
func Checkstyle(w io.Writer, ws *analyzer.Workspace, fs []analyzer.Finding) error {
	var order []string
	byFile := make(map[string][]analyzer.Finding)
	seen := make(map[string]bool)
	add := func(name string) {
		if !seen[name] {
			seen[name] = true
			order = append(order, name)
		}
	}
	if ws != nil {
		for _, f := range ws.Files {
			add(f.Path)
		}
	}
	for _, f := range fs {
		add(f.Span.File)
		byFile[f.Span.File] = append(byFile[f.Span.File], f)
	}
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString("<checkstyle version=\"4.3\">\n")
	for _, name := range order {
		fmt.Fprintf(&b, "  <file name=\"%s\">\n", attr(name))
		for _, f := range byFile[name] {
			msg := f.Message
			for _, r := range f.Related {
				msg += "\n" + r.Span.String() + ": " + r.Message
			}
			fmt.Fprintf(&b, "    <error line=\"%d\" column=\"%d\" severity=\"%s\" message=\"%s\" source=\"%s\"/>\n",
				f.Span.Start.Line, f.Span.Start.Col, f.Severity, attr(msg), attr("ngxlint."+f.Rule.Name))
		}
		b.WriteString("  </file>\n")
	}
	b.WriteString("</checkstyle>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// attr escapes an attribute value; characters XML cannot carry at all (NUL
// and most control characters) become U+FFFD.
func attr(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // writes to a strings.Builder: cannot fail
	return b.String()
}
