package lsp

import (
	"context"
	"strconv"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/source"
	lsp "github.com/sourcegraph/go-lsp"
	"github.com/sourcegraph/jsonrpc2"
)

// diagnostics converts a document's findings.
func (s *Server) diagnostics(res *result) []diagnostic {
	out := make([]diagnostic, 0, len(res.findings))
	for _, f := range res.findings {
		out = append(out, toDiagnostic(f, res.byDisplay))
	}
	return out
}

func toDiagnostic(f analyzer.Finding, files map[string]*source.File) diagnostic {
	d := diagnostic{Diagnostic: lsp.Diagnostic{
		Range:    toRange(f.Span),
		Severity: severity(f.Severity),
		Code:     f.Rule.Name,
		Source:   "ngxlint",
		Message:  f.Message,
	}}
	if f.Live != nil && f.Live.Summary != "" {
		d.Message += " (live: " + f.Live.Summary + ")"
	}
	d.CodeDescription = &codeDescription{Href: f.Rule.URL()}
	for _, r := range f.Related {
		file := files[r.Span.File]
		if file == nil || file.Abs == "" {
			continue
		}
		d.RelatedInformation = append(d.RelatedInformation, relatedInformation{
			Location: lsp.Location{URI: pathToURI(file.Abs), Range: toRange(r.Span)},
			Message:  r.Message,
		})
	}
	return d
}

func severity(s analyzer.Severity) lsp.DiagnosticSeverity {
	switch s {
	case analyzer.Error:
		return lsp.Error
	case analyzer.Warning:
		return lsp.Warning
	}
	return lsp.Information
}

// codeActions offers, for every finding the range touches, its fix
// (preferred when safe) and a comment that silences the rule on its line.
func (s *Server) codeActions(ctx context.Context, req *jsonrpc2.Request) (any, error) {
	var p codeActionParams
	if err := decode(req, &p); err != nil {
		return nil, err
	}
	if len(p.Context.Only) > 0 && !wantsQuickFix(p.Context.Only) {
		return []codeAction{}, nil
	}
	_, res, _, err := s.current(ctx, p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	actions := []codeAction{}
	if res == nil || res.file == nil {
		return actions, nil
	}
	u := p.TextDocument.URI
	from, to := offsetAt(res.file, p.Range.Start), offsetAt(res.file, p.Range.End)
	var ignores []codeAction
	seen := map[string]bool{}
	for _, f := range res.findings {
		if f.Span.Start.Offset > to || f.Span.End.Offset < from {
			continue
		}
		diag := toDiagnostic(f, res.byDisplay)
		if f.Fix != nil {
			if edit := fixEdit(f.Fix, u, res); edit != nil {
				actions = append(actions, codeAction{
					Title: f.Fix.Title, Kind: lsp.CAKQuickFix, Diagnostics: []diagnostic{diag},
					IsPreferred: f.Fix.Safe, Edit: edit,
				})
			}
		}
		key := f.Rule.Name + "@" + strconv.Itoa(int(f.Span.Start.Line))
		if f.Rule == analyzer.BadSuppression || seen[key] {
			continue
		}
		seen[key] = true
		edit := ignoreEdit(res.file, int(f.Span.Start.Line), f.Rule.Name)
		ignores = append(ignores, codeAction{
			Title: "Ignore " + f.Rule.Name + " on this line", Kind: lsp.CAKQuickFix,
			Diagnostics: []diagnostic{diag},
			Edit:        &lsp.WorkspaceEdit{Changes: map[string][]lsp.TextEdit{string(u): {edit}}},
		})
	}
	// Fixes first: they solve the problem; ignoring it is the fallback.
	return append(actions, ignores...), nil
}

func wantsQuickFix(only []lsp.CodeActionKind) bool {
	ours := string(lsp.CAKQuickFix)
	for _, k := range only {
		// Kinds are hierarchical: asking for "quickfix" includes
		// "quickfix.x", and "" asks for everything.
		if want := string(k); want == "" || want == ours || strings.HasPrefix(ours, want+".") {
			return true
		}
	}
	return false
}

// fixEdit maps a fix's byte-range edits to a workspace edit. Edits in the
// document itself use the client's URI; edits in other files, their file
// URI. A fix that touches a file without a path is not offered.
func fixEdit(fix *analyzer.Fix, self uri, res *result) *lsp.WorkspaceEdit {
	changes := map[string][]lsp.TextEdit{}
	for _, e := range fix.Edits {
		file := res.byDisplay[e.Span.File]
		if file == nil {
			return nil
		}
		target := string(self)
		if file != res.file {
			if file.Abs == "" {
				return nil
			}
			target = string(pathToURI(file.Abs))
		}
		changes[target] = append(changes[target], lsp.TextEdit{Range: toRange(e.Span), NewText: e.NewText})
	}
	if len(changes) == 0 {
		return nil
	}
	return &lsp.WorkspaceEdit{Changes: changes}
}

const ignoreMarker = "ngxlint:ignore"

// ignoreEdit silences rule on a 1-based line: it extends an ignore comment
// already there, puts a new comment on its own line above when the line
// ends in some other comment (appending would make it part of that
// comment), and otherwise appends " # ngxlint:ignore <rule> -- " so the
// user can type the reason.
func ignoreEdit(f *source.File, line int, rule string) lsp.TextEdit {
	for _, c := range f.Comments {
		if int(c.Span.Start.Line) != line || c.Alone {
			continue
		}
		if i := strings.Index(c.Text, ignoreMarker); i >= 0 {
			names := c.Text[i+len(ignoreMarker):]
			if j := strings.Index(names, "--"); j >= 0 {
				names = names[:j]
			}
			at := c.Span.Start.Offset + i + len(ignoreMarker) + len(strings.TrimRight(names, " \t"))
			text := "," + rule
			if strings.TrimSpace(names) == "" {
				text = " " + rule
			}
			p := toPosition(f.Pos(at))
			return lsp.TextEdit{Range: rng{Start: p, End: p}, NewText: text}
		}
		start := f.LineStart(line)
		indent := leadingSpace(f.Line(line))
		p := toPosition(f.Pos(start))
		return lsp.TextEdit{Range: rng{Start: p, End: p}, NewText: indent + "# " + ignoreMarker + " " + rule + " -- \n"}
	}
	end := f.LineStart(line) + len(f.Line(line))
	p := toPosition(f.Pos(end))
	return lsp.TextEdit{Range: rng{Start: p, End: p}, NewText: " # " + ignoreMarker + " " + rule + " -- "}
}

func leadingSpace(s string) string {
	return s[:len(s)-len(strings.TrimLeft(s, " \t"))]
}
