package rules

// The reference pages docs/rules/<name>.md (each rule's URL) are
// generated from the rules' fields; TestRuleDocsAreCurrent fails when they
// are stale.
//go:generate go run ./internal/gendocs/gen ../docs/rules
