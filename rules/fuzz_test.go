package rules_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/fix"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/analyzer/source"
	"github.com/ngxlint/ngxlint/rules"
)

// fuzzVersions are the nginx releases FuzzRules lints for, picked by one
// fuzzed byte: rules take other paths before and after a directive or a
// behaviour arrived.
var fuzzVersions = []string{"", "1.18.0", "1.22.1", "1.25.1", "1.27.4"}

// FuzzRules lints a fuzzed nginx.conf and a fuzzed elasticsearch.yml, side
// by side in one folder, with every rule, and wants what a user may count
// on whatever the input: no rule panics (a panic becomes a rule error, and
// the run fails), and every finding, related location and fix edit lies
// in a loaded file with line and column those of its byte offset, and a
// fix's edits do not overlap. Seeds: every rule case under testdata/rules
// and testdata/es-pairs, and every file of ../shared/corpus where it is
// present, each alone.
func FuzzRules(f *testing.F) {
	for _, seed := range append(ruleCaseSeeds(f), corpusSeeds(f)...) {
		f.Add(seed.nginx, seed.es, byte(0))
	}
	f.Fuzz(func(t *testing.T, conf, settings []byte, version byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), conf, 0o644); err != nil {
			t.Fatal(err)
		}
		paths := []string{filepath.Join(dir, "nginx.conf")}
		if len(settings) > 0 {
			if err := os.WriteFile(filepath.Join(dir, "elasticsearch.yml"), settings, 0o644); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, filepath.Join(dir, "elasticsearch.yml"))
		}
		// Absolute includes resolve in the folder, never on this
		// machine: the input decides what is read.
		ws, err := analyzer.Load(paths, analyzer.LoadOptions{WorkDir: dir, Root: dir, Machine: dir})
		if err != nil {
			var usage *analyzer.UsageError
			if errors.As(err, &usage) {
				return // a settings file over its size limit, say: refused with a message
			}
			t.Fatal(err)
		}
		v := fuzzVersions[int(version)%len(fuzzVersions)]
		findings, errs := analyzer.RunWith(ws, rules.All(), rules.All(), &analyzer.Settings{NginxVersion: v, NginxVersionGiven: v != ""})
		for _, e := range errs {
			var re *analyzer.RuleError
			if errors.As(e, &re) {
				t.Fatalf("rule %s panicked: %v\n%s", re.Rule, re.Value, re.Stack)
			}
			t.Fatal(e)
		}
		safe := map[string][]*analyzer.Fix{}
		for _, fd := range findings {
			if fd.Fix != nil && fd.Fix.Safe && len(fd.Fix.Edits) > 0 {
				safe[fd.Fix.Edits[0].Span.File] = append(safe[fd.Fix.Edits[0].Span.File], fd.Fix)
			}
			if err := spanInFile(ws, fd.Span); err != nil {
				t.Fatalf("%s: %s: %v", fd.Rule.Name, fd.Message, err)
			}
			for _, r := range fd.Related {
				if err := spanInFile(ws, r.Span); err != nil {
					t.Fatalf("%s: related %q: %v", fd.Rule.Name, r.Message, err)
				}
			}
			if fd.Fix == nil {
				continue
			}
			for i, e := range fd.Fix.Edits {
				if err := spanInFile(ws, e.Span); err != nil {
					t.Fatalf("%s: fix %q: %v", fd.Rule.Name, fd.Fix.Title, err)
				}
				for _, o := range fd.Fix.Edits[:i] {
					if o.Span.File == e.Span.File && o.Span.Start.Offset < e.Span.End.Offset && e.Span.Start.Offset < o.Span.End.Offset {
						t.Fatalf("%s: fix %q: edits at %s and %s overlap", fd.Rule.Name, fd.Fix.Title, o.Span, e.Span)
					}
				}
			}
		}
		// --fix applies the safe fixes; they never make a file that
		// parsed worse.
		for name, fixes := range safe {
			src := ws.File(name)
			out, _, _ := fix.Apply(src.Src, fixes)
			if before, after := syntaxErrors(src, src.Src), syntaxErrors(src, out); after > before {
				t.Fatalf("%s: the safe fixes raise the syntax errors from %d to %d:\n%s", name, before, after, out)
			}
		}
	})
}

// syntaxErrors counts the syntax errors of text parsed as f's kind.
func syntaxErrors(f *source.File, text []byte) int {
	var diags []source.Diagnostic
	g := source.NewFile(f.Path, "", f.Kind, text)
	if f.Kind == source.KindNginx {
		diags = nginx.Parse(g).Diagnostics
	} else {
		diags = elastic.Parse(g).Diagnostics
	}
	n := 0
	for _, d := range diags {
		if d.Code == nginx.SyntaxCode || d.Code == elastic.CodeSyntax {
			n++
		}
	}
	return n
}

// spanInFile says what is wrong with s, nil when it is a range of a
// loaded file whose line and column are those of its offsets.
func spanInFile(ws *analyzer.Workspace, s source.Span) error {
	f := ws.File(s.File)
	if f == nil {
		return fmt.Errorf("span %s names no loaded file", s)
	}
	if s.Start.Offset < 0 || s.Start.Offset > s.End.Offset || s.End.Offset > len(f.Src) {
		return fmt.Errorf("span %s: bytes %d to %d of a file of %d", s, s.Start.Offset, s.End.Offset, len(f.Src))
	}
	if p := f.Pos(s.Start.Offset); p != s.Start {
		return fmt.Errorf("span %s starts at %v, byte %d is at %v", s, s.Start, s.Start.Offset, p)
	}
	if p := f.Pos(s.End.Offset); p != s.End {
		return fmt.Errorf("span %s ends at %v, byte %d is at %v", s, s.End, s.End.Offset, p)
	}
	return nil
}

type fuzzSeed struct{ nginx, es []byte }

// ruleCaseSeeds reads the rule cases: each nginx file alone, each
// settings file alone, and each pair of testdata/es-pairs together.
func ruleCaseSeeds(tb testing.TB) []fuzzSeed {
	var seeds []fuzzSeed
	root := filepath.Join("..", "testdata")
	err := filepath.WalkDir(filepath.Join(root, "rules"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		switch {
		case strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml"):
			seeds = append(seeds, fuzzSeed{es: src})
		case strings.HasSuffix(p, ".conf"):
			seeds = append(seeds, fuzzSeed{nginx: src})
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	pairs, err := filepath.Glob(filepath.Join(root, "es-pairs", "*"))
	if err != nil {
		tb.Fatal(err)
	}
	for _, dir := range pairs {
		var s fuzzSeed
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			src, err := os.ReadFile(p)
			switch {
			case err != nil:
				return err
			case strings.HasSuffix(p, ".yml") && s.es == nil:
				s.es = src
			case strings.HasSuffix(p, ".conf") && s.nginx == nil:
				s.nginx = src
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
		if s.es != nil && s.nginx != nil {
			seeds = append(seeds, s)
		}
	}
	if len(seeds) < 100 {
		tb.Fatalf("found %d rule cases for seeds under %s", len(seeds), root)
	}
	return seeds
}

// corpusSeeds reads every file of ../shared/corpus (none without it).
func corpusSeeds(tb testing.TB) []fuzzSeed {
	shared := sharedtest.DirIfPresent(tb)
	if shared == "" {
		return nil
	}
	var seeds []fuzzSeed
	for _, f := range sharedtest.Files(tb, "corpus", "nginx") {
		seeds = append(seeds, fuzzSeed{nginx: f.Src})
	}
	for _, f := range sharedtest.Files(tb, "corpus", "elasticsearch") {
		seeds = append(seeds, fuzzSeed{es: f.Src})
	}
	return seeds
}
