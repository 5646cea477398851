package lsp

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
	lsp "github.com/sourcegraph/go-lsp"
	"github.com/sourcegraph/jsonrpc2"
)

// hover shows the docs of the rules flagging the span under the cursor
// and, on a directive name, the directive's entry in the table (syntax,
// module, contexts, versions, parameters, reference).
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
		if dir, path := directiveAt(f, off, outerContext(res)); dir != nil {
			doc := ""
			if entry := spec.For(dir.Name, path); entry != nil {
				doc = directiveDoc(entry, nginxVersion(res))
			} else if declared(res, dir.Name) {
				doc = fmt.Sprintf("`%s`: a third-party directive this build declares (.ngxlint.yml nginx.directives)", dir.Name)
			}
			if doc != "" {
				parts = append([]string{doc}, parts...)
				sp := dir.NameSpan()
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

// directiveDoc is a directive's hover text: syntax, module, contexts,
// the releases that have it (and whether the configured one does), the
// parameters the table knows, and its reference.
func directiveDoc(d *spec.Directive, v spec.Version) string {
	var b strings.Builder
	fmt.Fprintf(&b, "```nginx\n%s\n```\n", d.Syntax())
	var ctx []string
	for _, c := range d.ContextLabels() {
		ctx = append(ctx, "`"+c+"`")
	}
	fmt.Fprintf(&b, "Context: %s · module: %s", strings.Join(ctx, ", "), d.Module)
	if d.Source != "nginx" {
		fmt.Fprintf(&b, " (%s)", d.Source)
	}
	if h := history(d); h != "" {
		b.WriteString(" · " + h)
	}
	if d.Source == "nginx" && !d.Has(v) {
		fmt.Fprintf(&b, "\n\nNot in nginx %s (the configured version).", v)
	}
	if ps := d.Params(); len(ps) > 0 {
		var names []string
		for _, p := range ps {
			if p.In(v) {
				n := p.Name
				if p.Value {
					n += "="
				}
				names = append(names, "`"+n+"`")
			}
		}
		fmt.Fprintf(&b, "\n\nParameters in nginx %s: %s", v, strings.Join(names, ", "))
	}
	if u := d.DocURL(); u != "" {
		fmt.Fprintf(&b, "\n\n[Reference](%s)", u)
	}
	return b.String()
}

// history says when d appeared and left: "since 1.25.1", "removed in
// 1.25.1", "since v0.9.17"; nothing for a directive as old as the table.
func history(d *spec.Directive) string {
	var parts []string
	switch {
	case d.Source != "nginx":
		if d.ModSince != "" {
			parts = append(parts, "since "+d.ModSince)
		}
		if d.ModUntil != "" {
			parts = append(parts, "removed in "+d.ModUntil)
		}
	default:
		if rs := spec.Releases(); len(rs) > 0 && d.Since != rs[0] {
			parts = append(parts, "since "+d.Since.String())
		}
		if !d.Until.IsZero() {
			parts = append(parts, "removed in "+d.Until.String())
		}
	}
	return strings.Join(parts, ", ")
}

// nginxVersion is the release the last lint was configured for
// (.ngxlint.yml nginx.version), else the newest stable one.
func nginxVersion(res *result) spec.Version {
	if res == nil {
		return spec.Latest
	}
	return res.settings.Nginx()
}

// declared reports a third-party directive .ngxlint.yml declares.
func declared(res *result, name string) bool {
	return res != nil && res.settings != nil && spec.Known(name, res.settings.Directives) && spec.Lookup(name) == nil
}

// outerContext is the block path a file's top level sits in, from the
// last lint (see outerOf).
func outerContext(res *result) []string {
	if res == nil {
		return nil
	}
	return res.outer
}

// directiveAt parses the current text and returns the directive whose name
// holds off, with the block path it stands in (outermost first).
func directiveAt(f *source.File, off int, outer []string) (*nginx.Directive, []string) {
	cfg := nginx.Parse(f)
	var found *nginx.Directive
	nginx.Walk(cfg, func(d *nginx.Directive) bool {
		if ns := d.NameSpan(); off >= ns.Start.Offset && off <= ns.End.Offset && ns.End.Offset > ns.Start.Offset {
			found = d
		}
		return found == nil
	})
	if found == nil {
		return nil, nil
	}
	return found, append(append([]string{}, outer...), found.Context()...)
}

// completion offers variables after '$', and the directives valid in the
// enclosing block for the configured nginx version where a directive
// name may start.
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
	lineStart := f.LineStart(int(f.Pos(off).Line))
	if inComment(text[lineStart:off]) {
		return list, nil
	}
	start := off
	for start > lineStart && isWordByte(text[start-1]) {
		start--
	}
	replace := rng{Start: toPosition(f.Pos(start)), End: p.Position}
	// The block path parses the text: only where something is offered.
	pathHere := func() []string { return append(outerContext(res), blockPathAt(f, off)...) }
	switch {
	case start > lineStart && text[start-1] == '$':
		replace.Start = toPosition(f.Pos(start - 1))
		list.Items = variableItems(replace, pathHere(), nginxVersion(res))
	case start > lineStart+1 && text[start-1] == '{' && text[start-2] == '$':
		replace.Start = toPosition(f.Pos(start - 2))
		list.Items = variableItems(replace, pathHere(), nginxVersion(res))
	case statementStart(text, start):
		// Each item's documentation comes with completionItem/resolve,
		// when the editor shows that item: inline, the list of a location
		// block's directives was a quarter of a megabyte on every keystroke.
		v := nginxVersion(res)
		path := pathHere()
		for _, e := range spec.InContextAt(path, v) {
			list.Items = append(list.Items, completionItem{
				Label: e.Name, Kind: lsp.CIKKeyword, Detail: e.Syntax(),
				TextEdit: &lsp.TextEdit{Range: replace, NewText: e.Name},
				Data:     &completionData{Path: path, Version: v.String()},
			})
		}
	}
	return list, nil
}

// resolveCompletion adds a directive item's documentation: the entry of
// the item's label at the path its data names, for the version it names.
// An item it cannot place comes back as it was.
func (s *Server) resolveCompletion(_ context.Context, req *jsonrpc2.Request) (any, error) {
	var item completionItem
	if err := decode(req, &item); err != nil {
		return nil, err
	}
	if item.Data == nil || item.Documentation != nil {
		return item, nil
	}
	if v, err := spec.ParseVersion(item.Data.Version); err == nil {
		for _, e := range spec.InContextAt(item.Data.Path, v) {
			if e.Name == item.Label {
				item.Documentation = &markupContent{Kind: "markdown", Value: directiveDoc(e, v)}
				break
			}
		}
	}
	return item, nil
}

// variableItems offers the built-in variables of the path's family
// (stream or http) that nginx v has; a prefix family is offered as its
// prefix ($http_).
func variableItems(replace rng, path []string, v spec.Version) []completionItem {
	family := "http"
	if len(path) > 0 && path[0] == "stream" {
		family = "stream"
	}
	seen := map[string]bool{}
	var items []completionItem
	for _, va := range spec.Variables() {
		if va.Source == "nginx" && !va.Has(v) || seen[va.Name] || va.Stream() != (family == "stream") {
			continue
		}
		seen[va.Name] = true
		detail := va.Module
		if va.Prefix {
			detail = "$" + va.Name + "<name> · " + detail
		}
		items = append(items, completionItem{
			Label: "$" + va.Name, Kind: lsp.CIKVariable, Detail: detail,
			FilterText: "$" + va.Name,
			TextEdit:   &lsp.TextEdit{Range: replace, NewText: "$" + va.Name},
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
		if !d.HasBlock || d.Lua() != nil {
			return true
		}
		from := d.NameSpan().End.Offset
		if len(d.Args) > 0 {
			from = d.Args[len(d.Args)-1].End()
		}
		open := bytes.IndexByte(f.Src[from:], '{')
		if open < 0 {
			return false
		}
		open += from
		end := len(f.Src)
		if d.Terminated {
			end = d.End() - 1 // the closing '}'
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
