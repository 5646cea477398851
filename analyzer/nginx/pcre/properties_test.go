package pcre

import (
	"strings"
	"testing"
)

// TestPropertyNamesAgreeWithPCRE2 reads every name of PCRE2's property
// table (and some that are not) in the spellings and prefixed forms PCRE2
// takes, and compares our verdict with PCRE2's through grep -P: about
// 5,000 patterns. A name only a newer PCRE2 knows may be refused by the
// local one.
func TestPropertyNamesAgreeWithPCRE2(t *testing.T) {
	pcre2 := grepP(t)
	if pcre2 == nil {
		return
	}
	var names []string
	for n := range pcre2Properties {
		names = append(names, n)
	}
	for n := range newerProperties {
		names = append(names, n)
	}
	names = append(names, "foo", "l", "bidi", "sc", "", "zz", "greekx")
	for _, n := range names {
		up := strings.ToUpper(n)
		vs := []string{`\p{` + n + `}`, `\P{^` + up + `}`, `\p{ ` + n + `_}`}
		for _, pre := range []string{"sc=", "SCX:", "bc=", "Script_Extensions=", "bidi class:", "gc=", "Script:"} {
			vs = append(vs, `\p{`+pre+n+`}`)
		}
		if strings.HasPrefix(n, "bidi") {
			vs = append(vs, `\p{bc=`+n[4:]+`}`)
		}
		if len(n) == 1 {
			vs = append(vs, `\p`+up, `\P`+n)
		}
		for _, v := range vs {
			_, err := Parse(v, false)
			msg := pcre2(v)
			_, newer := newerProperties[strings.ToLower(strings.NewReplacer("_", "", " ", "").Replace(n))]
			excused := newer && strings.Contains(msg, "unknown property")
			if (err == nil) != (msg == "") && !excused {
				t.Errorf("%q: ours %v, pcre2 %q", v, err, msg)
			}
		}
	}
}
