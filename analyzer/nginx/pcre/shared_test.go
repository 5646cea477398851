package pcre

import "testing"

// The {} quantifiers PCRE2 refuses whatever else the pattern holds, and
// the look-alikes it reads as literal text or accepts, each checked with
// PCRE2 itself below (errorCases hold a{2,1} and a{65536} too, which
// TestAgreesWithNginx puts through nginx -t).
var quantifierCases = []struct {
	pattern, why, at string
}{
	{`^/a{2,1}`, "the quantifier {2,1} has its numbers out of order", "{2,1}"},
	{`^/a{70000}`, "the quantifier {70000} is over PCRE's limit of 65535", "{70000}"},
	{`a{65536}`, "the quantifier {65536} is over PCRE's limit of 65535", "{65536}"},
	{`x{1,70000}y`, "the quantifier {1,70000} is over PCRE's limit of 65535", "{1,70000}"},
	{`(a){3,2}`, "the quantifier {3,2} has its numbers out of order", "{3,2}"},
	{`(?x)a {2,1}`, "the quantifier {2,1} has its numbers out of order", "{2,1}"},
	{`\d{10,9}$`, "the quantifier {10,9} has its numbers out of order", "{10,9}"},
	{`a{65535}`, "", ""},
	{`a{2000}`, "", ""},
	{`a{0,0}`, "", ""},
	{`a{2,}`, "", ""},
	{`a{2,1`, "", ""},
	{`a{ 2,1}`, "", ""},
	{`[a{2,1}]`, "", ""},
	{`\Qa{2,1}\E`, "", ""},
}

func TestSharedErrorQuantifiers(t *testing.T) {
	pcre2 := grepP(t)
	for _, tt := range quantifierCases {
		why, start, end := SharedErrorAt(tt.pattern, false)
		if why != tt.why || tt.pattern[start:end] != tt.at {
			t.Errorf("%q: got %q at %q, want %q at %q", tt.pattern, why, tt.pattern[start:end], tt.why, tt.at)
		}
		if pcre2 != nil && (pcre2(tt.pattern) != "") != (tt.why != "") {
			t.Errorf("%q: PCRE2 says %q; the table says %q", tt.pattern, pcre2(tt.pattern), tt.why)
		}
	}
}

// Every error SharedError reports is one PCRE2 reports too: the rule that
// uses it is an error, so it must never fire on a pattern nginx accepts.
func TestSharedErrorOnlyWherePCRE2Refuses(t *testing.T) {
	pcre2 := grepP(t)
	if pcre2 == nil {
		t.Skip("grep -P is not available")
	}
	var patterns []string
	for _, tt := range errorCases {
		patterns = append(patterns, tt.pattern)
	}
	for _, tt := range formCases {
		if !tt.ci {
			patterns = append(patterns, tt.pattern)
		}
	}
	checked := 0
	for _, p := range patterns {
		if why := SharedError(p, false); why != "" {
			checked++
			if pcre2(p) == "" {
				t.Errorf("%q: SharedError says %q, PCRE2 compiles it", p, why)
			}
		}
	}
	if checked == 0 {
		t.Error("SharedError reported none of the error cases")
	}
}
