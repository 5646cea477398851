package lsp

import (
	"strings"
	"testing"

	lsp "github.com/sourcegraph/go-lsp"
)

// The server formats a whole document and a range with ngxlint fmt's
// layout, with fmt.indent from .ngxlint.yml, and advertises both.
func TestFormatting(t *testing.T) {
	text := "http {\nserver {\nlisten 80;   # a\n}\nserver\n{\n  listen   81;\n}\n}\n"
	c, u := openVersioned(t, text, "fmt:\n  indent: 2\n")
	var edits []lsp.TextEdit
	c.mustCall("textDocument/formatting", map[string]any{"textDocument": map[string]any{"uri": u}, "options": map[string]any{"tabSize": 8, "insertSpaces": true}}, &edits)
	want := "http {\n  server {\n    listen 80; # a\n  }\n  server {\n    listen 81;\n  }\n}\n"
	if got := applyEdits(t, text, edits); got != want {
		t.Errorf("formatting:\n%s\nwant:\n%s", got, want)
	}

	r := find(t, text, "listen   81")
	edits = nil
	c.mustCall("textDocument/rangeFormatting", map[string]any{"textDocument": map[string]any{"uri": u}, "range": r, "options": map[string]any{"tabSize": 8, "insertSpaces": true}}, &edits)
	got := applyEdits(t, text, edits)
	if !strings.Contains(got, "{\n    listen 81;\n}") || !strings.HasPrefix(got, "http {\nserver {\nlisten 80;   # a\n") || len(edits) != 1 {
		t.Errorf("range formatting (%d edits):\n%s", len(edits), got)
	}
}

func TestFormattingLeavesBrokenDocument(t *testing.T) {
	text := "http {\n  server {\nlisten 80\n"
	c, u, _, _, _ := openNginxConf(t, text, Options{})
	edits := []lsp.TextEdit{{NewText: "sentinel"}}
	c.mustCall("textDocument/formatting", map[string]any{"textDocument": map[string]any{"uri": u}, "options": map[string]any{"tabSize": 4, "insertSpaces": true}}, &edits)
	if len(edits) != 0 {
		t.Errorf("edits for a document that does not parse: %+v", edits)
	}
}

func TestFormattingAdvertised(t *testing.T) {
	c := newClient(t, Options{}, nil)
	res := c.initialize(t.TempDir(), nil)
	if !res.Capabilities.DocumentFormattingProvider || !res.Capabilities.DocumentRangeFormattingProvider {
		t.Errorf("capabilities %+v", res.Capabilities)
	}
}
