package lsp

import (
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/ngxlint/ngxlint/analyzer/config"
)

// ruleChoice is the editor's rule selection from initializationOptions; it
// goes on top of the project's .ngxlint.yml, as flags do on the CLI.
type ruleChoice struct {
	enable, disable []string
}

// projectConfigs finds and caches each group's .ngxlint.yml, so that the
// editor and `ngxlint lint` select the same rules, ignore the same paths
// and report the same severities. A lint costs a walk of stat calls; the
// file is parsed again only when its modification time or size changes.
type projectConfigs struct {
	mu    sync.Mutex
	cache map[string]cachedConfig // by the file's absolute path
}

type cachedConfig struct {
	mod  time.Time
	size int64
	cfg  *config.Config
}

// forGroup returns the configuration in force for a group: the nearest
// .ngxlint.yml at or above its root (or the first document's folder), or
// the defaults. A file that does not parse is reported to the client once
// per version, and the defaults apply until it is fixed.
func (p *projectConfigs) forGroup(s *Server, root string, docs []snapshot) *config.Config {
	start := root
	if start == "" && len(docs) > 0 {
		start = filepath.Dir(docs[0].abs)
	}
	if start == "" {
		return &config.Config{}
	}
	path, err := config.Find(start)
	if err != nil || path == "" {
		return &config.Config{}
	}
	fi, err := os.Stat(path)
	if err != nil {
		return &config.Config{}
	}
	p.mu.Lock()
	c, ok := p.cache[path]
	p.mu.Unlock()
	if ok && c.mod.Equal(fi.ModTime()) && c.size == fi.Size() {
		return c.cfg
	}
	cfg, err := config.Load(path, path, s.opt.Rules)
	if err != nil {
		cfg = &config.Config{}
	}
	p.mu.Lock()
	if p.cache == nil {
		p.cache = map[string]cachedConfig{}
	}
	p.cache[path] = cachedConfig{mod: fi.ModTime(), size: fi.Size(), cfg: cfg}
	p.mu.Unlock()
	if err != nil {
		// Outside the lock: a notification can block on a slow client.
		s.logf(msgWarning, "%v; linting with the default settings until it is fixed", err)
	}
	return cfg
}
