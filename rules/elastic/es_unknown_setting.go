package elastic

import (
	"fmt"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/elastic/spec"
)

var ESUnknownSetting = registry.Add(&analyzer.Rule{
	ID:        "ES302",
	Name:      "es-unknown-setting",
	Severity:  analyzer.Error,
	Summary:   "a setting the node does not know (misspelt, removed, newer or the other distribution's): it refuses to start",
	Tags:      []analyzer.Tag{analyzer.TagValidity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Fix:       analyzer.FixUnsafe,
	Run:       runESUnknownSetting,
	Doc: `## What it does
Looks every key up in the settings table for the file's release (` + "`elasticsearch.version`" + ` in
` + "`.ngxlint.yml`" + `, else what the file implies, else the newest release) and reports a key that
release does not read:
- a key no release knows but one close to it exists: a typo, with a did-you-mean;
- a key the release no longer has (` + "`discovery.zen.minimum_master_nodes`" + ` and ` + "`transport.tcp.port`" + ` on
  8.x, ` + "`bootstrap.mlockall`" + ` since 5.0), with its replacement when there is one;
- a key only a later release has, or only the other distribution (an OpenSearch key in
  elasticsearch.yml).
When the release is not known and the key was removed, the finding is a warning that names the
release that dropped it. A key no row matches and nothing is close to is left alone: it may belong
to a plugin.

## Why is this bad?
Since 5.0 the node validates every setting at start-up and exits with ` + "`unknown setting [...]`" + `, so
every client and every proxy in front of it gets connection refused.

## Example
` + "```yaml" + `
cluster.nmae: logs
discovery.zen.minimum_master_nodes: 2
` + "```" + `

## Use instead
` + "```yaml" + `
cluster.name: logs
` + "```" + `
The typo fix renames the key (an unsafe fix: check that the suggestion is what you meant).
`,
})

func runESUnknownSetting(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		rel := releaseOf(p, s)
		var old []analyzer.Finding
		for _, st := range s.All {
			if f, ok := unknownFinding(s, st, rel); ok {
				if f.Severity == analyzer.Info {
					old = append(old, f)
					continue
				}
				p.Report(f)
			}
		}
		if len(old) > 0 {
			// An old file: one note for all of its removed keys.
			f := old[0]
			if len(old) > 1 {
				f.Message += fmt.Sprintf(" (and %d more settings removed by later releases in this file)", len(old)-1)
			}
			p.Report(f)
		}
	}
}

// unknownFinding returns the finding for one key, if any; a removed key of
// a file whose release cannot be told comes back at info level.
func unknownFinding(s *elastic.Settings, st *elastic.Setting, rel release) (analyzer.Finding, bool) {
	prod := rel.Product
	a := spec.Has(st.Key, rel.Release)
	switch a.Status {
	case spec.Unknown:
		sug := spec.Suggest(st.Key, prod)
		if sug == "" {
			return analyzer.Finding{}, false // perhaps a plugin's setting
		}
		f := analyzer.Finding{Span: st.KeySpan, Message: fmt.Sprintf(
			"unknown setting [%s]: %s refuses to start on it; did you mean [%s]?", st.Key, productName(prod), sug)}
		if !st.Nested && !st.Env && string(s.File.Src[st.KeySpan.Start.Offset:st.KeySpan.End.Offset]) == st.Key {
			f.Fix = &analyzer.Fix{Title: "rename to " + sug, Edits: []analyzer.Edit{{Span: st.KeySpan, NewText: sug}}}
		}
		return f, true
	case spec.Removed:
		msg := fmt.Sprintf("setting [%s] was removed in %s %s", st.Key, productName(prod), a.Until)
		if a.Until.IsZero() {
			msg = fmt.Sprintf("setting [%s] was removed before OpenSearch forked from Elasticsearch %s", st.Key, spec.ForkPoint)
		}
		if r := a.Setting.Replacement; r != "" {
			msg += "; use " + r + " instead"
		}
		f := analyzer.Finding{Span: st.KeySpan}
		switch rel.How {
		case "configured", "image":
			f.Message = fmt.Sprintf("%s; %s refuses to start with it (unknown setting)", msg, rel.Release)
		case "implied":
			if rel.Before8 {
				// The file's own removed keys say it is for an older release.
				f.Severity = analyzer.Info
				f.Message = fmt.Sprintf("%s: fine for an older node, but one of that release or later refuses to start with it "+
					"(unknown setting); which release this file is for cannot be told, so set elasticsearch.version in .ngxlint.yml", msg)
				break
			}
			f.Message = fmt.Sprintf("%s and this file is for %d.x (it has the security auto-configuration block); the node refuses to start with it (unknown setting)", msg, rel.Version.Major)
		default:
			f.Severity = analyzer.Warning
			f.Message = fmt.Sprintf("%s: a node of that release or later refuses to start with it (unknown setting); "+
				"set elasticsearch.version in .ngxlint.yml if the node is older", msg)
		}
		return f, true
	case spec.NotYet:
		return analyzer.Finding{Span: st.KeySpan, Message: fmt.Sprintf("setting [%s] first appears in %s %s; %s does not know it and refuses to start",
			st.Key, productName(prod), a.Since, rel.Release)}, true
	case spec.OtherProduct:
		return analyzer.Finding{Span: st.KeySpan, Message: fmt.Sprintf("setting [%s] belongs to %s; %s does not know it and refuses to start",
			st.Key, a.Setting.Product, productName(prod))}, true
	}
	return analyzer.Finding{}, false
}

func productName(p spec.Product) string {
	if p == spec.OpenSearch {
		return "OpenSearch"
	}
	return "Elasticsearch"
}
