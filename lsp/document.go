package lsp

import (
	"hash/fnv"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// document is an open editor buffer: the text the client last sent, which
// is what gets linted (not the file on disk).
type document struct {
	uri      uri
	abs      string // absolute path; a stand-in path for a non-file URI
	onDisk   bool   // a file URI (the file may still be missing)
	version  int
	text     []byte
	kind     source.Kind
	lintable bool   // nginx, or an Elasticsearch/OpenSearch settings file
	root     string // workspace folder the document belongs to ("" if none)

	index *source.File // line index of text, built on demand
}

func (d *document) file() *source.File {
	if d.index == nil {
		d.index = source.NewFile(d.abs, d.abs, d.kind, d.text)
	}
	return d.index
}

func (d *document) setText(text []byte) {
	d.text = text
	d.index = nil
}

// classify decides how a document is read. YAML is linted only when it is
// an Elasticsearch/OpenSearch settings file by name (a docker-compose.yml
// sent by an editor must not be read as settings); anything else the
// client sends is taken as nginx, since the client chose to send it.
func classify(abs, languageID string) (source.Kind, bool) {
	if kind, ok := analyzer.Classify(abs); ok && kind == source.KindElastic {
		return kind, true
	}
	ext := strings.ToLower(filepath.Ext(abs))
	if ext == ".yml" || ext == ".yaml" || languageID == "yaml" || languageID == "json" {
		return source.KindElastic, false
	}
	return source.KindNginx, true
}

// uriToPath returns the absolute path of a file URI.
func uriToPath(u uri) (string, bool) {
	p, err := url.Parse(string(u))
	if err != nil || p.Scheme != "file" {
		return "", false
	}
	path := p.Path
	if len(path) >= 3 && path[0] == '/' && path[2] == ':' { // file:///C:/...
		path = path[1:]
	}
	if path == "" {
		return "", false
	}
	return filepath.Clean(filepath.FromSlash(path)), true
}

// pathToURI is the file URI of an absolute path.
func pathToURI(abs string) uri {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return uri((&url.URL{Scheme: "file", Path: p}).String())
}

// bufferPath gives a non-file URI (untitled:, ...) a stable stand-in
// absolute path that keeps its base name, so the loader can tell nginx
// from YAML by name and findings can be mapped back.
func bufferPath(u uri) string {
	name := string(u)
	if i := strings.LastIndexAny(name, "/:"); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r < 0x20 {
			return '_'
		}
		return r
	}, name)
	if name == "" || name == "." || name == ".." {
		name = "buffer"
	}
	h := fnv.New32a()
	h.Write([]byte(u))
	return filepath.Join(os.TempDir(), "ngxlint-buffers", strconv.FormatUint(uint64(h.Sum32()), 16), name)
}

// offsetAt converts an LSP position (0-based line, UTF-16 character) to a
// byte offset in f. A line past the end is the end of the file; a
// character past the end of its line is the end of the line (as the
// protocol asks); a character inside a surrogate pair rounds down.
func offsetAt(f *source.File, p position) int {
	if p.Line < 0 {
		return 0
	}
	if p.Line >= f.LineCount() {
		return len(f.Src)
	}
	off := f.LineStart(p.Line + 1)
	end := len(f.Src)
	if p.Line+1 < f.LineCount() {
		end = f.LineStart(p.Line+2) - 1 // the '\n'
	}
	if end > off && f.Src[end-1] == '\r' {
		end--
	}
	units := 0
	for off < end && units < p.Character {
		r, size := utf8.DecodeRune(f.Src[off:])
		u := 1
		if r >= 0x10000 {
			u = 2
		}
		if units+u > p.Character {
			break
		}
		units += u
		off += size
	}
	return off
}

// toPosition converts a source position to LSP: our columns are already
// 1-based UTF-16 units.
func toPosition(p source.Pos) position {
	return position{Line: max(int(p.Line)-1, 0), Character: max(int(p.Col)-1, 0)}
}

func toRange(s source.Span) rng { return rng{Start: toPosition(s.Start), End: toPosition(s.End)} }

// applyChanges applies a didChange's content changes in order, each to
// the text the one before left. Edits at many cursors come as changes
// from the bottom of the document up, each ending where or before the
// one before it starts: a change of such a run sits in text the run has
// not touched yet, so its positions read the same in the text before the
// run, and the run is applied in one pass. (One at a time, each change
// copied the whole text and indexed its lines again: 1,250 cursors in a
// 20,000-line file held the server for a second.) A position that the
// text clamps (past its line or the end) could read differently once the
// change after it has run, so a run stops before one.
func applyChanges(d *document, chs []contentChange) {
	for len(chs) > 0 {
		run := descendingRun(d.file(), chs)
		if len(run) < 2 {
			applyChange(d, chs[0])
			chs = chs[1:]
			continue
		}
		text := make([]byte, 0, len(d.text))
		at := 0
		for i := len(run) - 1; i >= 0; i-- { // top of the document first
			text = append(text, d.text[at:run[i][0]]...)
			text = append(text, chs[i].Text...)
			at = run[i][1]
		}
		text = append(text, d.text[at:]...)
		d.setText(text)
		chs = chs[len(run):]
	}
}

// descendingRun returns the byte ranges in f of the changes from the
// first on that form a run applyChanges may apply in one pass: ranged,
// their positions exact in f, each ending at or before the start of the
// one before it.
func descendingRun(f *source.File, chs []contentChange) [][2]int {
	var run [][2]int
	for _, ch := range chs {
		if ch.Range == nil {
			break
		}
		start, ok1 := exactOffset(f, ch.Range.Start)
		end, ok2 := exactOffset(f, ch.Range.End)
		if !ok1 || !ok2 || end < start || len(run) > 0 && end > run[len(run)-1][0] {
			break
		}
		run = append(run, [2]int{start, end})
	}
	return run
}

// exactOffset is offsetAt, and whether p names that offset exactly: on a
// line of f, at most at its end, not inside a surrogate pair.
func exactOffset(f *source.File, p position) (int, bool) {
	if p.Line < 0 || p.Line >= f.LineCount() || p.Character < 0 {
		return offsetAt(f, p), false
	}
	off := offsetAt(f, p)
	units := 0
	for _, r := range string(f.Src[f.LineStart(p.Line+1):off]) {
		units++
		if r >= 0x10000 {
			units++
		}
	}
	return off, units == p.Character
}

// applyChange applies one content change to text.
func applyChange(d *document, ch contentChange) {
	if ch.Range == nil {
		d.setText([]byte(ch.Text))
		return
	}
	f := d.file()
	start, end := offsetAt(f, ch.Range.Start), offsetAt(f, ch.Range.End)
	if end < start {
		start, end = end, start
	}
	text := make([]byte, 0, len(d.text)-(end-start)+len(ch.Text))
	text = append(text, d.text[:start]...)
	text = append(text, ch.Text...)
	text = append(text, d.text[end:]...)
	d.setText(text)
}
