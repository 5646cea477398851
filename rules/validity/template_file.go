package validity

import (
	"path/filepath"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
)

// templateSuffixes end the names of files that a tool renders before
// nginx reads them (the nginx image's templates/*.template, Jinja, ERB,
// autoconf).
var templateSuffixes = []string{".template", ".tmpl", ".tpl", ".j2", ".jinja", ".jinja2", ".erb", ".in"}

// templateFile reports whether path names a template rather than the
// configuration nginx reads.
func templateFile(path string) bool {
	base := strings.ToLower(filepath.Base(path))
	for _, s := range templateSuffixes {
		if strings.HasSuffix(base, s) {
			return true
		}
	}
	return false
}

// inTemplate lowers a finding about a placeholder in a template file to
// info: the placeholder is meant to be there, and the finding only
// matters if the file reaches nginx unrendered.
func inTemplate(f *analyzer.Finding) {
	if templateFile(f.Span.File) {
		f.Severity = analyzer.Info
		f.Message += " (this file is a template: this only happens if it reaches nginx unrendered)"
	}
}
