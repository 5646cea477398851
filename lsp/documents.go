package lsp

import lsp "github.com/sourcegraph/go-lsp"

// Document synchronisation: didOpen, didChange, didSave and didClose keep
// the unsaved buffers that every lint reads as an overlay.

// groupKey names the set of documents linted together.
func (d *document) groupKey() string {
	if !d.onDisk {
		return "buffer:" + string(d.uri)
	}
	return d.root
}

func (s *Server) didOpen(p lsp.DidOpenTextDocumentParams) {
	td := p.TextDocument
	d := &document{uri: td.URI, version: td.Version, text: []byte(td.Text)}
	if abs, ok := uriToPath(td.URI); ok {
		d.abs, d.onDisk = abs, true
	} else {
		d.abs = bufferPath(td.URI)
	}
	d.kind, d.lintable = classify(d.abs, td.LanguageID)
	s.mu.Lock()
	if d.onDisk {
		d.root = groupOf(s.roots, d.abs)
	}
	s.docs[td.URI] = d
	delete(s.results, td.URI)
	s.mu.Unlock()
	s.schedule(d, 0)
}

func (s *Server) didChange(p didChangeParams) {
	s.mu.Lock()
	d := s.docs[p.TextDocument.URI]
	if d == nil {
		s.mu.Unlock()
		s.logf(msgWarning, "didChange for %s, which is not open: ignored", p.TextDocument.URI)
		return
	}
	applyChanges(d, p.Changes)
	d.version = p.TextDocument.Version
	delay := s.debounce
	s.mu.Unlock()
	s.schedule(d, delay)
}

func (s *Server) didSave(p didSaveParams) {
	s.mu.Lock()
	d := s.docs[p.TextDocument.URI]
	if d != nil && p.Text != nil {
		d.setText([]byte(*p.Text))
	}
	s.diskGen++
	s.mu.Unlock()
	// The disk changed: what the main files include may have too.
	if d != nil && d.onDisk {
		s.index.touched([]string{d.abs})
	} else {
		s.index.invalidate()
	}
	if d != nil {
		s.schedule(d, 0)
	}
}

func (s *Server) didClose(u uri) {
	s.mu.Lock()
	d := s.docs[u]
	delete(s.docs, u)
	delete(s.results, u)
	if d != nil {
		delete(s.lastLint, d.groupKey())
	}
	if t := s.timers[u]; t != nil {
		t.Stop()
		delete(s.timers, u)
	}
	s.mu.Unlock()
	if d == nil {
		return
	}
	s.enqueue(job{clear: u})
	// The rest of its group loses it as context.
	s.enqueue(job{group: d.groupKey()})
}
