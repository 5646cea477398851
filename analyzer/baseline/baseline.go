// Package baseline records today's findings so that later runs report only
// new ones. Findings are matched by rule, file and a fingerprint of the
// text they point at, never by line number, so that editing an unrelated
// part of a file keeps the baseline matching.
package baseline

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
)

// Fingerprints returns one fingerprint per finding (same order). It hashes
// the rule ID, the whitespace-normalised text of the line the finding
// starts on, the text of the span itself, and how many earlier findings of
// the same file share all three: a finding keeps its fingerprint when lines
// are added or removed elsewhere, or when its line is re-indented. The file
// is not part of the hash: SARIF carries it in the location and a baseline
// entry stores it beside the fingerprint, so one finding has one
// fingerprint whatever folder ngxlint runs from.
//
// SARIF partialFingerprints and baseline entries both come from here.
func Fingerprints(ws *analyzer.Workspace, fs []analyzer.Finding) []string {
	out := make([]string, len(fs))
	seen := make(map[string]int)
	for i, f := range fs {
		lineText, spanText := "", ""
		if file := ws.File(f.Span.File); file != nil {
			lineText = normalize(file.Line(int(f.Span.Start.Line)))
			spanText = file.Text(f.Span)
		} else {
			// No source (should not happen): the message is the best
			// position-free text there is.
			lineText = f.Message
		}
		h := sha256.New()
		for _, part := range []string{f.Rule.ID, lineText, spanText} {
			// Length-prefixed so that no two tuples hash alike.
			_, _ = fmt.Fprintf(h, "%d:%s\n", len(part), part) // a hash never fails
		}
		key := f.Span.File + "\x00" + string(h.Sum(nil))
		n := seen[key]
		seen[key] = n + 1
		_, _ = fmt.Fprintf(h, "%d\n", n)
		out[i] = hex.EncodeToString(h.Sum(nil))[:32]
	}
	return out
}

// normalize trims a line and collapses runs of white space, so that
// re-indenting does not change a fingerprint.
func normalize(s string) string { return strings.Join(strings.Fields(s), " ") }

// Version is the baseline file format's version.
const Version = 1

// File is a baseline on disk.
type File struct {
	Version int     `json:"version"`
	Entries []Entry `json:"findings"`
}

// Entry is one recorded finding. Line and Message are there for people
// reading the file; matching ignores them.
type Entry struct {
	Rule        string `json:"rule"`
	Name        string `json:"name"`
	File        string `json:"file"`
	Fingerprint string `json:"fingerprint"`
	Line        int    `json:"line"`
	Message     string `json:"message"`
}

type key struct{ rule, file, fingerprint string }

// Baseline is a loaded baseline, ready to filter findings.
type Baseline struct {
	// dir is the folder entry paths are relative to.
	dir    string
	counts map[key]int
}

// Build records findings; paths are stored relative to dir (the folder of
// the baseline file), slash-separated, so the file can be committed and
// used from any working folder.
func Build(ws *analyzer.Workspace, fs []analyzer.Finding, dir string) File {
	fps := Fingerprints(ws, fs)
	out := File{Version: Version, Entries: make([]Entry, 0, len(fs))}
	for i, f := range fs {
		out.Entries = append(out.Entries, Entry{
			Rule: f.Rule.ID, Name: f.Rule.Name, File: relPath(ws, f.Span.File, dir),
			Fingerprint: fps[i], Line: int(f.Span.Start.Line), Message: f.Message,
		})
	}
	return out
}

// Write records findings in the baseline file at path (replacing it).
func Write(path string, ws *analyzer.Workspace, fs []analyzer.Finding) error {
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(Build(ws, fs, dir), "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// maxFileSize bounds a baseline file.
const maxFileSize = 64 << 20

// Read loads the baseline file at path.
func Read(path string) (*Baseline, error) {
	// Never a FIFO or a device, and bounded: a baseline holds a line per
	// finding of a legacy configuration, megabytes at most.
	b, err := analyzer.ReadOne(path, analyzer.Limits{MaxFileSize: maxFileSize})
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s: no such file; record one with --write-baseline %s", path, path)
	case err != nil:
		return nil, fmt.Errorf("%s: cannot be read as a baseline: %w", path, err)
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	return Parse(bytes.NewReader(b), path, dir)
}

// Parse reads a baseline whose paths are relative to dir; name is used in
// error messages.
func Parse(r io.Reader, name, dir string) (*Baseline, error) {
	var f File
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: not an ngxlint baseline: %w", name, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: not an ngxlint baseline: unexpected data after the JSON document", name)
	}
	if f.Version != Version {
		return nil, fmt.Errorf("%s: baseline version %d, want %d (rewrite it with --write-baseline)", name, f.Version, Version)
	}
	bl := &Baseline{dir: dir, counts: make(map[key]int)}
	for i, e := range f.Entries {
		if e.Rule == "" || e.File == "" || e.Fingerprint == "" {
			return nil, fmt.Errorf("%s: entry %d lacks rule, file or fingerprint", name, i+1)
		}
		bl.counts[key{e.Rule, e.File, e.Fingerprint}]++
	}
	return bl, nil
}

// Filter returns the findings the baseline does not record, and how many
// it matched. Each entry matches at most one finding, so a second copy of
// a recorded problem is new.
func (b *Baseline) Filter(ws *analyzer.Workspace, fs []analyzer.Finding) ([]analyzer.Finding, int) {
	left := make(map[key]int, len(b.counts))
	for k, n := range b.counts {
		left[k] = n
	}
	fps := Fingerprints(ws, fs)
	var out []analyzer.Finding
	matched := 0
	for i, f := range fs {
		k := key{f.Rule.ID, relPath(ws, f.Span.File, b.dir), fps[i]}
		if left[k] > 0 {
			left[k]--
			matched++
			continue
		}
		out = append(out, f)
	}
	return out, matched
}

// relPath is the finding's file relative to dir, slash-separated; a file
// without an absolute path (standard input) keeps its display name.
func relPath(ws *analyzer.Workspace, display, dir string) string {
	f := ws.File(display)
	if f == nil || f.Abs == "" || !filepath.IsAbs(f.Abs) {
		return filepath.ToSlash(display)
	}
	rel, err := filepath.Rel(dir, f.Abs)
	if err != nil {
		return filepath.ToSlash(f.Abs)
	}
	return filepath.ToSlash(rel)
}
