package lsp

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/catalog"
	"github.com/ngxlint/ngxlint/analyzer/source"
	lsp "github.com/sourcegraph/go-lsp"
	"github.com/sourcegraph/jsonrpc2"
)

// hover shows the docs of the rules flagging the span under the cursor
// and, on a directive name, the directive's syntax, contexts and summary.
func (s *Server) hover(ctx context.Context, req *jsonrpc2.Request) (any, error) {
	p, d, res, text, err := s.atPosition(ctx, req)
	if err != nil {
		return nil, err
	}
	f := source.NewFile(d.abs, d.abs, d.kind, text)
	off := offsetAt(f, p.Position)
	var parts []string
	var span *source.Span
	if res != nil {
		seen := map[*analyzer.Rule]bool{}
		for _, fd := range res.findings {
			if seen[fd.Rule] || off < fd.Span.Start.Offset || off > fd.Span.End.Offset {
				continue
			}
			seen[fd.Rule] = true
			parts = append(parts, ruleDoc(fd.Rule))
			if span == nil {
				sp := fd.Span
				span = &sp
			}
		}
	}
	if d.lintable && d.kind == source.KindNginx {
		if dir, label := directiveAt(f, off, outerContext(res)); dir != nil {
			if entry := catalog.For(dir.Name, label); entry != nil {
				parts = append([]string{directiveDoc(entry)}, parts...)
				sp := dir.NameSpan
				span = &sp
			}
		}
	}
	if len(parts) == 0 {
		return nil, nil
	}
	r := toRange(*span)
	return hover{Contents: markupContent{Kind: "markdown", Value: strings.Join(parts, "\n\n---\n\n")}, Range: &r}, nil
}

func ruleDoc(r *analyzer.Rule) string {
	return fmt.Sprintf("**ngxlint %s** (%s): %s\n\n%s\n[Reference](%s)", r.Name, r.ID, r.Summary, strings.TrimSpace(r.Doc), r.URL())
}

func directiveDoc(d *catalog.Directive) string {
	var ctx []string
	for _, c := range d.Contexts {
		ctx = append(ctx, "`"+c+"`")
	}
	return fmt.Sprintf("```nginx\n%s\n```\n%s\n\nContext: %s · module: %s", d.Syntax, d.Summary, strings.Join(ctx, ", "), d.Module)
}

// outerContext is the block path a file's top level sits in: the blocks
// around the include that pulled it in, or the context its content
// implies (a conf.d file of server blocks is in http), from the last lint.
func outerContext(res *result) []string {
	if res == nil || res.config == nil {
		return nil
	}
	c := res.config
	if len(c.IncludedBy) > 0 {
		inc := c.IncludedBy[0]
		return inc.Context()
	}
	return c.Implied
}

// directiveAt parses the current text and returns the directive whose name
// holds off, with the context label it stands in.
func directiveAt(f *source.File, off int, outer []string) (*nginx.Directive, string) {
	cfg := nginx.Parse(f)
	var found *nginx.Directive
	nginx.Walk(cfg, func(d *nginx.Directive) bool {
		if off >= d.NameSpan.Start.Offset && off <= d.NameSpan.End.Offset && d.NameSpan.End.Offset > d.NameSpan.Start.Offset {
			found = d
		}
		return found == nil
	})
	if found == nil {
		return nil, ""
	}
	return found, catalog.Label(append(append([]string{}, outer...), found.Context()...))
}

// completion offers variables after '$', and the directives valid in the
// enclosing block where a directive name may start.
func (s *Server) completion(ctx context.Context, req *jsonrpc2.Request) (any, error) {
	p, d, res, text, err := s.atPosition(ctx, req)
	if err != nil {
		return nil, err
	}
	list := completionList{Items: []completionItem{}}
	if !d.lintable || d.kind != source.KindNginx {
		return list, nil
	}
	f := source.NewFile(d.abs, d.abs, d.kind, text)
	off := offsetAt(f, p.Position)
	lineStart := f.LineStart(f.Pos(off).Line)
	if inComment(text[lineStart:off]) {
		return list, nil
	}
	start := off
	for start > lineStart && isWordByte(text[start-1]) {
		start--
	}
	replace := rng{Start: toPosition(f.Pos(start)), End: p.Position}
	switch {
	case start > lineStart && text[start-1] == '$':
		replace.Start = toPosition(f.Pos(start - 1))
		list.Items = variableItems(replace)
	case start > lineStart+1 && text[start-1] == '{' && text[start-2] == '$':
		replace.Start = toPosition(f.Pos(start - 2))
		list.Items = variableItems(replace)
	case statementStart(text, start):
		label := catalog.Label(append(outerContext(res), blockPathAt(f, off)...))
		if label == "" {
			return list, nil
		}
		for _, e := range catalog.InContext(label) {
			doc := directiveDoc(e)
			list.Items = append(list.Items, completionItem{
				Label: e.Name, Kind: lsp.CIKKeyword, Detail: e.Syntax,
				Documentation: &markupContent{Kind: "markdown", Value: doc},
				TextEdit:      &lsp.TextEdit{Range: replace, NewText: e.Name},
			})
		}
	}
	return list, nil
}

func variableItems(replace rng) []completionItem {
	vars := catalog.Variables()
	items := make([]completionItem, 0, len(vars))
	for _, v := range vars {
		items = append(items, completionItem{
			Label: "$" + v.Name, Kind: lsp.CIKVariable, Detail: v.Summary,
			FilterText: "$" + v.Name,
			TextEdit:   &lsp.TextEdit{Range: replace, NewText: "$" + v.Name},
		})
	}
	return items
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// inComment reports whether the end of a line prefix is inside a comment:
// a '#' outside quotes that starts a token.
func inComment(prefix []byte) bool {
	var quote byte
	for i, c := range prefix {
		switch {
		case quote != 0:
			if c == '\\' {
				continue
			}
			if c == quote && (i == 0 || prefix[i-1] != '\\') {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || strings.IndexByte(" \t;{}", prefix[i-1]) >= 0):
			return true
		}
	}
	return false
}

// statementStart reports whether a directive name may begin at off: the
// nearest significant byte before it (comments skipped) ends a statement
// or opens or closes a block, or there is none.
func statementStart(src []byte, off int) bool {
	end := off
	for end > 0 {
		ls := bytes.LastIndexByte(src[:end], '\n') + 1
		line := src[ls:end]
		if i := commentStart(line); i >= 0 {
			line = line[:i]
		}
		line = bytes.TrimRight(line, " \t\r")
		if len(line) > 0 {
			c := line[len(line)-1]
			return c == ';' || c == '{' || c == '}'
		}
		if ls == 0 {
			break
		}
		end = ls - 1
	}
	return true
}

func commentStart(line []byte) int {
	var quote byte
	for i, c := range line {
		switch {
		case quote != 0:
			if c == quote && (i == 0 || line[i-1] != '\\') {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || strings.IndexByte(" \t;{}", line[i-1]) >= 0):
			return i
		}
	}
	return -1
}

// blockPathAt returns the names of the blocks (in this file) around off,
// outermost first.
func blockPathAt(f *source.File, off int) []string {
	cfg := nginx.Parse(f)
	var inner *nginx.Directive
	nginx.Walk(cfg, func(d *nginx.Directive) bool {
		if !d.HasBlock || d.Lua != nil {
			return true
		}
		from := d.NameSpan.End.Offset
		if len(d.Args) > 0 {
			from = d.Args[len(d.Args)-1].Span.End.Offset
		}
		open := bytes.IndexByte(f.Src[from:], '{')
		if open < 0 {
			return false
		}
		open += from
		end := len(f.Src)
		if d.Terminated {
			end = d.Span.End.Offset - 1 // the closing '}'
		}
		if off > open && off <= end {
			inner = d
			return true
		}
		return false // off is not inside: skip its children
	})
	if inner == nil {
		return nil
	}
	return append(inner.Context(), inner.Name)
}

// atPosition decodes a request about a position in a document and returns
// the document's current state (see Server.current).
func (s *Server) atPosition(ctx context.Context, req *jsonrpc2.Request) (lsp.TextDocumentPositionParams, *document, *result, []byte, error) {
	var p lsp.TextDocumentPositionParams
	if err := decode(req, &p); err != nil {
		return p, nil, nil, nil, err
	}
	d, res, text, err := s.current(ctx, p.TextDocument.URI)
	return p, d, res, text, err
}
