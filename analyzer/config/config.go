// Package config reads .ngxlint.yml, the per-repository settings: which
// rules run and how severe they are, which paths are ignored, the nginx
// prefix, the Elasticsearch version, third-party directives and the
// nginx ↔ elasticsearch.yml pairs that belong together. Every mistake in
// the file is an error at its line and column: a setting that silently
// does nothing is worse than none.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/ngxlint/ngxlint/internal/lazyre"

	"go.yaml.in/yaml/v3"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// Names are the file names Find looks for, in order.
var Names = []string{".ngxlint.yml", ".ngxlint.yaml"}

// Config is a parsed .ngxlint.yml. Paths in it are resolved against the
// folder that holds it.
type Config struct {
	// Path is the file the configuration came from ("" for none).
	Path string
	// Dir is the folder relative paths in the file resolve against.
	Dir string

	Enable, Disable []string
	// Severity overrides a rule's severity for every finding it reports.
	Severity map[*analyzer.Rule]analyzer.Severity
	Ignores  []Ignore
	// Prefix is the absolute nginx prefix (as nginx -p), or "".
	Prefix string
	// Root is the absolute folder absolute include paths resolve under
	// (a container image's root file system kept in the repository), or "".
	Root string
	// ElasticsearchVersion is the version the settings files are for, as
	// written ("8.13"); rules may use it to tell what a setting means.
	ElasticsearchVersion string
	// Main lists the nginx main files (absolute paths) that the language
	// server loads as context for the files they include; when set, it
	// replaces the server's search of the workspace.
	Main []string
	// Directives are third-party directives the nginx build has (for
	// example from OpenResty or headers-more), so that they are not
	// taken for typos.
	Directives []string
	// Links pair an nginx configuration with the settings file of the
	// Elasticsearch / OpenSearch node it proxies to.
	Links []Link
	// NodeFiles are settings files (absolute paths) declared to be a
	// node's settings (elasticsearch.nodes), never a client's
	// configuration whatever their shape.
	NodeFiles []string
	// NginxVersion is the nginx release the configuration is for, as
	// written ("1.24.0"); "" means the newest stable one.
	NginxVersion string
	// Options are rule options by rule name, already converted to each
	// option's kind.
	Options map[string]map[string]any
	// FmtIndent is one indentation level for `ngxlint fmt` (fmt.indent: a
	// number of spaces or "tab"), as the text to write; "" means the
	// formatter's default.
	FmtIndent string
}

// Ignore silences findings in files matching Pattern: of every rule when
// Rules is empty, else of those rules only.
type Ignore struct {
	Pattern string
	Rules   []*analyzer.Rule
}

// Link is one nginx file ↔ settings file pair, as absolute paths.
type Link struct {
	Nginx, Elasticsearch string
}

// Error is a mistake in the configuration file, at its position.
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg) }

// Find looks for a configuration file in the folder of start (start
// itself when it is a folder) and each folder above it; "" when there is
// none.
func Find(start string) (string, error) {
	abs, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		abs = filepath.Dir(abs)
	}
	for dir := abs; ; dir = filepath.Dir(dir) {
		for _, n := range Names {
			p := filepath.Join(dir, n)
			if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
				return p, nil
			}
		}
		if parent := filepath.Dir(dir); parent == dir {
			return "", nil
		}
	}
}

// Load reads and checks the configuration file at path (shown as
// display in errors); all is every rule that exists.
func Load(path, display string, all []*analyzer.Rule) (*Config, error) {
	// Never a FIFO or a device (--config /dev/stdin would wait), and
	// bounded: a configuration file is a few kilobytes.
	src, err := analyzer.ReadOne(path, analyzer.Limits{MaxFileSize: maxFileSize})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", display, unwrapPathError(err))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	return Parse(display, filepath.Dir(abs), src, all)
}

// maxFileSize bounds a .ngxlint.yml.
const maxFileSize = 1 << 20

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Parse reads a configuration whose relative paths resolve against dir;
// name is the file's name in error messages.
func Parse(name, dir string, src []byte, all []*analyzer.Rule) (*Config, error) {
	p := &parser{file: source.NewFile(name, "", source.KindElastic, src), all: all,
		cfg: &Config{Path: name, Dir: dir, Severity: map[*analyzer.Rule]analyzer.Severity{}}}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(src))
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, p.syntaxError(err)
	}
	// A second document would be ignored silently: say so instead.
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, p.errorf(&extra, "a second YAML document: ngxlint reads only one; merge them or remove the `---`")
	} else if !errors.Is(err, io.EOF) {
		return nil, p.syntaxError(err)
	}
	if len(doc.Content) == 0 {
		return p.cfg, nil // empty file: defaults
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return p.cfg, nil
	}
	if err := p.top(root); err != nil {
		return nil, err
	}
	return p.cfg, nil
}

type parser struct {
	file *source.File
	all  []*analyzer.Rule
	cfg  *Config
}

var yamlLine = lazyre.New(`^yaml: line (\d+): (.*)$`)

// syntaxError positions a YAML error: the library gives a line only.
func (p *parser) syntaxError(err error) error {
	msg := err.Error()
	if m := yamlLine.Re().FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{File: p.file.Path, Line: line, Col: 1, Msg: "not valid YAML: " + m[2]}
	}
	return &Error{File: p.file.Path, Line: 1, Col: 1, Msg: "not valid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// errorf reports at node n; columns are UTF-16 code units like every
// other position ngxlint prints.
func (p *parser) errorf(n *yaml.Node, format string, args ...any) error {
	pos := p.file.Pos(p.file.OffsetOf(n.Line, n.Column))
	return &Error{File: p.file.Path, Line: int(pos.Line), Col: int(pos.Col), Msg: fmt.Sprintf(format, args...)}
}

// fields walks a mapping, rejecting duplicate and unknown keys.
func (p *parser) fields(n *yaml.Node, what string, handlers map[string]func(v *yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return p.errorf(n, "%s must be a mapping", what)
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if prev, dup := seen[k.Value]; dup {
			return p.errorf(k, "%q is set twice (first at line %d)", k.Value, prev.Line)
		}
		seen[k.Value] = k
		h, ok := handlers[k.Value]
		if !ok {
			return p.errorf(k, "unknown key %q in %s (want %s)", k.Value, what, keyList(handlers))
		}
		if err := h(v); err != nil {
			return err
		}
	}
	return nil
}

func keyList(h map[string]func(*yaml.Node) error) string {
	var keys []string
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

func (p *parser) top(n *yaml.Node) error {
	return p.fields(n, "the configuration", map[string]func(*yaml.Node) error{
		"enable":        func(v *yaml.Node) error { return p.ruleNames(v, "enable", &p.cfg.Enable) },
		"disable":       func(v *yaml.Node) error { return p.ruleNames(v, "disable", &p.cfg.Disable) },
		"severity":      p.severity,
		"ignore":        p.ignores,
		"nginx":         p.nginx,
		"elasticsearch": p.elasticsearch,
		"links":         p.links,
		"options":       p.options,
		"fmt":           p.fmt,
	})
}

// fmt reads `fmt: {indent: 4}` or `fmt: {indent: tab}`.
func (p *parser) fmt(n *yaml.Node) error {
	return p.fields(n, "fmt", map[string]func(*yaml.Node) error{
		"indent": func(v *yaml.Node) error {
			s, err := p.scalar(v, "fmt.indent")
			if err != nil {
				return err
			}
			if s == "tab" {
				p.cfg.FmtIndent = "\t"
				return nil
			}
			k, err := strconv.Atoi(s)
			if err != nil || k < 1 || k > 16 {
				return p.errorf(v, "fmt.indent %q is not a number of spaces (1 to 16) or \"tab\"", s)
			}
			p.cfg.FmtIndent = strings.Repeat(" ", k)
			return nil
		},
	})
}

// options reads `options: {rule: {name: value}}`, checking each name and
// value against the options the rule declares.
func (p *parser) options(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return p.errorf(n, "options must map rule names to their options")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		r, err := p.rule(k, "options")
		if err != nil {
			return err
		}
		if v.Kind != yaml.MappingNode {
			return p.errorf(v, "options of %s must be a mapping of option names to values", r.Name)
		}
		if p.cfg.Options == nil {
			p.cfg.Options = map[string]map[string]any{}
		}
		if _, dup := p.cfg.Options[r.Name]; dup {
			return p.errorf(k, "options of %s are set twice", r.Name)
		}
		set := map[string]any{}
		for j := 0; j+1 < len(v.Content); j += 2 {
			ok, ov := v.Content[j], v.Content[j+1]
			opt := r.FindOption(ok.Value)
			if opt == nil {
				return p.errorf(ok, "rule %s has no option %q (%s)", r.Name, ok.Value, optionList(r))
			}
			if _, dup := set[opt.Name]; dup {
				return p.errorf(ok, "option %s of %s is set twice", opt.Name, r.Name)
			}
			var raw any
			if err := ov.Decode(&raw); err != nil {
				return p.errorf(ov, "option %s of %s: %v", opt.Name, r.Name, err)
			}
			val, err := opt.CheckOption(raw)
			if err != nil {
				return p.errorf(ov, "%s: %v", r.Name, err)
			}
			set[opt.Name] = val
		}
		p.cfg.Options[r.Name] = set
	}
	return nil
}

func optionList(r *analyzer.Rule) string {
	if len(r.Options) == 0 {
		return "it takes none"
	}
	names := make([]string, len(r.Options))
	for i, o := range r.Options {
		names[i] = o.Name
	}
	return "it takes " + strings.Join(names, ", ")
}

// Settings is what the rules see of this configuration (see
// analyzer.Settings); the flags may override parts of it.
func (c *Config) Settings() *analyzer.Settings {
	s := &analyzer.Settings{
		NginxVersion:         c.NginxVersion,
		NginxVersionGiven:    c.NginxVersion != "",
		ElasticsearchVersion: c.ElasticsearchVersion,
		NodeFiles:            c.NodeFiles,
		Directives:           c.Directives,
		Options:              c.Options,
	}
	for _, l := range c.Links {
		s.Links = append(s.Links, analyzer.Link{Nginx: l.Nginx, Elasticsearch: l.Elasticsearch})
	}
	return s
}

// scalar returns a string scalar's value.
func (p *parser) scalar(n *yaml.Node, what string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", p.errorf(n, "%s must be a single value", what)
	}
	return n.Value, nil
}

// list returns a sequence's items (a single scalar is a list of one).
func (p *parser) list(n *yaml.Node, what string) ([]*yaml.Node, error) {
	switch {
	case n.Kind == yaml.SequenceNode:
		return n.Content, nil
	case n.Kind == yaml.ScalarNode && n.Tag != "!!null":
		return []*yaml.Node{n}, nil
	}
	return nil, p.errorf(n, "%s must be a list", what)
}

func (p *parser) rule(n *yaml.Node, what string) (*analyzer.Rule, error) {
	s, err := p.scalar(n, what)
	if err != nil {
		return nil, err
	}
	r := analyzer.FindRule(p.all, s)
	if r == nil {
		return nil, p.errorf(n, "unknown rule %q in %s (see `ngxlint rules`)", s, what)
	}
	return r, nil
}

func (p *parser) ruleNames(n *yaml.Node, what string, out *[]string) error {
	items, err := p.list(n, what)
	if err != nil {
		return err
	}
	for _, it := range items {
		s, err := p.scalar(it, what+" item")
		if err != nil {
			return err
		}
		if !strings.EqualFold(s, "all") {
			if _, err := p.rule(it, what); err != nil {
				return err
			}
		}
		*out = append(*out, s)
	}
	return nil
}

func (p *parser) severity(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return p.errorf(n, "severity must map rule names to error, warning or info")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		r, err := p.rule(k, "severity")
		if err != nil {
			return err
		}
		if _, dup := p.cfg.Severity[r]; dup {
			return p.errorf(k, "severity of %s is set twice", r.Name)
		}
		s, err := p.scalar(v, "a severity")
		if err != nil {
			return err
		}
		sev, err := analyzer.ParseSeverity(s)
		if err != nil {
			return p.errorf(v, "%v", err)
		}
		p.cfg.Severity[r] = sev
	}
	return nil
}

func (p *parser) ignores(n *yaml.Node) error {
	items, err := p.list(n, "ignore")
	if err != nil {
		return err
	}
	for _, it := range items {
		var ig Ignore
		if it.Kind == yaml.ScalarNode {
			if ig.Pattern, err = p.pattern(it); err != nil {
				return err
			}
		} else {
			err := p.fields(it, "an ignore entry", map[string]func(*yaml.Node) error{
				"path": func(v *yaml.Node) (err error) { ig.Pattern, err = p.pattern(v); return err },
				"rules": func(v *yaml.Node) error {
					rs, err := p.list(v, "rules")
					if err != nil {
						return err
					}
					for _, rn := range rs {
						r, err := p.rule(rn, "ignore rules")
						if err != nil {
							return err
						}
						ig.Rules = append(ig.Rules, r)
					}
					return nil
				},
			})
			if err != nil {
				return err
			}
			if ig.Pattern == "" {
				return p.errorf(it, "an ignore entry needs a path")
			}
		}
		p.cfg.Ignores = append(p.cfg.Ignores, ig)
	}
	return nil
}

func (p *parser) pattern(n *yaml.Node) (string, error) {
	s, err := p.scalar(n, "an ignore path")
	if err != nil {
		return "", err
	}
	pat := strings.Trim(filepath.ToSlash(s), "/")
	if pat == "" {
		return "", p.errorf(n, "an ignore path must not be empty")
	}
	for _, seg := range strings.Split(pat, "/") {
		if _, err := path.Match(seg, ""); err != nil {
			return "", p.errorf(n, "bad glob pattern %q: %v", s, err)
		}
	}
	return pat, nil
}

var directiveName = lazyre.New(`^[a-z][a-z0-9_]*$`)

func (p *parser) nginx(n *yaml.Node) error {
	return p.fields(n, "nginx", map[string]func(*yaml.Node) error{
		"version": func(v *yaml.Node) error {
			s, err := p.scalar(v, "nginx.version")
			if err != nil {
				return err
			}
			if !versionRE.Re().MatchString(s) {
				return p.errorf(v, "nginx.version %q is not a version such as 1.24.0 or 1.27", s)
			}
			if _, err := spec.ResolveVersion(s); err != nil {
				return p.errorf(v, "nginx.version: %v", err)
			}
			p.cfg.NginxVersion = s
			return nil
		},
		"prefix": func(v *yaml.Node) error {
			s, err := p.scalar(v, "nginx.prefix")
			if err != nil {
				return err
			}
			dir := p.abs(s)
			if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
				return p.errorf(v, "nginx.prefix %q is not a folder", s)
			}
			p.cfg.Prefix = dir
			return nil
		},
		"root": func(v *yaml.Node) error {
			s, err := p.scalar(v, "nginx.root")
			if err != nil {
				return err
			}
			dir := p.abs(s)
			if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
				return p.errorf(v, "nginx.root %q is not a folder", s)
			}
			p.cfg.Root = dir
			return nil
		},
		"main": p.mainFiles,
		"directives": func(v *yaml.Node) error {
			items, err := p.list(v, "nginx.directives")
			if err != nil {
				return err
			}
			for _, it := range items {
				s, err := p.scalar(it, "a directive name")
				if err != nil {
					return err
				}
				if !directiveName.Re().MatchString(s) {
					return p.errorf(it, "%q is not a directive name (lower-case letters, digits and _)", s)
				}
				p.cfg.Directives = append(p.cfg.Directives, s)
			}
			return nil
		},
	})
}

// mainFiles reads nginx.main: nginx files that exist, each named once.
func (p *parser) mainFiles(n *yaml.Node) error {
	items, err := p.list(n, "nginx.main")
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, it := range items {
		s, err := p.scalar(it, "an nginx.main file")
		if err != nil {
			return err
		}
		if s == "" {
			return p.errorf(it, "an nginx.main file must not be empty")
		}
		abs := p.abs(s)
		if fi, err := os.Stat(abs); err != nil || !fi.Mode().IsRegular() {
			return p.errorf(it, "nginx.main %q: no such file", s)
		}
		if kind, ok := analyzer.Classify(abs); ok && kind != source.KindNginx {
			return p.errorf(it, "nginx.main %q is not an nginx configuration file", s)
		}
		if seen[abs] {
			return p.errorf(it, "nginx.main %q is listed twice", s)
		}
		seen[abs] = true
		p.cfg.Main = append(p.cfg.Main, abs)
	}
	return nil
}

var versionRE = lazyre.New(`^[0-9]+(\.[0-9]+){0,2}$`)

// CheckVersion accepts a version such as 1.24.0, 1.27 or 8.
func CheckVersion(s string) error {
	if !versionRE.Re().MatchString(s) {
		return fmt.Errorf("%q is not a version such as 1.24.0 or 1.27", s)
	}
	return nil
}

// NginxVersion resolves an nginx version as written (flag or file) to a
// release of the directive table: "" is the newest stable release, a
// branch ("1.27") its newest release; an unknown release is an error.
func NginxVersion(s string) (spec.Version, error) {
	if s != "" {
		if err := CheckVersion(s); err != nil {
			return spec.Version{}, err
		}
	}
	return spec.ResolveVersion(s)
}

func (p *parser) elasticsearch(n *yaml.Node) error {
	return p.fields(n, "elasticsearch", map[string]func(*yaml.Node) error{
		"version": func(v *yaml.Node) error {
			s, err := p.scalar(v, "elasticsearch.version")
			if err != nil {
				return err
			}
			if !versionRE.Re().MatchString(s) {
				return p.errorf(v, "elasticsearch.version %q is not a version such as 8 or 8.13 or 7.17.2", s)
			}
			p.cfg.ElasticsearchVersion = s
			return nil
		},
		"nodes": func(v *yaml.Node) error {
			items, err := p.list(v, "elasticsearch.nodes")
			if err != nil {
				return err
			}
			for _, it := range items {
				s, err := p.scalar(it, "elasticsearch.nodes")
				if err != nil {
					return err
				}
				abs := p.abs(s)
				if fi, err := os.Stat(abs); err != nil || !fi.Mode().IsRegular() {
					return p.errorf(it, "elasticsearch.nodes %q: no such file", s)
				}
				p.cfg.NodeFiles = append(p.cfg.NodeFiles, abs)
			}
			return nil
		},
	})
}

func (p *parser) links(n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode {
		return p.errorf(n, "links must be a list of {nginx: FILE, elasticsearch: FILE}")
	}
	for _, it := range n.Content {
		var l Link
		file := func(dst *string, what string, yml bool) func(*yaml.Node) error {
			return func(v *yaml.Node) error {
				s, err := p.scalar(v, what)
				if err != nil {
					return err
				}
				abs := p.abs(s)
				if fi, err := os.Stat(abs); err != nil || !fi.Mode().IsRegular() {
					return p.errorf(v, "%s %q: no such file", what, s)
				}
				if ext := strings.ToLower(filepath.Ext(abs)); yml && ext != ".yml" && ext != ".yaml" {
					return p.errorf(v, "%s %q is not a .yml or .yaml settings file", what, s)
				}
				*dst = abs
				return nil
			}
		}
		err := p.fields(it, "a link", map[string]func(*yaml.Node) error{
			"nginx":         file(&l.Nginx, "links nginx", false),
			"elasticsearch": file(&l.Elasticsearch, "links elasticsearch", true),
		})
		if err != nil {
			return err
		}
		if l.Nginx == "" || l.Elasticsearch == "" {
			return p.errorf(it, "a link needs both nginx and elasticsearch")
		}
		p.cfg.Links = append(p.cfg.Links, l)
	}
	return nil
}

func (p *parser) abs(s string) string {
	if filepath.IsAbs(s) {
		return filepath.Clean(s)
	}
	return filepath.Join(p.cfg.Dir, s)
}
