package lsp

import (
	"encoding/json"

	lsp "github.com/sourcegraph/go-lsp"
)

// Local protocol types for what go-lsp lacks or gets wrong (LSP 3.16/3.17
// fields, code actions, a correct didSave). The rest is go-lsp's.

type (
	position = lsp.Position
	rng      = lsp.Range
	uri      = lsp.DocumentURI
)

// diagnostic adds codeDescription and relatedInformation (3.16) to
// go-lsp's Diagnostic.
type diagnostic struct {
	lsp.Diagnostic
	CodeDescription    *codeDescription     `json:"codeDescription,omitempty"`
	RelatedInformation []relatedInformation `json:"relatedInformation,omitempty"`
}

type codeDescription struct {
	Href string `json:"href"`
}

type relatedInformation struct {
	Location lsp.Location `json:"location"`
	Message  string       `json:"message"`
}

type publishDiagnosticsParams struct {
	URI         uri          `json:"uri"`
	Version     *int         `json:"version,omitempty"`
	Diagnostics []diagnostic `json:"diagnostics"`
}

type codeAction struct {
	Title       string             `json:"title"`
	Kind        lsp.CodeActionKind `json:"kind"`
	Diagnostics []diagnostic       `json:"diagnostics,omitempty"`
	IsPreferred bool               `json:"isPreferred,omitempty"`
	Edit        *lsp.WorkspaceEdit `json:"edit"`
}

type codeActionParams struct {
	TextDocument lsp.TextDocumentIdentifier `json:"textDocument"`
	Range        rng                        `json:"range"`
	Context      struct {
		Diagnostics []diagnostic         `json:"diagnostics"`
		Only        []lsp.CodeActionKind `json:"only,omitempty"`
	} `json:"context"`
}

// didSaveParams is the real shape (go-lsp has {changes}).
type didSaveParams struct {
	TextDocument lsp.TextDocumentIdentifier `json:"textDocument"`
	Text         *string                    `json:"text,omitempty"`
}

// contentChange: a nil Range means the whole text (go-lsp's tag is
// misspelt, so a full change would decode as a zero range).
type contentChange struct {
	Range *rng   `json:"range,omitempty"`
	Text  string `json:"text"`
}

type didChangeParams struct {
	TextDocument lsp.VersionedTextDocumentIdentifier `json:"textDocument"`
	Changes      []contentChange                     `json:"contentChanges"`
}

type markupContent struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
}

type hover struct {
	Contents markupContent `json:"contents"`
	Range    *rng          `json:"range,omitempty"`
}

type completionItem struct {
	Label         string                 `json:"label"`
	Kind          lsp.CompletionItemKind `json:"kind,omitempty"`
	Detail        string                 `json:"detail,omitempty"`
	Documentation *markupContent         `json:"documentation,omitempty"`
	FilterText    string                 `json:"filterText,omitempty"`
	TextEdit      *lsp.TextEdit          `json:"textEdit,omitempty"`
	// Data names a directive item's entry, for completionItem/resolve to
	// add its documentation.
	Data *completionData `json:"data,omitempty"`
}

// completionData is what completionItem/resolve needs, beside the item's
// label (the directive's name), to find the entry a directive item
// offers: the block path it was offered at and the nginx version.
type completionData struct {
	Path    []string `json:"path"`
	Version string   `json:"version"`
}

type completionList struct {
	IsIncomplete bool             `json:"isIncomplete"`
	Items        []completionItem `json:"items"`
}

type workspaceFolder struct {
	URI  uri    `json:"uri"`
	Name string `json:"name"`
}

type initializeParams struct {
	ProcessID             int                    `json:"processId,omitempty"`
	RootPath              string                 `json:"rootPath,omitempty"`
	RootURI               uri                    `json:"rootUri,omitempty"`
	WorkspaceFolders      []workspaceFolder      `json:"workspaceFolders,omitempty"`
	InitializationOptions json.RawMessage        `json:"initializationOptions,omitempty"`
	Capabilities          lsp.ClientCapabilities `json:"capabilities"`
}

// InitOptions are the initializationOptions the server reads.
type InitOptions struct {
	// Live turns live mode on (dialling the backends findings name).
	Live bool `json:"live"`
	// Enable and Disable select rules as the CLI flags do.
	Enable  []string `json:"enable"`
	Disable []string `json:"disable"`
	// DebounceMS overrides the delay between an edit and linting.
	DebounceMS *int `json:"debounceMs"`
}

type serverInfo struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

type textDocumentSyncOptions struct {
	OpenClose bool                     `json:"openClose"`
	Change    lsp.TextDocumentSyncKind `json:"change"`
	Save      *lsp.SaveOptions         `json:"save,omitempty"`
}

type serverCapabilities struct {
	TextDocumentSync textDocumentSyncOptions `json:"textDocumentSync"`
	HoverProvider    bool                    `json:"hoverProvider"`
	// Formatting is `ngxlint fmt`'s (lsp/format.go).
	DocumentFormattingProvider      bool                   `json:"documentFormattingProvider"`
	DocumentRangeFormattingProvider bool                   `json:"documentRangeFormattingProvider"`
	CompletionProvider              *lsp.CompletionOptions `json:"completionProvider,omitempty"`
	CodeActionProvider              struct {
		CodeActionKinds []lsp.CodeActionKind `json:"codeActionKinds"`
	} `json:"codeActionProvider"`
	Workspace struct {
		WorkspaceFolders struct {
			Supported bool `json:"supported"`
		} `json:"workspaceFolders"`
	} `json:"workspace"`
}

type initializeResult struct {
	Capabilities serverCapabilities `json:"capabilities"`
	ServerInfo   serverInfo         `json:"serverInfo"`
}

type registration struct {
	ID              string `json:"id"`
	Method          string `json:"method"`
	RegisterOptions any    `json:"registerOptions,omitempty"`
}

type fileSystemWatcher struct {
	GlobPattern string `json:"globPattern"`
}

type didChangeWorkspaceFoldersParams struct {
	Event struct {
		Added   []workspaceFolder `json:"added"`
		Removed []workspaceFolder `json:"removed"`
	} `json:"event"`
}

// LSP error codes that jsonrpc2 does not define.
const (
	codeServerNotInitialized = -32002
	codeRequestCancelled     = -32800
)

// window/logMessage types (go-lsp leaves two of them untyped).
const (
	msgError   lsp.MessageType = 1
	msgWarning lsp.MessageType = 2
	msgInfo    lsp.MessageType = 3
)
