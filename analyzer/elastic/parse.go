package elastic

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer/source"
	"go.yaml.in/yaml/v3"
)

// Diagnostic codes produced by Parse.
const (
	// CodeSyntax: the file is not YAML, or not a single mapping of settings.
	CodeSyntax = "yaml-syntax"
	// CodeDuplicateKey: the same literal key twice in one mapping; ES's
	// strict JSON/YAML reader refuses to start ("Duplicate field").
	CodeDuplicateKey = "es-duplicate-key"
	// CodeKeyCollision: one flattened setting written by two different
	// paths (flat and nested); current versions keep the later one.
	CodeKeyCollision = "es-key-collision"
	// CodeListShape: a sequence item that is not a string, number or
	// boolean (a mapping, a nested list, a null); ES refuses to start with
	// "only value lists are allowed in serialized settings".
	CodeListShape = "es-list-shape"
	// CodeAlias: a YAML alias (`*name`). ES's YAML reader does not expand
	// aliases; reported at info level because that behaviour is inferred
	// from the Jackson YAML parser, not observed on a running node.
	CodeAlias = "es-yaml-alias"
)

// product stands for the product name in messages written before the
// flavor is known (it may depend on keys further down the file); NUL cannot
// occur in YAML text, so the marker never collides with quoted user text.
const product = "\x00product\x00"

// Parse loads one elasticsearch.yml / opensearch.yml. It never fails and
// never panics: every problem becomes a positioned diagnostic, and whatever
// could be read is returned. It also fills f.Comments.
func Parse(f *source.File) (s *Settings) {
	s = &Settings{File: f}
	defer func() {
		if r := recover(); r != nil {
			// A crash inside the YAML library (or here) must not take the
			// linter down: report it on the first line and keep going with
			// whatever was flattened so far.
			s.Diagnostics = append(s.Diagnostics, source.Diagnostic{
				Code:    CodeSyntax,
				Span:    lineSpan(f, 1),
				Message: fmt.Sprintf("the YAML parser failed on this file (%v); ngxlint could not read its settings", r),
			})
			safeDerive(s)
			nameProduct(s)
		}
	}()
	p := &parser{f: f, s: s, paths: map[*Setting][]string{}}
	p.decode()
	f.Comments = scanComments(f, p.scalarRanges)
	p.checkCollisions()
	s.derive()
	nameProduct(s)
	return s
}

// safeDerive derives what it can after a panic, without panicking again.
func safeDerive(s *Settings) {
	defer func() { _ = recover() }()
	s.derive()
}

// nameProduct puts the detected product's name into the messages.
func nameProduct(s *Settings) {
	name := "Elasticsearch"
	if s.Flavor == OpenSearch {
		name = "OpenSearch"
	}
	for i := range s.Diagnostics {
		s.Diagnostics[i].Message = strings.ReplaceAll(s.Diagnostics[i].Message, product, name)
	}
}

// parser carries the state of one Parse call.
type parser struct {
	f *source.File
	s *Settings
	// paths holds each setting's key segments as written, so that a
	// flat/nested collision can be told from a literal duplicate.
	paths map[*Setting][]string
	// scalarRanges are byte ranges of quoted and block scalars, inside which
	// a '#' is text, not a comment.
	scalarRanges [][2]int
}

// decode reads every YAML document; only the first one holds settings.
func (p *parser) decode() {
	dec := yaml.NewDecoder(bytes.NewReader(p.f.Src))
	for doc := 0; ; doc++ {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			p.s.Diagnostics = append(p.s.Diagnostics, syntaxDiagnostic(p.f, err))
			return
		}
		if len(n.Content) == 0 {
			continue
		}
		root := n.Content[0]
		p.collectScalarRanges(root)
		if doc == 0 {
			p.document(root)
			continue
		}
		if isNull(root) {
			continue // `---` followed by nothing: harmless
		}
		p.diag(source.Diagnostic{
			Code: CodeSyntax,
			Span: lineSpan(p.f, root.Line),
			Message: "extra YAML document after `---`: " + product + " reads the settings of the first document only; " +
				"these lines are not applied, and recent versions may refuse the additional content at start-up",
			Info: true,
		})
	}
}

// document flattens the top-level node, which must be a mapping.
func (p *parser) document(root *yaml.Node) {
	switch {
	case root.Kind == yaml.MappingNode:
		p.mapping(root, "", nil)
	case isNull(root):
		// An empty file or one with only comments: all defaults apply.
	default:
		p.diag(source.Diagnostic{
			Code: CodeSyntax,
			Span: p.nodeSpan(root),
			Message: fmt.Sprintf("the file must be a mapping of settings (`key: value` lines) but its top level is a %s; "+
				product+" cannot load it and refuses to start", kindName(root)),
		})
	}
}

// mapping flattens one YAML mapping whose keys get prefix (ending in '.').
func (p *parser) mapping(n *yaml.Node, prefix string, segs []string) {
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.diag(source.Diagnostic{
				Code:    CodeSyntax,
				Span:    p.nodeSpan(k),
				Message: fmt.Sprintf("a %s cannot be a setting name: "+product+" expects plain `key: value` pairs and refuses to start", kindName(k)),
			})
			continue
		}
		if first, ok := seen[k.Value]; ok {
			p.duplicate(first, k, prefix)
		} else {
			seen[k.Value] = k
		}
		path := append(append([]string(nil), segs...), k.Value)
		p.entry(k, v, prefix+k.Value, path, n.Style&yaml.FlowStyle != 0)
	}
}

// entry records the value v of key k, recursing into mappings the way
// Settings.fromXContent does: a nested map appends '.' and its own keys.
// inFlow is set when k is a key of a flow mapping (`{port: 9200}`).
func (p *parser) entry(k, v *yaml.Node, key string, path []string, inFlow bool) {
	switch v.Kind {
	case yaml.MappingNode:
		// An empty mapping (`http: {}`) defines nothing, as in ES.
		p.mapping(v, key+".", path)
	case yaml.SequenceNode:
		st := p.newSetting(k, key, path)
		st.List, st.Flow = true, inFlow || v.Style&yaml.FlowStyle != 0
		for _, item := range v.Content {
			p.listItem(st, item)
		}
	default: // scalar or alias
		st := p.newSetting(k, key, path)
		st.Flow = inFlow
		st.Values = append(st.Values, p.scalarValue(v))
	}
}

// listItem adds one sequence item; ES accepts only strings, numbers and
// booleans there.
func (p *parser) listItem(st *Setting, item *yaml.Node) {
	if item.Kind == yaml.ScalarNode || item.Kind == yaml.AliasNode {
		val := p.scalarValue(item)
		st.Values = append(st.Values, val)
		if val.Null {
			p.diag(source.Diagnostic{
				Code:    CodeListShape,
				Span:    val.Span,
				Message: fmt.Sprintf("list %q has an empty (null) item; "+product+" refuses to start (only value lists are allowed)", st.Key),
			})
		}
		return
	}
	p.diag(source.Diagnostic{
		Code: CodeListShape,
		Span: p.nodeSpan(item),
		Message: fmt.Sprintf("list %q contains a %s; "+product+" accepts only strings, numbers and booleans in a list "+
			"and refuses to start (only value lists are allowed)", st.Key, kindName(item)),
	})
}

func (p *parser) newSetting(k *yaml.Node, key string, path []string) *Setting {
	st := &Setting{Key: key, KeySpan: p.scalarSpan(k), Nested: len(path) > 1}
	p.s.All = append(p.s.All, st)
	p.paths[st] = path
	return st
}

// scalarValue turns a scalar (or an alias, which ES reads as its name) into
// a Value.
func (p *parser) scalarValue(n *yaml.Node) Value {
	if n.Kind == yaml.AliasNode {
		start := p.f.OffsetOf(n.Line, n.Column)
		end := aliasEnd(p.f.Src, start)
		sp := p.f.Span(start, end)
		p.diag(source.Diagnostic{
			Code: CodeAlias,
			Span: sp,
			Message: fmt.Sprintf("YAML alias `*%s`: "+product+"'s YAML reader does not expand aliases, "+
				"so the value is most likely read as the plain text %q", n.Value, n.Value),
			Info: true,
		})
		return Value{Text: n.Value, Span: sp, Placeholder: strings.Contains(n.Value, "${")}
	}
	return Value{
		Text:        n.Value,
		Span:        p.scalarSpan(n),
		Placeholder: strings.Contains(n.Value, "${"),
		Null:        isNull(n),
	}
}

// duplicate reports the second literal occurrence of a key in one mapping.
func (p *parser) duplicate(first, second *yaml.Node, prefix string) {
	where := "at the top level"
	if prefix != "" {
		where = "under `" + strings.TrimSuffix(prefix, ".") + "`"
	}
	p.diag(source.Diagnostic{
		Code: CodeDuplicateKey,
		Span: p.scalarSpan(second),
		Message: fmt.Sprintf("key %q appears twice %s; "+product+" refuses to start "+
			"with a \"Duplicate field '%s'\" error", second.Value, where, second.Value),
		Related: []source.Related{{Span: p.scalarSpan(first), Message: fmt.Sprintf("first %q here", second.Value)}},
	})
}

// checkCollisions reports a flattened key defined again by a different
// path (flat `network.host` vs nested `network: {host}`). Occurrences with
// the same written path come from a literal duplicate, reported already.
func (p *parser) checkCollisions() {
	last := map[string]*Setting{}
	for _, st := range p.s.All {
		prev, ok := last[st.Key]
		last[st.Key] = st
		if !ok || samePath(p.paths[prev], p.paths[st]) {
			continue
		}
		p.diag(source.Diagnostic{
			Code: CodeKeyCollision,
			Span: st.KeySpan,
			Message: fmt.Sprintf("setting %q is defined twice, %s and again %s; Elasticsearch 8 and later silently use "+
				"this later value (%s) and ignore the earlier one (%s), while 6.x and older refuse to start",
				st.Key, pathText(p.paths[prev]), pathText(p.paths[st]), valuesText(st), valuesText(prev)),
			Related: []source.Related{{Span: prev.KeySpan, Message: fmt.Sprintf("earlier definition of %q, overridden", st.Key)}},
		})
	}
}

func (p *parser) diag(d source.Diagnostic) { p.s.Diagnostics = append(p.s.Diagnostics, d) }

// nodeSpan spans a node: exactly for scalars and flow collections, the
// first line for a block collection (enough to point at it).
func (p *parser) nodeSpan(n *yaml.Node) source.Span {
	if n.Kind == yaml.ScalarNode {
		return p.scalarSpan(n)
	}
	start := skipProperties(p.f.Src, p.f.OffsetOf(n.Line, n.Column))
	if n.Style&yaml.FlowStyle != 0 {
		return p.f.Span(start, flowEnd(p.f.Src, start))
	}
	return p.f.Span(start, lineEnd(p.f.Src, start))
}

// scalarSpan is the exact span of a scalar: quotes and block indicators
// included, anchors and tags before it excluded.
func (p *parser) scalarSpan(n *yaml.Node) source.Span {
	start := skipProperties(p.f.Src, p.f.OffsetOf(n.Line, n.Column))
	return p.f.Span(start, scalarEnd(p.f.Src, start, n))
}

// collectScalarRanges records where quoted and block scalars lie, so that
// a '#' inside them is not taken for a comment.
func (p *parser) collectScalarRanges(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		sp := p.scalarSpan(n)
		p.scalarRanges = append(p.scalarRanges, [2]int{sp.Start.Offset, sp.End.Offset})
	}
	for _, c := range n.Content {
		p.collectScalarRanges(c)
	}
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	case yaml.AliasNode:
		return "alias"
	}
	return fmt.Sprintf("single value (%q)", n.Value)
}

func samePath(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// pathText tells how a key was written: flat or nested.
func pathText(path []string) string {
	if len(path) == 1 {
		return "flat as `" + path[0] + "`"
	}
	return "nested as `" + strings.Join(path, "` → `") + "`"
}

// valuesText renders a setting's values for a message.
func valuesText(st *Setting) string {
	parts := make([]string, 0, len(st.Values))
	for _, v := range st.Values {
		parts = append(parts, fmt.Sprintf("%q", v.Text))
	}
	if st.List {
		return "[" + strings.Join(parts, ", ") + "]"
	}
	if len(parts) == 0 {
		return "no value"
	}
	return parts[0]
}

// lineSpan spans the non-blank text of a 1-based line.
func lineSpan(f *source.File, line int) source.Span {
	if line < 1 {
		line = 1
	}
	if line > f.LineCount() {
		line = f.LineCount()
	}
	start := f.LineStart(line)
	text := f.Line(line)
	trimmed := strings.TrimLeft(text, " \t")
	start += len(text) - len(trimmed)
	return f.Span(start, start+len(strings.TrimRight(trimmed, " \t")))
}

// detectFlavor: the file name decides when it starts with the product
// name; otherwise keys only OpenSearch knows do, then a name that merely
// contains "opensearch" (e.g. config__opensearch.yml); else Elasticsearch.
func detectFlavor(f *source.File, all []*Setting) Flavor {
	name := f.Path
	if name == "" {
		name = f.Abs
	}
	base := strings.ToLower(filepath.Base(name))
	switch {
	case strings.HasPrefix(base, "opensearch"):
		return OpenSearch
	case strings.HasPrefix(base, "elasticsearch"):
		return Elasticsearch
	}
	for _, st := range all {
		k := st.Key
		if strings.HasPrefix(k, "plugins.security.") || strings.HasPrefix(k, "opendistro_security.") ||
			strings.HasPrefix(k, "opensearch.") || k == "opensearch" || k == "cluster.initial_cluster_manager_nodes" {
			return OpenSearch
		}
	}
	if strings.Contains(base, "opensearch") {
		return OpenSearch
	}
	return Elasticsearch
}
