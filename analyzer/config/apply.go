package config

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
)

// Select returns the rules that run: the configuration's enable and
// disable lists first (as analyzer.Select reads them), then the command
// line's on top, so a flag always wins over the file.
func (c *Config) Select(all []*analyzer.Rule, enable, disable []string) ([]*analyzer.Rule, error) {
	base, err := analyzer.Select(all, c.Enable, c.Disable)
	if err != nil {
		return nil, err
	}
	return analyzer.Adjust(all, base, enable, disable)
}

// Apply drops the findings an ignore entry covers and applies severity
// overrides to the rest.
func (c *Config) Apply(ws *analyzer.Workspace, fs []analyzer.Finding) []analyzer.Finding {
	if len(c.Ignores) == 0 && len(c.Severity) == 0 {
		return fs
	}
	out := fs[:0]
	for _, f := range fs {
		if c.ignored(ws, f) {
			continue
		}
		// A finding live mode refuted stays at info whatever the override.
		// analyzer.Pipeline applies the policy before live mode anyway;
		// this keeps any other caller from undoing the refutation.
		if sev, ok := c.Severity[f.Rule]; ok && !refuted(f) {
			f.Severity = sev
		}
		out = append(out, f)
	}
	return out
}

func refuted(f analyzer.Finding) bool { return f.Live != nil && f.Live.Status == "refuted" }

func (c *Config) ignored(ws *analyzer.Workspace, f analyzer.Finding) bool {
	if len(c.Ignores) == 0 {
		return false
	}
	rel, ok := c.rel(ws, f.Span.File)
	if !ok {
		return false
	}
	for _, ig := range c.Ignores {
		if !Match(ig.Pattern, rel) {
			continue
		}
		if len(ig.Rules) == 0 {
			return true
		}
		for _, r := range ig.Rules {
			if r == f.Rule {
				return true
			}
		}
	}
	return false
}

// rel is the finding's file relative to the configuration's folder; a file
// outside it (or standard input) is not subject to its ignores.
func (c *Config) rel(ws *analyzer.Workspace, display string) (string, bool) {
	abs := ""
	if f := ws.File(display); f != nil {
		abs = f.Abs
	}
	if abs == "" || !filepath.IsAbs(abs) {
		return "", false
	}
	rel, err := filepath.Rel(c.Dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// Match reports whether a slash path relative to the configuration's
// folder matches an ignore pattern, much as .gitignore reads them: a
// pattern without '/' matches any one path component ("*.bak", "legacy");
// one with '/' is anchored at the folder and matches the path or any
// folder above it ("legacy/sites" covers everything below it); "**"
// matches any number of components.
func Match(pattern, rel string) bool {
	parts := strings.Split(rel, "/")
	if !strings.Contains(pattern, "/") {
		for _, p := range parts {
			if ok, _ := path.Match(pattern, p); ok {
				return true
			}
		}
		return false
	}
	pat := strings.Split(pattern, "/")
	for n := len(parts); n > 0; n-- {
		if matchParts(pat, parts[:n]) {
			return true
		}
	}
	return false
}

func matchParts(pat, parts []string) bool {
	if len(pat) == 0 {
		return len(parts) == 0
	}
	if pat[0] == "**" {
		for i := 0; i <= len(parts); i++ {
			if matchParts(pat[1:], parts[i:]) {
				return true
			}
		}
		return false
	}
	if len(parts) == 0 {
		return false
	}
	if ok, _ := path.Match(pat[0], parts[0]); !ok {
		return false
	}
	return matchParts(pat[1:], parts[1:])
}
