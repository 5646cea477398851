package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
)

// GitHub writes GitHub Actions workflow commands, one per finding
// (`::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`),
// which the Actions runner turns into annotations on the pull request.
func GitHub(w io.Writer, fs []analyzer.Finding) error {
	var b strings.Builder
	for _, f := range fs {
		cmd := "notice"
		switch f.Severity {
		case analyzer.Error:
			cmd = "error"
		case analyzer.Warning:
			cmd = "warning"
		}
		msg := f.Message
		for _, r := range f.Related {
			msg += "\n" + r.Span.String() + ": " + r.Message
		}
		if f.Fix != nil {
			kind := "unsafe fix"
			if f.Fix.Safe {
				kind = "fix"
			}
			msg += "\n" + kind + ": " + f.Fix.Title
		}
		s := f.Span
		fmt.Fprintf(&b, "::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s::%s\n",
			cmd, escapeProperty(s.File), s.Start.Line, s.Start.Col, s.End.Line, s.End.Col,
			escapeProperty(f.Rule.ID+" "+f.Rule.Name), escapeData(msg))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// escapeData escapes a workflow command's message as the Actions runner
// unescapes it: %, CR and LF.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty also escapes the property separators ':' and ','.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
