package lsp

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sourcegraph/jsonrpc2"
)

// TestLargeDocumentNotLinted: a 22.7 MB buffer used to cost 2.3 GB on
// every edit. A document over maxDocument gets one diagnostic that says
// why it is not linted, and code actions on it return nothing.
func TestLargeDocumentNotLinted(t *testing.T) {
	text := "upstream u { server localhost:1; }\n" + strings.Repeat("# filler line\n", maxDocument/14+1)
	c, u, _, _, p := openNginxConf(t, text, Options{Debounce: -1})
	if len(p.Diagnostics) != 1 || p.Diagnostics[0].Code != "too-large" || !strings.Contains(p.Diagnostics[0].Message, "not linted") {
		t.Fatalf("diagnostics: %+v", p.Diagnostics)
	}
	var actions []codeAction
	c.mustCall("textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": u},
		"range":        map[string]any{"start": map[string]int{"line": 0, "character": 0}, "end": map[string]int{"line": 1 << 20, "character": 0}},
		"context":      map[string]any{"diagnostics": []any{}},
	}, &actions)
	if len(actions) != 0 {
		t.Errorf("%d code actions on a document that is not linted", len(actions))
	}
}

// TestOversizedResponseBecomesAnError: no response carries more than
// maxResponse bytes (a whole-document code action request once returned
// 381 MB); the client gets an error for its id instead.
func TestOversizedResponseBecomesAnError(t *testing.T) {
	var logged []string
	c := &codec{logf: func(f string, a ...any) { logged = append(logged, f) }}
	big := json.RawMessage(`"` + strings.Repeat("x", maxResponse) + `"`)
	var out bytes.Buffer
	if err := c.WriteObject(&out, &jsonrpc2.Response{ID: jsonrpc2.ID{Num: 7}, Result: &big}); err != nil {
		t.Fatal(err)
	}
	if out.Len() > 1024 || !strings.Contains(out.String(), `"id":7`) || !strings.Contains(out.String(), "over the") {
		t.Errorf("wrote %d bytes: %.200s", out.Len(), out.String())
	}
	if len(logged) != 1 {
		t.Errorf("logged %q", logged)
	}
}
