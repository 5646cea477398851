package report

import (
	"bufio"
	"encoding/xml"
	"io"
	"strconv"

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
	// Written as it goes: built whole, with each message grown by one
	// related location at a time, the 10 MB file's report allocated 69 MB.
	b := stickyWriter{bufio.NewWriterSize(w, 64<<10)}
	b.str(xml.Header)
	b.str("<checkstyle version=\"4.3\">\n")
	for _, name := range order {
		b.str("  <file name=\"")
		xmlAttr(b, name)
		b.str("\">\n")
		for _, f := range byFile[name] {
			b.str("    <error line=\"" + strconv.Itoa(int(f.Span.Start.Line)) + "\" column=\"" + strconv.Itoa(int(f.Span.Start.Col)) +
				"\" severity=\"" + f.Severity.String() + "\" message=\"")
			// Escaped a piece at a time: escaping is per character, so
			// the pieces join as the whole message would.
			xmlAttr(b, f.Message)
			for _, r := range f.Related {
				xmlAttr(b, "\n"+r.Span.String()+": "+r.Message)
			}
			b.str("\" source=\"")
			xmlAttr(b, "ngxlint."+f.Rule.Name)
			b.str("\"/>\n")
		}
		b.str("  </file>\n")
	}
	b.str("</checkstyle>\n")
	return b.w.Flush()
}

// xmlAttr writes s escaped for an attribute value; characters XML cannot
// carry at all (NUL and most control characters) become U+FFFD.
func xmlAttr(b stickyWriter, s string) {
	_ = xml.EscapeText(b.w, []byte(s)) // a write error surfaces at Flush
}
