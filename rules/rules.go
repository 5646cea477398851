// Package rules holds every ngxlint check, one file per rule, each a small
// analyzer.Rule value whose Doc is its reference page.
package rules

import "github.com/ngxlint/ngxlint/analyzer"

// All returns every rule, in ID order.
func All() []*analyzer.Rule {
	return []*analyzer.Rule{
		NginxSyntax,
		IncludeNotFound,
		IncludeError,
		analyzer.BadSuppression,
		InvalidRegex,
		UpstreamLocalhost,
		UpstreamUnreachable,
		UpstreamErrorLog,
		YAMLSyntax,
		ESDuplicateKey,
		ESKeyCollision,
		ESListShape,
		ESYAMLAlias,
		ESLoopbackOnly,
		ESCustomHTTPPort,
	}
}
