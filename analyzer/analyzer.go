// Package analyzer is the engine every front door shares: it loads a
// Workspace, runs Rules over it and returns positioned Findings.
//
// A Rule is a small value with an ID, a Name, docs and a Run function, in
// the manner of golang.org/x/tools/go/analysis; rules live in package
// rules, and this package never imports it.
package analyzer

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

// Severity orders findings; --fail-on compares against it.
type Severity int

const (
	Info Severity = iota + 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "unknown"
}

// ParseSeverity reads "info", "warning" or "error".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "info", "note":
		return Info, nil
	case "warning", "warn":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// DocsBase is where each rule's reference page lives: DocsBase + name + ".md".
const DocsBase = "https://github.com/ngxlint/ngxlint/blob/main/docs/rules/"

// Rule is one check.
type Rule struct {
	ID       string // stable, e.g. "NGX101"
	Name     string // stable, kebab-case, e.g. "upstream-localhost"
	Severity Severity
	// Summary is the one-line title.
	Summary string
	// Doc is Markdown with the sections "What it does", "Why is this
	// bad?", "Example" and "Use instead".
	Doc string
	// Aliases are the same check's names in other tools.
	Aliases []string
	// Tags group rules; only the declared Tag constants are valid.
	Tags []Tag
	// Precision is how often a finding is a real problem (as in SARIF).
	Precision Precision
	// Fix says whether findings carry a fix, and whether it is safe.
	Fix FixKind
	// Opt-in rules run only when enabled by name.
	OptIn bool
	// Run is called once per run, for a rule that looks at the workspace
	// as a whole.
	Run func(*Pass)
	// Directives names the nginx directives Visit is called for ("*":
	// every one); the engine walks each tree once for all rules.
	Directives []string
	// Visit is called for each directive named in Directives, in file
	// order, then source order.
	Visit func(*Pass, *nginx.Directive)
	// Options are the settings the rule reads from .ngxlint.yml.
	Options []Option
}

// URL is the rule's reference page.
func (r *Rule) URL() string { return DocsBase + r.Name + ".md" }

// Matches reports whether s names the rule by ID, name or alias (IDs and
// names ignore case).
func (r *Rule) Matches(s string) bool {
	if strings.EqualFold(s, r.ID) || strings.EqualFold(s, r.Name) {
		return true
	}
	for _, a := range r.Aliases {
		if strings.EqualFold(s, a) {
			return true
		}
	}
	return false
}

// Finding is one reported problem.
type Finding struct {
	Rule     *Rule
	Severity Severity
	Span     source.Span
	Message  string
	Related  []source.Related
	Fix      *Fix
	// Live carries live-mode evidence; nil unless --live ran a probe.
	Live *Live
	// Target is what live mode dials to confirm the finding (optional).
	Target *Target
}

// Fix is a set of byte-range edits on the original text.
type Fix struct {
	Title string
	// Safe fixes are applied by --fix; unsafe ones only with
	// --unsafe-fixes, because they can change behaviour.
	Safe  bool
	Edits []Edit
}

// Edit replaces the bytes of Span with NewText.
type Edit struct {
	Span    source.Span
	NewText string
}

// Target names what a finding is about on the network: the host as
// written, the port, and the scheme. Live mode dials it.
type Target struct {
	Host   string
	Port   int
	Scheme string
	// Names are host names live mode asks Host about, when Host is a
	// nameserver (the private names a resolver directive serves).
	Names []string
}

// Live is the result of confirming a finding against real sockets.
type Live struct {
	Status   string     `json:"status"` // confirmed, refuted or inconclusive
	Summary  string     `json:"summary,omitempty"`
	Evidence []Evidence `json:"evidence"`
}

// Evidence is the outcome of one dial.
type Evidence struct {
	Address string `json:"address"`
	// Name is the host name a DNS question asked about (the resolver
	// probe); empty for a dial or a bind.
	Name   string `json:"name,omitempty"`
	Result string `json:"result"`
	MS     int64  `json:"ms"`
}

// Pass is what a rule's Run or Visit sees: the workspace, the run's
// settings and a way to report. Shared results come from ResultOf.
type Pass struct {
	Rule      *Rule
	Workspace *Workspace
	// Settings are the run's versions, links and rule options; never nil.
	Settings *Settings
	report   func(Finding)
	focus    *focusSet // nil: every file's findings are wanted
}

// InFocus reports whether the caller wants findings about d: always,
// unless the run is focused on some files (RunFocused, the editor's open
// documents); then only for directives of those files and the blocks and
// includes that enclose them. A Run rule whose findings about a
// directive are located at it may skip the directives out of focus.
func (p *Pass) InFocus(d *nginx.Directive) bool { return p.focus.has(d) }

// FocusReaches reports whether the top level of file c holds a directive
// in focus (see InFocus).
func (p *Pass) FocusReaches(c *nginx.Config) bool { return p.focus.reaches(c) }

// Report records a finding; a zero Severity takes the rule's.
func (p *Pass) Report(f Finding) {
	f.Rule = p.Rule
	if f.Severity == 0 {
		f.Severity = p.Rule.Severity
	}
	p.report(f)
}

// Reportf reports a message at span with the rule's severity.
func (p *Pass) Reportf(span source.Span, format string, args ...any) {
	p.Report(Finding{Span: span, Message: fmt.Sprintf(format, args...)})
}

// Select returns the rules that run: the default set (every rule that is
// not opt-in), adjusted by enable and disable (see Adjust).
func Select(all []*Rule, enable, disable []string) ([]*Rule, error) {
	var defaults []*Rule
	for _, r := range all {
		if !r.OptIn {
			defaults = append(defaults, r)
		}
	}
	return Adjust(all, defaults, enable, disable)
}

// Adjust starts from the rules in start, then applies "all" in enable or
// disable, then the named rules enabled, then the named rules disabled.
// Names may be IDs, names or aliases, so `--disable all --enable X` runs X
// alone and `--enable all --disable X` everything but X. The result keeps
// the order of all.
func Adjust(all, start []*Rule, enable, disable []string) ([]*Rule, error) {
	on := make(map[*Rule]bool)
	for _, r := range start {
		on[r] = true
	}
	steps := []struct {
		names []string
		value bool
	}{{splitList(enable), true}, {splitList(disable), false}}
	// pass applies the "all" names (wantAll) or the named rules.
	pass := func(wantAll bool) error {
		for _, step := range steps {
			for _, n := range step.names {
				if strings.EqualFold(n, "all") != wantAll {
					continue
				}
				if wantAll {
					for _, r := range all {
						on[r] = step.value
					}
					continue
				}
				r := FindRule(all, n)
				if r == nil {
					return fmt.Errorf("unknown rule %q (see `ngxlint rules`)", n)
				}
				on[r] = step.value
			}
		}
		return nil
	}
	if err := pass(true); err != nil {
		return nil, err
	}
	if err := pass(false); err != nil {
		return nil, err
	}
	var out []*Rule
	for _, r := range all {
		if on[r] {
			out = append(out, r)
		}
	}
	return out, nil
}

// FindRule returns the rule that name names, or nil.
func FindRule(all []*Rule, name string) *Rule {
	for _, r := range all {
		if r.Matches(name) {
			return r
		}
	}
	return nil
}

// splitList accepts both repeated flags and comma-separated values.
func splitList(in []string) []string {
	var out []string
	for _, s := range in {
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// Suppress drops the findings that an `# ngxlint:ignore` comment silences,
// as Run does; for findings made after Run (live mode, error logs).
func Suppress(ws *Workspace, known []*Rule, fs []Finding) []Finding {
	return collectSuppressions(ws, known).filter(fs)
}
