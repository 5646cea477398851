package analyzer

import (
	"fmt"
	"slices"
)

// Precision says how often a rule's findings are real problems; SARIF
// carries it as the rule's "precision" property, so the values are
// SARIF's.
type Precision string

const (
	// PrecisionVeryHigh: a finding is wrong only when the model is.
	PrecisionVeryHigh Precision = "very-high"
	// PrecisionHigh: wrong only in set-ups the rule cannot see (a host
	// that resolves differently at deploy time, say).
	PrecisionHigh Precision = "high"
	// PrecisionMedium: a heuristic; expect some findings to need a
	// suppression.
	PrecisionMedium Precision = "medium"
)

// Valid reports whether p is one of the declared precisions.
func (p Precision) Valid() bool {
	return p == PrecisionVeryHigh || p == PrecisionHigh || p == PrecisionMedium
}

// FixKind says whether a rule's findings carry a fix, and how safe it is.
type FixKind string

const (
	// FixNone: findings never carry a fix.
	FixNone FixKind = ""
	// FixSafe: fixes keep behaviour; --fix applies them.
	FixSafe FixKind = "safe"
	// FixUnsafe: fixes may change behaviour; --fix applies them only
	// with --unsafe-fixes.
	FixUnsafe FixKind = "unsafe"
)

// Valid reports whether k is one of the declared fix kinds.
func (k FixKind) Valid() bool { return k == FixNone || k == FixSafe || k == FixUnsafe }

// Tag groups rules for users (SARIF tags, docs). Only the tags declared
// below exist, so that a filter on a tag never misses a rule by a typo.
type Tag string

const (
	TagSyntax        Tag = "syntax"        // the file does not load as nginx or YAML would
	TagIncludes      Tag = "includes"      // include resolution
	TagMeta          Tag = "meta"          // about ngxlint's own comments and settings
	TagConnectivity  Tag = "connectivity"  // whether traffic reaches where the configuration says
	TagLive          Tag = "live"          // needs evidence from the running system (--live, --error-log)
	TagValidity      Tag = "validity"      // nginx or the node would refuse or ignore the configuration
	TagSecurity      Tag = "security"      // SARIF's security-severity is added for these
	TagElasticsearch Tag = "elasticsearch" // reads Elasticsearch / OpenSearch settings
	TagPractice      Tag = "practice"      // works, but wastes resources or hides problems
)

// Tags is every declared tag.
var Tags = []Tag{TagSyntax, TagIncludes, TagMeta, TagConnectivity, TagLive, TagValidity, TagSecurity, TagElasticsearch, TagPractice}

// Valid reports whether t is a declared tag.
func (t Tag) Valid() bool { return slices.Contains(Tags, t) }

// CheckMetadata returns the problems with a rule's typed metadata: a
// precision, fix kind or tag that is not declared, a duplicate tag, or no
// tag or precision at all.
func (r *Rule) CheckMetadata() []error {
	var errs []error
	if !r.Precision.Valid() {
		errs = append(errs, fmt.Errorf("%s: precision %q is not one of very-high, high, medium", r.Name, r.Precision))
	}
	if !r.Fix.Valid() {
		errs = append(errs, fmt.Errorf("%s: fix kind %q is not one of none, safe, unsafe", r.Name, r.Fix))
	}
	if len(r.Tags) == 0 {
		errs = append(errs, fmt.Errorf("%s: no tags", r.Name))
	}
	for i, t := range r.Tags {
		if !t.Valid() {
			errs = append(errs, fmt.Errorf("%s: tag %q is not declared in analyzer.Tags", r.Name, t))
		}
		if slices.Contains(r.Tags[:i], t) {
			errs = append(errs, fmt.Errorf("%s: tag %q appears twice", r.Name, t))
		}
	}
	if (r.Visit == nil) != (len(r.Directives) == 0) {
		errs = append(errs, fmt.Errorf("%s: Visit and Directives go together", r.Name))
	}
	for _, o := range r.Options {
		if o.Name == "" || o.Doc == "" {
			errs = append(errs, fmt.Errorf("%s: an option needs a name and a doc", r.Name))
		}
	}
	return errs
}

// HasTag reports whether the rule carries tag t.
func (r *Rule) HasTag(t Tag) bool { return slices.Contains(r.Tags, t) }

// Registry collects a family's rules as their files declare them
// (`var X = registry.Add(&analyzer.Rule{...})`), so that adding a rule
// touches only its own file.
type Registry struct{ rules []*Rule }

// Add records r and returns it.
func (g *Registry) Add(r *Rule) *Rule {
	g.rules = append(g.rules, r)
	return r
}

// Rules returns the recorded rules in the order they were added.
func (g *Registry) Rules() []*Rule { return slices.Clone(g.rules) }
