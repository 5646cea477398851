package report_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/report"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/rules"
)

// mixedRun lints a folder that has findings of several rules: a syntax
// error, an include cycle (a cross-file finding with a related location),
// upstream-localhost with its fix, and Elasticsearch findings; plus a fake
// security rule's finding. Display paths are relative to the folder.
func mixedRun(t *testing.T, files map[string]string) (*analyzer.Workspace, []analyzer.Finding, string) {
	t.Helper()
	dir := sharedtest.Tree(t, files)
	ws, err := analyzer.Load([]string{dir}, analyzer.LoadOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	fs, errs := analyzer.Run(ws, rules.All(), rules.All())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return ws, fs, dir
}

var mixedFiles = map[string]string{
	"nginx.conf": `events {}
http {
    include a.conf;
    upstream app {
        server localhost:3000;
    }
    server {
        listen 80
        server_name example.com;
    }
}
`,
	"broken.conf":       "events {\n",
	"a.conf":            "include b.conf;\n",
	"b.conf":            "include a.conf;\n",
	"elasticsearch.yml": "network.host: 127.0.0.1\nhttp.port: 9201\nhttp.port: 9202\n",
}

func sarifOf(t *testing.T, ws *analyzer.Workspace, fs []analyzer.Finding, dir string) []byte {
	t.Helper()
	var b bytes.Buffer
	err := report.SARIF(&b, ws, fs, report.SARIFOptions{Version: "1.2.3", Rules: append(rules.All(), fakeSec), BaseDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withFakeSecurity appends a finding of a rule tagged security.
func withFakeSecurity(ws *analyzer.Workspace, fs []analyzer.Finding) []analyzer.Finding {
	f := ws.File("elasticsearch.yml")
	return append(fs, analyzer.Finding{Rule: fakeSec, Severity: analyzer.Error, Span: f.Span(0, 12), Message: "fake"})
}

// The run must contain what the test claims to cover, or validating it
// proves little.
func requireCoverage(t *testing.T, fs []analyzer.Finding) {
	t.Helper()
	has := map[string]bool{}
	related, fixes := false, false
	for _, f := range fs {
		has[f.Rule.Name] = true
		for _, r := range f.Related {
			related = related || r.Span.File != f.Span.File
		}
		fixes = fixes || f.Fix != nil
	}
	for _, want := range []string{"nginx-syntax", "include-error", "upstream-localhost", "es-duplicate-key", "fake-security"} {
		if !has[want] {
			t.Errorf("the mixed run has no %s finding (has %v)", want, has)
		}
	}
	if !related || !fixes {
		t.Errorf("the mixed run lacks a cross-file related location (%v) or a fix (%v)", related, fixes)
	}
}

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	schemaPath := sharedtest.Path(t, "schemas", "sarif-schema-2.1.0.json")
	ws, fs, dir := mixedRun(t, mixedFiles)
	fs = withFakeSecurity(ws, fs)
	requireCoverage(t, fs)
	out := sarifOf(t, ws, fs, dir)

	c := jsonschema.NewCompiler()
	sch, err := c.Compile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	validate := func(b []byte) error {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return err
		}
		return sch.Validate(inst)
	}
	if err := validate(out); err != nil {
		t.Fatalf("SARIF output is not valid: %v\n%s", err, out)
	}
	// The check can fail: the go-sarif pitfall (a null shortDescription)
	// is caught.
	broken := bytes.Replace(out, []byte(`"shortDescription": {`), []byte(`"shortDescription": null, "x": {`), 1)
	if err := validate(broken); err == nil {
		t.Fatal("a null shortDescription passed validation: the schema check checks nothing")
	}
}

// sarifDoc is the part of SARIF the tests read.
type sarifDoc struct {
	Runs []struct {
		ColumnKind         string `json:"columnKind"`
		OriginalURIBaseIDs map[string]struct {
			URI string `json:"uri"`
		} `json:"originalUriBaseIds"`
		Tool struct {
			Driver struct {
				Name, Version, InformationURI string
				Rules                         []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					HelpURI          string `json:"helpUri"`
					ShortDescription *struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
					Help struct {
						Text     string `json:"text"`
						Markdown string `json:"markdown"`
					} `json:"help"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					Properties map[string]any `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine, StartColumn, EndLine, EndColumn int
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			RelatedLocations []struct {
				ID      int `json:"id"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
				} `json:"physicalLocation"`
			} `json:"relatedLocations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Fixes               []struct {
				ArtifactChanges []struct {
					Replacements []struct {
						DeletedRegion struct {
							StartLine, StartColumn, EndLine, EndColumn int
						} `json:"deletedRegion"`
						InsertedContent struct {
							Text string `json:"text"`
						} `json:"insertedContent"`
					} `json:"replacements"`
				} `json:"artifactChanges"`
			} `json:"fixes"`
		} `json:"results"`
	} `json:"runs"`
}

func decode(t *testing.T, b []byte) sarifDoc {
	t.Helper()
	var d sarifDoc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(d.Runs))
	}
	return d
}

func TestSARIFContent(t *testing.T) {
	ws, fs, dir := mixedRun(t, mixedFiles)
	fs = withFakeSecurity(ws, fs)
	d := decode(t, sarifOf(t, ws, fs, dir))
	run := d.Runs[0]
	if run.ColumnKind != "utf16CodeUnits" {
		t.Errorf("columnKind %q", run.ColumnKind)
	}
	if u := run.OriginalURIBaseIDs[report.SRCROOT].URI; !strings.HasPrefix(u, "file:///") || !strings.HasSuffix(u, "/") {
		t.Errorf("SRCROOT %q, want an absolute file URI ending in /", u)
	}
	drv := run.Tool.Driver
	if drv.Name != "ngxlint" || drv.Version != "1.2.3" || drv.InformationURI != report.InformationURI {
		t.Errorf("driver %s %s %s", drv.Name, drv.Version, drv.InformationURI)
	}
	if len(drv.Rules) != len(rules.All())+1 {
		t.Errorf("%d rules in the driver, want every rule (%d) and the fake one", len(drv.Rules), len(rules.All())+1)
	}
	for _, r := range drv.Rules {
		if r.ShortDescription == nil || r.ShortDescription.Text == "" || r.Help.Markdown == "" || r.Help.Text == "" {
			t.Errorf("rule %s lacks a shortDescription or help", r.ID)
		}
		rule := analyzer.FindRule(append(rules.All(), fakeSec), r.ID)
		if rule == nil || r.HelpURI != rule.URL() || !strings.HasSuffix(r.HelpURI, "/docs/rules/"+r.Name+".md") {
			t.Errorf("rule %s helpUri %q", r.ID, r.HelpURI)
		}
		_, sec := r.Properties["security-severity"]
		if sec != (rule != nil && slices.Contains(rule.Tags, analyzer.TagSecurity)) {
			t.Errorf("rule %s: security-severity present=%v; only rules tagged security have one", r.ID, sec)
		}
		if r.ID == fakeSec.ID && r.Properties["security-severity"] != "7.5" {
			t.Errorf("security-severity %v for an error, want \"7.5\"", r.Properties["security-severity"])
		}
		if r.Properties["precision"] == nil || r.Properties["tags"] == nil {
			t.Errorf("rule %s properties %v lack precision or tags", r.ID, r.Properties)
		}
	}
	if len(run.Results) != len(fs) {
		t.Fatalf("%d results for %d findings", len(run.Results), len(fs))
	}
	for i, res := range run.Results {
		f := fs[i]
		if drv.Rules[res.RuleIndex].ID != res.RuleID || res.RuleID != f.Rule.ID {
			t.Errorf("result %d: ruleId %s, ruleIndex %d -> %s", i, res.RuleID, res.RuleIndex, drv.Rules[res.RuleIndex].ID)
		}
		want := map[analyzer.Severity]string{analyzer.Error: "error", analyzer.Warning: "warning", analyzer.Info: "note"}[f.Severity]
		if res.Level != want {
			t.Errorf("result %d level %q, want %q", i, res.Level, want)
		}
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URI != f.Span.File || loc.ArtifactLocation.URIBaseID != report.SRCROOT {
			t.Errorf("result %d uri %q base %q, want %q relative to SRCROOT", i, loc.ArtifactLocation.URI, loc.ArtifactLocation.URIBaseID, f.Span.File)
		}
		r := loc.Region
		if r.StartLine != int(f.Span.Start.Line) || r.StartColumn != int(f.Span.Start.Col) || r.EndLine != int(f.Span.End.Line) || r.EndColumn != int(f.Span.End.Col) {
			t.Errorf("result %d region %+v, span %v-%v", i, r, f.Span.Start, f.Span.End)
		}
		if len(res.PartialFingerprints[report.FingerprintKey]) != 32 {
			t.Errorf("result %d partialFingerprints %v", i, res.PartialFingerprints)
		}
		if len(res.RelatedLocations) != len(f.Related) {
			t.Errorf("result %d: %d related locations, want %d", i, len(res.RelatedLocations), len(f.Related))
		}
		for j, rl := range res.RelatedLocations {
			if rl.ID != j+1 || rl.Message.Text != f.Related[j].Message || rl.PhysicalLocation.ArtifactLocation.URI != f.Related[j].Span.File {
				t.Errorf("result %d related %d: %+v", i, j, rl)
			}
		}
		if (f.Fix != nil) != (len(res.Fixes) == 1) {
			t.Errorf("result %d: fix %v, SARIF fixes %d", i, f.Fix != nil, len(res.Fixes))
		}
		if f.Fix != nil {
			rep := res.Fixes[0].ArtifactChanges[0].Replacements[0]
			e := f.Fix.Edits[0]
			if rep.InsertedContent.Text != e.NewText || rep.DeletedRegion.StartColumn != int(e.Span.Start.Col) || rep.DeletedRegion.EndColumn != int(e.Span.End.Col) {
				t.Errorf("result %d fix %+v, edit %+v", i, rep, e)
			}
		}
	}
}

// Adding lines above a finding and re-indenting its line moves it but
// keeps its fingerprint; two identical lines get distinct ones.
func TestSARIFFingerprintsSurviveLineShifts(t *testing.T) {
	fp := func(files map[string]string) map[string][]string {
		ws, fs, dir := mixedRun(t, files)
		d := decode(t, sarifOf(t, ws, fs, dir))
		out := map[string][]string{}
		for _, r := range d.Runs[0].Results {
			out[r.RuleID] = append(out[r.RuleID], r.PartialFingerprints[report.FingerprintKey])
		}
		return out
	}
	before := fp(map[string]string{"nginx.conf": "http {\n  upstream a {\n    server localhost:1;\n  }\n}\n"})
	after := fp(map[string]string{"nginx.conf": "# new\n# lines\nhttp {\n  upstream b {\n    server 10.0.0.1:1;\n  }\n  upstream a {\n        server  localhost:1;\n    server localhost:1;\n  }\n}\n"})
	if len(before["NGX101"]) != 1 || len(after["NGX101"]) != 2 {
		t.Fatalf("before %v after %v", before, after)
	}
	if after["NGX101"][0] != before["NGX101"][0] {
		t.Errorf("the moved finding's fingerprint changed: %s -> %s", before["NGX101"][0], after["NGX101"][0])
	}
	if after["NGX101"][1] == after["NGX101"][0] {
		t.Error("two findings on identical lines share a fingerprint")
	}
}

// TestSARIFMultitool runs Microsoft's validator (@microsoft/sarif-multitool,
// installed into .ci/node_modules by .ci/run) on the mixed run and fails on
// any error it reports.
func TestSARIFMultitool(t *testing.T) {
	tool, err := filepath.Abs("../../.ci/node_modules/.bin/sarif-multitool")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tool); err != nil {
		msg := "sarif-multitool is not installed (cd .ci && npm install); set " + sharedtest.ToolsEnv + "=1 to make this a failure"
		if os.Getenv(sharedtest.ToolsEnv) == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	ws, fs, dir := mixedRun(t, mixedFiles)
	fs = withFakeSecurity(ws, fs)
	requireCoverage(t, fs)
	out := filepath.Join(t.TempDir(), "ngxlint.sarif")
	if err := os.WriteFile(out, sarifOf(t, ws, fs, dir), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tool, "validate", out)
	// .NET single-file apps need ICU unless told otherwise; CI images
	// may lack libicu.
	cmd.Env = append(os.Environ(), "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1")
	b, err := cmd.CombinedOutput()
	t.Logf("sarif-multitool validate:\n%s", b)
	if err != nil {
		t.Fatalf("sarif-multitool validate failed: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, ": error ") {
			t.Errorf("validator error: %s", line)
		}
	}
	// The validator must be able to fail: a result pointing at a rule
	// index that does not exist is an error.
	good := sarifOf(t, ws, fs, dir)
	loc := regexp.MustCompile(`"ruleIndex": [0-9]+`).FindIndex(good)
	if loc == nil {
		t.Fatal("no ruleIndex to break")
	}
	bad := append(append(append([]byte{}, good[:loc[0]]...), `"ruleIndex": 999`...), good[loc[1]:]...)
	if err := os.WriteFile(out, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command(tool, "validate", out)
	cmd.Env = append(os.Environ(), "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1")
	b, err = cmd.CombinedOutput()
	if err == nil && !strings.Contains(string(b), ": error ") {
		t.Errorf("the validator accepted a result with ruleIndex 999:\n%s", b)
	}
}

// SARIF streams its results, but writes what go-sarif's PrettyWrite gives
// for the whole report, byte for byte: with no finding, with the mixed
// run (related locations across files, fixes, a security rule), with a
// live result, and with the corpus's findings, whose messages hold quotes,
// '<', '&' and the like; results written in order on this goroutine and
// in batches on all cores.
func TestSARIFStreamsAsPrettyWrite(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	ws, fs, dir := mixedRun(t, mixedFiles)
	fs = withFakeSecurity(ws, fs)
	requireCoverage(t, fs)
	live := append([]analyzer.Finding(nil), fs...)
	live[0].Live = &analyzer.Live{Status: "confirmed", Summary: "refused <now> & \"then\""}
	cases := map[string][]analyzer.Finding{"none": nil, "mixed": fs, "live": live}
	if shared := sharedtest.DirIfPresent(t); shared != "" {
		root := filepath.Join(shared, "corpus")
		var paths []string
		_ = filepath.WalkDir(filepath.Join(root, "nginx"), func(p string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() && len(paths) < 60 {
				paths = append(paths, p)
			}
			return err
		})
		cws, err := analyzer.Load(paths, analyzer.LoadOptions{WorkDir: root})
		if err != nil {
			t.Fatal(err)
		}
		cfs, _ := analyzer.Run(cws, rules.All(), rules.All())
		if len(cfs) < 20 {
			t.Fatalf("the corpus sample has %d findings", len(cfs))
		}
		checkSARIFStream(t, "corpus", cws, cfs, root)
	}
	for name, fs := range cases {
		checkSARIFStream(t, name, ws, fs, dir)
	}
}

// checkSARIFStream holds SARIF's output to PrettyWrite's, written in
// order and in batches.
func checkSARIFStream(t *testing.T, name string, ws *analyzer.Workspace, fs []analyzer.Finding, dir string) {
	t.Helper()
	for _, from := range []int{1 << 30, 1} {
		restore := report.SetBatchFrom(from)
		sarifAsPrettyWrite(t, fmt.Sprintf("%s (batched from %d)", name, from), ws, fs, dir)
		restore()
	}
}

func sarifAsPrettyWrite(t *testing.T, name string, ws *analyzer.Workspace, fs []analyzer.Finding, dir string) {
	t.Helper()
	opt := report.SARIFOptions{Version: "1.2.3", Rules: append(rules.All(), fakeSec), BaseDir: dir}
	var streamed, whole bytes.Buffer
	if err := report.SARIF(&streamed, ws, fs, opt); err != nil {
		t.Fatal(err)
	}
	rep, err := report.BuildSARIF(ws, fs, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.PrettyWrite(&whole); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(streamed.Bytes(), whole.Bytes()) {
		a, b := streamed.String(), whole.String()
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		t.Errorf("%s: the streamed report differs from PrettyWrite's at byte %d:\n%q\nagainst\n%q", name, i,
			a[max(0, i-80):min(len(a), i+80)], b[max(0, i-80):min(len(b), i+80)])
	}
}
