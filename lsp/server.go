// Package lsp is ngxlint's language server: a thin protocol layer over the
// same engine as the CLI (analyzer.Load with the editor's unsaved buffers
// as overlay, analyzer.Run, the rules of package rules). It publishes
// diagnostics after a short debounce, offers each finding's fix and an
// "ignore on this line" comment as quick fixes, and answers hover and
// completion from the directive table (analyzer/nginx/spec).
package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/rules"
	lsp "github.com/sourcegraph/go-lsp"
	"github.com/sourcegraph/jsonrpc2"
)

// DefaultDebounce is the pause after the last edit before a document is
// linted: long enough to skip the intermediate states of fast typing.
const DefaultDebounce = 150 * time.Millisecond

// LiveFunc confirms findings against real sockets (live mode). It may add
// evidence to findings, drop refuted ones, and add findings of the live
// rules among selected (the rules this lint runs).
type LiveFunc func(ctx context.Context, ws *analyzer.Workspace, fs []analyzer.Finding, selected []*analyzer.Rule) ([]analyzer.Finding, error)

// Options configure a server.
type Options struct {
	// Version is reported in serverInfo.
	Version string
	// Rules is every known rule (default rules.All()); the default
	// selection runs unless initializationOptions enable or disable some.
	Rules []*analyzer.Rule
	// Debounce is the delay between an edit and linting (default
	// DefaultDebounce; negative means none). initializationOptions'
	// debounceMs overrides it.
	Debounce time.Duration
	// Live runs live mode when initializationOptions ask for it; nil
	// means this build has no live mode, and the request is ignored with
	// a log message.
	Live LiveFunc
	// Log receives protocol-level errors (default: discarded).
	Log io.Writer
}

// Server is one language-server session.
type Server struct {
	opt   Options
	known []*analyzer.Rule
	conn  *jsonrpc2.Conn
	index index
	// hook runs before each request (tests use it to cancel or panic).
	hook func(ctx context.Context, method string)

	mu          sync.Mutex
	initialized bool
	shutdown    bool
	exited      bool
	roots       []string
	choice      ruleChoice // the editor's enable/disable (initializationOptions)
	configs     projectConfigs
	live        bool
	debounce    time.Duration
	watchFiles  bool
	docs        map[uri]*document
	results     map[uri]*result
	timers      map[uri]*time.Timer
	cancels     map[jsonrpc2.ID]context.CancelFunc
	// parsed keeps each group's parsed trees from one lint to the next.
	parsed map[string]*groupCache
	// lastLint is each group's last lint, which the next lint of the same
	// versions reuses; diskGen counts the disk changes the server was told
	// of (saves, watched files, folders), which end that reuse.
	lastLint map[string]*lintMemo
	diskGen  uint64
	// lints counts the lints run (tests read it).
	lints atomic.Int64

	connReady chan struct{} // closed once conn is set

	queue   []job
	queued  map[string]bool
	wake    chan struct{}
	done    chan struct{}
	exitNow chan struct{}
}

// job is work for the lint goroutine: lint a group, or clear a closed
// document's diagnostics (queued so it cannot overtake a lint in flight).
type job struct {
	group string
	clear uri
}

// ServeStdio runs the server over standard input and output until the
// client sends exit or closes the stream; it returns the process exit
// status the protocol prescribes (0 after shutdown, 1 otherwise).
func ServeStdio(ctx context.Context, stdin io.Reader, stdout io.Writer, opt Options) int {
	return Serve(ctx, stdio{stdin, stdout}, opt)
}

type stdio struct {
	io.Reader
	io.Writer
}

func (s stdio) Close() error {
	if c, ok := s.Reader.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// Serve runs the server over one connection (see ServeStdio).
func Serve(ctx context.Context, rwc io.ReadWriteCloser, opt Options) int {
	return newServer(opt).serve(ctx, rwc)
}

func newServer(opt Options) *Server {
	if opt.Rules == nil {
		opt.Rules = rules.All()
	}
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	if opt.Debounce == 0 {
		opt.Debounce = DefaultDebounce
	}
	s := &Server{
		opt:      opt,
		known:    opt.Rules,
		debounce: max(opt.Debounce, 0),
		docs:     map[uri]*document{},
		results:  map[uri]*result{},
		lastLint: map[string]*lintMemo{},
		timers:   map[uri]*time.Timer{},
		cancels:  map[jsonrpc2.ID]context.CancelFunc{},
		queued:   map[string]bool{},
		wake:     make(chan struct{}, 1),
		done:     make(chan struct{}),
		exitNow:  make(chan struct{}),

		connReady: make(chan struct{}),
	}
	return s
}

func (s *Server) serve(ctx context.Context, rwc io.ReadWriteCloser) int {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.conn = jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(rwc, &codec{logf: func(format string, args ...any) {
		fmt.Fprintf(s.opt.Log, "ngxlint lsp: "+format+"\n", args...)
	}}), s,
		jsonrpc2.SetLogger(log.New(s.opt.Log, "ngxlint lsp: ", 0)))
	close(s.connReady)
	worker := make(chan struct{})
	go func() { defer close(worker); s.worker(ctx) }()
	select {
	case <-s.conn.DisconnectNotify():
	case <-s.exitNow:
	case <-ctx.Done():
	}
	_ = s.conn.Close()
	close(s.done)
	s.mu.Lock()
	for _, t := range s.timers {
		t.Stop()
	}
	for _, c := range s.cancels {
		c()
	}
	shutdown := s.shutdown
	s.mu.Unlock()
	<-worker
	if shutdown {
		return 0
	}
	return 1
}

// Handle implements jsonrpc2.Handler. Notifications, initialize and
// shutdown run in order on the reading goroutine (document changes must
// apply in order); other requests run on their own goroutine so that
// $/cancelRequest can reach them, and never block the reader.
func (s *Server) Handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) {
	<-s.connReady // NewConn starts reading before it returns
	if req.Notif {
		s.safely(req.Method, func() { s.notification(ctx, req) })
		return
	}
	s.mu.Lock()
	initialized, shutdown := s.initialized, s.shutdown
	s.mu.Unlock()
	switch {
	case req.Method == malformedMethod:
		s.malformed(req)
		s.replyError(ctx, req.ID, jsonrpc2.CodeInvalidRequest, "malformed request: "+paramString(req, "error"))
		return
	case shutdown:
		s.replyError(ctx, req.ID, jsonrpc2.CodeInvalidRequest, "the server is shutting down")
		return
	case req.Method == "initialize":
		if initialized {
			s.replyError(ctx, req.ID, jsonrpc2.CodeInvalidRequest, "initialize was already received")
			return
		}
		s.sync(ctx, req, s.initialize)
		return
	case !initialized:
		s.replyError(ctx, req.ID, codeServerNotInitialized, "the server is not initialized")
		return
	case req.Method == "shutdown":
		s.sync(ctx, req, func(context.Context, *jsonrpc2.Request) (any, error) {
			s.mu.Lock()
			s.shutdown = true
			for _, t := range s.timers {
				t.Stop()
			}
			s.mu.Unlock()
			return nil, nil
		})
		return
	}
	handler, ok := requests[req.Method]
	if !ok {
		s.replyError(ctx, req.ID, jsonrpc2.CodeMethodNotFound, "method not supported: "+req.Method)
		return
	}
	rctx, cancel := context.WithCancel(ctx)
	s.mu.Lock()
	s.cancels[req.ID] = cancel
	s.mu.Unlock()
	go func() {
		defer func() {
			s.mu.Lock()
			delete(s.cancels, req.ID)
			s.mu.Unlock()
			cancel()
		}()
		s.sync(rctx, req, func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
			if s.hook != nil {
				s.hook(ctx, req.Method)
			}
			return handler(s, ctx, req)
		})
	}()
}

var requests = map[string]func(s *Server, ctx context.Context, req *jsonrpc2.Request) (any, error){
	"textDocument/codeAction":      (*Server).codeActions,
	"textDocument/hover":           (*Server).hover,
	"textDocument/completion":      (*Server).completion,
	"completionItem/resolve":       (*Server).resolveCompletion,
	"textDocument/formatting":      (*Server).formatting,
	"textDocument/rangeFormatting": (*Server).formatting,
}

// sync runs one request handler and replies: its result, its error, a
// cancellation, or an internal error for a panic (which is logged, and
// costs only this request).
func (s *Server) sync(ctx context.Context, req *jsonrpc2.Request, h func(context.Context, *jsonrpc2.Request) (any, error)) {
	var result any
	var err error
	func() {
		defer func() {
			if v := recover(); v != nil {
				s.logf(msgError, "internal error in %s: %v\n%s", req.Method, v, debug.Stack())
				err = &jsonrpc2.Error{Code: jsonrpc2.CodeInternalError, Message: fmt.Sprintf("internal error in %s: %v", req.Method, v)}
			}
		}()
		result, err = h(ctx, req)
	}()
	if ctx.Err() != nil && (err == nil || errors.Is(err, context.Canceled)) {
		err = &jsonrpc2.Error{Code: codeRequestCancelled, Message: "request cancelled"}
	}
	if err != nil {
		var je *jsonrpc2.Error
		if !errors.As(err, &je) {
			je = &jsonrpc2.Error{Code: jsonrpc2.CodeInternalError, Message: err.Error()}
		}
		_ = s.conn.ReplyWithError(ctx, req.ID, je)
		return
	}
	_ = s.conn.Reply(context.WithoutCancel(ctx), req.ID, result)
}

func (s *Server) replyError(ctx context.Context, id jsonrpc2.ID, code int64, msg string) {
	_ = s.conn.ReplyWithError(ctx, id, &jsonrpc2.Error{Code: code, Message: msg})
}

// safely runs a notification handler; a panic is logged, never fatal.
func (s *Server) safely(method string, fn func()) {
	defer func() {
		if v := recover(); v != nil {
			s.logf(msgError, "internal error in %s: %v\n%s", method, v, debug.Stack())
		}
	}()
	fn()
}

func (s *Server) notification(ctx context.Context, req *jsonrpc2.Request) {
	switch req.Method {
	case "exit":
		s.mu.Lock()
		already := s.exited
		s.exited = true
		s.mu.Unlock()
		if !already {
			close(s.exitNow)
		}
		return
	case malformedMethod:
		s.malformed(req)
		return
	case "$/cancelRequest":
		var p struct {
			ID jsonrpc2.ID `json:"id"`
		}
		if decode(req, &p) == nil {
			s.mu.Lock()
			if c := s.cancels[p.ID]; c != nil {
				c()
			}
			s.mu.Unlock()
		}
		return
	}
	s.mu.Lock()
	ready := s.initialized && !s.shutdown
	s.mu.Unlock()
	if !ready {
		return // the protocol says to drop notifications before initialize
	}
	switch req.Method {
	case "initialized":
		s.registerWatchers(ctx)
	case "textDocument/didOpen":
		var p lsp.DidOpenTextDocumentParams
		if err := decode(req, &p); err == nil {
			s.didOpen(p)
		} else {
			s.logf(msgWarning, "%s: %v", req.Method, err)
		}
	case "textDocument/didChange":
		var p didChangeParams
		if err := decode(req, &p); err == nil {
			s.didChange(p)
		} else {
			s.logf(msgWarning, "%s: %v", req.Method, err)
		}
	case "textDocument/didSave":
		var p didSaveParams
		if err := decode(req, &p); err == nil {
			s.didSave(p)
		}
	case "textDocument/didClose":
		var p lsp.DidCloseTextDocumentParams
		if err := decode(req, &p); err == nil {
			s.didClose(p.TextDocument.URI)
		}
	case "workspace/didChangeWatchedFiles":
		var p lsp.DidChangeWatchedFilesParams
		if err := decode(req, &p); err == nil {
			s.index.watched(p.Changes)
		} else {
			s.index.invalidate()
		}
		s.relintAll()
	case "workspace/didChangeWorkspaceFolders":
		var p didChangeWorkspaceFoldersParams
		if err := decode(req, &p); err == nil {
			s.changeFolders(p)
		}
	}
	// Anything else (didChangeConfiguration, $/setTrace, ...) is ignored.
}

// malformed logs a message the codec could not decode.
func (s *Server) malformed(req *jsonrpc2.Request) {
	s.logf(msgWarning, "ignored a malformed message: %s", paramString(req, "error"))
}

func paramString(req *jsonrpc2.Request, key string) string {
	var m map[string]string
	if req.Params != nil {
		_ = json.Unmarshal(*req.Params, &m)
	}
	return m[key]
}

func decode(req *jsonrpc2.Request, v any) error {
	if req.Params == nil {
		return &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: "missing params"}
	}
	if err := json.Unmarshal(*req.Params, v); err != nil {
		return &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: "invalid params: " + err.Error()}
	}
	return nil
}

// logf sends window/logMessage (and writes to Options.Log).
func (s *Server) logf(typ lsp.MessageType, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if typ == msgError {
		fmt.Fprintf(s.opt.Log, "ngxlint lsp: %s\n", msg)
	}
	if s.conn != nil {
		_ = s.conn.Notify(context.Background(), "window/logMessage", lsp.LogMessageParams{Type: typ, Message: msg})
	}
}

func (s *Server) initialize(ctx context.Context, req *jsonrpc2.Request) (any, error) {
	var p initializeParams
	if err := decode(req, &p); err != nil {
		return nil, err
	}
	var opts InitOptions
	if len(p.InitializationOptions) > 0 && string(p.InitializationOptions) != "null" {
		if err := json.Unmarshal(p.InitializationOptions, &opts); err != nil {
			return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: "initializationOptions: " + err.Error()}
		}
	}
	// Validated here; each lint selects again with the group's
	// .ngxlint.yml underneath (config.go).
	if _, err := analyzer.Select(s.opt.Rules, opts.Enable, opts.Disable); err != nil {
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: "initializationOptions: " + err.Error()}
	}
	var roots []string
	for _, f := range p.WorkspaceFolders {
		if path, ok := uriToPath(f.URI); ok {
			roots = append(roots, path)
		}
	}
	if len(roots) == 0 {
		if path, ok := uriToPath(p.RootURI); ok {
			roots = append(roots, path)
		} else if p.RootPath != "" {
			roots = append(roots, p.RootPath)
		}
	}
	s.mu.Lock()
	s.initialized = true
	s.roots = roots
	s.choice = ruleChoice{enable: opts.Enable, disable: opts.Disable}
	s.live = opts.Live
	if opts.DebounceMS != nil {
		s.debounce = time.Duration(max(*opts.DebounceMS, 0)) * time.Millisecond
	}
	if w := p.Capabilities.Workspace.DidChangeWatchedFiles; w != nil && w.DynamicRegistration {
		s.watchFiles = true
	}
	s.mu.Unlock()
	if opts.Live && s.opt.Live == nil {
		s.logf(msgWarning, "live mode was requested, but this build of ngxlint has no live mode: linting statically")
	}

	var res initializeResult
	res.ServerInfo = serverInfo{Name: "ngxlint", Version: s.opt.Version}
	res.Capabilities.TextDocumentSync = textDocumentSyncOptions{
		OpenClose: true, Change: lsp.TDSKIncremental, Save: &lsp.SaveOptions{},
	}
	res.Capabilities.HoverProvider = true
	res.Capabilities.DocumentFormattingProvider = true
	res.Capabilities.DocumentRangeFormattingProvider = true
	res.Capabilities.CompletionProvider = &lsp.CompletionOptions{TriggerCharacters: []string{"$"}, ResolveProvider: true}
	res.Capabilities.CodeActionProvider.CodeActionKinds = []lsp.CodeActionKind{lsp.CAKQuickFix}
	res.Capabilities.Workspace.WorkspaceFolders.Supported = true
	return res, nil
}

// registerWatchers asks the client to report changes of the files that
// give open documents their context. It runs on its own goroutine: a
// handler must never wait for the client.
func (s *Server) registerWatchers(ctx context.Context) {
	s.mu.Lock()
	watch := s.watchFiles
	s.mu.Unlock()
	if !watch {
		return
	}
	go func() {
		watchers := []fileSystemWatcher{{GlobPattern: "**/*.conf"}, {GlobPattern: "**/nginx.conf*"},
			{GlobPattern: "**/{elasticsearch,opensearch}.{yml,yaml}"}, {GlobPattern: "**/sites-*/*"}}
		params := map[string]any{"registrations": []registration{{
			ID: "ngxlint-watch", Method: "workspace/didChangeWatchedFiles",
			RegisterOptions: map[string]any{"watchers": watchers},
		}}}
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := s.conn.Call(cctx, "client/registerCapability", params, nil); err != nil {
			s.logf(msgInfo, "could not register file watchers (%v): changes to closed files are seen on save", err)
		}
	}()
}

func (s *Server) changeFolders(p didChangeWorkspaceFoldersParams) {
	s.mu.Lock()
	removed := map[string]bool{}
	for _, f := range p.Event.Removed {
		if path, ok := uriToPath(f.URI); ok {
			removed[path] = true
		}
	}
	var roots []string
	for _, r := range s.roots {
		if !removed[r] {
			roots = append(roots, r)
		}
	}
	for _, f := range p.Event.Added {
		if path, ok := uriToPath(f.URI); ok {
			roots = append(roots, path)
		}
	}
	s.roots = roots
	for _, d := range s.docs {
		if d.onDisk {
			d.root = groupOf(roots, d.abs)
		}
	}
	s.mu.Unlock()
	s.index.invalidate()
	s.relintAll()
}
