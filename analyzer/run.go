package analyzer

import (
	"fmt"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

// BadSuppression is reported by the engine itself: an ignore comment that
// names no known rule suppresses nothing, which is almost always a typo.
var BadSuppression = &Rule{
	ID:        "NGX004",
	Name:      "bad-suppression",
	Severity:  Warning,
	Summary:   "an ngxlint:ignore comment names a rule that does not exist",
	Tags:      []Tag{TagMeta},
	Precision: PrecisionVeryHigh,
	Doc: `## What it does
Checks every ` + "`# ngxlint:ignore <rule>[,<rule>] -- <reason>`" + ` comment and reports a rule name, ID or
alias that ngxlint does not know.

## Why is this bad?
A misspelt rule name suppresses nothing: the finding it was meant to silence keeps failing the
build, or, worse, the comment survives a rule rename and silently stops doing its job.

## Example
` + "```nginx" + `
upstream app {
    server localhost:3000; # ngxlint:ignore upstream-locahost -- backend is dual-stack
}
` + "```" + `

## Use instead
` + "```nginx" + `
upstream app {
    server localhost:3000; # ngxlint:ignore upstream-localhost -- backend is dual-stack
}
` + "```" + `
`,
}

// RuleError is a rule that panicked; the run goes on without it and the
// panic is reported as an internal error (exit status 2).
type RuleError struct {
	Rule  string
	Value any
	Stack string
}

func (e *RuleError) Error() string {
	return fmt.Sprintf("internal error in rule %s: %v", e.Rule, e.Value)
}

// Run runs rules over the workspace with no settings (see RunWith).
func Run(ws *Workspace, rules, known []*Rule) ([]Finding, []error) {
	return RunWith(ws, rules, known, nil)
}

// RunWith runs rules over the workspace and returns the findings that no
// suppression comment silences, sorted by file, line, column and rule.
// Rules with a Run function are called once; rules that declare
// Directives are visited in one shared walk of each tree. known is every
// rule that exists, so that a suppression naming a rule that merely is
// not enabled is not mistaken for a typo.
func RunWith(ws *Workspace, rules, known []*Rule, settings *Settings) ([]Finding, []error) {
	return RunFocused(ws, rules, known, settings, nil)
}

// RunFocused is RunWith for a caller that wants only the findings located
// in the files focus names (absolute paths; nil: every file): the shared
// walk visits the directives of those files and the blocks around them,
// not the whole workspace. Findings elsewhere may be missing or partial.
// Rules with a Run function, and the models, still see everything.
func RunFocused(ws *Workspace, rules, known []*Rule, settings *Settings, focus []string) ([]Finding, []error) {
	if settings == nil {
		settings = &Settings{}
	}
	findings, errs := runRules(ws, rules, settings, focus)
	sups := collectSuppressions(ws, known)
	findings = sups.filter(findings)
	for _, r := range rules {
		if r == BadSuppression {
			findings = append(findings, sups.unknown...)
		}
	}
	SortFindings(ws, findings)
	return dedupe(hideOpaque(ws, findings)), errs
}

// hideOpaque rewrites what would quote an opaque file (see
// source.File.Opaque): a finding in one keeps its rule, path and line but
// its message becomes the rule's summary and the reason, only the first
// per rule and file is kept, and it offers no fix; a related location in
// one loses its message.
func hideOpaque(ws *Workspace, fs []Finding) []Finding {
	opaque := func(path string) string {
		if f := ws.File(path); f != nil {
			return f.Opaque
		}
		return ""
	}
	seen := map[string]bool{}
	out := fs[:0]
	for _, f := range fs {
		if why := opaque(f.Span.File); why != "" {
			key := f.Span.File + "\x00" + f.Rule.Name
			if seen[key] {
				continue
			}
			seen[key] = true
			f.Message = fmt.Sprintf("%s (content not shown: %s)", strings.TrimSuffix(f.Rule.Summary, "."), why)
			f.Fix = nil
		}
		copied := false
		for i, r := range f.Related {
			if why := opaque(r.Span.File); why != "" {
				if !copied { // the slice may be shared with the rule
					f.Related, copied = append([]source.Related(nil), f.Related...), true
				}
				f.Related[i].Message = "content not shown: " + why
			}
		}
		out = append(out, f)
	}
	return out
}

func runOne(p *Pass) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = panicError(p.Rule, v)
		}
	}()
	p.Rule.Run(p)
	return nil
}

func panicError(r *Rule, v any) error {
	return &RuleError{Rule: r.Name, Value: v, Stack: string(debug.Stack())}
}

// SortFindings orders findings by the workspace's file order, then
// position, then rule ID.
func SortFindings(ws *Workspace, fs []Finding) {
	order := make(map[string]int, len(ws.Files))
	for i, f := range ws.Files {
		order[f.Path] = i
	}
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if oa, ob := order[a.Span.File], order[b.Span.File]; oa != ob {
			return oa < ob
		}
		if a.Span.File != b.Span.File {
			return a.Span.File < b.Span.File
		}
		if a.Span.Start.Offset != b.Span.Start.Offset {
			return a.Span.Start.Offset < b.Span.Start.Offset
		}
		return a.Rule.ID < b.Rule.ID
	})
}

// dedupe drops a finding identical to the one before it (same rule, span
// and message), which a rule may produce for a file reached twice.
func dedupe(fs []Finding) []Finding {
	out := fs[:0]
	for i, f := range fs {
		if i > 0 {
			p := fs[i-1]
			if p.Rule == f.Rule && p.Span == f.Span && p.Message == f.Message {
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

// suppressions maps file path and line to the rules silenced there.
type suppressions struct {
	byLine  map[string]map[int32][]*Rule
	unknown []Finding
}

const ignoreMarker = "ngxlint:ignore"

// collectSuppressions reads `# ngxlint:ignore a,b -- reason` comments. At
// the end of a line a comment silences that line; alone on a line it
// silences the next line (and its own, for findings about the file as a
// whole, which point at line 1).
func collectSuppressions(ws *Workspace, known []*Rule) *suppressions {
	s := &suppressions{byLine: make(map[string]map[int32][]*Rule)}
	for _, f := range ws.Files {
		for _, c := range f.Comments {
			body := strings.TrimSpace(strings.TrimPrefix(c.Text, "#"))
			if !strings.HasPrefix(body, ignoreMarker) {
				continue
			}
			names := body[len(ignoreMarker):]
			if i := strings.Index(names, "--"); i >= 0 {
				names = names[:i]
			}
			// Offset of the rule list within the comment, for positions.
			base := c.Span.Start.Offset + strings.Index(c.Text, ignoreMarker) + len(ignoreMarker)
			var rules []*Rule
			for _, tok := range ruleTokens(names) {
				if r := FindRule(known, tok.text); r != nil {
					rules = append(rules, r)
					continue
				}
				span := f.Span(base+tok.offset, base+tok.offset+len(tok.text))
				s.unknown = append(s.unknown, Finding{
					Rule: BadSuppression, Severity: BadSuppression.Severity, Span: span,
					Message: fmt.Sprintf("ngxlint:ignore names %q, which is not a rule: this comment suppresses nothing for it (see `ngxlint rules`)", tok.text),
				})
			}
			if len(ws.Files) > 0 && len(rules) == 0 && len(ruleTokens(names)) == 0 {
				s.unknown = append(s.unknown, Finding{
					Rule: BadSuppression, Severity: BadSuppression.Severity, Span: c.Span,
					Message: "ngxlint:ignore names no rule: write `# ngxlint:ignore <rule>[,<rule>] -- <reason>`",
				})
			}
			line := c.Span.Start.Line
			s.add(f.Path, line, rules)
			if c.Alone {
				s.add(f.Path, line+1, rules)
			}
		}
	}
	return s
}

func (s *suppressions) add(file string, line int32, rules []*Rule) {
	if s.byLine[file] == nil {
		s.byLine[file] = make(map[int32][]*Rule)
	}
	s.byLine[file][line] = append(s.byLine[file][line], rules...)
}

func (s *suppressions) filter(fs []Finding) []Finding {
	out := fs[:0]
	for _, f := range fs {
		if !s.silences(f) {
			out = append(out, f)
		}
	}
	return out
}

func (s *suppressions) silences(f Finding) bool {
	for _, r := range s.byLine[f.Span.File][f.Span.Start.Line] {
		if r == f.Rule {
			return true
		}
	}
	return false
}

type token struct {
	text   string
	offset int
}

// ruleTokens splits "a, b c" into names with their byte offsets.
func ruleTokens(s string) []token {
	var out []token
	start := -1
	for i := 0; i <= len(s); i++ {
		sep := i == len(s) || s[i] == ',' || s[i] == ' ' || s[i] == '\t'
		if !sep && start < 0 {
			start = i
		}
		if sep && start >= 0 {
			out = append(out, token{s[start:i], start})
			start = -1
		}
	}
	return out
}
