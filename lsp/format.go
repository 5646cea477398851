package lsp

import (
	"context"
	"errors"

	"github.com/ngxlint/ngxlint/analyzer/format"
	"github.com/ngxlint/ngxlint/analyzer/source"
	lsp "github.com/sourcegraph/go-lsp"
	"github.com/sourcegraph/jsonrpc2"
)

type formattingParams struct {
	TextDocument lsp.TextDocumentIdentifier `json:"textDocument"`
	Range        *rng                       `json:"range,omitempty"`
}

// formatting answers textDocument/formatting and rangeFormatting with the
// code of `ngxlint fmt`, so the editor and the CLI lay a file out the same
// way. The indentation comes from .ngxlint.yml (fmt.indent), not from the
// editor's tab settings, for the same reason. A document that does not
// parse gets no edits; its syntax errors are already diagnostics.
func (s *Server) formatting(ctx context.Context, req *jsonrpc2.Request) (any, error) {
	var p formattingParams
	if err := decode(req, &p); err != nil {
		return nil, err
	}
	s.mu.Lock()
	d := s.docs[p.TextDocument.URI]
	var text []byte
	var docs []snapshot
	if d != nil {
		text = d.text
		docs = []snapshot{{abs: d.abs}}
	}
	s.mu.Unlock()
	if d == nil {
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: string(p.TextDocument.URI) + ": " + errNotOpen.Error()}
	}
	if d.kind != source.KindNginx || !d.lintable {
		return []lsp.TextEdit{}, nil
	}
	root := ""
	if d.onDisk {
		root = d.root
	}
	opt := format.Options{Indent: s.configs.forGroup(s, root, docs).FmtIndent}
	f := source.NewFile(d.abs, d.abs, d.kind, text)
	start, end := 0, len(text)
	if p.Range != nil {
		start, end = offsetAt(f, p.Range.Start), offsetAt(f, p.Range.End)
	}
	e, err := format.Range(d.abs, text, start, end, opt)
	var se *format.SyntaxError
	if errors.As(err, &se) {
		s.logf(msgInfo, "%s: not formatted: %v", d.abs, err)
		return []lsp.TextEdit{}, nil
	} else if err != nil {
		return nil, err
	}
	if string(e.New) == string(text[e.Start:e.End]) {
		return []lsp.TextEdit{}, nil
	}
	r := rng{Start: toPosition(f.Pos(e.Start)), End: toPosition(f.Pos(e.End))}
	return []lsp.TextEdit{{Range: r, NewText: string(e.New)}}, nil
}
