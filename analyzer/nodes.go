package analyzer

import "github.com/ngxlint/ngxlint/analyzer/elastic"

// NotNode says why a loaded settings file is not read as a node's
// settings: it looks like a client's configuration (see
// elastic.ClientConfig) and .ngxlint.yml does not list it under
// elasticsearch.nodes. ok is false for a node's settings file.
func (s *Settings) NotNode(f *elastic.Settings) (why string, ok bool) {
	if s != nil {
		for _, abs := range s.NodeFiles {
			if f.File != nil && f.File.Abs == abs {
				return "", false
			}
		}
	}
	return elastic.ClientConfig(f)
}

// Nodes returns the workspace's settings files that are a node's
// settings, in load order: the files every ES and XC rule reads.
func (p *Pass) Nodes() []*elastic.Settings {
	var out []*elastic.Settings
	for _, f := range p.Workspace.Elastic {
		if _, skip := p.Settings.NotNode(f); !skip {
			out = append(out, f)
		}
	}
	return out
}

// NotNodeFile reports whether the file with this display path is a
// settings file that is not a node's (its loader diagnostics are moot).
func (p *Pass) NotNodeFile(path string) bool {
	for _, f := range p.Workspace.Elastic {
		if f.File != nil && f.File.Path == path {
			_, skip := p.Settings.NotNode(f)
			return skip
		}
	}
	return false
}
