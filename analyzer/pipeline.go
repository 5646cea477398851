package analyzer

import "context"

// Pipeline is the one way a lint runs, for the CLI and the language server
// alike: load, run the rules (ignore comments applied), apply the
// project's policy (.ngxlint.yml ignores and severities), add evidence
// (live mode, error logs), sort. Keeping it in one place keeps the two
// front doors from drifting apart in order or in what they filter.
type Pipeline struct {
	// Rules are the selected rules; Known is every rule that exists (so
	// that an ignore comment naming a rule that is merely off is not a
	// typo).
	Rules, Known []*Rule
	// Settings reach every rule through its Pass; nil means none.
	Settings *Settings
	// Policy applies the project's ignores and severity overrides; nil
	// keeps findings as the rules made them.
	Policy func(ws *Workspace, fs []Finding) []Finding
	// Stages run after the rules, in order. A stage may add evidence to
	// the findings it is given and append new ones; it must not drop or
	// reorder them. What a stage appends is filtered by ignore comments
	// and Policy like the rules' findings.
	Stages []Stage
	// Focus, when not nil, names the files (absolute paths) whose
	// findings are wanted, as the editor wants those of its open
	// documents: the per-directive rules visit only those files and the
	// blocks around them (see RunFocused). Findings elsewhere are then
	// incomplete.
	Focus []string
	// Loaded, when set, is called by Lint once the files are loaded and
	// before the rules run: the command line sizes its heap there (see
	// internal/hugeheap), when the run's input is known.
	Loaded func(ws *Workspace)
}

// Stage is one step after the rules (live evidence, error-log mapping).
type Stage func(ctx context.Context, ws *Workspace, fs []Finding) ([]Finding, error)

// Lint loads paths and runs the pipeline over them. errs are rules that
// failed (the run goes on without them); err stops the run: an input that
// cannot be read, a stage that failed, or a cancelled context.
func (p *Pipeline) Lint(ctx context.Context, paths []string, opt LoadOptions) (ws *Workspace, fs []Finding, errs []error, err error) {
	ws, err = Load(paths, opt)
	if err != nil {
		return nil, nil, nil, err
	}
	if p.Loaded != nil {
		p.Loaded(ws)
	}
	fs, errs, err = p.Analyze(ctx, ws)
	return ws, fs, errs, err
}

// Analyze runs the pipeline over a loaded workspace.
func (p *Pipeline) Analyze(ctx context.Context, ws *Workspace) ([]Finding, []error, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	fs, errs := RunFocused(ws, p.Rules, p.Known, p.Settings, p.Focus)
	fs = p.policy(ws, fs)
	for _, stage := range p.Stages {
		n := len(fs)
		var err error
		if fs, err = stage(ctx, ws, fs); err != nil {
			return nil, errs, err
		}
		added := Suppress(ws, p.Known, fs[n:])
		fs = append(fs[:n], p.policy(ws, added)...)
	}
	SortFindings(ws, fs)
	return fs, errs, nil
}

func (p *Pipeline) policy(ws *Workspace, fs []Finding) []Finding {
	if p.Policy == nil {
		return fs
	}
	return p.Policy(ws, fs)
}
