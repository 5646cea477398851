package report

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
)

// GitHub writes GitHub Actions workflow commands, one per finding
// (`::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`),
// which the Actions runner turns into annotations on the pull request.
// Written as it goes, a piece at a time: built whole, with a message grown
// by one related location at a time and three replacers made per finding,
// the 10 MB file's 15,849 findings allocated 388 MB.
func GitHub(w io.Writer, fs []analyzer.Finding) error {
	b := stickyWriter{bufio.NewWriterSize(w, 64<<10)}
	for _, f := range fs {
		cmd := "notice"
		switch f.Severity {
		case analyzer.Error:
			cmd = "error"
		case analyzer.Warning:
			cmd = "warning"
		}
		s := f.Span
		b.str("::" + cmd + " file=")
		escaped(b, propertyEscaper, s.File)
		for _, kv := range [...]struct {
			key string
			n   int32
		}{{",line=", s.Start.Line}, {",col=", s.Start.Col}, {",endLine=", s.End.Line}, {",endColumn=", s.End.Col}} {
			b.str(kv.key)
			b.str(strconv.Itoa(int(kv.n)))
		}
		b.str(",title=")
		escaped(b, propertyEscaper, f.Rule.ID+" "+f.Rule.Name)
		b.str("::")
		// The message and its lines after it, escaped a piece at a time:
		// escaping is per character, so the pieces join as the whole would.
		escaped(b, dataEscaper, f.Message)
		for _, r := range f.Related {
			b.str("%0A")
			escaped(b, dataEscaper, r.Span.String()+": "+r.Message)
		}
		if f.Fix != nil {
			kind := "unsafe fix"
			if f.Fix.Safe {
				kind = "fix"
			}
			b.str("%0A")
			escaped(b, dataEscaper, kind+": "+f.Fix.Title)
		}
		b.byte('\n')
	}
	return b.w.Flush()
}

// dataEscaper escapes a workflow command's message as the Actions runner
// unescapes it: %, CR and LF. propertyEscaper also escapes the property
// separators ':' and ','. Made once: a Replacer is safe for concurrent use.
var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// escaped writes s through r; a write error surfaces at Flush.
func escaped(b stickyWriter, r *strings.Replacer, s string) { _, _ = r.WriteString(b.w, s) }
