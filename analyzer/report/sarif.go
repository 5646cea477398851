package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/baseline"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// InformationURI is the project's home page, the SARIF driver's informationUri.
const InformationURI = "https://github.com/ngxlint/ngxlint"

// SRCROOT is the uriBaseId of every relative artifact URI: the folder
// ngxlint ran in, which is the repository root in CI.
const SRCROOT = "SRCROOT"

// FingerprintKey names our entry in partialFingerprints.
const FingerprintKey = "ngxlintFingerprint/v1"

// SARIFOptions tunes SARIF output.
type SARIFOptions struct {
	Version string
	// Rules are listed in the tool driver (every rule, so that code
	// scanning can show rules with no results); a finding whose rule is
	// not among them adds it.
	Rules []*analyzer.Rule
	// BaseDir, when set, is recorded as SRCROOT's absolute location
	// (originalUriBaseIds); relative URIs are relative to it.
	BaseDir string
}

// SARIF writes one SARIF 2.1.0 run as GitHub code scanning reads it:
// byte for byte what go-sarif's PrettyWrite gives for BuildSARIF's report
// (TestSARIFStreamsAsPrettyWrite), but with the results marshalled and
// written one at a time, on all cores for a large report. Marshalled
// whole, and indented whole after, the 10 MB file's 15,849 findings took
// 146 MB and 209 ms.
func SARIF(w io.Writer, ws *analyzer.Workspace, fs []analyzer.Finding, opt SARIFOptions) error {
	rep, run, result, err := buildSARIF(ws, fs, opt)
	if err != nil {
		return err
	}
	run.Results = []*sarif.Result{}
	skeleton, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	// The only `"results": []` in the skeleton is the run's: a string
	// value holding those characters would have its quotes escaped.
	const empty = `"results": []`
	at := bytes.Index(skeleton, []byte(empty))
	if at < 0 || len(fs) == 0 {
		_, err = w.Write(skeleton)
		return err
	}
	// Where the results array sits: its elements are indented one step
	// past the line that opens it.
	lineStart := bytes.LastIndexByte(skeleton[:at], '\n') + 1
	outer := string(skeleton[lineStart:at])
	inner := outer + "  "
	b := stickyWriter{bufio.NewWriterSize(w, 64<<10)}
	b.bytes(skeleton[:at])
	b.str(`"results": [`)
	// A large report's results are marshalled on all cores (see
	// inBatches): each one's marshalling and indenting are its own.
	err = inBatches(b, len(fs), func(b stickyWriter, i int) error {
		res, err := json.MarshalIndent(result(i), inner, "  ")
		if err != nil {
			return err
		}
		if i > 0 {
			b.byte(',')
		}
		b.str("\n" + inner)
		b.bytes(res)
		return nil
	})
	if err != nil {
		return err
	}
	b.str("\n" + outer + "]")
	b.bytes(skeleton[at+len(empty):])
	return b.w.Flush()
}

// BuildSARIF returns the SARIF report (for callers that post-process it).
func BuildSARIF(ws *analyzer.Workspace, fs []analyzer.Finding, opt SARIFOptions) (*sarif.Report, error) {
	rep, run, result, err := buildSARIF(ws, fs, opt)
	if err != nil {
		return nil, err
	}
	for i := range fs {
		run.AddResult(result(i))
	}
	// "results" must be an array even when empty, never null.
	if run.Results == nil {
		run.Results = []*sarif.Result{}
	}
	return rep, nil
}

// buildSARIF makes the report and its run without results, and a
// function that makes the result of fs[i].
func buildSARIF(ws *analyzer.Workspace, fs []analyzer.Finding, opt SARIFOptions) (*sarif.Report, *sarif.Run, func(i int) *sarif.Result, error) {
	rep, err := sarif.New(sarif.Version210)
	if err != nil {
		return nil, nil, nil, err
	}
	run := sarif.NewRunWithInformationURI("ngxlint", InformationURI)
	if opt.Version != "" {
		run.Tool.Driver.WithVersion(opt.Version)
	}
	// Our columns are UTF-16 code units; SARIF has no default we could rely on.
	run.WithColumnKind("utf16CodeUnits")
	if opt.BaseDir != "" {
		run.WithOriginalUriBaseIds(map[string]*sarif.ArtifactLocation{
			SRCROOT: {URI: ptr(dirURI(opt.BaseDir))},
		})
	}

	index := make(map[*analyzer.Rule]int)
	addRule := func(r *analyzer.Rule) {
		if _, ok := index[r]; ok {
			return
		}
		index[r] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule(r))
	}
	for _, r := range opt.Rules {
		addRule(r)
	}
	for _, f := range fs {
		addRule(f.Rule)
	}

	fps := baseline.Fingerprints(ws, fs)
	result := func(i int) *sarif.Result {
		f := fs[i]
		res := sarif.NewRuleResult(f.Rule.ID).
			WithRuleIndex(index[f.Rule]).
			WithLevel(sarifLevel(f.Severity)).
			WithMessage(sarif.NewTextMessage(f.Message))
		res.AddLocation(sarifLocation(ws, f.Span))
		res.WithPartialFingerPrints(map[string]interface{}{FingerprintKey: fps[i]})
		for j, r := range f.Related {
			loc := sarifLocation(ws, r.Span).WithId(j + 1)
			if r.Message != "" {
				loc.WithMessage(sarif.NewTextMessage(r.Message))
			}
			res.AddRelatedLocation(loc)
		}
		if f.Fix != nil && len(f.Fix.Edits) > 0 {
			res.AddFix(sarifFix(ws, f.Fix))
		}
		if f.Live != nil {
			res.Properties = sarif.Properties{"live": f.Live}
		}
		return res
	}
	rep.AddRun(run)
	return rep, run, result, nil
}

func sarifRule(r *analyzer.Rule) *sarif.ReportingDescriptor {
	summary := r.Summary
	if summary == "" {
		summary = r.Name // shortDescription must never be null
	}
	d := sarif.NewRule(r.ID).
		WithName(r.Name).
		WithShortDescription(sarif.NewMultiformatMessageString(summary)).
		WithHelpURI(r.URL()).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(r.Severity)))
	if full := whatItDoes(r.Doc); full != "" {
		d.WithFullDescription(sarif.NewMultiformatMessageString(full))
	}
	help := strings.TrimSpace(r.Doc)
	if help == "" {
		help = summary
	}
	d.WithHelp(sarif.NewMultiformatMessageString(help).WithMarkdown(help))
	props := sarif.Properties{}
	tags := make([]string, 0, len(r.Tags))
	for _, t := range r.Tags {
		tags = append(tags, string(t))
	}
	if len(tags) > 0 {
		props["tags"] = tags
	}
	if r.Precision != "" {
		props["precision"] = string(r.Precision)
	}
	if r.HasTag(analyzer.TagSecurity) {
		// GitHub ranks security alerts by this score (0.1-10).
		props["security-severity"] = securitySeverity(r.Severity)
	}
	if len(props) > 0 {
		d.WithProperties(props)
	}
	if len(r.Aliases) > 0 {
		d.DeprecatedNames = append([]string{}, r.Aliases...)
	}
	return d
}

// securitySeverity maps our severities onto GitHub's bands: high (7.0-8.9),
// medium (4.0-6.9) and low (0.1-3.9).
func securitySeverity(s analyzer.Severity) string {
	switch s {
	case analyzer.Error:
		return "7.5"
	case analyzer.Warning:
		return "5.5"
	}
	return "2.0"
}

// whatItDoes is the body of the Doc's "What it does" section, unwrapped
// to one paragraph: the rule's full description.
func whatItDoes(doc string) string {
	const head = "## What it does"
	i := strings.Index(doc, head)
	if i < 0 {
		return ""
	}
	body := doc[i+len(head):]
	if j := strings.Index(body, "\n## "); j >= 0 {
		body = body[:j]
	}
	return strings.Join(strings.Fields(body), " ")
}

func sarifLevel(s analyzer.Severity) string {
	switch s {
	case analyzer.Error:
		return "error"
	case analyzer.Warning:
		return "warning"
	}
	return "note"
}

func sarifLocation(ws *analyzer.Workspace, s source.Span) *sarif.Location {
	return sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().
		WithArtifactLocation(artifactLocation(ws, s.File)).
		WithRegion(sarifRegion(s)))
}

func sarifRegion(s source.Span) *sarif.Region {
	return sarif.NewRegion().
		WithStartLine(int(s.Start.Line)).WithStartColumn(int(s.Start.Col)).
		WithEndLine(int(s.End.Line)).WithEndColumn(int(s.End.Col))
}

// artifactLocation names a file by a URI relative to SRCROOT when its
// display path lies below the working folder, else by an absolute file
// URI (a path outside the checkout has no place relative to it).
func artifactLocation(ws *analyzer.Workspace, display string) *sarif.ArtifactLocation {
	clean := filepath.ToSlash(filepath.Clean(display))
	if !filepath.IsAbs(display) && clean != ".." && !strings.HasPrefix(clean, "../") {
		return sarif.NewSimpleArtifactLocation(relURI(clean)).WithUriBaseId(SRCROOT)
	}
	abs := display
	if f := ws.File(display); f != nil && f.Abs != "" {
		abs = f.Abs
	}
	return sarif.NewSimpleArtifactLocation(fileURI(abs))
}

// relURI escapes each segment of a slash path.
func relURI(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

func fileURI(abs string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path // C:/x on Windows
	}
	return u.String()
}

func dirURI(dir string) string {
	u := fileURI(dir)
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}

func sarifFix(ws *analyzer.Workspace, fx *analyzer.Fix) *sarif.Fix {
	title := fx.Title
	if !fx.Safe {
		title += " (unsafe: review before applying)"
	}
	out := sarif.NewFix().WithDescriptionText(title)
	// One artifactChange per file, in the order files first appear.
	byFile := make(map[string]*sarif.ArtifactChange)
	for _, e := range fx.Edits {
		ch, ok := byFile[e.Span.File]
		if !ok {
			ch = sarif.NewArtifactChange(artifactLocation(ws, e.Span.File))
			byFile[e.Span.File] = ch
			out.ArtifactChanges = append(out.ArtifactChanges, ch)
		}
		ch.WithReplacement(sarif.NewReplacement(sarifRegion(e.Span)).
			WithInsertedContent(sarif.NewArtifactContent().WithText(e.NewText)))
	}
	return out
}

func ptr[T any](v T) *T { return &v }
