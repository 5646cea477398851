package report_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/report"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// Fake rules keep the golden files about the formats, not about today's
// rule messages.
var (
	fakeWarn = &analyzer.Rule{ID: "TST101", Name: "fake-warning", Severity: analyzer.Warning, Summary: "a fake warning",
		Tags: []analyzer.Tag{analyzer.TagConnectivity}, Precision: analyzer.PrecisionHigh, Doc: "## What it does\nReports a fake problem.\n"}
	fakeErr = &analyzer.Rule{ID: "TST001", Name: "fake-error", Severity: analyzer.Error, Summary: "a fake error",
		Tags: []analyzer.Tag{analyzer.TagSyntax}, Precision: analyzer.PrecisionVeryHigh}
	fakeSec = &analyzer.Rule{ID: "TST900", Name: "fake-security", Severity: analyzer.Error, Summary: "a fake security problem",
		Tags: []analyzer.Tag{analyzer.TagSecurity}, Precision: analyzer.PrecisionMedium}
)

// goldenWorkspace loads testdata/src with display paths relative to it.
func goldenWorkspace(t *testing.T) *analyzer.Workspace {
	t.Helper()
	dir, err := filepath.Abs("testdata/src")
	if err != nil {
		t.Fatal(err)
	}
	ws, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// spanOf is the span of the first occurrence of needle in file.
func spanOf(t *testing.T, ws *analyzer.Workspace, file, needle string) source.Span {
	t.Helper()
	f := ws.File(file)
	if f == nil {
		t.Fatalf("%s not loaded", file)
	}
	off := strings.Index(string(f.Src), needle)
	if off < 0 {
		t.Fatalf("%s: %q not found", file, needle)
	}
	return f.Span(off, off+len(needle))
}

// goldenFindings exercise what the formats must escape and carry: a
// comma, colon, percent sign, newline and XML specials in messages, a
// non-ASCII line (UTF-16 columns), related locations in another file, a
// fix, and every severity.
func goldenFindings(t *testing.T, ws *analyzer.Workspace) []analyzer.Finding {
	t.Helper()
	f := func(file, needle string) source.Span { return spanOf(t, ws, file, needle) }
	localhost := f("nginx.conf", "localhost")
	emoji := f("nginx.conf", "😀")
	search := f("conf.d/search.conf", "localhost")
	name := f("conf.d/search.conf", `"b,c"`)
	es := f("elasticsearch.yml", "127.0.0.1")
	fs := []analyzer.Finding{
		{Rule: fakeWarn, Severity: analyzer.Warning, Span: localhost,
			Message: "upstream server localhost:3000 expands to 127.0.0.1:3000, [::1]:3000 & more: 100% <sure>",
			Fix:     &analyzer.Fix{Title: "Replace localhost with 127.0.0.1", Edits: []analyzer.Edit{{Span: localhost, NewText: "127.0.0.1"}}}},
		{Rule: fakeErr, Severity: analyzer.Error, Span: emoji, Message: "line one\nline \"two\""},
		{Rule: fakeWarn, Severity: analyzer.Info, Span: search, Message: "a note",
			Related: []source.Related{{Span: name, Message: "the upstream, named here"}, {Span: localhost, Message: "the other file"}},
			Fix:     &analyzer.Fix{Title: "safe one", Safe: true, Edits: []analyzer.Edit{{Span: search, NewText: "127.0.0.1"}}}},
		{Rule: fakeSec, Severity: analyzer.Error, Span: es, Message: "security, of a sort"},
	}
	analyzer.SortFindings(ws, fs)
	return fs
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (go test ./analyzer/report -update rewrites it):\ngot:\n%s\nwant:\n%s", p, got, want)
	}
}

func TestGitHubGolden(t *testing.T) {
	ws := goldenWorkspace(t)
	var b bytes.Buffer
	if err := report.GitHub(&b, goldenFindings(t, ws)); err != nil {
		t.Fatal(err)
	}
	golden(t, "github.golden", b.Bytes())
	// Each finding is exactly one workflow command line.
	if n := strings.Count(b.String(), "\n"); n != 4 {
		t.Errorf("%d lines, want 4", n)
	}
}

func TestCheckstyleGolden(t *testing.T) {
	ws := goldenWorkspace(t)
	var b bytes.Buffer
	if err := report.Checkstyle(&b, ws, goldenFindings(t, ws)); err != nil {
		t.Fatal(err)
	}
	golden(t, "checkstyle.golden", b.Bytes())
}

func TestEmptyReports(t *testing.T) {
	ws := goldenWorkspace(t)
	var b bytes.Buffer
	if err := report.GitHub(&b, nil); err != nil || b.Len() != 0 {
		t.Errorf("github with no findings wrote %q, %v", b.String(), err)
	}
	b.Reset()
	if err := report.Checkstyle(&b, ws, nil); err != nil {
		t.Fatal(err)
	}
	// Every linted file is listed, with no errors.
	if strings.Count(b.String(), "<file ") != len(ws.Files) || strings.Contains(b.String(), "<error") {
		t.Errorf("checkstyle with no findings:\n%s", b.String())
	}
}

// A live finding's evidence in text: a dial as "address result", a DNS
// question with the name it asked about.
func TestTextLiveEvidence(t *testing.T) {
	ws := goldenWorkspace(t)
	fs := goldenFindings(t, ws)[:1]
	fs[0].Live = &analyzer.Live{Status: "confirmed", Summary: "the public resolver does not know app.internal", Evidence: []analyzer.Evidence{
		{Address: "127.0.0.1:3000", Result: "refused", MS: 1},
		{Address: "8.8.8.8:53", Name: "app.internal", Result: "nxdomain", MS: 12},
	}}
	var b bytes.Buffer
	if err := report.Text(&b, ws, fs, report.Options{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"      127.0.0.1:3000 refused (1 ms)\n", "      8.8.8.8:53 asked about app.internal: nxdomain (12 ms)\n"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("missing %q in\n%s", want, b.String())
		}
	}
}

// JSON writes the report one finding at a time; the document must be the
// one encoding the whole JSONReport at once gives, byte for byte: with no
// findings, one, and several with related locations, fixes, live evidence
// and characters JSON escapes.
func TestJSONIsTheWholeDocumentEncoding(t *testing.T) {
	ws := goldenWorkspace(t)
	all := goldenFindings(t, ws)
	all[0].Live = &analyzer.Live{Status: "confirmed", Summary: "<dial> & \u2028", Evidence: []analyzer.Evidence{
		{Address: "127.0.0.1:3000", Result: "refused", MS: 1},
	}}
	odd := all[1]
	odd.Message = "tab\tback\\slash \b\f\x01 bad \xff utf-8 \u2029 <a href=\"x\">&amp;</a> é"
	odd.Fix = &analyzer.Fix{Title: "no edits"}
	two := all[2]
	two.Fix = &analyzer.Fix{Title: "two", Safe: true, Edits: []analyzer.Edit{{Span: all[0].Span, NewText: ""}, {Span: all[1].Span, NewText: "a\r\nb"}}}
	all = append(all, odd, two)
	for _, fs := range [][]analyzer.Finding{nil, all[:1], all} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report.ToJSON(fs, "1.2.3 \"dev\"")); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := report.JSON(&got, fs, report.Options{Version: "1.2.3 \"dev\""}); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%d findings: streamed\n%s\nwhole\n%s", len(fs), got.String(), want.String())
		}
	}
}

// A large report is written on all cores a batch at a time; it must be
// the report written in order on one goroutine, byte for byte, in text
// (with colour and without) and in JSON, whose whole-document encoding
// it must also equal.
func TestBatchedReportsMatchSequential(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	ws := goldenWorkspace(t)
	base := goldenFindings(t, ws)
	var many []analyzer.Finding
	for i := range 1500 {
		f := base[i%len(base)]
		f.Message = fmt.Sprintf("%s (%d)", f.Message, i)
		many = append(many, f)
	}
	render := map[string]func(w *bytes.Buffer) error{
		"text":   func(w *bytes.Buffer) error { return report.Text(w, ws, many, report.Options{}) },
		"colour": func(w *bytes.Buffer) error { return report.Text(w, ws, many, report.Options{Color: true}) },
		"json":   func(w *bytes.Buffer) error { return report.JSON(w, many, report.Options{Version: "1"}) },
	}
	for name, r := range render {
		var seq, par bytes.Buffer
		restore := report.SetBatchFrom(1 << 30)
		err := r(&seq)
		restore()
		if err != nil {
			t.Fatal(err)
		}
		restore = report.SetBatchFrom(1)
		err = r(&par)
		restore()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(seq.Bytes(), par.Bytes()) {
			t.Errorf("%s: the batched report (%d bytes) differs from the sequential one (%d bytes)", name, par.Len(), seq.Len())
		}
		if name == "json" {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetIndent("", "  ")
			if err := enc.Encode(report.ToJSON(many, "1")); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(par.Bytes(), want.Bytes()) {
				t.Errorf("json: the batched report differs from the whole document's encoding")
			}
		}
	}
}
