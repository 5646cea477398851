package lsp

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/sourcegraph/jsonrpc2"
)

// Scheduling: a per-document debounce timer feeds one worker that lints a
// workspace group and publishes only results for the versions it linted.

// schedule lints d's group after delay, restarting d's timer: the debounce
// is per document.
func (s *Server) schedule(d *document, delay time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.timers[d.uri]; t != nil {
		t.Stop()
	}
	if !d.lintable || s.shutdown {
		return
	}
	key := d.groupKey()
	if delay <= 0 {
		delete(s.timers, d.uri)
		s.enqueueLocked(job{group: key})
		return
	}
	s.timers[d.uri] = time.AfterFunc(delay, func() { s.enqueue(job{group: key}) })
}

// relintAll lints every group again: the disk or the workspace folders
// changed.
func (s *Server) relintAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.diskGen++
	for _, d := range s.docs {
		if d.lintable {
			s.enqueueLocked(job{group: d.groupKey()})
		}
	}
}

func (s *Server) enqueue(j job) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.enqueueLocked(j)
}

func (s *Server) enqueueLocked(j job) {
	if j.group != "" {
		if s.queued[j.group] {
			return
		}
		s.queued[j.group] = true
	}
	s.queue = append(s.queue, j)
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// worker runs lint jobs one at a time, so publications never interleave
// and an older result is never sent after a newer one.
func (s *Server) worker(ctx context.Context) {
	for {
		select {
		case <-s.done:
			return
		case <-s.wake:
		}
		for {
			s.mu.Lock()
			if len(s.queue) == 0 || s.shutdown {
				s.mu.Unlock()
				break
			}
			j := s.queue[0]
			s.queue = s.queue[1:]
			delete(s.queued, j.group)
			s.mu.Unlock()
			if j.clear != "" {
				s.clearIfClosed(ctx, j.clear)
				continue
			}
			s.safely("lint", func() { s.lintGroup(ctx, j.group) })
		}
	}
}

func (s *Server) clearIfClosed(ctx context.Context, u uri) {
	s.mu.Lock()
	_, open := s.docs[u]
	s.mu.Unlock()
	if !open {
		_ = s.conn.Notify(ctx, "textDocument/publishDiagnostics", publishDiagnosticsParams{URI: u, Diagnostics: []diagnostic{}})
	}
}

// snapshotGroup copies the open lintable documents of a group.
func (s *Server) snapshotGroup(key string) (root string, snaps []snapshot, choice ruleChoice, live bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.docs {
		if d.lintable && d.groupKey() == key {
			snaps = append(snaps, snapshot{doc: d, uri: d.uri, abs: d.abs, version: d.version, text: d.text, onDisk: d.onDisk})
			root = d.root
		}
	}
	sort.Slice(snaps, func(i, j int) bool { return snaps[i].abs < snaps[j].abs })
	return root, snaps, s.choice, s.live
}

// lintGroup lints a group and publishes, for each document still at the
// version that was linted, its diagnostics.
func (s *Server) lintGroup(ctx context.Context, key string) {
	root, snaps, choice, live := s.snapshotGroup(key)
	if len(snaps) == 0 {
		return
	}
	out, err := s.lint(ctx, key, root, snaps, choice, live)
	if err != nil {
		if ctx.Err() == nil {
			s.logf(msgError, "linting %s: %v", key, err)
		}
		return
	}
	for _, e := range out.errs {
		s.logf(msgError, "%v", e)
	}
	var publish []publishDiagnosticsParams
	s.mu.Lock()
	for _, sn := range snaps {
		if s.docs[sn.uri] != sn.doc || sn.doc.version != sn.version {
			continue // closed or edited since: a newer lint is on its way
		}
		res := s.store(sn, out)
		v := sn.version
		diags := s.diagnostics(res)
		if n, ok := out.tooLarge[sn.uri]; ok {
			diags = []diagnostic{tooLargeDiagnostic(n)}
		}
		publish = append(publish, publishDiagnosticsParams{URI: sn.uri, Version: &v, Diagnostics: diags})
	}
	s.mu.Unlock()
	for _, p := range publish {
		_ = s.conn.Notify(ctx, "textDocument/publishDiagnostics", p)
	}
}

// store records a document's lint result (callers hold s.mu).
func (s *Server) store(sn snapshot, out *outcome) *result {
	res := resultOf(sn, out)
	s.results[sn.uri] = res
	return res
}

// resultOf is what a lint's outcome says of one of its documents.
func resultOf(sn snapshot, out *outcome) *result {
	return &result{
		version: sn.version, file: out.files[sn.uri], outer: out.outer[sn.uri],
		byDisplay: out.byDisplay, findings: out.findings[sn.uri], settings: out.settings,
	}
}

// current returns the lint result for a document's current version,
// linting its group now when the last result is stale.
func (s *Server) current(ctx context.Context, u uri) (*document, *result, []byte, error) {
	s.mu.Lock()
	d := s.docs[u]
	if d == nil {
		s.mu.Unlock()
		return nil, nil, nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: fmt.Sprintf("%s: %v", u, errNotOpen)}
	}
	text, version := d.text, d.version
	res := s.results[u]
	lintable := d.lintable
	s.mu.Unlock()
	if !lintable {
		return d, nil, text, nil
	}
	if res != nil && res.version == version {
		return d, res, text, nil
	}
	key := d.groupKey()
	root, snaps, choice, live := s.snapshotGroup(key)
	out, err := s.lint(ctx, key, root, snaps, choice, live)
	if err != nil {
		return nil, nil, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sn := range snaps {
		if sn.uri == u {
			res, text = resultOf(sn, out), sn.text
			if s.docs[u] == sn.doc && sn.doc.version == sn.version {
				s.results[u] = res
			}
		}
	}
	return d, res, text, nil
}
